#include "evaluate/evaluator.hpp"

#include <bit>
#include <cmath>
#include <iterator>

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
    static slot boolean(bool b) { return {b ? 1U : 0U, kind::boolean}; }
    /// Non-finite results (overflow) are unknown, as language.md section 6 says.
    static slot number(double n) { return std::isfinite(n) ? slot{bits_of(n), kind::number} : slot{}; }
    bool known_true() const { return type == kind::boolean && bits != 0; }
    bool known_false() const { return type == kind::boolean && bits == 0; }
};

/// `not v`: unknown stays unknown.
slot negated(slot v) { return {v.type == kind::unknown ? v.bits : v.bits ^ 1U, v.type}; }

value as_value(slot s) {
    value v;
    v.bits = s.bits;
    v.type = s.type;
    return v;
}

/// A question's visibility from its `when`.
visibility visibility_of(slot when) {
    return when.type == kind::unknown ? visibility::undecided : when.bits != 0 ? visibility::shown : visibility::hidden;
}

/// `==` of two known values.
bool same(slot a, slot b) {
    if (a.type != b.type) return false;
    switch (a.type) {
        case kind::number: return as_number(a.bits) == as_number(b.bits);  // 0 == -0
        case kind::text:
            return *std::bit_cast<const std::string*>(a.bits) == *std::bit_cast<const std::string*>(b.bits);
        case kind::unknown:
        case kind::boolean:
        case kind::option:
        case kind::options: return a.bits == b.bits;
    }
    return false;
}

/// `a op b`, with the unknown rules of language.md section 6.
template <opcode op>
slot combine(slot a, slot b) {
    if constexpr (op == opcode::logical_and || op == opcode::logical_or || op == opcode::logical_implies) {
        if constexpr (op == opcode::logical_implies) {
            if (a.type != kind::unknown) a.bits ^= 1U;  // not a
        }
        // Kleene: a known operand that decides the result wins over an unknown one.
        bool const deciding =
            op == opcode::logical_and ? a.known_false() || b.known_false() : a.known_true() || b.known_true();
        if (deciding) return slot::boolean(op != opcode::logical_and);
        if (a.type == kind::unknown || b.type == kind::unknown) return {};
        return slot::boolean(op == opcode::logical_and);
    } else if constexpr (op == opcode::equal || op == opcode::not_equal) {
        if (a.type == kind::unknown || b.type == kind::unknown) return {};
        return slot::boolean(same(a, b) == (op == opcode::equal));
    } else if constexpr (op == opcode::in_set) {
        return a.type == kind::option ? slot::boolean(((b.bits >> a.bits) & 1U) != 0) : slot{};
    } else if constexpr (op == opcode::has) {
        return a.type == kind::options && b.type == kind::option ? slot::boolean(((a.bits >> b.bits) & 1U) != 0)
                                                                 : slot{};
    } else if constexpr (op == opcode::coalesce) {
        return a.type != kind::unknown ? a : b;
    } else {
        // Comparisons and arithmetic: numbers only.
        if (a.type != kind::number || b.type != kind::number) return {};
        double const x = as_number(a.bits);
        double const y = as_number(b.bits);
        if constexpr (op == opcode::less) return slot::boolean(x < y);
        if constexpr (op == opcode::less_equal) return slot::boolean(x <= y);
        if constexpr (op == opcode::greater) return slot::boolean(x > y);
        if constexpr (op == opcode::greater_equal) return slot::boolean(x >= y);
        if constexpr (op == opcode::add) return slot::number(x + y);
        if constexpr (op == opcode::subtract) return slot::number(x - y);
        if constexpr (op == opcode::multiply) return slot::number(x * y);
        if constexpr (op == opcode::divide) return y == 0 ? slot{} : slot::number(x / y);
    }
}

/// `a op c` for a constant `c`. The checker makes the constant of an order or arithmetic
/// operator a number and that of `has` an option, which spares testing its kind.
template <opcode op>
slot combine_constant(slot a, slot c) {
    if constexpr (op == opcode::has) {
        c.type = kind::option;
    } else if constexpr (op != opcode::equal && op != opcode::not_equal && op != opcode::in_set &&
                         op != opcode::coalesce) {
        c.type = kind::number;
    }
    return combine<op>(a, c);
}

