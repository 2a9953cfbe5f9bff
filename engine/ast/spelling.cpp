#include "ast/spelling.hpp"

#include <array>
#include <charconv>

namespace stepcare::ast {

std::string number_spelling(double value) {
    // Fixed notation, so that the text reads back as a number literal: no exponent.
    // The widest finite double takes 309 digits before the point, the smallest about 330 after.
    std::array<char, 512> buffer{};
    auto const result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
    return std::string(buffer.data(), result.ptr);
}

std::string string_spelling(std::string_view text) {
    std::string out = "\"";
    for (char const c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default: out += c;
        }
    }
    return out + "\"";
}

}  // namespace stepcare::ast
