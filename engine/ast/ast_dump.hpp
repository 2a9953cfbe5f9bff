#pragma once
/// A deterministic text dump of the AST, for tests and for debugging the parser.
/// Expressions print as S-expressions, so grouping and precedence are explicit:
/// `a or b and c` prints as `(or a (and b c))`.

#include <string>

#include "ast/ast.hpp"
#include "source/source_file.hpp"

namespace stepcare::ast {

struct dump_options {
    /// When set, every node is followed by its range as `@line:col-line:col`.
    const source_file* ranges_from = nullptr;
};

std::string dump(const questionnaire& tree, const dump_options& options = {});

/// One expression of `tree`, as it appears in a full dump.
std::string dump_expression(const questionnaire& tree, expr_ref ref, const dump_options& options = {});

}  // namespace stepcare::ast