/// What a run of the machine evaluates.
enum class run_mode {
    /// The flow in program::flow_code. A question is only read after its step, which
    /// leaves it unknown if it is at or after the limit, and each step ends with an empty
    /// stack.
    flow,
    /// The stop flow in program::flow_code: question reads check the limit.
    replay,
    /// An expression in program::code: question reads check the limit.
    expression,
};

#if defined(__GNUC__) && !defined(__clang__)
// GCC's basic-block vectorizer would pair the top's two words in a vector register kept in
// memory, loaded and stored around every instruction (a sixth more instructions).
#pragma GCC push_options
#pragma GCC optimize("no-tree-slp-vectorize")
#endif

// Each opcode's case ends by jumping straight to the next instruction's case, through a
// table of the cases' addresses (a GNU extension that GCC and clang have), rather than
// back to the one jump of the `switch`: the processor then predicts each case's jump from
// its own history. The `switch` still enters the loop and still makes -Wswitch check that
// every opcode has a case; the table's order is checked below.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wgnu-label-as-value"
#endif

/// The opcodes in the order of `enum class opcode` (compile/program.hpp). `op` is called
/// with each opcode's name, `call` with each builtin's (whose opcode is `call_<name>`).
// clang-format off
#define STEPCARE_OPCODES(op, call) \
    op(constant) op(question) op(let) op(outcome) op(answered) \
    op(logical_not) op(logical_and) op(logical_or) op(logical_implies) \
    op(equal) op(not_equal) op(less) op(less_equal) op(greater) op(greater_equal) op(in_set) op(has) \
    op(add) op(subtract) op(multiply) op(divide) op(negate) op(coalesce) op(conditional) \
    STEPCARE_BUILTINS(call) \
    op(question_score) \
    op(equal_constant) op(not_equal_constant) op(less_constant) op(less_equal_constant) \
    op(greater_constant) op(greater_equal_constant) op(in_set_constant) op(has_constant) \
    op(add_constant) op(subtract_constant) op(multiply_constant) op(divide_constant) op(coalesce_constant) \
    op(question_shown) op(question_when) op(require) op(store_let) op(store_outcome) \
    op(end_of_flow) op(stop_point) op(questions_shown) \
    op(question_equal_constant) op(question_not_equal_constant) op(question_less_constant) \
    op(question_less_equal_constant) op(question_greater_constant) op(question_greater_equal_constant) \
    op(question_in_set_constant) op(question_has_constant) op(question_add_constant) \
    op(question_subtract_constant) op(question_multiply_constant) op(question_divide_constant) \
    op(question_coalesce_constant) \
    op(let_equal_constant) op(let_not_equal_constant) op(let_less_constant) op(let_less_equal_constant) \
    op(let_greater_constant) op(let_greater_equal_constant) op(let_in_set_constant) op(let_has_constant) \
    op(let_add_constant) op(let_subtract_constant) op(let_multiply_constant) op(let_divide_constant) \
    op(let_coalesce_constant) \
    op(question_score_equal_constant) op(question_score_not_equal_constant) op(question_score_less_constant) \
    op(question_score_less_equal_constant) op(question_score_greater_constant) \
    op(question_score_greater_equal_constant) op(question_score_add_constant) \
    op(question_score_subtract_constant) op(question_score_multiply_constant) \
    op(question_score_divide_constant) op(question_score_coalesce_constant) \
    op(add_question_score_coalesce_constant) \
    op(logical_and_not) op(and_not_outcome) op(and_question) op(and_let) op(or_let) op(question_when_let) \
    op(store_let_keep) op(store_let_and_outcome) op(logical_and_store_let) op(logical_or_store_let) \
    op(logical_and_store_outcome) op(logical_or_store_outcome) op(logical_and_question_when)
// clang-format on

#define STEPCARE_OPCODE_VALUE(name) opcode::name,
#define STEPCARE_CALL_OPCODE_VALUE(name) opcode::call_##name,
constexpr opcode opcodes_in_order[] = {STEPCARE_OPCODES(STEPCARE_OPCODE_VALUE, STEPCARE_CALL_OPCODE_VALUE)};
#undef STEPCARE_OPCODE_VALUE
#undef STEPCARE_CALL_OPCODE_VALUE
constexpr bool opcodes_listed_in_order() {
    for (std::size_t i = 0; i < std::size(opcodes_in_order); ++i) {
        if (static_cast<std::size_t>(opcodes_in_order[i]) != i) return false;
    }
    return true;
}
// An opcode left out of the list leaves its case's label unused, which -Wunused-label reports.
static_assert(opcodes_listed_in_order(), "STEPCARE_OPCODES must list the opcodes in the order of their enum");

