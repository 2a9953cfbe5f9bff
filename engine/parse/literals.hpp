#pragma once
// Turning the raw text of literals into values, with diagnostics at exact places.
// Kept apart from the grammar so it compiles without Spirit.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/diagnostic_sink.hpp"
#include "foundation/limits.hpp"

namespace stepcare::parse {

/// Decodes the escapes of a string literal's body (the bytes between the quotes) and
/// appends the result to `out`. `body_offset` is the body's byte offset in the file, so a
/// bad escape is reported at its exact place. With `offsets`, each byte appended is matched
/// by the file offset of what it was decoded from (the language server places the names a
/// text shows with it).
void decode_string_body(std::string_view body, std::uint32_t body_offset, std::string& out,
                        diagnostic_sink& diagnostics, std::vector<std::uint32_t>* offsets = nullptr);

/// The value of `[-] digits [. digits]`, or nothing when its magnitude exceeds
/// max_number_literal (whitespace between the sign and the digits is allowed).
std::optional<double> parse_number(std::string_view text);

}  // namespace stepcare::parse
