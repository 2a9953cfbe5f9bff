#pragma once
/// The render phase for results: an evaluation becomes a `result` with texts in one language.

#include <cstddef>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// Renders text `id` in language `language`, with arguments from `state` (all unknown
/// when `state` is null). An absent text (no_text) renders empty.
std::string render_text(const program& p, std::uint32_t id, std::size_t language,
                        const evaluation* state);

/// A let's value as JSON text (`null` when unknown).
std::string let_value_json(const program& p, std::uint32_t let, value v);

/// The result of an evaluated record.
result build_result(const program& p, const std::string& id_json, const answer_slots& answers,
                    const evaluation& state, std::size_t language);

/// The result of a record whose answers were rejected: no outcomes, the referral, the errors.
result build_invalid_result(const program& p, const std::string& id_json,
                            std::vector<answer_error> errors, std::size_t language);

/// For an undetermined outcome: the questions it waits for, in file order.
std::vector<std::uint32_t> waiting_for(const program& p, std::uint32_t outcome, const evaluation& state);

}  // namespace stepcare