/// The stack machine. `lets` and `outcomes` are where let and outcome values are read
/// from, so that the stop replay can work in scratch storage.
///
/// The value on top of the stack is kept in two local words, in registers; only the values
/// under it are stored. The bottom entry of the stack is never read.
struct machine {
    const program& p;
    evaluation& state;
    const answer_slots* answers;  ///< for the flow's question steps
    value* lets;
    value* outcomes;

    /// Runs the code. An expression's returns the value left on top; the flow's returns
    /// where it paused, at its stop point, or null at its end (not a value built from the
    /// top, which would make the compiler hold the top in a vector register throughout).
    /// `end` is only for expressions; the flow code ends with `end_of_flow`.
    /// Aligned to a cache line, so that its loop's place in the instruction cache does not
    /// depend on what else the library links: measured with eval_bench, the same machine
    /// code ran a quarter slower starting 16 bytes past a 32-byte boundary than on one.
    template <run_mode mode>
    [[gnu::aligned(64)]] auto run(const instruction* pc, [[maybe_unused]] const instruction* const end) const {
        value* const bottom = state.stack.data();
        value* sp = bottom;  // above the values stored under the top
        // The state's storage in locals: stores through `visible`, whose bytes may alias
        // anything, would otherwise make every access load the vectors' pointers again.
        value* const questions = state.questions.data();
        visibility* const visible = state.visible.data();
        std::uint32_t* const failed_requirement = state.failed_requirement.data();
        std::uint32_t const limit = state.limit;
        // The top as two scalars: as a `slot`, the compiler may hold it in a vector register.
        std::uint64_t top_bits = 0;
        kind top_type = kind::unknown;
        auto const top = [&] { return slot{top_bits, top_type}; };
        auto const set_top = [&](slot v) {
            top_bits = v.bits;
            top_type = v.type;
        };
        auto const push = [&](slot v) {
            sp->bits = top_bits;
            sp->type = top_type;
            ++sp;
            set_top(v);
        };
        auto const pop = [&] {
            --sp;
            return slot{sp->bits, sp->type};
        };
        // After a flow step the stack is empty, and the top is not read again.
        auto const consume = [&] {
            if constexpr (mode != run_mode::expression) {
                sp = bottom;
            } else {
                set_top(pop());
            }
        };
        // A flow step's last instruction: the stack is empty after it.
        auto const store = [&](value& to, slot v) {
            to = as_value(v);
            consume();
        };
        auto const question = [&](std::uint32_t q) {
            if constexpr (mode == run_mode::flow) {
                return slot::of(questions[q]);
            } else {
                return q < limit ? slot::of(questions[q]) : slot{};
            }
        };
        auto const score = [&](std::uint32_t set, slot v) {
            return v.type == kind::option ? slot::number(p.option_sets[set].scores[v.bits]) : slot{};
        };
        const value* const constants = p.constants.data();
        auto const constant = [&](std::uint32_t c) { return slot::of(constants[c]); };
        auto const let = [&](std::uint32_t l) { return slot::of(lets[l]); };
        auto const scored = [&](std::uint32_t q) { return score(p.questions[q].option_set, question(q)); };
        // A question's step: its visibility, its value and no failed requirement yet.
        auto const decide = [&](std::uint32_t q, visibility shown) {
            visible[q] = shown;
            questions[q] = shown == visibility::shown && q < limit ? answers->get(q) : value::unknown();
            failed_requirement[q] = no_index;
        };
        // The arguments of a builtin that takes `count` of them: the values stored under the
        // top, then the top, which is stored after them; they are popped.
        auto const arguments = [&](std::uint32_t count) {
            value* const first = sp + 1 - count;
            sp->bits = top_bits;
            sp->type = top_type;
            sp = first;
            return first;
        };
        // sum, min and max: unknown unless every argument is a number.
        auto const fold = [&](std::uint32_t count, auto combine_numbers) {
            const value* const first = arguments(count);
            bool known = first->type == kind::number;
            double result = as_number(first->bits);
            for (const value* v = first + 1; v < first + count && known; ++v) {
                known = v->type == kind::number;
                result = combine_numbers(result, as_number(v->bits));
            }
            return known ? slot::number(result) : slot{};
        };
        // any and all: a deciding argument wins over unknown ones.
        auto const decide_any = [&](std::uint32_t count, bool is_any) {
            const value* const first = arguments(count);
            bool deciding = false;
            bool unknown = false;
            for (const value* v = first; v < first + count; ++v) {
                deciding = deciding || (is_any ? v->is_true() : v->is_false());
                unknown = unknown || v->is_unknown();
            }
            return deciding ? slot::boolean(is_any) : unknown ? slot{} : slot::boolean(!is_any);
        };
        // `operand`: the number of arguments, or score's option set. Each call_<name> opcode
        // has its own case, with `function` a constant that selects its branch here.
        auto const call_builtin = [&](builtin function, std::uint32_t operand) {
            switch (function) {
                // The compiler fuses it with the question it reads into opcode::answered,
                // which computes the same.
                case builtin::answered: return slot::boolean(top_type != kind::unknown);
                case builtin::score: return score(operand, top());
                case builtin::count: return top_type == kind::options ? slot::number(std::popcount(top_bits)) : slot{};
                case builtin::sum: return fold(operand, [](double a, double b) { return a + b; });
                case builtin::min: return fold(operand, [](double a, double b) { return std::fmin(a, b); });
                case builtin::max: return fold(operand, [](double a, double b) { return std::fmax(a, b); });
                case builtin::any: return decide_any(operand, true);
                case builtin::all: return decide_any(operand, false);
            }
            return slot{};
        };
#define STEPCARE_JUMP(name) &&op_##name,
#define STEPCARE_CALL_JUMP(name) &&op_call_##name,
        [[maybe_unused]] static const void* const jumps[] = {STEPCARE_OPCODES(STEPCARE_JUMP, STEPCARE_CALL_JUMP)};
#undef STEPCARE_JUMP
#undef STEPCARE_CALL_JUMP
// A case and its label; the end of a case, where expressions, which must test for their
// end, go round the loop.
#define STEPCARE_OP(name) \
    case opcode::name:    \
        op_##name:
#define STEPCARE_NEXT                                   \
    if constexpr (mode == run_mode::expression) {       \
        continue;                                       \
    } else {                                            \
        in = *++pc;                                     \
        goto* jumps[static_cast<std::size_t>(in.code)]; \
    }
        instruction in{};
        for (;; ++pc) {
            // The flow ends with `end_of_flow`, which saves a comparison per instruction.
            if constexpr (mode == run_mode::expression) {
                if (pc == end) return top();
            }
            in = *pc;
            // Formatted by hand: clang-format takes each STEPCARE_OP for the start of a statement.
            // clang-format off
            switch (in.code) {
                STEPCARE_OP(end_of_flow)
                    if constexpr (mode != run_mode::expression) return static_cast<const instruction*>(nullptr);
                    STEPCARE_NEXT;
                STEPCARE_OP(stop_point)
                    if constexpr (mode == run_mode::flow) return pc;
                    STEPCARE_NEXT;
                STEPCARE_OP(constant) push(constant(in.operand)); STEPCARE_NEXT;
                STEPCARE_OP(question) push(question(in.operand)); STEPCARE_NEXT;
                STEPCARE_OP(let) push(let(in.operand)); STEPCARE_NEXT;
                STEPCARE_OP(outcome) push(slot::of(outcomes[in.operand])); STEPCARE_NEXT;
                STEPCARE_OP(answered) push(slot::boolean(question(in.operand).type != kind::unknown)); STEPCARE_NEXT;
                STEPCARE_OP(question_score) push(scored(in.operand)); STEPCARE_NEXT;
                STEPCARE_OP(logical_not) set_top(negated(top())); STEPCARE_NEXT;
                STEPCARE_OP(logical_and) set_top(combine<opcode::logical_and>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(logical_or) set_top(combine<opcode::logical_or>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(logical_implies) set_top(combine<opcode::logical_implies>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(equal) set_top(combine<opcode::equal>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(not_equal) set_top(combine<opcode::not_equal>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(less) set_top(combine<opcode::less>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(less_equal) set_top(combine<opcode::less_equal>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(greater) set_top(combine<opcode::greater>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(greater_equal) set_top(combine<opcode::greater_equal>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(in_set) set_top(combine<opcode::in_set>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(has) set_top(combine<opcode::has>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(add) set_top(combine<opcode::add>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(subtract) set_top(combine<opcode::subtract>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(multiply) set_top(combine<opcode::multiply>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(divide) set_top(combine<opcode::divide>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(coalesce) set_top(combine<opcode::coalesce>(pop(), top())); STEPCARE_NEXT;
                STEPCARE_OP(equal_constant)
                    set_top(combine_constant<opcode::equal>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(not_equal_constant)
                    set_top(combine_constant<opcode::not_equal>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(less_constant)
                    set_top(combine_constant<opcode::less>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(less_equal_constant)
                    set_top(combine_constant<opcode::less_equal>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(greater_constant)
                    set_top(combine_constant<opcode::greater>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(greater_equal_constant)
                    set_top(combine_constant<opcode::greater_equal>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(in_set_constant)
                    set_top(combine_constant<opcode::in_set>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(has_constant)
                    set_top(combine_constant<opcode::has>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(add_constant)
                    set_top(combine_constant<opcode::add>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(subtract_constant)
                    set_top(combine_constant<opcode::subtract>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(multiply_constant)
                    set_top(combine_constant<opcode::multiply>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(divide_constant)
                    set_top(combine_constant<opcode::divide>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(coalesce_constant)
                    set_top(combine_constant<opcode::coalesce>(top(), constant(in.operand)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_shown) decide(in.operand, visibility::shown); STEPCARE_NEXT;
                STEPCARE_OP(questions_shown)
                    for (std::uint32_t q = in.operand; q < in.operand + in.second; ++q) decide(q, visibility::shown);
                    STEPCARE_NEXT;
                STEPCARE_OP(question_when)
                    decide(in.operand, visibility_of(top()));
                    consume();
                    STEPCARE_NEXT;
                STEPCARE_OP(question_equal_constant)
                    push(combine_constant<opcode::equal>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_not_equal_constant)
                    push(combine_constant<opcode::not_equal>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_less_constant)
                    push(combine_constant<opcode::less>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_less_equal_constant)
                    push(combine_constant<opcode::less_equal>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_greater_constant)
                    push(combine_constant<opcode::greater>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_greater_equal_constant)
                    push(combine_constant<opcode::greater_equal>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_in_set_constant)
                    push(combine_constant<opcode::in_set>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_has_constant)
                    push(combine_constant<opcode::has>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_add_constant)
                    push(combine_constant<opcode::add>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_subtract_constant)
                    push(combine_constant<opcode::subtract>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_multiply_constant)
                    push(combine_constant<opcode::multiply>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_divide_constant)
                    push(combine_constant<opcode::divide>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_coalesce_constant)
                    push(combine_constant<opcode::coalesce>(question(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_equal_constant)
                    push(combine_constant<opcode::equal>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_not_equal_constant)
                    push(combine_constant<opcode::not_equal>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_less_constant)
                    push(combine_constant<opcode::less>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_less_equal_constant)
                    push(combine_constant<opcode::less_equal>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_greater_constant)
                    push(combine_constant<opcode::greater>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_greater_equal_constant)
                    push(combine_constant<opcode::greater_equal>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_in_set_constant)
                    push(combine_constant<opcode::in_set>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_has_constant)
                    push(combine_constant<opcode::has>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_add_constant)
                    push(combine_constant<opcode::add>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_subtract_constant)
                    push(combine_constant<opcode::subtract>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_multiply_constant)
                    push(combine_constant<opcode::multiply>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_divide_constant)
                    push(combine_constant<opcode::divide>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(let_coalesce_constant)
                    push(combine_constant<opcode::coalesce>(let(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_equal_constant)
                    push(combine_constant<opcode::equal>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_not_equal_constant)
                    push(combine_constant<opcode::not_equal>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_less_constant)
                    push(combine_constant<opcode::less>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_less_equal_constant)
                    push(combine_constant<opcode::less_equal>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_greater_constant)
                    push(combine_constant<opcode::greater>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_greater_equal_constant)
                    push(combine_constant<opcode::greater_equal>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_add_constant)
                    push(combine_constant<opcode::add>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_subtract_constant)
                    push(combine_constant<opcode::subtract>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_multiply_constant)
                    push(combine_constant<opcode::multiply>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_divide_constant)
                    push(combine_constant<opcode::divide>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(question_score_coalesce_constant)
                    push(combine_constant<opcode::coalesce>(scored(in.operand), constant(in.second)));
                    STEPCARE_NEXT;
                STEPCARE_OP(add_question_score_coalesce_constant) {
                    slot const term = combine_constant<opcode::coalesce>(scored(in.operand), constant(in.second));
                    set_top(combine<opcode::add>(top(), term));
                    STEPCARE_NEXT;
                }
                STEPCARE_OP(logical_and_not) set_top(combine<opcode::logical_and>(pop(), negated(top()))); STEPCARE_NEXT;
                STEPCARE_OP(and_not_outcome)
                    set_top(combine<opcode::logical_and>(top(), negated(slot::of(outcomes[in.operand]))));
                    STEPCARE_NEXT;
                STEPCARE_OP(and_question) set_top(combine<opcode::logical_and>(top(), question(in.operand))); STEPCARE_NEXT;
                STEPCARE_OP(and_let) set_top(combine<opcode::logical_and>(top(), let(in.operand))); STEPCARE_NEXT;
                STEPCARE_OP(or_let) set_top(combine<opcode::logical_or>(top(), let(in.operand))); STEPCARE_NEXT;
                STEPCARE_OP(question_when_let) decide(in.operand, visibility_of(let(in.second))); STEPCARE_NEXT;
                STEPCARE_OP(store_let_keep)
                    lets[in.operand] = as_value(top());
                    sp = bottom;
                    STEPCARE_NEXT;
                STEPCARE_OP(store_let_and_outcome)
                    lets[in.operand] = as_value(top());
                    store(outcomes[in.second], top());
                    STEPCARE_NEXT;
                STEPCARE_OP(logical_and_store_let)
                    store(lets[in.operand], combine<opcode::logical_and>(pop(), top()));
                    STEPCARE_NEXT;
                STEPCARE_OP(logical_or_store_let)
                    store(lets[in.operand], combine<opcode::logical_or>(pop(), top()));
                    STEPCARE_NEXT;
                STEPCARE_OP(logical_and_store_outcome)
                    store(outcomes[in.operand], combine<opcode::logical_and>(pop(), top()));
                    STEPCARE_NEXT;
                STEPCARE_OP(logical_or_store_outcome)
                    store(outcomes[in.operand], combine<opcode::logical_or>(pop(), top()));
                    STEPCARE_NEXT;
                STEPCARE_OP(logical_and_question_when)
                    decide(in.operand, visibility_of(combine<opcode::logical_and>(pop(), top())));
                    consume();
                    STEPCARE_NEXT;
                STEPCARE_OP(require) {
                    program::requirement_site const site = p.requirement_sites[in.operand];
                    // Only an answer given can fail; the first requirement it fails is reported.
                    if (top().known_false() && !questions[site.question].is_unknown() &&
                        failed_requirement[site.question] == no_index) {
                        failed_requirement[site.question] = site.requirement;
                    }
                    consume();
                    STEPCARE_NEXT;
                }
                STEPCARE_OP(store_let) store(lets[in.operand], top()); STEPCARE_NEXT;
                STEPCARE_OP(store_outcome) store(outcomes[in.operand], top()); STEPCARE_NEXT;
                STEPCARE_OP(negate)
                    if (top_type == kind::number) top_bits = bits_of(-as_number(top_bits));
                    STEPCARE_NEXT;
                STEPCARE_OP(conditional) {
                    // Under the else-value on top: the then-value, and under it the condition.
                    slot const then = pop();
                    slot const condition = pop();
                    if (condition.type == kind::unknown) {
                        set_top({});
                    } else if (condition.bits != 0) {
                        set_top(then);
                    }
                    STEPCARE_NEXT;
                }
#define STEPCARE_CALL_CASE(name) \
    STEPCARE_OP(call_##name) set_top(call_builtin(builtin::name, in.operand)); STEPCARE_NEXT;
                    STEPCARE_BUILTINS(STEPCARE_CALL_CASE)
#undef STEPCARE_CALL_CASE
            }
            // clang-format on
            // Every case jumps to the next one or continues the loop, and -Wswitch makes sure
            // every opcode has one, so only an opcode that does not exist gets here: saying so
            // spares a range check per instruction.
            __builtin_unreachable();
        }
#undef STEPCARE_OP
#undef STEPCARE_NEXT
    }
};

#undef STEPCARE_OPCODES
#pragma GCC diagnostic pop

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

/// Whether some `stop` outcome fires when only the questions before `limit` count,
/// computed in scratch storage so the full evaluation is kept.
bool stop_fires(const program& p, evaluation& out, std::uint32_t limit) {
    std::uint32_t const saved = out.limit;
    out.limit = limit;
    machine{p, out, nullptr, out.scratch_lets.data(), out.scratch_outcomes.data()}.run<run_mode::replay>(
        p.flow_code.data() + p.stop_flow_start, nullptr);
    out.limit = saved;
    for (std::uint32_t const o : p.stop_outcomes) {
        if (out.scratch_outcomes[o].is_true()) return true;
    }
    return false;
}

/// Where the intake stops (the limit), or no_index, once the flow has computed every
/// `stop` outcome and the questions they depend on.
///
/// Replays the intake: after each answer that a `stop` outcome depends on, would one fire?
/// A question's value before the limit does not depend on later answers, so the flow's
/// question values serve for every shorter prefix. The prefix that ends with the last such
/// answer sees all the `stop` outcomes see: its answer is already in `out.outcomes`, and
/// with monotone code a `stop` that does not fire there fires in no prefix. The empty
/// prefix's answer is the program's.
std::uint32_t find_stop_limit(const program& p, evaluation& out) {
    bool fires_at_end = false;
    for (std::uint32_t const o : p.stop_outcomes) fires_at_end = fires_at_end || out.outcomes[o].is_true();
    if (!fires_at_end && p.stop_is_monotone) return no_index;
    if (p.stop_fires_unanswered) return 0;
    std::uint32_t last_prefix = 0;
    for (std::uint32_t const q : p.stop_questions) {
        if (!out.questions[q].is_unknown()) last_prefix = q + 1;
    }
    out.scratch_lets.resize(p.lets.size());
    out.scratch_outcomes.resize(p.outcomes.size());
    for (std::uint32_t const q : p.stop_questions) {
        std::uint32_t const prefix = q + 1;
        if (prefix > last_prefix) break;
        if (out.questions[q].is_unknown()) continue;
        if (prefix == last_prefix ? fires_at_end : stop_fires(p, out, prefix)) return prefix;
    }
    return no_index;
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
    machine const m{p, out, &answers, out.lets.data(), out.outcomes.data()};
    const instruction* const code = p.flow_code.data();
    const instruction* const paused = m.run<run_mode::flow>(code, nullptr);
    if (paused == nullptr) return;

    // At the stop point every `stop` outcome and every question it depends on is known.
    std::uint32_t const stop_limit = find_stop_limit(p, out);
    const instruction* resume = paused + 1;
    if (stop_limit != no_index) {
        out.stopped = true;
        out.limit = stop_limit;
        // The questions from the stop on, decided before the stop point, are decided again.
        if (stop_limit < question_count && code + p.question_flow_start[stop_limit] < paused) {
            resume = code + p.question_flow_start[stop_limit];
        }
    }
    const instruction* const paused_again = m.run<run_mode::flow>(resume, nullptr);
    if (paused_again != nullptr) m.run<run_mode::flow>(paused_again + 1, nullptr);
}

bool stop_fires_with_no_answers(const program& p) {
    evaluation state;
    state.stack.resize(p.max_stack + 1);
    state.scratch_lets.resize(p.lets.size());
    state.scratch_outcomes.resize(p.outcomes.size());
    return stop_fires(p, state, 0);
}

value evaluate_expression(const program& p, code_span code, evaluation& state) {
    const instruction* const begin = p.code.data() + code.begin;
    slot const top = machine{p, state, nullptr, state.lets.data(), state.outcomes.data()}.run<run_mode::expression>(
        begin, begin + (code.end - code.begin));
    return as_value(top);
}

}  // namespace stepcare
