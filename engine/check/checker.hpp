#pragma once
// The check phase: names, types and flow (language.md sections 4 to 9).

#include "ast/ast.hpp"
#include "check/checked_questionnaire.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "foundation/limits.hpp"

namespace stepcare {

/// Checks a questionnaire that parsed without errors and builds its semantic model.
///
/// Every independent problem is reported once to `diagnostics`, in source order, and
/// checking always runs to the end. The result refers to `tree`, which must outlive it.
/// Only a result checked without errors may be compiled.
checked_questionnaire check_questionnaire(const ast::questionnaire& tree, diagnostic_sink& diagnostics);

}  // namespace stepcare
