#pragma once
/// Writing JSON strings fast, for results written by the million (`stepcare eval`).

#include <string>
#include <string_view>
#include <vector>

namespace stepcare {

/// Appends `text` to `out` as a JSON string, quotes included, with exactly the bytes
/// nlohmann::json writes (`dump()` without `ensure_ascii`, invalid UTF-8 replaced by
/// U+FFFD): `"`, `\` and control characters are escaped, everything else is copied.
void append_json_string(std::string& out, std::string_view text);

/// Appends `items` to `out` as a JSON array of strings.
void append_json_strings(std::string& out, const std::vector<std::string>& items);

}  // namespace stepcare
