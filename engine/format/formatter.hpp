#pragma once
/// The canonical layout of questionnaire source (`stepcare fmt`, docs/authoring.md): the
/// parsed tree printed again with fixed indentation, spacing and line breaks, every
/// comment kept in its place, names, numbers and string contents as the author spelled
/// them. Only whitespace changes, and the adjacent strings of one literal are joined and
/// split again where lines get long, so the file parses to the same tree.

#include <string>

#include "ast/ast.hpp"
#include "source/source_file.hpp"

namespace stepcare {

/// Lines are broken to stay within this many characters where the source allows it (a
/// name, a number or a word of a string longer than that stays whole).
inline constexpr int format_line_width = 100;

/// `tree`, which `source` parsed to without errors, in the canonical layout.
std::string format_questionnaire(const source_file& source, const ast::questionnaire& tree);

/// The text of every comment of `source`, in order, without the line break: what the
/// canonical layout must keep.
std::vector<std::string> comments_of(const source_file& source);

}  // namespace stepcare
