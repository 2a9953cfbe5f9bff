#pragma once
// The check phase: names, types and flow (language.md sections 4 to 9).

#include "ast/ast.hpp"
#include "check/checked_questionnaire.hpp"
#include "diagnostics/diagnostic_sink.hpp"

namespace stepcare {

/// A questionnaire may have at most this many questions, and as many lets and outcomes
/// (docs/limits.md): fifty times the reference questionnaire, and few enough that
/// `check` samples invariants over all of them in seconds.
inline constexpr std::size_t max_definitions_per_kind = 5000;

/// A text answer may be at most this many characters, and `text max N` may not allow
/// more (docs/limits.md).
inline constexpr std::size_t max_text_answer_length = 65536;

/// Checks a questionnaire that parsed without errors and builds its semantic model.
///
/// Every independent problem is reported once to `diagnostics`, in source order, and
/// checking always runs to the end. The result refers to `tree`, which must outlive it.
/// Only a result checked without errors may be compiled.
checked_questionnaire check_questionnaire(const ast::questionnaire& tree,
                                          diagnostic_sink& diagnostics);

}  // namespace stepcare
