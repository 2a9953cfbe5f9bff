#pragma once
/// How values are written in questionnaire source (and, for numbers, in JSON): shared by
/// the AST dump, diagnostics, test counterexamples and results.

#include <string>
#include <string_view>

namespace stepcare::ast {

/// The shortest text without an exponent that reads back as `value`: `3`, `2.5`,
/// `-0.25`, `1000000000000000`, `0.000001`. Also valid JSON for finite values.
std::string number_spelling(double value);

/// `text` as a string literal: in double quotes, with `"`, `\`, newline and tab escaped.
std::string string_spelling(std::string_view text);

}  // namespace stepcare::ast
