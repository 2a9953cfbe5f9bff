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

/// The value of argument `what` (a question or a let) in `state` (unknown when `state`
/// is null): a text naming it shows `argument_value`, which depends on nothing else.
value argument_state(symbol what, const evaluation* state);

/// The value of argument `what` as texts show it.
display_value argument_value(const program& p, symbol what, const evaluation* state);

/// A let's value as JSON text (`null` when unknown).
std::string let_value_json(const program& p, std::uint32_t let, value v);

/// Appends a let's value as JSON text to `out`.
void append_let_value_json(const program& p, std::uint32_t let, value v, std::string& out);

/// The result of an evaluated record.
result build_result(const program& p, const std::string& id_json, const answer_slots& answers,
                    const evaluation& state, std::size_t language);

/// The result of a record whose answers were rejected: no outcomes, the referral, the errors.
result build_invalid_result(const program& p, const std::string& id_json,
                            std::vector<answer_error> errors, std::size_t language);

/// For an undetermined outcome: the questions it waits for, in file order.
std::vector<std::uint32_t> waiting_for(const program& p, std::uint32_t outcome, const evaluation& state);

/// Working storage of `waiting_for`, kept between calls so that they need not allocate.
struct waiting_scratch {
    std::vector<std::uint32_t> reached;  ///< per question: the last call that reached it
    std::uint32_t call = 0;              ///< numbers the calls
    std::vector<std::uint32_t> pending;
};

/// `waiting_for` into `missing` (replaced), with reusable storage.
void waiting_for(const program& p, std::uint32_t outcome, const evaluation& state, waiting_scratch& scratch,
                 std::vector<std::uint32_t>& missing);

// The parts of a result's status, shared by build_result and result_writer so that both
// decide alike.

/// Whether question `q`'s answer fails one of its `require`s (the record is then invalid).
inline bool failed_requirement(const evaluation& state, std::uint32_t q) {
    return q < state.limit && state.failed_requirement[q] != no_index;
}

/// Whether question `q` is shown, required and unanswered (it goes in `missing`).
inline bool missing_answer(const program& p, const evaluation& state, std::uint32_t q) {
    return q < state.limit && state.visible[q] == visibility::shown && !p.questions[q].optional && !state.counted(q);
}

/// Whether question `q` was answered but its answer did not count (it goes in `ignored`).
inline bool ignored_answer(const answer_slots& answers, const evaluation& state, std::uint32_t q) {
    return answers.answered(q) && !state.counted(q);
}

/// The status of a record whose answers all passed: stopped, incomplete or complete.
result_status evaluated_status(const program& p, const evaluation& state);

}  // namespace stepcare
