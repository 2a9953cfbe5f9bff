// Display width and line wrapping with ICU's character properties and line breaking.

#include "intake/wrap.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <memory>

namespace stepcare::cli::intake {

namespace {

std::size_t width_of(UChar32 c) {
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
    auto const category = static_cast<UCharCategory>(u_charType(c));
    if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR) return 0;
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return 0;
    auto const east_asian = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
    return east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
}

std::size_t width_of(const icu::UnicodeString& s) {
    std::size_t width = 0;
    for (std::int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) width += width_of(s.char32At(i));
    return width;
}

std::string utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

/// `s` without trailing white space.
icu::UnicodeString trimmed_end(const icu::UnicodeString& s) {
    std::int32_t end = s.length();
    while (end > 0 && u_isWhitespace(s.charAt(end - 1))) --end;
    return s.tempSubString(0, end);
}

class wrapper {
public:
    wrapper(std::size_t width, std::string_view locale, std::string_view first_indent, std::string_view indent)
        : width_(width), first_indent_(first_indent), indent_(indent) {
        icu::Locale const where(std::string(locale).c_str());
        UErrorCode status = U_ZERO_ERROR;
        lines_.reset(icu::BreakIterator::createLineInstance(where, status));
        status = U_ZERO_ERROR;
        characters_.reset(icu::BreakIterator::createCharacterInstance(where, status));
    }

    void paragraph(const icu::UnicodeString& text) {
        if (!lines_ || !characters_) {
            emit(text);
            return;
        }
        lines_->setText(text);
        std::int32_t start = lines_->first();
        for (std::int32_t end = lines_->next(); end != icu::BreakIterator::DONE; end = lines_->next()) {
            add_segment(text.tempSubString(start, end - start));
            start = end;
        }
        if (!current_.isEmpty() || !emitted_any_in_paragraph_) emit(current_);
        current_.remove();
        emitted_any_in_paragraph_ = false;
    }

    std::vector<std::string> take() { return std::move(out_); }

private:
    std::size_t width_;
    std::string first_indent_;
    std::string indent_;
    std::unique_ptr<icu::BreakIterator> lines_;
    std::unique_ptr<icu::BreakIterator> characters_;
    std::vector<std::string> out_;
    icu::UnicodeString current_;
    bool emitted_any_in_paragraph_ = false;

    const std::string& prefix() const { return out_.empty() ? first_indent_ : indent_; }

    std::size_t room() const {
        std::size_t const used = display_width(prefix());
        return width_ > used + 1 ? width_ - used : 1;
    }

    void emit(const icu::UnicodeString& line) {
        out_.push_back(prefix() + utf8(trimmed_end(line)));
        emitted_any_in_paragraph_ = true;
    }

    void add_segment(const icu::UnicodeString& segment) {
        icu::UnicodeString candidate = current_;
        candidate += segment;
        if (width_of(trimmed_end(candidate)) <= room()) {
            current_ = candidate;
            return;
        }
        if (!current_.isEmpty()) {
            emit(current_);
            current_.remove();
        }
        if (width_of(trimmed_end(segment)) <= room()) {
            current_ = segment;
            return;
        }
        // A word wider than a whole line: cut it between characters (grapheme clusters).
        characters_->setText(segment);
        std::int32_t start = characters_->first();
        for (std::int32_t end = characters_->next(); end != icu::BreakIterator::DONE; end = characters_->next()) {
            icu::UnicodeString const cluster = segment.tempSubString(start, end - start);
            icu::UnicodeString next = current_;
            next += cluster;
            if (!current_.isEmpty() && width_of(trimmed_end(next)) > room()) {
                emit(current_);
                current_ = cluster;
            } else {
                current_ = next;
            }
            start = end;
        }
    }
};

}  // namespace

std::size_t display_width(std::string_view text) {
    return width_of(
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size()))));
}

std::vector<std::string> wrap(std::string_view text, std::size_t width, std::string_view locale,
                              std::string_view first_indent, std::string_view indent) {
    wrapper w(width, locale, first_indent, indent);
    std::size_t start = 0;
    while (true) {
        std::size_t const end = text.find('\n', start);
        std::string_view const line = text.substr(start, end == std::string_view::npos ? end : end - start);
        w.paragraph(
            icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), static_cast<std::int32_t>(line.size()))));
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return w.take();
}

}  // namespace stepcare::cli::intake
