#pragma once
// Turning the raw text of literals into values, with diagnostics at exact places.
// Kept apart from the grammar so it compiles without Spirit.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diagnostics/diagnostic_sink.hpp"
#include "foundation/limits.hpp"

namespace stepcare::parse {

/// Decodes the escapes of a string literal's body (the bytes between the quotes) and
/// appends the result to `out`. `body_offset` is the body's byte offset in the file, so a
/// bad escape is reported at its exact place.
void decode_string_body(std::string_view body, std::uint32_t body_offset, std::string& out,
                        diagnostic_sink& diagnostics);

/// The value of `[-] digits [. digits]`, or nothing when its magnitude exceeds
/// max_number_literal (whitespace between the sign and the digits is allowed).
std::optional<double> parse_number(std::string_view text);

}  // namespace stepcare::parse
