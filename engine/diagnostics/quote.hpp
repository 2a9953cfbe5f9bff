#pragma once

#include <string>
#include <string_view>

namespace stepcare {

/// `'word'`, as diagnostics name things. Built by appending: GCC 12 warns falsely
/// (-Wrestrict, bug 105329) on `"'" + std::string(...)` at -O3.
inline std::string quoted(std::string_view word) {
    std::string s(1, '\'');
    s += word;
    s += '\'';
    return s;
}

}  // namespace stepcare
