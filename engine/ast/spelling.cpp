#include "ast/spelling.hpp"

#include <array>
#include <charconv>

namespace stepcare::ast {

std::string number_spelling(double value) {
    std::array<char, 64> buffer{};
    auto const result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
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
