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
        if (values_[i].type == value::kind::text) values_[i] = value::of_text(texts_[i]);
    }
}

answer_slots& answer_slots::operator=(const answer_slots& other) {
    if (this != &other) *this = answer_slots(other);
    return *this;
}

namespace {

using kind = value::kind;

double as_number(std::uint64_t bits) { return std::bit_cast<double>(bits); }
std::uint64_t bits_of(double n) { return std::bit_cast<std::uint64_t>(n); }

/// A value in two plain words, which the compiler keeps in registers (it does not for
/// `value`, whose payload is a union).
struct slot {
    std::uint64_t bits = 0;
    kind type = kind::unknown;

    static slot of(const value& v) { return {v.bits, v.type}; }
    void set_bool(bool b) { *this = {b ? 1U : 0U, kind::boolean}; }
    void set_unknown() { *this = {}; }
    /// Non-finite results (overflow) are unknown, as language.md section 6 says.
    void set_number(double n) {
        if (std::isfinite(n)) {
            *this = {bits_of(n), kind::number};
        } else {
            set_unknown();
        }
    }
    bool known_true() const { return type == kind::boolean && bits != 0; }
    bool known_false() const { return type == kind::boolean && bits == 0; }
};

/// `==` of two known values.
bool same(slot a, slot b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case kind::number: return as_number(a.bits) == as_number(b.bits);  // 0 == -0
        case kind::text: return *std::bit_cast<const std::string*>(a.bits) == *std::bit_cast<const std::string*>(b.bits);
        default: return a.bits == b.bits;
    }
}

/// `a op b` into `out`, with the unknown rules of language.md section 6.
template <opcode op>
void combine(slot a, slot b, slot& out) {
    if constexpr (op == opcode::logical_and || op == opcode::logical_or || op == opcode::logical_implies) {
        if constexpr (op == opcode::logical_implies) {
            if (a.type != kind::unknown) a.bits ^= 1U;  // not a
        }
        // Kleene: a known operand that decides the result wins over an unknown one.
        bool const deciding = op == opcode::logical_and ? a.known_false() || b.known_false()
                                                        : a.known_true() || b.known_true();
        if (deciding) {
            out.set_bool(op != opcode::logical_and);
        } else if (a.type == kind::unknown || b.type == kind::unknown) {
            out.set_unknown();
        } else {
            out.set_bool(op == opcode::logical_and);
        }
    } else if constexpr (op == opcode::equal || op == opcode::not_equal) {
        if (a.type == kind::unknown || b.type == kind::unknown) {
            out.set_unknown();
        } else {
            out.set_bool(same(a, b) == (op == opcode::equal));
        }
    } else if constexpr (op == opcode::in_set) {
        if (a.type == kind::option) {
            out.set_bool(((b.bits >> a.bits) & 1U) != 0);
        } else {
            out.set_unknown();
        }
    } else if constexpr (op == opcode::has) {
        if (a.type == kind::options && b.type == kind::option) {
            out.set_bool(((a.bits >> b.bits) & 1U) != 0);
        } else {
            out.set_unknown();
        }
    } else if constexpr (op == opcode::coalesce) {
        out = a.type != kind::unknown ? a : b;
    } else {
        // Comparisons and arithmetic: numbers only.
        if (a.type != kind::number || b.type != kind::number) {
            out.set_unknown();
            return;
        }
        double const x = as_number(a.bits);
        double const y = as_number(b.bits);
        if constexpr (op == opcode::less) out.set_bool(x < y);
        if constexpr (op == opcode::less_equal) out.set_bool(x <= y);
        if constexpr (op == opcode::greater) out.set_bool(x > y);
        if constexpr (op == opcode::greater_equal) out.set_bool(x >= y);
        if constexpr (op == opcode::add) out.set_number(x + y);
        if constexpr (op == opcode::subtract) out.set_number(x - y);
        if constexpr (op == opcode::multiply) out.set_number(x * y);
        if constexpr (op == opcode::divide) {
            if (y == 0) {
                out.set_unknown();
            } else {
                out.set_number(x / y);
            }
        }
    }
}

/// The stack machine. `lets` and `outcomes` are where let and outcome values are read
/// from, so that the stop replay can work in scratch storage.
///
/// The value on top of the stack is kept in a local `slot`, in registers; only the values
/// under it are stored, payloads and kinds in separate arrays, each read back with the
/// width it was written.
struct machine {
    const program& p;
    evaluation& state;
    const answer_slots* answers;  ///< for the flow's question steps
    value* lets;
    value* outcomes;

