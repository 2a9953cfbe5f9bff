#pragma once
/// Every limit the engine enforces, in one place (docs/limits.md explains each). Inputs past
/// a limit are refused with a diagnostic or an answer error, never by running out of memory
/// or stack.

#include <cstddef>

namespace stepcare {

/// Sources larger than this are refused before parsing (see docs/limits.md).
inline constexpr std::size_t max_source_bytes = 32u * 1024u * 1024u;

/// Names (identifiers) may be at most this many characters (docs/limits.md): far more
/// than any readable name, and short enough that suggesting a similar name for a typo,
/// which compares names character by character, stays cheap.
inline constexpr std::size_t max_name_length = 128;

/// Largest magnitude a number literal may have (docs/limits.md).
inline constexpr double max_number_literal = 1e15;

/// Deepest nesting of parentheses, `if`, `not` and unary minus (docs/limits.md).
inline constexpr int max_expression_nesting = 200;

/// Errors, and apart from them warnings, beyond this many in one file are counted but not
/// listed; one more diagnostic says how many were left out (docs/limits.md).
inline constexpr std::size_t max_listed_diagnostics = 100;

/// A diagnostic on a line longer than this shows no excerpt of it: every diagnostic holds
/// a copy of its line, and many copies of a line of megabytes do not fit in memory.
inline constexpr std::size_t max_excerpt_bytes = 4096;

/// Limits on one string of a text. ICU parses nested arguments recursively, and tens of
/// thousands of nested braces overflow the stack, so nesting is counted before ICU sees
/// a pattern.
inline constexpr std::size_t max_text_bytes = 65536;
inline constexpr std::size_t max_text_nesting = 20;
inline constexpr int max_text_arguments = 1000;

/// A questionnaire may have at most this many questions, and as many lets and outcomes
/// (docs/limits.md): fifty times the reference questionnaire, and few enough that
/// `check` samples invariants over all of them in seconds.
inline constexpr std::size_t max_definitions_per_kind = 5000;

/// A text answer may be at most this many characters, and `text max N` may not allow
/// more (docs/limits.md).
inline constexpr std::size_t max_text_answer_length = 65536;

/// Most options one set may have, so a multi answer fits in one 64-bit mask (docs/limits.md).
inline constexpr std::size_t max_options_per_set = 64;

/// How deep arrays and objects may nest in JSON input; answers need three levels.
inline constexpr int max_json_nesting = 100;

}  // namespace stepcare
