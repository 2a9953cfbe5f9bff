#include "evaluate/evaluator.hpp"

#include <bit>
#include <cmath>

namespace stepcare {

void answer_slots::reset(std::size_t question_count) {
    values_.assign(question_count, value::unknown());
    texts_.resize(question_count);
}

void answer_slots::set_text(std::uint32_t question, std::string_view text) {
    texts_[question].assign(text);
    values_[question] = value::of_text(texts_[question]);
}

answer_slots::answer_slots(const answer_slots& other) : values_(other.values_), texts_(other.texts_) {
    // Text values must refer to this object's copies, not the other's.
    for (std::size_t i = 0; i < values_.size(); ++i) {
        if (values_[i].type == value::kind::text) values_[i].text = texts_[i];
    }
}

answer_slots& answer_slots::operator=(const answer_slots& other) {
    if (this != &other) *this = answer_slots(other);
    return *this;
}

namespace {

value number_or_unknown(double n) {
    return std::isfinite(n) ? value::of_number(n) : value::unknown();
}

bool same(const value& a, const value& b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case value::kind::boolean: return a.boolean == b.boolean;
        case value::kind::number: return a.number == b.number;
        case value::kind::option: return a.option == b.option;
        case value::kind::options: return a.options == b.options;
        case value::kind::text: return a.text == b.text;
        case value::kind::unknown: return false;
    }
    return false;
}

/// The stack machine. `lets` and `outcomes` are where let and outcome values are read
/// from, so that the stop replay can work in scratch storage.
struct machine {
    const program& p;
    const evaluation& state;
    const value* lets;
    const value* outcomes;
    value* stack;

    value question(std::uint32_t q) const {
        return q < state.limit ? state.questions[q] : value::unknown();
    }

