#pragma once
// The parse phase: source text to AST, with syntax diagnostics. No Spirit here, so
// later phases include this without paying for the grammar.

#include "ast/ast.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "source/source_file.hpp"

namespace stepcare {

/// Names (identifiers) may be at most this many characters (docs/limits.md): far more
/// than any readable name, and short enough that suggesting a similar name for a typo,
/// which compares names character by character, stays cheap.
inline constexpr std::size_t max_name_length = 128;

/// Parses a whole questionnaire file. Syntax errors go to `diagnostics`; the parser
/// recovers at item boundaries, so the tree holds every item that parsed, and one run
/// reports every independent error. Invalid UTF-8, oversized files and names longer than
/// max_name_length are reported without parsing.
ast::questionnaire parse_questionnaire(const source_file& source, diagnostic_sink& diagnostics);

}  // namespace stepcare
