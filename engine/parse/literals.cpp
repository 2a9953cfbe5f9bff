#include "parse/literals.hpp"

#include "diagnostics/quote.hpp"

#include <unicode/utf8.h>

#include <charconv>

namespace stepcare::parse {

namespace {

void append_utf8(std::string& out, char32_t code_point) {
    // The caller has checked that code_point is a Unicode scalar value.
    char buffer[U8_MAX_LENGTH];
    std::int32_t length = 0;
    U8_APPEND_UNSAFE(buffer, length, static_cast<UChar32>(code_point));
    out.append(buffer, static_cast<std::size_t>(length));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

void decode_string_body(std::string_view body, std::uint32_t body_offset, std::string& out,
                        diagnostic_sink& diagnostics, std::vector<std::uint32_t>* offsets) {
    auto at = [&](std::size_t from, std::size_t to) {
        return source_range{body_offset + static_cast<std::uint32_t>(from),
                            body_offset + static_cast<std::uint32_t>(to)};
    };
    std::size_t decoding = 0;  // where the character or escape being decoded starts
    auto const appended_from = [&] {
        if (offsets != nullptr) offsets->resize(out.size(), body_offset + static_cast<std::uint32_t>(decoding));
    };
    std::size_t i = 0;
    while (i < body.size()) {
        appended_from();
        decoding = i;
        char const c = body[i];
        if (c != '\\') {
            out.push_back(c);
            ++i;
            continue;
        }
        std::size_t const start = i;
        if (i + 1 >= body.size()) {
            diagnostics.error("bad-escape", at(start, i + 1),
                              "a backslash must be followed by an escape; write \\\\ for a "
                              "backslash");
            return;
        }
        char const e = body[i + 1];
        i += 2;
        switch (e) {
            case '"': out.push_back('"'); continue;
            case '\\': out.push_back('\\'); continue;
            case 'n': out.push_back('\n'); continue;
            case 't': out.push_back('\t'); continue;
            case 'u': break;
            default: {
                // Report the escape with the whole next character, which may be multi-byte.
                std::size_t end = i;
                while (end < body.size() && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) ++end;
                diagnostics.error("bad-escape", at(start, end),
                                  "unknown escape '\\" + std::string(body.substr(start + 1, end - start - 1)) +
                                      "'; the escapes are \\\", \\\\, \\n, \\t and \\u{...}");
                continue;
            }
        }
        // \u{X...}: one to six hex digits naming a Unicode scalar value.
        if (i >= body.size() || body[i] != '{') {
            diagnostics.error("bad-escape", at(start, i),
                              "'\\u' must be followed by hex digits in braces, as in \\u{E9}");
            continue;
        }
        std::size_t j = i + 1;
        std::uint32_t value = 0;
        std::size_t digits = 0;
        while (j < body.size() && hex_value(body[j]) >= 0) {
            if (digits < 7) value = value * 16 + static_cast<std::uint32_t>(hex_value(body[j]));
            ++digits;
            ++j;
        }
        bool const closed = j < body.size() && body[j] == '}';
        std::size_t const end = closed ? j + 1 : j;
        if (!closed || digits == 0 || digits > 6) {
            diagnostics.error("bad-escape", at(start, end),
                              "'\\u{...}' takes one to six hex digits and a closing '}', as in "
                              "\\u{1F600}");
        } else if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            diagnostics.error("bad-escape", at(start, end),
                              quoted(body.substr(start, end - start)) +
                                  " is not a Unicode character (surrogates and values above "
                                  "10FFFF are not allowed)");
        } else {
            append_utf8(out, value);
        }
        i = end;
    }
    appended_from();
}

std::optional<double> parse_number(std::string_view text) {
    bool negative = false;
    std::size_t i = 0;
    if (i < text.size() && text[i] == '-') {
        negative = true;
        ++i;
        while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    }
    std::string_view const digits = text.substr(i);
    // Too many integer digits cannot fit; checking first avoids relying on rounding.
    std::size_t const point = digits.find('.');
    std::size_t integer_digits = point == std::string_view::npos ? digits.size() : point;
    std::size_t leading_zeros = 0;
    while (leading_zeros + 1 < integer_digits && digits[leading_zeros] == '0') ++leading_zeros;
    if (integer_digits - leading_zeros > 16) return std::nullopt;
    double value = 0;
    auto const result = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (result.ec != std::errc{}) return std::nullopt;
    if (value > max_number_literal) return std::nullopt;
    return negative ? -value : value;
}

}  // namespace stepcare::parse
