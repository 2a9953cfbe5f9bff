#include "text_document.hpp"

#include <algorithm>

namespace stepcare::lsp {

namespace {

/// The bytes of the UTF-8 character that starts with `lead` (1 for a stray byte, so that
/// text that is not UTF-8 still moves forward one byte at a time).
std::uint32_t sequence_length(unsigned char lead) {
    if (lead >= 0xF0 && lead <= 0xF4) return 4;
    if (lead >= 0xE0) return lead <= 0xEF ? 3 : 1;
    if (lead >= 0xC2) return 2;
    return 1;
}

/// What one character counts for in a position's `character`.
std::uint32_t units(std::uint32_t bytes, position_encoding encoding) {
    if (encoding == position_encoding::utf8) return bytes;
    return bytes == 4 ? 2 : 1;  // beyond the Basic Multilingual Plane: a surrogate pair
}

}  // namespace

text_document::text_document(std::string text, std::int64_t version) : text_(std::move(text)), version_(version) {
    index_lines();
}

void text_document::index_lines() {
    // Lines end at "\n", "\r\n" or a lone "\r", as the protocol counts them.
    line_starts_.assign(1, 0);
    for (std::uint32_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') ++i;
        if (text_[i] == '\n' || text_[i] == '\r') line_starts_.push_back(i + 1);
    }
}

std::uint32_t text_document::line_end(std::uint32_t line) const {
    std::uint32_t end =
        line + 1 < line_starts_.size() ? line_starts_[line + 1] : static_cast<std::uint32_t>(text_.size());
    if (end > line_starts_[line] && line + 1 < line_starts_.size()) {
        --end;  // the "\n" or lone "\r"
        if (end > line_starts_[line] && text_[end] == '\n' && text_[end - 1] == '\r') --end;
    }
    return end;
}

std::uint32_t text_document::offset_of(position p, position_encoding encoding) const {
    if (p.line >= line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
    std::uint32_t offset = line_starts_[p.line];
    std::uint32_t const end = line_end(p.line);
    std::uint32_t counted = 0;
    while (offset < end) {
        std::uint32_t const bytes = std::min(sequence_length(static_cast<unsigned char>(text_[offset])), end - offset);
        std::uint32_t const width = units(bytes, encoding);
        if (counted + width > p.character) break;
        counted += width;
        offset += bytes;
    }
    return offset;
}

std::uint32_t text_document::offset_of_code_points(std::uint32_t line, std::uint32_t code_points) const {
    if (line >= line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
    std::uint32_t offset = line_starts_[line];
    std::uint32_t const end = line_end(line);
    for (std::uint32_t counted = 0; offset < end && counted < code_points; ++counted) {
        offset += std::min(sequence_length(static_cast<unsigned char>(text_[offset])), end - offset);
    }
    return offset;
}

position text_document::position_of(std::uint32_t offset, position_encoding encoding) const {
    offset = std::min(offset, static_cast<std::uint32_t>(text_.size()));
    auto const after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    position p;
    p.line = static_cast<std::uint32_t>(after - line_starts_.begin() - 1);
    std::uint32_t const end = std::min(offset, line_end(p.line));
    for (std::uint32_t at = line_starts_[p.line]; at < end;) {
        std::uint32_t const bytes = std::min(sequence_length(static_cast<unsigned char>(text_[at])), end - at);
        p.character += units(bytes, encoding);
        at += bytes;
    }
    return p;
}

void text_document::replace(std::uint32_t begin, std::uint32_t end, std::string_view replacement,
                            std::int64_t version) {
    begin = std::min(begin, static_cast<std::uint32_t>(text_.size()));
    end = std::clamp(end, begin, static_cast<std::uint32_t>(text_.size()));
    text_.replace(begin, end - begin, replacement);
    version_ = version;
    index_lines();
}

void text_document::reset(std::string text, std::int64_t version) {
    text_ = std::move(text);
    version_ = version;
    index_lines();
}

}  // namespace stepcare::lsp
