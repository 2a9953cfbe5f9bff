#pragma once
/// The evaluate phase: the flow of language.md section 7 over a compiled program.
///
/// `answer_slots` holds the answers given, one slot per question; `evaluation` holds
/// everything computed from them. Both keep their storage between uses, so evaluating
/// again with the same objects allocates nothing.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "foundation/value.hpp"

namespace stepcare {

/// The answers given, by question index. An unknown value means no answer.
class answer_slots {
public:
    void reset(std::size_t question_count);
    void set(std::uint32_t question, value v) { values_[question] = v; }
    /// Stores a text answer; the slot then refers to this object's own copy.
    void set_text(std::uint32_t question, std::string_view text);
    void clear(std::uint32_t question) { values_[question] = value::unknown(); }
    bool answered(std::uint32_t question) const { return !values_[question].is_unknown(); }
    value get(std::uint32_t question) const { return values_[question]; }
    std::size_t size() const { return values_.size(); }

    answer_slots() = default;
    answer_slots(const answer_slots& other);
    answer_slots& operator=(const answer_slots& other);
    answer_slots(answer_slots&&) noexcept = default;
    answer_slots& operator=(answer_slots&&) noexcept = default;

private:
    std::vector<value> values_;
    std::vector<std::string> texts_;
};

enum class visibility : std::uint8_t { hidden, shown, undecided };

/// Everything one evaluation computed.
struct evaluation {
    /// Per question: its value as expressions see it (unknown when unanswered, hidden or
    /// after the stop point).
    std::vector<value> questions;
    std::vector<visibility> visible;
    /// Per question: the first `require` its answer fails, or no_index.
    std::vector<std::uint32_t> failed_requirement;
    std::vector<value> lets;
    std::vector<value> outcomes;
    /// Questions at or after `limit` count as unanswered: everything after a stop.
    std::uint32_t limit = 0;
    bool stopped = false;

    // Working storage.
    std::vector<value> stack;
    std::vector<value> scratch_lets;
    std::vector<value> scratch_outcomes;

    /// Whether question `q`'s answer counts: given, shown and before any stop.
    bool counted(std::uint32_t q) const { return q < limit && !questions[q].is_unknown(); }
    /// Whether question `q`'s answer fails one of its `require`s (the result is then invalid).
    bool fails_requirement(std::uint32_t q) const { return q < limit && failed_requirement[q] != no_index; }
};

/// Runs the whole flow: visibility, values, lets, outcomes, requirements, and the replay
/// that finds where a `stop` outcome would have ended an intake.
void evaluate(const program& p, const answer_slots& answers, evaluation& out);

/// Whether a `stop` outcome of `p` fires when no question is answered (for the pipeline,
/// which records it in the program after compiling; needs `p.stop_flow` and `p.stop_outcomes`).
bool stop_fires_with_no_answers(const program& p);

/// Evaluates one compiled expression (a test's expectation, an invariant) after `evaluate`.
value evaluate_expression(const program& p, code_span code, evaluation& state);

}  // namespace stepcare