    value run(code_span span) const {
        std::uint64_t* const stack_bits = state.stack_bits.data();
        kind* const stack_types = state.stack_types.data();
        slot top;
        std::uint32_t depth = 0;  // values stored under the top
        auto const push = [&](slot v) {
            stack_bits[depth] = top.bits;
            stack_types[depth] = top.type;
            ++depth;
            top = v;
        };
        auto const pop = [&] {
            --depth;
            return slot{stack_bits[depth], stack_types[depth]};
        };
        auto const stored = [&] {
            value v;
            v.bits = top.bits;
            v.type = top.type;
            top = pop();
            return v;
        };
        auto const question = [&](std::uint32_t q) {
            return q < state.limit ? slot::of(state.questions[q]) : slot{};
        };
        auto const score = [&](std::uint32_t set, slot v) {
            if (v.type == kind::option) {
                v.set_number(p.option_sets[set].scores[v.bits]);
            } else {
                v.set_unknown();
            }
            return v;
        };
        for (std::uint32_t pc = span.begin; pc < span.end; ++pc) {
            instruction const in = p.code[pc];
            auto const constant = [&] { return slot::of(p.constants[in.operand]); };
            switch (in.code) {
                case opcode::constant: push(constant()); break;
                case opcode::question: push(question(in.operand)); break;
                case opcode::let: push(slot::of(lets[in.operand])); break;
                case opcode::outcome: push(slot::of(outcomes[in.operand])); break;
                case opcode::answered: {
                    slot answered;
                    answered.set_bool(state.counted(in.operand));
                    push(answered);
                    break;
                }
                case opcode::question_score:
                    push(score(p.questions[in.operand].option_set, question(in.operand)));
                    break;
                case opcode::logical_not:
                    if (top.type != kind::unknown) top.bits ^= 1U;
                    break;
                case opcode::logical_and: combine<opcode::logical_and>(pop(), top, top); break;
                case opcode::logical_or: combine<opcode::logical_or>(pop(), top, top); break;
                case opcode::logical_implies: combine<opcode::logical_implies>(pop(), top, top); break;
                case opcode::equal: combine<opcode::equal>(pop(), top, top); break;
                case opcode::not_equal: combine<opcode::not_equal>(pop(), top, top); break;
                case opcode::less: combine<opcode::less>(pop(), top, top); break;
                case opcode::less_equal: combine<opcode::less_equal>(pop(), top, top); break;
                case opcode::greater: combine<opcode::greater>(pop(), top, top); break;
                case opcode::greater_equal: combine<opcode::greater_equal>(pop(), top, top); break;
                case opcode::in_set: combine<opcode::in_set>(pop(), top, top); break;
                case opcode::has: combine<opcode::has>(pop(), top, top); break;
                case opcode::add: combine<opcode::add>(pop(), top, top); break;
                case opcode::subtract: combine<opcode::subtract>(pop(), top, top); break;
                case opcode::multiply: combine<opcode::multiply>(pop(), top, top); break;
                case opcode::divide: combine<opcode::divide>(pop(), top, top); break;
                case opcode::coalesce: combine<opcode::coalesce>(pop(), top, top); break;
                case opcode::equal_constant: combine<opcode::equal>(top, constant(), top); break;
                case opcode::not_equal_constant: combine<opcode::not_equal>(top, constant(), top); break;
                case opcode::less_constant: combine<opcode::less>(top, constant(), top); break;
                case opcode::less_equal_constant: combine<opcode::less_equal>(top, constant(), top); break;
                case opcode::greater_constant: combine<opcode::greater>(top, constant(), top); break;
                case opcode::greater_equal_constant: combine<opcode::greater_equal>(top, constant(), top); break;
                case opcode::in_set_constant: combine<opcode::in_set>(top, constant(), top); break;
                case opcode::has_constant: combine<opcode::has>(top, constant(), top); break;
                case opcode::add_constant: combine<opcode::add>(top, constant(), top); break;
                case opcode::subtract_constant: combine<opcode::subtract>(top, constant(), top); break;
                case opcode::multiply_constant: combine<opcode::multiply>(top, constant(), top); break;
                case opcode::divide_constant: combine<opcode::divide>(top, constant(), top); break;
                case opcode::coalesce_constant: combine<opcode::coalesce>(top, constant(), top); break;
                case opcode::question_shown:
                case opcode::question_when: {
                    visibility shown = visibility::shown;
                    if (in.code == opcode::question_when) {
                        shown = top.type == kind::unknown ? visibility::undecided
                                : top.bits != 0           ? visibility::shown
                                                          : visibility::hidden;
                        top = pop();
                    }
                    std::uint32_t const q = in.operand;
                    state.visible[q] = shown;
                    state.questions[q] =
                        shown == visibility::shown && q < state.limit ? answers->get(q) : value::unknown();
                    state.failed_requirement[q] = no_index;
                    break;
                }
                case opcode::require: {
                    program::requirement_site const site = p.requirement_sites[in.operand];
                    // Only an answer given can fail; the first requirement it fails is reported.
                    if (top.known_false() && !state.questions[site.question].is_unknown() &&
                        state.failed_requirement[site.question] == no_index) {
                        state.failed_requirement[site.question] = site.requirement;
                    }
                    top = pop();
                    break;
                }
                case opcode::store_let: lets[in.operand] = stored(); break;
                case opcode::store_outcome: outcomes[in.operand] = stored(); break;
                case opcode::negate:
                    if (top.type == kind::number) top.bits = bits_of(-as_number(top.bits));
                    break;
                case opcode::conditional: {
                    // Under the else-value on top: the then-value, and under it the condition.
                    slot const then = pop();
                    slot const condition = pop();
                    if (condition.type == kind::unknown) {
                        top.set_unknown();
                    } else if (condition.bits != 0) {
                        top = then;
                    }
                    break;
                }
                case opcode::score: top = score(in.operand, top); break;
                case opcode::count:
                    if (top.type == kind::options) {
                        top.set_number(std::popcount(top.bits));
                    } else {
                        top.set_unknown();
                    }
                    break;
                case opcode::sum:
                case opcode::minimum:
                case opcode::maximum: {
                    // The operands: the last operand-1 stored values, then the top.
                    std::uint32_t const first = depth + 1 - in.operand;
                    stack_bits[depth] = top.bits;
                    stack_types[depth] = top.type;
                    bool known = true;
                    double result = 0;
                    for (std::uint32_t i = first; i <= depth && known; ++i) {
                        known = stack_types[i] == kind::number;
                        double const n = as_number(stack_bits[i]);
                        result = i == first                   ? n
                                 : in.code == opcode::sum     ? result + n
                                 : in.code == opcode::minimum ? std::fmin(result, n)
                                                              : std::fmax(result, n);
                    }
                    depth = first;
                    if (known) {
                        top.set_number(result);
                    } else {
                        top.set_unknown();
                    }
                    break;
                }
                case opcode::any:
                case opcode::all: {
                    std::uint32_t const first = depth + 1 - in.operand;
                    stack_bits[depth] = top.bits;
                    stack_types[depth] = top.type;
                    bool const is_any = in.code == opcode::any;
                    bool deciding = false;
                    bool unknown = false;
                    for (std::uint32_t i = first; i <= depth; ++i) {
                        slot const v{stack_bits[i], stack_types[i]};
                        deciding = deciding || (is_any ? v.known_true() : v.known_false());
                        unknown = unknown || v.type == kind::unknown;
                    }
                    depth = first;
                    if (deciding) {
                        top.set_bool(is_any);
                    } else if (unknown) {
                        top.set_unknown();
                    } else {
                        top.set_bool(!is_any);
                    }
                    break;
                }
            }
        }
        value result;
        result.bits = top.bits;
        result.type = top.type;
        return result;
    }
};

