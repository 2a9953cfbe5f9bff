#include "source/source_file.hpp"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace stepcare {

namespace {

/// The bytes of `text` as ICU's UTF-8 macros want them: they compare bytes against 0x80 and
/// up, which goes wrong through a signed `char`.
const std::uint8_t* bytes_of(std::string_view text) { return reinterpret_cast<const std::uint8_t*>(text.data()); }

}  // namespace

source_file::source_file(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') {
            line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
        }
    }
}

std::uint32_t source_file::content_begin() const { return text_.starts_with("\xEF\xBB\xBF") ? 3 : 0; }

line_column source_file::position_of(std::uint32_t offset) const {
    // A bad offset from a phase must not make us read past the text.
    offset = std::min(offset, static_cast<std::uint32_t>(text_.size()));

    // The last line that starts at or before `offset`; line 1 starts at 0, so there is one.
    const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line_index = static_cast<std::uint32_t>(after - line_starts_.begin() - 1);

    std::int64_t i = line_starts_[line_index];
    if (line_index == 0) {
        i = std::max<std::int64_t>(i, content_begin());
    }
    // Decoding stops at `offset`, so an offset inside a sequence counts its head as a column.
    const std::int64_t length = offset;
    const std::uint8_t* bytes = bytes_of(text_);
    std::uint32_t column = 1;
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        ++column;
    }
    return {line_index + 1, column};
}

std::string_view source_file::line_text(std::uint32_t line) const {
    if (line == 0 || line > line_count()) {
        return {};
    }
    std::size_t begin = line_starts_[line - 1];
    if (line == 1) {
        // Columns do not count the BOM, so the excerpt must not show it either.
        begin = content_begin();
    }
    std::size_t end = line < line_count() ? line_starts_[line] - 1 : text_.size();
    if (end > begin && text_[end - 1] == '\r') {
        --end;
    }
    return std::string_view(text_).substr(begin, end - begin);
}

std::vector<source_range> find_invalid_utf8(std::string_view text) {
    std::vector<source_range> invalid;
    const std::uint8_t* bytes = bytes_of(text);
    const auto length = static_cast<std::int64_t>(text.size());
    std::int64_t i = 0;
    while (i < length) {
        const std::int64_t start = i;
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        if (c < 0) {
            invalid.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)});
        }
    }
    return invalid;
}

}  // namespace stepcare
