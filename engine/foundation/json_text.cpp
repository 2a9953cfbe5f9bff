#include "foundation/json_text.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>

namespace stepcare {

namespace {

/// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF), the same rule as nlohmann's decoder.
bool valid_utf8(std::string_view text) {
    auto const* p = reinterpret_cast<const unsigned char*>(text.data());
    auto const* const end = p + text.size();
    while (p < end) {
        unsigned char const c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) low = 0xA0;
            if (c == 0xED) high = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) low = 0x90;
            if (c == 0xF4) high = 0x8F;
        } else {
            return false;
        }
        if (static_cast<std::size_t>(end - p) < length || p[1] < low || p[1] > high) return false;
        for (std::size_t i = 2; i < length; ++i) {
            if (p[i] < 0x80 || p[i] > 0xBF) return false;
        }
        p += length;
    }
    return true;
}

/// The escape of an ASCII byte, or null when it is copied as it is.
const char* escape_of(unsigned char c) {
    switch (c) {
        case '"': return "\\\"";
        case '\\': return "\\\\";
        case '\b': return "\\b";
        case '\t': return "\\t";
        case '\n': return "\\n";
        case '\f': return "\\f";
        case '\r': return "\\r";
        default: return nullptr;
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    if (!valid_utf8(text)) {
        // Rare (answers and sources are validated before they get here): nlohmann's own
        // replacement rules, rather than a second copy of them.
        out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    std::size_t run = 0;  // start of the bytes not yet copied
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto const c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + run, i - run);
        run = i + 1;
        if (const char* escape = escape_of(c)) {
            out += escape;
        } else {
            static constexpr char hex[] = "0123456789abcdef";
            char const code[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
            out.append(code, sizeof code);
        }
    }
    out.append(text.data() + run, text.size() - run);
    out += '"';
}

void append_json_strings(std::string& out, const std::vector<std::string>& items) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(out, items[i]);
    }
    out += ']';
}

}  // namespace stepcare