    /// Runs `span` and returns its value, read in place on the stack (copying it out would
    /// make the processor wait for the fields just stored).
    const value& run(code_span span) const {
        value* top = stack;  // one past the last value
        for (std::uint32_t pc = span.begin; pc < span.end; ++pc) {
            instruction const in = p.code[pc];
            switch (in.code) {
                case opcode::constant: *top++ = p.constants[in.operand]; break;
                case opcode::question: *top++ = question(in.operand); break;
                case opcode::let: *top++ = lets[in.operand]; break;
                case opcode::outcome: *top++ = outcomes[in.operand]; break;
                case opcode::answered: *top++ = value::of_bool(state.counted(in.operand)); break;
                case opcode::logical_not: top[-1] = logical_not(top[-1]); break;
                case opcode::logical_and: --top; top[-1] = logical_and(top[-1], top[0]); break;
                case opcode::logical_or: --top; top[-1] = logical_or(top[-1], top[0]); break;
                case opcode::logical_implies: --top; top[-1] = logical_implies(top[-1], top[0]); break;
                case opcode::equal:
                case opcode::not_equal: {
                    --top;
                    value const a = top[-1];
                    value const b = top[0];
                    if (a.is_unknown() || b.is_unknown()) {
                        top[-1] = value::unknown();
                    } else {
                        top[-1] = value::of_bool(same(a, b) == (in.code == opcode::equal));
                    }
                    break;
                }
                case opcode::less:
                case opcode::less_equal:
                case opcode::greater:
                case opcode::greater_equal: {
                    --top;
                    value const a = top[-1];
                    value const b = top[0];
                    if (a.type != value::kind::number || b.type != value::kind::number) {
                        top[-1] = value::unknown();
                        break;
                    }
                    bool result = false;
                    switch (in.code) {
                        case opcode::less: result = a.number < b.number; break;
                        case opcode::less_equal: result = a.number <= b.number; break;
                        case opcode::greater: result = a.number > b.number; break;
                        default: result = a.number >= b.number; break;
                    }
                    top[-1] = value::of_bool(result);
                    break;
                }
                case opcode::in_set: {
                    --top;
                    value const option = top[-1];
                    top[-1] = option.type == value::kind::option
                                  ? value::of_bool(((top[0].options >> option.option) & 1U) != 0)
                                  : value::unknown();
                    break;
                }
                case opcode::has: {
                    --top;
                    value const options = top[-1];
                    value const option = top[0];
                    top[-1] = options.type == value::kind::options && option.type == value::kind::option
                                  ? value::of_bool(((options.options >> option.option) & 1U) != 0)
                                  : value::unknown();
                    break;
                }
                case opcode::add:
                case opcode::subtract:
                case opcode::multiply:
                case opcode::divide: {
                    --top;
                    value const a = top[-1];
                    value const b = top[0];
                    if (a.type != value::kind::number || b.type != value::kind::number) {
                        top[-1] = value::unknown();
                        break;
                    }
                    switch (in.code) {
                        case opcode::add: top[-1] = number_or_unknown(a.number + b.number); break;
                        case opcode::subtract: top[-1] = number_or_unknown(a.number - b.number); break;
                        case opcode::multiply: top[-1] = number_or_unknown(a.number * b.number); break;
                        default:
                            top[-1] = b.number == 0 ? value::unknown()
                                                    : number_or_unknown(a.number / b.number);
                            break;
                    }
                    break;
                }
                case opcode::negate:
                    if (top[-1].type == value::kind::number) top[-1].number = -top[-1].number;
                    break;
                case opcode::coalesce:
                    --top;
                    if (top[-1].is_unknown()) top[-1] = top[0];
                    break;
                case opcode::conditional: {
                    top -= 2;
                    value const condition = top[-1];
                    top[-1] = condition.is_unknown() ? value::unknown()
                                                     : (condition.boolean ? top[0] : top[1]);
                    break;
                }
                case opcode::score:
                    top[-1] = top[-1].type == value::kind::option
                                  ? value::of_number(p.option_sets[in.operand].scores[top[-1].option])
                                  : value::unknown();
                    break;
                case opcode::count:
                    top[-1] = top[-1].type == value::kind::options
                                  ? value::of_number(std::popcount(top[-1].options))
                                  : value::unknown();
                    break;
                case opcode::sum:
                case opcode::minimum:
                case opcode::maximum: {
                    value* const first = top - in.operand;
                    value result = first[0];
                    for (std::uint32_t i = 0; i < in.operand && !result.is_unknown(); ++i) {
                        value const v = first[i];
                        if (v.type != value::kind::number) {
                            result = value::unknown();
                        } else if (i > 0) {
                            double const n = result.number;
                            result = in.code == opcode::sum       ? number_or_unknown(n + v.number)
                                     : in.code == opcode::minimum ? value::of_number(std::fmin(n, v.number))
                                                                  : value::of_number(std::fmax(n, v.number));
                        }
                    }
                    top = first + 1;
                    first[0] = result;
                    break;
                }
                case opcode::any:
                case opcode::all: {
                    value* const first = top - in.operand;
                    value result = value::of_bool(in.code == opcode::all);
                    for (std::uint32_t i = 0; i < in.operand; ++i) {
                        result = in.code == opcode::any ? logical_or(result, first[i])
                                                        : logical_and(result, first[i]);
                    }
                    top = first + 1;
                    first[0] = result;
                    break;
                }
            }
        }
        return top[-1];
    }
};

visibility decide_visibility(const machine& m, const compiled_question& q) {
    visibility result = visibility::shown;
    for (code_span const condition : q.visibility) {
        const value& v = m.run(condition);
        if (v.is_false()) return visibility::hidden;
        if (v.is_unknown()) result = visibility::undecided;
    }
    return result;
}

/// One pass over the schedule with the current limit.
void run_schedule(const program& p, const answer_slots& answers, evaluation& out) {
    machine const m{p, out, out.lets.data(), out.outcomes.data(), out.stack.data()};
    for (flow_step const step : p.schedule) {
        switch (step.what) {
            case flow_step::kind::question: {
                std::uint32_t const q = step.index;
                const compiled_question& question = p.questions[q];
                visibility const shown = decide_visibility(m, question);
                out.visible[q] = shown;
                bool const counts = shown == visibility::shown && q < out.limit;
                out.questions[q] = counts ? answers.get(q) : value::unknown();
                out.failed_requirement[q] = no_index;
                if (out.questions[q].is_unknown()) break;
                for (std::uint32_t r = 0; r < question.requirements.size(); ++r) {
                    if (m.run(question.requirements[r].condition).is_false()) {
                        out.failed_requirement[q] = r;
                        break;
                    }
                }
                break;
            }
            case flow_step::kind::let: out.lets[step.index] = m.run(p.lets[step.index].code); break;
            case flow_step::kind::outcome:
                out.outcomes[step.index] = m.run(p.outcomes[step.index].when);
                break;
        }
    }
}

/// Whether some `stop` outcome fires when only the questions before `limit` count,
/// computed in scratch storage so the full evaluation is kept.
bool stop_fires(const program& p, evaluation& out, std::uint32_t limit) {
    std::uint32_t const saved = out.limit;
    out.limit = limit;
    machine const m{p, out, out.scratch_lets.data(), out.scratch_outcomes.data(), out.stack.data()};
    bool fired = false;
    for (flow_step const step : p.stop_schedule) {
        if (step.what == flow_step::kind::let) {
            out.scratch_lets[step.index] = m.run(p.lets[step.index].code);
        } else {
            value const v = m.run(p.outcomes[step.index].when);
            out.scratch_outcomes[step.index] = v;
            if (p.outcomes[step.index].stop && v.is_true()) fired = true;
        }
    }
    out.limit = saved;
    return fired;
}

}  // namespace

void evaluate(const program& p, const answer_slots& answers, evaluation& out) {
    auto const question_count = static_cast<std::uint32_t>(p.questions.size());
    // The schedule writes every entry before anything reads it, so sizing is enough.
    out.questions.resize(question_count);
    out.visible.resize(question_count);
    out.failed_requirement.resize(question_count);
    out.lets.resize(p.lets.size());
    out.outcomes.resize(p.outcomes.size());
    out.stack.resize(p.max_stack + 1);
    out.limit = question_count;
    out.stopped = false;
    run_schedule(p, answers, out);
    if (!p.has_stop) return;

    // Replay the intake: after each answer that a `stop` outcome depends on, would one fire?
    // A question's value before the limit does not depend on later answers, so the full
    // evaluation's question values serve for every shorter prefix.
    out.scratch_lets.resize(p.lets.size());
    out.scratch_outcomes.resize(p.outcomes.size());
    std::uint32_t stop_limit = no_index;
    if (stop_fires(p, out, 0)) {
        stop_limit = 0;
    } else {
        for (std::uint32_t q = 0; q < question_count; ++q) {
            if (!p.stop_depends_on[q] || out.questions[q].is_unknown()) continue;
            if (stop_fires(p, out, q + 1)) {
                stop_limit = q + 1;
                break;
            }
        }
    }
    if (stop_limit == no_index) return;
    out.stopped = true;
    out.limit = stop_limit;
    run_schedule(p, answers, out);
}

value evaluate_expression(const program& p, code_span code, evaluation& state) {
    machine const m{p, state, state.lets.data(), state.outcomes.data(), state.stack.data()};
    return m.run(code);
}

}  // namespace stepcare
