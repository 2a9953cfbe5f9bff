#pragma once
// The parse phase: source text to AST, with syntax diagnostics. No Spirit here, so
// later phases include this without paying for the grammar.

#include "ast/ast.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "source/source_file.hpp"
#include "foundation/limits.hpp"

namespace stepcare {

/// Parses a whole questionnaire file. Syntax errors go to `diagnostics`; the parser
/// recovers at item boundaries, so the tree holds every item that parsed, and one run
/// reports every independent error. Invalid UTF-8, oversized files and names longer than
/// max_name_length are reported without parsing.
ast::questionnaire parse_questionnaire(const source_file& source, diagnostic_sink& diagnostics);

}  // namespace stepcare