/// Whether some `stop` outcome fires when only the questions before `limit` count,
/// computed in scratch storage so the full evaluation is kept.
bool stop_fires(const program& p, evaluation& out, std::uint32_t limit) {
    std::uint32_t const saved = out.limit;
    out.limit = limit;
    machine{p, out, nullptr, out.scratch_lets.data(), out.scratch_outcomes.data()}.run(p.stop_flow);
    out.limit = saved;
    for (flow_step const step : p.stop_schedule) {
        if (step.what == flow_step::kind::outcome && p.outcomes[step.index].stop &&
            out.scratch_outcomes[step.index].is_true()) {
            return true;
        }
    }
    return false;
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
    out.stack_bits.resize(p.max_stack + 1);
    out.stack_types.resize(p.max_stack + 1);
    out.limit = question_count;
    out.stopped = false;
    machine const m{p, out, &answers, out.lets.data(), out.outcomes.data()};
    m.run(p.flow);
    if (!p.has_stop) return;

    // Replay the intake: after each answer that a `stop` outcome depends on, would one fire?
    // A question's value before the limit does not depend on later answers, so the full
    // evaluation's question values serve for every shorter prefix. The prefix that ends
    // with the last such answer sees all the `stop` outcomes see: its answer is already
    // in `out.outcomes`, and with monotone code a `stop` that does not fire there fires
    // in no prefix.
    bool fires_at_end = false;
    for (flow_step const step : p.stop_schedule) {
        if (step.what == flow_step::kind::outcome && p.outcomes[step.index].stop &&
            out.outcomes[step.index].is_true()) {
            fires_at_end = true;
        }
    }
    if (!fires_at_end && p.stop_is_monotone) return;
    std::uint32_t last_prefix = 0;
    for (std::uint32_t q = 0; q < question_count; ++q) {
        if (p.stop_depends_on[q] && !out.questions[q].is_unknown()) last_prefix = q + 1;
    }
    out.scratch_lets.resize(p.lets.size());
    out.scratch_outcomes.resize(p.outcomes.size());
    std::uint32_t stop_limit = no_index;
    for (std::uint32_t prefix = 0; prefix <= last_prefix; ++prefix) {
        if (prefix > 0 && (!p.stop_depends_on[prefix - 1] || out.questions[prefix - 1].is_unknown())) continue;
        if (prefix == last_prefix ? fires_at_end : stop_fires(p, out, prefix)) {
            stop_limit = prefix;
            break;
        }
    }
    if (stop_limit == no_index) return;
    out.stopped = true;
    out.limit = stop_limit;
    m.run(p.flow);
}

value evaluate_expression(const program& p, code_span code, evaluation& state) {
    return machine{p, state, nullptr, state.lets.data(), state.outcomes.data()}.run(code);
}

}  // namespace stepcare
