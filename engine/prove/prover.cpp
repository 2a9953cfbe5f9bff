#include "prove/prover.hpp"

#include <z3++.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "ast/spelling.hpp"
#include "evaluate/answer_reader.hpp"
#include "foundation/text.hpp"

namespace stepcare {

namespace {

/// A value of the language as logic: whether it is known, and what it is when known
/// (a Bool; a number, see `encoding`; an Int for an option's index or a text's class; a
/// 64-bit vector for a multi's options). What `val` holds when `known` is false means nothing.
struct sym {
    z3::expr known;
    z3::expr val;
    unsigned options = 0;  ///< a multi's option count, for count()
    double bound = 0;      ///< a number's largest possible magnitude
    /// Computed in exact arithmetic, this value is what the evaluator's doubles compute, and
    /// the solver decides it reliably (see `encoding`).
    bool exact = true;
    bool whole = true;  ///< a number that is always a whole number
};

/// Whole numbers below this magnitude are exact in a double: arithmetic on them gives the
/// same in exact integers and in the evaluator's floating point.
constexpr double exact_below = 9007199254740992.0;  // 2^53

/// A value with the flags of everything it was computed from.
sym joined(z3::expr known, z3::expr val, std::initializer_list<const sym*> from) {
    sym out{std::move(known), std::move(val)};
    for (const sym* s : from) {
        out.exact = out.exact && s->exact;
        out.whole = out.whole && s->whole;
        out.options = std::max(out.options, s->options);
        out.bound = std::max(out.bound, s->bound);
    }
    return out;
}

/// Something in the program that the encoding does not cover: the solver is then not
/// asked, and the invariants stay unknown with this reason.
struct not_encodable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Values as the program's expressions see them at one point of the flow.
struct layer {
    std::vector<sym> questions;
    std::vector<std::optional<sym>> lets;
    std::vector<std::optional<sym>> outcomes;
};

/// The whole flow of language.md section 7 as logic over one set of answers, in the three
/// passes the evaluator makes (engine/evaluate/evaluator.cpp): the first pass with every
/// answer; the `stop` outcomes over each prefix of the answers, to find where an intake
/// would have ended; and the final values, with the answers after that point left out.
///
/// Numbers come in two encodings. Exact arithmetic (Reals: linear arithmetic, which the
/// solver decides fastest) computes what the evaluator's doubles do wherever no rounding
/// happens: on the answers themselves, on constants (each the exact value of its double),
/// on comparisons of those, and on sums and products (by a constant) of whole numbers below
/// 2^53. Each value records whether it is such a value (`sym::exact`); a question whose
/// values are all exact is asked in this encoding. Otherwise it is asked of the encoding
/// made `floating_point`: IEEE doubles rounded to nearest, a non-finite result unknown, as
/// in the evaluator; exact, but decided by bit-blasting, which is far slower.
class encoding {
public:
    encoding(const program& p, z3::context& c, bool floating_point)
        : p_(p),
          c_(c),
          floating_(floating_point),
          domain_(c.bool_val(true)),
          rounding_(c.bool_val(true)),
          away_from_edges_(c.bool_val(true)),
          stopped(c.bool_val(false)) {
        if (!floating_) {
            std::vector<double> numbers{0};
            for (const value& v : p.constants) {
                if (v.type == value::kind::number) {
                    numbers.push_back(v.number);
                    numbers.push_back(-v.number);
                }
            }
            std::sort(numbers.begin(), numbers.end());
            numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
            for (double const n : numbers) landmarks_.push_back(number(n));
        }
        texts_.emplace_back();  // "" is always a possible text answer
        for (const auto& t : p.constant_texts) text_class(*t);
        declare_answers();
        first_pass();
        stop_passes();
        final_pass();
        requirements();
        for (const compiled_invariant& invariant : p.invariants) invariants.push_back(run(invariant.condition, final));
        domain_ = domain_ && rounding_;
    }

    /// A number constant: the double itself, or its exact value.
    z3::expr number(double n) const {
        if (floating_) return c_.fpa_val(n);
        if (n == std::floor(n)) return c_.real_val(ast::number_spelling(n).c_str());
        // n = mantissa / 2^shift exactly, with a 53-bit mantissa.
        int exponent = 0;
        double const fraction = std::frexp(n, &exponent);
        auto const mantissa = static_cast<std::int64_t>(std::ldexp(fraction, 53));
        return c_.real_val((std::to_string(mantissa) + "/" + power_of_two(53 - exponent)).c_str());
    }

    /// 2^k in decimal digits.
    static std::string power_of_two(int k) {
        std::string digits = "1";  // least significant first
        for (int i = 0; i < k; ++i) {
            int carry = 0;
            for (char& d : digits) {
                int const doubled = (d - '0') * 2 + carry;
                d = static_cast<char>('0' + doubled % 10);
                carry = doubled / 10;
            }
            if (carry > 0) digits += static_cast<char>('0' + carry);
        }
        return {digits.rbegin(), digits.rend()};
    }

    /// Whether every `require` is exact, so that "no answer is rejected" is too.
    [[nodiscard]] bool requirements_exact() const {
        return std::find(requirement_exact.begin(), requirement_exact.end(), false) == requirement_exact.end();
    }

    /// `what` with the monotone roundings of every rounding error it involves.
    [[nodiscard]] z3::expr with_monotone_roundings(const z3::expr& what) const {
        z3::expr out = what;
        std::unordered_set<unsigned> seen;
        std::vector<z3::expr> todo{what};
        while (!todo.empty()) {
            z3::expr const e = todo.back();
            todo.pop_back();
            if (!seen.insert(e.id()).second || !e.is_app()) continue;
            if (e.num_args() == 0) {
                if (auto const found = monotone_.find(e.id()); found != monotone_.end()) {
                    out = out && found->second;
                    todo.push_back(found->second);  // its value may involve earlier roundings
                }
                continue;
            }
            for (unsigned i = 0; i < e.num_args(); ++i) todo.push_back(e.arg(i));
        }
        return out;
    }

    const program& p_;
    z3::context& c_;
    bool floating_;
    /// Per question: whether it is answered, and the answer (an Int for integer questions).
    std::vector<z3::expr> answered;
    std::vector<z3::expr> answer;
    z3::expr domain_;  ///< every answer within its question's domain, and the roundings' bounds
    /// The bounds of the rounding errors of `rounded`, which encoding a value adds.
    mutable z3::expr rounding_;
    mutable unsigned roundings_ = 0;
    /// Zero and the program's numbers and their negatives, all doubles (see `rounded`).
    std::vector<z3::expr> landmarks_;
    /// Per rounding error (by Z3 id): its rounded result on the side of every landmark that
    /// its exact value is on. True of doubles, but many disjunctions: the solver is given
    /// them only when it needs them, and only those of the roundings a question involves.
    mutable std::unordered_map<unsigned, z3::expr> monotone_;
    /// No rounding errors, and decimal answers in sixteenths: where the solver finds answers
    /// under these, they seldom sit on an edge that only the error terms allow.
    mutable z3::expr away_from_edges_;
    layer first;
    layer final;
    std::vector<z3::expr> shown;  ///< per question, in the first pass
    std::vector<bool> shown_exact;
    std::vector<std::vector<sym>> conditions;  ///< per question: its visibility conditions
    std::vector<z3::expr> before_stop;         ///< per question: no `stop` fired before it
    std::vector<bool> before_stop_exact;
    std::vector<z3::expr> requirement_fails;  ///< per requirement site: it rejects a counted answer
    std::vector<bool> requirement_exact;
    /// Per question, per `require`: its condition where the question is decided.
    std::vector<std::vector<sym>> requirement_values;
    z3::expr stopped;  ///< some `stop` outcome fired
    bool stopped_exact = true;
    std::vector<sym> invariants;  ///< each invariant's value after the flow
    /// Distinct texts of the program (index 0: ""); a text answer's class is its index here,
    /// or a number past the end for a text equal to none of them.
    std::vector<std::string> texts_;

    /// What `code` computes in `values`.
    sym run(code_span code, const layer& values) const {
        std::vector<sym> stack;
        auto pop = [&] {
            if (stack.empty()) throw not_encodable("an expression's code reads more than it pushed");
            sym top = stack.back();
            stack.pop_back();
            return top;
        };
        for (std::uint32_t pc = code.begin; pc < code.end; ++pc) {
            instruction const in = p_.code[pc];
            switch (in.code) {
                case opcode::constant: stack.push_back(constant(in.operand)); continue;
                case opcode::question: stack.push_back(values.questions.at(in.operand)); continue;
                case opcode::let: stack.push_back(stored(values.lets, in.operand, "let")); continue;
                case opcode::outcome: stack.push_back(stored(values.outcomes, in.operand, "outcome")); continue;
                case opcode::answered:
                    stack.push_back({c_.bool_val(true), values.questions.at(in.operand).known});
                    continue;
                case opcode::question_score:
                    stack.push_back(score(p_.questions.at(in.operand).option_set, values.questions.at(in.operand)));
                    continue;
                case opcode::logical_not: {
                    sym a = pop();
                    a.val = !a.val;
                    stack.push_back(a);
                    continue;
                }
                case opcode::negate: {
                    sym const a = pop();
                    sym negated = a;
                    if (a.val.is_arith() || a.val.is_fpa()) negated.val = -a.val;
                    stack.push_back(negated);
                    continue;
                }
                case opcode::conditional: {
                    sym const otherwise = pop();
                    sym const then = pop();
                    sym const condition = pop();
                    sym chosen = joined(condition.known && z3::ite(condition.val, then.known, otherwise.known),
                                        z3::ite(condition.val, then.val, otherwise.val), {&then, &otherwise});
                    chosen.exact = chosen.exact && condition.exact;
                    stack.push_back(chosen);
                    continue;
                }
                default: break;
            }
            if (std::optional<opcode> const op = binary_of(in.code)) {
                bool const with_constant = *op != in.code;
                sym const right = with_constant ? constant(in.operand) : pop();
                sym const left = pop();
                stack.push_back(binary(*op, left, right));
                continue;
            }
            if (std::optional<builtin> const function = called_builtin(in.code)) {
                call(*function, in.operand, stack);
                continue;
            }
            throw not_encodable("the instruction " + std::to_string(static_cast<int>(in.code)) + " has no encoding");
        }
        if (stack.size() != 1) throw not_encodable("an expression's code leaves no single value");
        return stack.back();
    }

    /// A text's class, adding it to the known texts.
    int text_class(const std::string& text) {
        auto const found = std::find(texts_.begin(), texts_.end(), text);
        if (found != texts_.end()) return static_cast<int>(found - texts_.begin());
        texts_.push_back(text);
        return static_cast<int>(texts_.size() - 1);
    }

private:
    static sym stored(const std::vector<std::optional<sym>>& values, std::uint32_t index, const char* what) {
        if (index >= values.size() || !values[index]) {
            throw not_encodable(std::string("a ") + what + " is read before it is computed");
        }
        return *values[index];
    }

    /// The operator of a binary opcode, also of its form with a constant on the right.
    static std::optional<opcode> binary_of(opcode code) {
        switch (code) {
            case opcode::logical_and:
            case opcode::logical_or:
            case opcode::logical_implies:
            case opcode::equal:
            case opcode::not_equal:
            case opcode::less:
            case opcode::less_equal:
            case opcode::greater:
            case opcode::greater_equal:
            case opcode::in_set:
            case opcode::has:
            case opcode::add:
            case opcode::subtract:
            case opcode::multiply:
            case opcode::divide:
            case opcode::coalesce: return code;
            case opcode::equal_constant: return opcode::equal;
            case opcode::not_equal_constant: return opcode::not_equal;
            case opcode::less_constant: return opcode::less;
            case opcode::less_equal_constant: return opcode::less_equal;
            case opcode::greater_constant: return opcode::greater;
            case opcode::greater_equal_constant: return opcode::greater_equal;
            case opcode::in_set_constant: return opcode::in_set;
            case opcode::has_constant: return opcode::has;
            case opcode::add_constant: return opcode::add;
            case opcode::subtract_constant: return opcode::subtract;
            case opcode::multiply_constant: return opcode::multiply;
            case opcode::divide_constant: return opcode::divide;
            case opcode::coalesce_constant: return opcode::coalesce;
            default: return std::nullopt;
        }
    }

    z3::expr yes() const { return c_.bool_val(true); }

    sym constant(std::uint32_t index) const {
        value const v = p_.constants.at(index);
        switch (v.type) {
            case value::kind::unknown: return {c_.bool_val(false), c_.bool_val(false)};
            case value::kind::boolean: return {yes(), c_.bool_val(v.boolean)};
            case value::kind::number: {
                sym n{yes(), number(v.number), 0, std::fabs(v.number)};
                n.whole = v.number == std::floor(v.number);
                return n;
            }
            case value::kind::option: return {yes(), c_.int_val(v.option)};
            case value::kind::options: {
                std::uint32_t const set = p_.constant_option_sets.at(index);
                auto const count = set == no_index ? 64U : static_cast<unsigned>(p_.option_sets[set].ids.size());
                return {yes(), c_.bv_val(static_cast<std::uint64_t>(v.options), 64), count};
            }
            case value::kind::text: {
                auto const found = std::find(texts_.begin(), texts_.end(), std::string(v.text()));
                return {yes(), c_.int_val(static_cast<int>(found - texts_.begin()))};
            }
        }
        throw not_encodable("a constant of no known kind");
    }

    /// A sum or product of whole numbers is exact while it stays below 2^53.
    static sym checked(sym s) {
        if (s.bound >= exact_below) s.exact = false;
        return s;
    }

    /// A floating-point result is unknown where it is not finite, as in the evaluator.
    z3::expr finite(const z3::expr& n) const { return floating_ ? !n.mk_is_inf() && !n.mk_is_nan() : yes(); }

    z3::expr equal(const z3::expr& a, const z3::expr& b) const { return a.is_fpa() ? z3::fp_eq(a, b) : a == b; }

    sym arithmetic(opcode op, const sym& a, const sym& b) const {
        z3::expr const both = a.known && b.known;
        bool const whole = a.whole && b.whole;
        switch (op) {
            case opcode::add:
            case opcode::subtract: {
                z3::expr const r = op == opcode::add ? a.val + b.val : a.val - b.val;
                sym out = joined(both && finite(r), r, {&a, &b});
                out.bound = a.bound + b.bound;
                out.exact = out.exact && whole;
                return rounded(checked(out));
            }
            case opcode::multiply: {
                z3::expr const r = a.val * b.val;
                sym out = joined(both && finite(r), r, {&a, &b});
                out.bound = a.bound * b.bound;
                // A product of two answers is non-linear: exact, but not reliably decided.
                out.exact = out.exact && whole && (a.val.is_numeral() || b.val.is_numeral());
                return rounded(checked(out));
            }
            case opcode::divide: {
                // Division by zero is unknown (language.md section 5).
                z3::expr const r = a.val / b.val;
                z3::expr const nonzero = floating_ ? !b.val.mk_is_zero() : b.val != number(0);
                sym out = joined(both && nonzero && finite(r), r, {&a, &b});
                out.exact = false;
                out.whole = false;
                // A whole divisor that is not zero is at least 1 in magnitude.
                out.bound = b.whole ? a.bound : std::numeric_limits<double>::infinity();
                return rounded(out);
            }
            default: throw not_encodable("an arithmetic operator with no encoding");
        }
    }

    /// In exact arithmetic, a result that the evaluator rounds: any number within rounding
    /// to nearest of it (relative error at most 2^-53, plus 2^-1075 near zero), and unknown
    /// or not where it could overflow. This allows every value the doubles can take, and
    /// more, so what is impossible here is impossible in the evaluator; see `asker`.
    sym rounded(sym s) const {
        if (floating_ || s.exact) return s;
        z3::expr const error = c_.real_const(("rounding " + std::to_string(roundings_++)).c_str());
        z3::expr const magnitude = z3::ite(s.val >= 0, s.val, -s.val);
        // With a bound on the value, a bound on its error that keeps the arithmetic linear.
        z3::expr const relative = std::isfinite(s.bound) ? number(s.bound) : magnitude;
        z3::expr const largest =
            number(std::ldexp(1.0, -53)) * relative + c_.real_val(("1/" + power_of_two(1075)).c_str());
        rounding_ = rounding_ && error <= largest && -error <= largest;
        away_from_edges_ = away_from_edges_ && error == 0;
        // Rounding to nearest is monotone and keeps every double: a result on one side of a
        // number the program holds (or of zero) stays on that side, or on it.
        z3::expr monotone = c_.bool_val(true);
        for (z3::expr const& c : landmarks_) {
            monotone =
                monotone && z3::implies(s.val <= c, s.val + error <= c) && z3::implies(s.val >= c, s.val + error >= c);
        }
        monotone_.emplace(error.id(), monotone);
        if (s.bound > 1e300) {
            z3::expr const overflows = c_.bool_const(("overflow " + std::to_string(roundings_)).c_str());
            s.known = s.known && (magnitude <= number(std::numeric_limits<double>::max()) || !overflows);
        }
        s.val = s.val + error;
        return s;
    }

    static z3::expr bit(const z3::expr& mask, unsigned i) { return mask.extract(i, i) == mask.ctx().bv_val(1, 1); }

    /// Option `index` (an Int) is one of `mask`'s.
    z3::expr member(const z3::expr& index, const z3::expr& mask, unsigned count) const {
        std::uint64_t known_mask = 0;
        z3::expr any = c_.bool_val(false);
        for (unsigned i = 0; i < std::min(count, 64U); ++i) {
            if (mask.is_numeral_u64(known_mask)) {
                if (((known_mask >> i) & 1U) != 0) any = any || index == c_.int_val(i);
            } else {
                any = any || (index == c_.int_val(i) && bit(mask, i));
            }
        }
        return any;
    }

    sym binary(opcode op, const sym& a, const sym& b) const {
        if (op == opcode::add || op == opcode::subtract || op == opcode::multiply || op == opcode::divide) {
            return arithmetic(op, a, b);
        }
        sym out = logic(op, a, b);
        sym const flags = joined(out.known, out.val, {&a, &b});
        out.exact = flags.exact;
        out.whole = flags.whole;
        return out;
    }

    sym logic(opcode op, const sym& a, const sym& b) const {
        z3::expr const both = a.known && b.known;
        switch (op) {
            case opcode::logical_and: {
                z3::expr const deciding = (a.known && !a.val) || (b.known && !b.val);
                return {both || deciding, !deciding};
            }
            case opcode::logical_or: {
                z3::expr const deciding = (a.known && a.val) || (b.known && b.val);
                return {both || deciding, deciding};
            }
            case opcode::logical_implies: return logic(opcode::logical_or, {a.known, !a.val}, b);
            case opcode::equal: return {both, equal(a.val, b.val)};
            case opcode::not_equal: return {both, !equal(a.val, b.val)};
            case opcode::less: return {both, a.val < b.val};
            case opcode::less_equal: return {both, a.val <= b.val};
            case opcode::greater: return {both, a.val > b.val};
            case opcode::greater_equal: return {both, a.val >= b.val};
            case opcode::in_set: return {both, member(a.val, b.val, b.options != 0 ? b.options : 64)};
            case opcode::has: return {both, member(b.val, a.val, a.options != 0 ? a.options : 64)};
            case opcode::coalesce: return joined(a.known || b.known, z3::ite(a.known, a.val, b.val), {&a, &b});
            default: throw not_encodable("an operator with no encoding");
        }
    }

    sym score(std::uint32_t set, const sym& choice) const {
        if (set == no_index) throw not_encodable("score() of a question without options");
        const std::vector<double>& scores = p_.option_sets[set].scores;
        if (scores.empty()) throw not_encodable("score() of an empty option set");
        sym out{choice.known, number(scores.back())};
        out.exact = choice.exact;
        for (double const s : scores) {
            out.bound = std::max(out.bound, std::fabs(s));
            out.whole = out.whole && s == std::floor(s);
        }
        for (std::size_t i = scores.size() - 1; i-- > 0;) {
            out.val = z3::ite(choice.val == c_.int_val(static_cast<int>(i)), number(scores[i]), out.val);
        }
        return out;
    }

    void call(builtin function, std::uint32_t operand, std::vector<sym>& stack) const {
        auto const take = [&](std::uint32_t count) {
            if (stack.size() < count || count == 0) throw not_encodable("a call with too few arguments");
            std::vector<sym> arguments(stack.end() - count, stack.end());
            stack.erase(stack.end() - count, stack.end());
            return arguments;
        };
        switch (function) {
            case builtin::answered: {
                sym const a = take(1).front();
                stack.push_back(joined(yes(), a.known, {&a}));
                return;
            }
            case builtin::score: stack.push_back(score(operand, take(1).front())); return;
            case builtin::count: {
                sym const a = take(1).front();
                if (!a.val.is_bv()) throw not_encodable("count() of something other than a multi");
                z3::expr total = number(0);
                for (unsigned i = 0; i < (a.options != 0 ? a.options : 64); ++i) {
                    total = total + z3::ite(bit(a.val, i), number(1), number(0));
                }
                sym counted{a.known, total, 0, 64};
                counted.exact = a.exact;
                stack.push_back(counted);
                return;
            }
            case builtin::sum:
            case builtin::min:
            case builtin::max: {
                std::vector<sym> const arguments = take(operand);
                sym result = arguments.front();
                for (std::size_t i = 1; i < arguments.size(); ++i) {
                    const sym& next = arguments[i];
                    if (function == builtin::sum) {
                        result = arithmetic(opcode::add, result, next);
                        continue;
                    }
                    // std::fmin and std::fmax: the second argument when neither is smaller (larger).
                    z3::expr const first_wins =
                        function == builtin::min ? result.val < next.val : result.val > next.val;
                    result =
                        joined(result.known && next.known, z3::ite(first_wins, result.val, next.val), {&result, &next});
                }
                stack.push_back(result);
                return;
            }
            case builtin::any:
            case builtin::all: {
                bool const is_any = function == builtin::any;
                z3::expr deciding = c_.bool_val(false);
                z3::expr all_known = yes();
                bool exact = true;
                for (const sym& a : take(operand)) {
                    deciding = deciding || (a.known && (is_any ? a.val : !a.val));
                    all_known = all_known && a.known;
                    exact = exact && a.exact;
                }
                sym decided{deciding || all_known, is_any ? deciding : !deciding};
                decided.exact = exact;
                stack.push_back(decided);
                return;
            }
        }
    }

    void declare_answers() {
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            const compiled_question& question = p_.questions[q];
            std::string const name = "answer " + question.id;
            answered.push_back(c_.bool_const(("answered " + question.id).c_str()));
            switch (question.kind) {
                case question_kind::yesno: answer.push_back(c_.bool_const(name.c_str())); break;
                case question_kind::choice: {
                    z3::expr const v = c_.int_const(name.c_str());
                    auto const count = static_cast<int>(p_.option_sets[question.option_set].ids.size());
                    domain_ = domain_ && v >= 0 && v < count;
                    answer.push_back(v);
                    break;
                }
                case question_kind::multi: {
                    z3::expr const v = c_.bv_const(name.c_str(), 64);
                    auto const count = static_cast<unsigned>(p_.option_sets[question.option_set].ids.size());
                    if (count < 64) domain_ = domain_ && v.extract(63, count) == c_.bv_val(0, 64 - count);
                    answer.push_back(v);
                    break;
                }
                case question_kind::integer: {
                    if (floating_) {
                        z3::expr const v = c_.fpa_const<64>(name.c_str());
                        z3::expr const whole(c_, Z3_mk_fpa_round_to_integral(c_, c_.fpa_rounding_mode(), v));
                        domain_ = domain_ && !v.mk_is_nan() && z3::fp_eq(whole, v) && v >= number(question.min) &&
                                  v <= number(question.max);
                        answer.push_back(v);
                        break;
                    }
                    z3::expr const v = c_.int_const(name.c_str());
                    domain_ = domain_ && v >= c_.int_val(static_cast<std::int64_t>(std::ceil(question.min))) &&
                              v <= c_.int_val(static_cast<std::int64_t>(std::floor(question.max)));
                    answer.push_back(v);
                    break;
                }
                case question_kind::decimal: {
                    // Exactly: any double in the range. In exact arithmetic any number in it, a
                    // superset, so what holds there holds for every double.
                    z3::expr const v = floating_ ? c_.fpa_const<64>(name.c_str()) : c_.real_const(name.c_str());
                    domain_ = domain_ && v >= number(question.min) && v <= number(question.max);
                    if (floating_) domain_ = domain_ && !v.mk_is_nan();
                    if (!floating_) {
                        z3::expr const sixteenths = c_.int_const(("sixteenths of " + question.id).c_str());
                        away_from_edges_ = away_from_edges_ && v * c_.real_val(16) == z3::to_real(sixteenths);
                    }
                    answer.push_back(v);
                    break;
                }
                case question_kind::text: {
                    z3::expr const v = c_.int_const(name.c_str());
                    domain_ = domain_ && text_domain(v, question.max_length.value_or(max_text_answer_length));
                    answer.push_back(v);
                    break;
                }
            }
        }
    }

    /// A text answer of at most `longest` characters: one of the program's texts that fits,
    /// or (when longer texts than "" are allowed) a text equal to none of them.
    z3::expr text_domain(const z3::expr& v, std::size_t longest) const {
        z3::expr fits = c_.bool_val(false);
        for (std::size_t i = 0; i < texts_.size(); ++i) {
            if (code_point_count(texts_[i]) <= longest) fits = fits || v == c_.int_val(static_cast<int>(i));
        }
        if (longest > 0) fits = fits || v >= c_.int_val(static_cast<int>(texts_.size()));
        return fits;
    }

    /// Question `q`'s value: its answer where `known`.
    sym question_value(std::uint32_t q, const z3::expr& known, bool exact) const {
        const compiled_question& question = p_.questions[q];
        bool const whole = question.kind == question_kind::integer;
        unsigned const options = question.kind == question_kind::multi
                                     ? static_cast<unsigned>(p_.option_sets[question.option_set].ids.size())
                                     : 0;
        double const bound = std::max(std::fabs(question.min), std::fabs(question.max));
        sym out{known, whole && !floating_ ? z3::to_real(answer[q]) : answer[q], options, bound};
        out.exact = exact;
        out.whole = question.kind != question_kind::decimal;
        return out;
    }

    void fresh_layer(layer& values) const {
        values.questions.clear();
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            values.questions.push_back(question_value(q, c_.bool_val(false), true));
        }
        values.lets.assign(p_.lets.size(), std::nullopt);
        values.outcomes.assign(p_.outcomes.size(), std::nullopt);
    }

    void compute(flow_step step, layer& values) const {
        if (step.what == flow_step::kind::let) {
            sym v = run(p_.lets[step.index].code, values);
            v.known = v.known.simplify();
            v.val = v.val.simplify();
            values.lets[step.index] = v;
        } else if (step.what == flow_step::kind::outcome) {
            sym v = run(p_.outcomes[step.index].when, values);
            v.known = v.known.simplify();
            v.val = v.val.simplify();
            values.outcomes[step.index] = v;
        }
    }

    /// The evaluator's first pass: every answer counts where its question is shown.
    void first_pass() {
        fresh_layer(first);
        shown.assign(p_.questions.size(), c_.bool_val(false));
        shown_exact.assign(p_.questions.size(), true);
        conditions.assign(p_.questions.size(), {});
        requirement_values.assign(p_.questions.size(), {});
        for (flow_step const step : p_.schedule) {
            if (step.what != flow_step::kind::question) {
                compute(step, first);
                continue;
            }
            std::uint32_t const q = step.index;
            z3::expr all = c_.bool_val(true);
            for (code_span const condition : p_.questions[q].visibility) {
                sym const c = run(condition, first);
                conditions[q].push_back(c);
                all = all && c.known && c.val;
                shown_exact[q] = shown_exact[q] && c.exact;
            }
            shown[q] = all.simplify();
            first.questions[q] = question_value(q, answered[q] && shown[q], shown_exact[q]);
            for (const compiled_requirement& r : p_.questions[q].requirements) {
                requirement_values[q].push_back(run(r.condition, first));
            }
        }
    }

    /// Where a `stop` outcome ends the intake: the first prefix of the answers (the first
    /// k questions) whose answers make one fire. Only prefixes that end just after a
    /// question the `stop` outcomes depend on can differ from the one before.
    void stop_passes() {
        before_stop.assign(p_.questions.size(), c_.bool_val(true));
        before_stop_exact.assign(p_.questions.size(), true);
        if (!p_.has_stop) return;
        std::vector<std::uint32_t> prefixes{0};
        for (std::uint32_t const q : p_.stop_questions) prefixes.push_back(q + 1);
        std::vector<sym> fired;
        for (std::uint32_t const prefix : prefixes) fired.push_back(fires(prefix));
        z3::expr none_fired = c_.bool_val(true);
        bool exact = true;
        std::size_t next = 0;
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            while (next < prefixes.size() && prefixes[next] <= q) {
                none_fired = (none_fired && !fired[next].val).simplify();
                exact = exact && fired[next++].exact;
            }
            before_stop[q] = none_fired;
            before_stop_exact[q] = exact;
        }
        for (const sym& f : fired) {
            stopped = stopped || f.val;
            stopped_exact = stopped_exact && f.exact;
        }
        stopped = stopped.simplify();
    }

    /// Whether some `stop` outcome fires when only the first `prefix` questions count.
    sym fires(std::uint32_t prefix) const {
        layer values;
        fresh_layer(values);
        for (std::uint32_t q = 0; q < prefix && q < p_.questions.size(); ++q) values.questions[q] = first.questions[q];
        for (flow_step const step : p_.stop_schedule) compute(step, values);
        sym any{yes(), c_.bool_val(false)};
        for (std::uint32_t const o : p_.stop_outcomes) {
            const sym& fired = stored(values.outcomes, o, "stop outcome");
            any.val = any.val || (fired.known && fired.val);
            any.exact = any.exact && fired.exact;
        }
        any.val = any.val.simplify();
        return any;
    }

    /// The values after the flow: answers from the stop on do not count.
    void final_pass() {
        if (!p_.has_stop) {
            final = first;
            return;
        }
        fresh_layer(final);
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            final.questions[q] = question_value(q, (first.questions[q].known && before_stop[q]).simplify(),
                                                first.questions[q].exact && before_stop_exact[q]);
        }
        for (flow_step const step : p_.schedule) compute(step, final);
    }

    void requirements() {
        for (const program::requirement_site& site : p_.requirement_sites) {
            const sym& condition = requirement_values.at(site.question).at(site.requirement);
            requirement_fails.push_back(final.questions[site.question].known && condition.known && !condition.val);
            requirement_exact.push_back(final.questions[site.question].exact && condition.exact);
        }
    }
};

/// A number of a model (a whole number, a rational or a double) as the evaluator's double.
double number_of(const z3::expr& numeral) {
    if (numeral.is_fpa()) return std::bit_cast<double>(numeral.mk_to_ieee_bv().simplify().get_numeral_uint64());
    if (numeral.is_int()) return static_cast<double>(numeral.get_numeral_int64());
    return std::stod(numeral.get_decimal_string(20));
}

/// Strings for text classes past the program's texts: short, distinct, none of the
/// program's texts, and within every limit of the questions that take them.
class text_namer {
public:
    explicit text_namer(const std::vector<std::string>& known) : known_(known) {}

    std::string name(std::int64_t text_class, std::size_t longest) {
        auto const found = names_.find(text_class);
        if (found != names_.end()) return found->second;
        for (;; ++counter_) {
            std::string candidate;
            for (std::uint64_t n = counter_ + 1; n > 0; n = (n - 1) / 26) {
                candidate.insert(candidate.begin(), static_cast<char>('a' + (n - 1) % 26));
            }
            if (candidate.size() > longest) return {};
            if (std::find(known_.begin(), known_.end(), candidate) != known_.end()) continue;
            ++counter_;
            names_[text_class] = candidate;
            return candidate;
        }
    }

private:
    const std::vector<std::string>& known_;
    std::map<std::int64_t, std::string> names_;
    std::uint64_t counter_ = 0;
};

/// Reads the answers of a model into slots. Fails (nothing) on a value that has no answer.
std::optional<answer_slots> answers_of(const encoding& e, const z3::model& model) {
    const program& p = e.p_;
    answer_slots out;
    out.reset(p.questions.size());
    text_namer names(e.texts_);
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (!model.eval(e.answered[q], true).is_true()) continue;
        z3::expr const v = model.eval(e.answer[q], true);
        const compiled_question& question = p.questions[q];
        switch (question.kind) {
            case question_kind::yesno: out.set(q, value::of_bool(v.is_true())); break;
            case question_kind::choice:
                out.set(q, value::of_option(static_cast<std::uint32_t>(v.get_numeral_int64())));
                break;
            case question_kind::multi: out.set(q, value::of_options(v.get_numeral_uint64())); break;
            case question_kind::integer:
            case question_kind::decimal: out.set(q, value::of_number(number_of(v))); break;
            case question_kind::text: {
                std::int64_t const text_class = v.get_numeral_int64();
                if (text_class < static_cast<std::int64_t>(e.texts_.size())) {
                    out.set_text(q, e.texts_[static_cast<std::size_t>(text_class)]);
                } else {
                    std::string const text =
                        names.name(text_class, question.max_length.value_or(max_text_answer_length));
                    if (text.empty()) return std::nullopt;
                    out.set_text(q, text);
                }
                break;
            }
        }
    }
    return out;
}

/// The answer in slot `v` of question `q` as a constant of `e`; a text that the program
/// does not hold gets a class of its own, kept in `other_texts`.
z3::expr constant_of(const encoding& e, std::uint32_t q, value v, std::vector<std::string>& other_texts) {
    z3::context& c = e.c_;
    switch (e.p_.questions[q].kind) {
        case question_kind::yesno: return c.bool_val(v.boolean);
        case question_kind::choice: return c.int_val(v.option);
        case question_kind::multi: return c.bv_val(static_cast<std::uint64_t>(v.options), 64);
        case question_kind::integer:
            return e.floating_ ? c.fpa_val(v.number) : c.int_val(static_cast<std::int64_t>(v.number));
        case question_kind::decimal: return e.floating_ ? c.fpa_val(v.number) : e.number(v.number);
        case question_kind::text: {
            std::string const text(v.text());
            auto const known = std::find(e.texts_.begin(), e.texts_.end(), text);
            if (known != e.texts_.end()) return c.int_val(static_cast<int>(known - e.texts_.begin()));
            auto other = std::find(other_texts.begin(), other_texts.end(), text);
            if (other == other_texts.end()) other = other_texts.insert(other_texts.end(), text);
            return c.int_val(static_cast<int>(e.texts_.size() + static_cast<std::size_t>(other - other_texts.begin())));
        }
    }
    return c.bool_val(false);
}

/// The value an unanswered question's answer variable takes: one within its domain, since
/// the domain constrains the variable whether or not the question is answered.
z3::expr resting_answer(const encoding& e, std::uint32_t q) {
    z3::context& c = e.c_;
    const compiled_question& question = e.p_.questions[q];
    switch (question.kind) {
        case question_kind::yesno: return c.bool_val(false);
        case question_kind::choice:
        case question_kind::text: return c.int_val(0);
        case question_kind::multi: return c.bv_val(0, 64);
        case question_kind::integer:
            return e.floating_ ? c.fpa_val(std::ceil(question.min))
                               : c.int_val(static_cast<std::int64_t>(std::ceil(question.min)));
        case question_kind::decimal: return e.number(question.min);
    }
    return c.bool_val(false);
}

/// A model of `e` that fixes every answer as `answers` gives it.
z3::model model_of(const encoding& e, const answer_slots& answers, std::vector<std::string>& other_texts) {
    z3::model model(e.c_);
    for (std::uint32_t q = 0; q < e.p_.questions.size(); ++q) {
        z3::func_decl answered = e.answered[q].decl();
        z3::expr given = e.c_.bool_val(answers.answered(q));
        model.add_const_interp(answered, given);
        z3::func_decl answer = e.answer[q].decl();
        z3::expr v = answers.answered(q) ? constant_of(e, q, answers.get(q), other_texts) : resting_answer(e, q);
        model.add_const_interp(answer, v);
    }
    return model;
}

/// Something to ask the solver, made from either encoding: a formula, and whether every
/// value in it is exact (then the exact encoding's answer is the evaluator's).
struct query {
    z3::expr what;
    bool exact;
};
using question_maker = std::function<query(const encoding&)>;

/// Asks whether a formula can be true for some possible set of answers: every answer in its
/// domain and every `require` met (or all but one, for that one's lints). Each formula is
/// asked first of the exact encoding, where a rounded value may be anything within its
/// rounding: "impossible" there is impossible in the evaluator. "Possible" is the answer
/// when the formula is exact, or when the answers found make it true in the floating-point
/// encoding too; otherwise the floating-point encoding (made the first time it is needed)
/// is asked, which decides exactly but far more slowly. Each encoding has one incremental
/// solver.
class asker {
public:
    asker(const program& p, z3::context& c, double timeout_seconds) : p_(p), c_(c), params_(c) {
        params_.set("timeout", static_cast<unsigned>(std::min(timeout_seconds * 1000.0, 4.0e9)));
        exact_.emplace(std::make_shared<encoding>(p, c, false), c, params_, c.bool_val(true));
    }

    const encoding& exact() const { return *exact_->encoded; }

    z3::check_result operator()(const question_maker& make, std::optional<std::size_t> without = std::nullopt) {
        query const asked = make(exact());
        z3::check_result result = check(*exact_, asked.what, without);
        if (asked.exact || settled(result, make, without)) return result;
        if (exact().roundings_ > 0) {
            // Answers on the edge of what roundings allow are seldom answers in doubles:
            // first a witness without rounding errors, on a grid of decimals...
            if (check(away_from_edges(), asked.what, without) == z3::sat &&
                confirmed_in_floating_point(make, without)) {
                return z3::sat;
            }
            // ...then the exact encoding with the monotone roundings...
            result = check(*exact_, exact().with_monotone_roundings(asked.what), without);
            if (settled(result, make, without)) return result;
        }
        // ...and only then the floating-point encoding, which decides, far more slowly.
        return ask_floating(make, without);
    }

    /// Asks the exact encoding only: "impossible" is certain, "possible" needs a witness.
    z3::check_result ask_exact(const question_maker& make) { return check(*exact_, make(exact()).what, std::nullopt); }

    bool out_of_time() const { return last_reason == "timeout" || last_reason == "canceled"; }

    z3::check_result ask_floating(const question_maker& make, std::optional<std::size_t> without = std::nullopt) {
        return check(floating(), make(*floating().encoded).what, without);
    }

    bool last_was_exact() const { return last_encoding == exact_->encoded.get(); }

    /// Every answer of `in` within its domain and every `require` met, but `without`.
    static z3::expr possible(const encoding& in, std::optional<std::size_t> without) {
        z3::expr holds = in.domain_;
        for (std::size_t i = 0; i < in.requirement_fails.size(); ++i) {
            if (!without || i != *without) holds = holds && !in.requirement_fails[i];
        }
        return holds;
    }

    /// Whether the last model's answers make `make`'s formula true in floating point, within
    /// every domain and `require`; if so, they become the last model.
    bool confirmed_in_floating_point(const question_maker& make, std::optional<std::size_t> without) {
        std::optional<answer_slots> const answers = answers_of(*last_encoding, *last_model);
        if (!answers) return false;
        const encoding& f = *floating().encoded;
        std::vector<std::string> other_texts;
        z3::model fixed = model_of(f, *answers, other_texts);
        if (!fixed.eval(possible(f, without) && make(f).what, true).is_true()) return false;
        last_model.emplace(fixed);
        last_encoding = &f;
        return true;
    }

    /// Which of `facts` (by index, those in `which`) the last model's answers make true, with
    /// every answer in its domain and every `require` met; decided in the exact encoding for an
    /// exact fact, otherwise in floating point, which is the evaluator's arithmetic.
    std::vector<std::size_t> witnessed(const std::vector<question_maker>& facts,
                                       const std::vector<std::size_t>& which) {
        std::vector<std::size_t> out;
        std::optional<answer_slots> const answers = answers_of(*last_encoding, *last_model);
        if (!answers) return out;
        const encoding& e = exact();
        std::vector<std::string> other_texts;
        z3::model const in_exact = model_of(e, *answers, other_texts);
        std::optional<z3::model> in_floating;
        auto const floating_model = [&]() -> const z3::model& {
            if (!in_floating) in_floating.emplace(model_of(*floating().encoded, *answers, other_texts));
            return *in_floating;
        };
        auto const possible_at = [](const encoding& in, const z3::model& model) {
            return model.eval(possible(in, std::nullopt), true).is_true();
        };
        if (!(e.requirements_exact() ? possible_at(e, in_exact) : possible_at(*floating().encoded, floating_model()))) {
            return out;
        }
        for (std::size_t const i : which) {
            query const in_e = facts[i](e);
            bool const holds = in_e.exact ? in_exact.eval(in_e.what, true).is_true()
                                          : floating_model().eval(facts[i](*floating().encoded).what, true).is_true();
            if (holds) out.push_back(i);
        }
        return out;
    }

    std::string last_reason;
    std::optional<z3::model> last_model;
    const encoding* last_encoding = nullptr;  ///< whose variables last_model gives

private:
    /// One solver over an encoding, with every `require` under its own switch, so that a
    /// lint can leave one out, and with `also` asserted.
    struct solving {
        std::shared_ptr<encoding> encoded;
        z3::solver solver;
        z3::expr_vector switches;

        solving(std::shared_ptr<encoding> e, z3::context& c, const z3::params& params, const z3::expr& also)
            : encoded(std::move(e)), solver(c), switches(c) {
            solver.set(params);
            solver.add(encoded->domain_);
            solver.add(also);
            for (std::size_t i = 0; i < encoded->requirement_fails.size(); ++i) {
                z3::expr const on = c.bool_const(("requirement " + std::to_string(i)).c_str());
                solver.add(z3::implies(on, !encoded->requirement_fails[i]));
                switches.push_back(on);
            }
        }
    };

    /// Whether `result` of the exact encoding answers the question: impossible, possible with
    /// answers that floating point confirms, or out of time.
    bool settled(z3::check_result result, const question_maker& make, std::optional<std::size_t> without) {
        return result == z3::unsat || (result == z3::sat && confirmed_in_floating_point(make, without)) ||
               (result == z3::unknown && out_of_time());
    }

    // The further solvers, each made the first time it is needed. The exact encoding's
    // solvers share it, with more asserted: their separate solvers keep the first one small.
    solving& away_from_edges() {
        if (!away_from_edges_) away_from_edges_.emplace(exact_->encoded, c_, params_, exact().away_from_edges_);
        return *away_from_edges_;
    }
    solving& floating() {
        if (!floating_) floating_.emplace(std::make_shared<encoding>(p_, c_, true), c_, params_, c_.bool_val(true));
        return *floating_;
    }

    z3::check_result check(solving& chosen, const z3::expr& what, std::optional<std::size_t> without) {
        z3::expr_vector assumptions(c_);
        for (unsigned i = 0; i < chosen.switches.size(); ++i) {
            if (!without || i != *without) assumptions.push_back(chosen.switches[i]);
        }
        chosen.solver.push();
        chosen.solver.add(what);
        z3::check_result const result = chosen.solver.check(assumptions);
        last_reason = result == z3::unknown ? chosen.solver.reason_unknown() : std::string();
        last_model.reset();
        if (result == z3::sat) last_model.emplace(chosen.solver.get_model());
        last_encoding = chosen.encoded.get();
        chosen.solver.pop();
        return result;
    }

    const program& p_;
    z3::context& c_;
    z3::params params_;
    std::optional<solving> exact_;
    std::optional<solving> away_from_edges_;
    std::optional<solving> floating_;
};

bool has_rejected_answer(const program& p, const evaluation& state) {
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (state.fails_requirement(q) && state.counted(q)) return true;
    }
    return false;
}

/// The counted answers as an answers record (the input of `explain --answers`), in file order.
std::string answers_record(const program& p, const answer_slots& answers, const evaluation& state) {
    std::string out;
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (!state.counted(q)) continue;
        out += (out.empty() ? "" : ", ") + std::string("\"") + p.questions[q].id +
               "\": " + answer_to_json(p, q, answers.get(q));
    }
    return "{\"answers\": {" + out + "}}";
}

std::string seconds(double s) {
    std::string text = ast::number_spelling(s);
    return text + (text == "1" ? " second" : " seconds");
}

class prover {
public:
    prover(const program& p, double timeout_seconds, diagnostic_sink& out)
        : p_(p), timeout_(timeout_seconds), out_(out) {}

    std::vector<invariant_proof> run(const std::vector<bool>& already_false) {
        std::vector<invariant_proof> proofs;
        for (const compiled_invariant& invariant : p_.invariants) {
            proofs.push_back({invariant.name, proof_status::unknown, {}, {}});
        }
        try {
            z3::context c;
            asker ask(p_, c, timeout_);
            for (std::size_t i = 0; i < p_.invariants.size(); ++i) {
                if (i < already_false.size() && already_false[i]) {
                    proofs[i].status = proof_status::skipped;
                    continue;
                }
                prove_invariant(ask, i, proofs[i]);
            }
            lint_questions(ask);
            lint_outcomes(ask);
            lint_requirements(ask);
        } catch (const not_encodable& problem) {
            give_up(proofs, std::string("the encoding does not cover this questionnaire: ") + problem.what());
        } catch (const z3::exception& problem) {
            give_up(proofs, std::string("the solver failed: ") + problem.msg());
        }
        return proofs;
    }

private:
    const program& p_;
    double timeout_;
    diagnostic_sink& out_;

    std::string why_unknown(const std::string& reason) const {
        if (reason == "timeout" || reason == "canceled") {
            return "the solver's time limit of " + seconds(timeout_) + " ran out (--prove-timeout)";
        }
        return "the solver gave up (" + reason + ")";
    }

    void give_up(std::vector<invariant_proof>& proofs, const std::string& reason) {
        for (std::size_t i = 0; i < proofs.size(); ++i) {
            if (proofs[i].status != proof_status::unknown || !proofs[i].reason.empty()) continue;
            proofs[i].reason = reason;
            report_unknown(i, reason);
        }
    }

    source_range invariant_range(const compiled_invariant& invariant) const {
        return invariant.node->condition == ast::no_expr ? invariant.node->range
                                                         : p_.tree->expr(invariant.node->condition).range;
    }

    void report_unknown(std::size_t i, const std::string& reason) {
        const compiled_invariant& invariant = p_.invariants[i];
        out_.warning("invariant-unproved", invariant_range(invariant),
                     "invariant " + ast::string_spelling(invariant.name) +
                         " could not be proved or refuted: " + reason + "; it was sampled on random answers instead");
    }

    void prove_invariant(asker& ask, std::size_t i, invariant_proof& proof) {
        const compiled_invariant& invariant = p_.invariants[i];
        auto const broken = [i](const encoding& e) {
            const sym& holds = e.invariants[i];
            return query{holds.known && !holds.val, holds.exact};
        };
        z3::check_result result = ask(broken);
        std::optional<std::string> counterexample;
        if (result == z3::sat) counterexample = replay(*ask.last_encoding, *ask.last_model, invariant.condition);
        // A `require` with rounding allows answers in the exact encoding that it rejects in
        // the evaluator: ask in floating point.
        if (result == z3::sat && !counterexample && ask.last_was_exact() && !ask.exact().requirements_exact()) {
            result = ask.ask_floating(broken);
            if (result == z3::sat) counterexample = replay(*ask.last_encoding, *ask.last_model, invariant.condition);
        }
        if (result == z3::unsat) {
            proof.status = proof_status::proved;
            return;
        }
        if (result == z3::unknown) {
            proof.reason = why_unknown(ask.last_reason);
            report_unknown(i, proof.reason);
            return;
        }
        if (!counterexample) {
            proof.reason =
                "the solver's counterexample does not make it false in the evaluator, which is a fault of the "
                "encoding; please report it";
            report_unknown(i, proof.reason);
            return;
        }
        proof.status = proof_status::refuted;
        proof.counterexample = *counterexample;
        out_.error("invariant-violated", invariant_range(invariant),
                   "invariant " + ast::string_spelling(invariant.name) +
                       " is false for some possible answers; as answers for 'explain --answers': " + *counterexample);
    }

    /// The model's answers, checked in the evaluator to make `condition` false with no
    /// answer rejected, then cut down to the answers needed, as an answers record.
    std::optional<std::string> replay(const encoding& e, const z3::model& model, code_span condition) const {
        std::optional<answer_slots> answers = answers_of(e, model);
        if (!answers) return std::nullopt;
        evaluation state;
        auto const refutes = [&](const answer_slots& candidate) {
            evaluate(p_, candidate, state);
            return !has_rejected_answer(p_, state) && evaluate_expression(p_, condition, state).is_false();
        };
        if (!refutes(*answers)) return std::nullopt;
        // Leave out, last first, every answer without which it is still false.
        for (std::uint32_t q = static_cast<std::uint32_t>(p_.questions.size()); q-- > 0;) {
            if (!answers->answered(q)) continue;
            answer_slots fewer = *answers;
            fewer.clear(q);
            if (refutes(fewer)) answers = std::move(fewer);
        }
        refutes(*answers);
        return answers_record(p_, *answers, state);
    }

    /// Which of `facts` no possible set of answers makes true. They are asked together, and
    /// every set of answers the solver finds settles each open fact it makes true, so a
    /// questionnaire takes about as many solver calls as it needs distinct answer sets, not
    /// one per fact. A fact the solver cannot decide counts as possible: lints report only
    /// certainties.
    std::vector<bool> impossible(asker& ask, const std::vector<question_maker>& facts) const {
        std::vector<bool> out(facts.size(), false);
        std::vector<std::size_t> open(facts.size());
        std::iota(open.begin(), open.end(), std::size_t{0});
        while (!open.empty()) {
            auto const any_open = [&](const encoding& e) {
                query any{e.c_.bool_val(false), true};
                for (std::size_t const i : open) {
                    query const fact = facts[i](e);
                    any.what = any.what || fact.what;
                    any.exact = any.exact && fact.exact;
                }
                return any;
            };
            z3::check_result const result = ask.ask_exact(any_open);
            if (result == z3::unsat) {
                for (std::size_t const i : open) out[i] = true;
                break;
            }
            if (result == z3::unknown && ask.out_of_time()) break;
            std::vector<std::size_t> found =
                result == z3::sat ? ask.witnessed(facts, open) : std::vector<std::size_t>{};
            if (found.empty()) {
                // Answers that are no witness in the evaluator's arithmetic, or no answers:
                // the first open fact on its own, in floating point where it needs it.
                std::size_t const first = open.front();
                z3::check_result const alone = ask(facts[first]);
                if (alone == z3::unsat) out[first] = true;
                if (alone == z3::sat) found = ask.witnessed(facts, open);
                if (found.empty() || found.front() != first) found.insert(found.begin(), first);
            }
            std::erase_if(open, [&](std::size_t i) { return std::binary_search(found.begin(), found.end(), i); });
        }
        return out;
    }

    void lint_questions(asker& ask) {
        std::vector<bool> reported(p_.questions.size(), false);
        for (const pending_diagnostic& d : out_.items()) {
            if (d.code != "never-shown-question") continue;
            for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
                const question_info& question = p_.model->questions[q];
                bool const in_section =
                    question.section != no_index && p_.model->sections[question.section].node->name.range == d.range;
                if (question.node->name.range == d.range || in_section) reported[q] = true;
            }
        }
        std::vector<std::uint32_t> asked;
        std::vector<question_maker> shown;
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            if (reported[q]) continue;
            asked.push_back(q);
            shown.emplace_back([q](const encoding& e) {
                return query{e.shown[q] && e.before_stop[q], e.shown_exact[q] && e.before_stop_exact[q]};
            });
        }
        std::vector<bool> const never_shown = impossible(ask, shown);
        std::vector<std::pair<std::uint32_t, std::size_t>> conditions;  // question, its condition
        std::vector<question_maker> not_true;
        for (std::size_t k = 0; k < asked.size(); ++k) {
            std::uint32_t const q = asked[k];
            const question_info& question = p_.model->questions[q];
            if (!never_shown[k]) {
                add_condition_facts(q, conditions, not_true);
                continue;
            }
            auto& warning = out_.warning("never-shown-question", question.node->name.range,
                                         "question '" + question.name +
                                             "' is never shown, for any possible answers: its conditions are "
                                             "never all true before the intake ends; change them or remove "
                                             "the question");
            for (ast::expr_ref const condition : question.visibility) {
                warning.notes.push_back({p_.tree->expr(condition).range, "a condition of the question"});
            }
        }
        std::vector<bool> const always_true = impossible(ask, not_true);
        for (std::size_t k = 0; k < conditions.size(); ++k) {
            if (!always_true[k]) continue;
            auto const [q, c] = conditions[k];
            const question_info& question = p_.model->questions[q];
            bool const from_section = question.section != no_index &&
                                      p_.model->sections[question.section].node->when == question.visibility[c];
            std::string const what = from_section ? "section '" + p_.model->sections[question.section].name + "'"
                                                  : "'" + question.name + "'";
            out_.warning("when-always-true", p_.tree->expr(question.visibility[c]).range,
                         "this 'when' is true for every possible set of answers, so it never hides " + what +
                             "; remove it or correct it");
        }
    }

    /// For each `when` that decides question `q`: the question reached, the conditions
    /// before it true and it not true. When no answers make that so, the `when` is always true.
    void add_condition_facts(std::uint32_t q, std::vector<std::pair<std::uint32_t, std::size_t>>& conditions,
                             std::vector<question_maker>& not_true) const {
        const question_info& question = p_.model->questions[q];
        for (std::size_t c = 0; c < question.visibility.size(); ++c) {
            bool const from_section = question.section != no_index &&
                                      p_.model->sections[question.section].node->when == question.visibility[c];
            bool const decided_here = !from_section || p_.model->sections[question.section].first_question == q;
            if (!decided_here) continue;
            conditions.emplace_back(q, c);
            not_true.emplace_back([q, c](const encoding& e) {
                query asked{e.before_stop[q], e.before_stop_exact[q]};
                for (std::size_t before = 0; before <= c; ++before) {
                    const sym& value = e.conditions[q][before];
                    z3::expr const is_true = value.known && value.val;
                    asked.what = before < c ? asked.what && is_true : asked.what && !is_true;
                    asked.exact = asked.exact && value.exact;
                }
                return asked;
            });
        }
    }

    void lint_outcomes(asker& ask) {
        std::vector<question_maker> fires;
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            fires.emplace_back([o](const encoding& e) {
                const sym& fired = *e.final.outcomes[o];
                return query{fired.known && fired.val, fired.exact};
            });
        }
        std::vector<bool> const dead = impossible(ask, fires);
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            if (!dead[o]) continue;
            const outcome_info& outcome = p_.model->outcomes[o];
            auto& warning = out_.warning("dead-outcome", outcome.node->name.range,
                                         "outcome '" + outcome.name +
                                             "' can never fire: no possible set of answers makes its 'when' true; "
                                             "correct the condition or remove the outcome");
            warning.notes.push_back({p_.tree->expr(outcome.when).range, "this condition is never true"});
        }
    }

    void lint_requirements(asker& ask) {
        // Whether the question's answer counts with this `require` failing (every other one
        // met) or passing (every one met).
        auto const counted_with = [](program::requirement_site site, bool passes) {
            return [site, passes](const encoding& e) {
                const sym& counted = e.final.questions[site.question];
                const sym& condition = e.requirement_values[site.question][site.requirement];
                z3::expr const fails = condition.known && !condition.val;
                return query{counted.known && (passes ? !fails : fails), counted.exact && condition.exact};
            };
        };
        std::vector<question_maker> passing;
        for (program::requirement_site const site : p_.requirement_sites)
            passing.emplace_back(counted_with(site, true));
        std::vector<bool> const never_passes = impossible(ask, passing);
        for (std::size_t i = 0; i < p_.requirement_sites.size(); ++i) {
            program::requirement_site const site = p_.requirement_sites[i];
            z3::check_result const failing = ask(counted_with(site, false), i);
            if (failing == z3::unsat && never_passes[i]) continue;  // never answered: never-shown-question says so
            const question_info& question = p_.model->questions[site.question];
            source_range const where = p_.tree->expr(question.requirements[site.requirement].condition).range;
            if (failing == z3::unsat) {
                out_.warning("require-never-fails", where,
                             "this 'require' never rejects an answer to '" + question.name +
                                 "': no possible answer makes it false; correct it or remove it");
            } else if (never_passes[i]) {
                out_.warning("require-never-passes", where,
                             "this 'require' rejects every possible answer to '" + question.name +
                                 "', so the question can never be answered; correct it");
            }
        }
    }
};

}  // namespace

std::vector<invariant_proof> prove_program(const program& p, double timeout_seconds,
                                           const std::vector<bool>& already_false, diagnostic_sink& out) {
    return prover(p, timeout_seconds, out).run(already_false);
}

/// The encodings with every answer fixed by a model: each value is read from the exact
/// encoding where it is exact there, otherwise from the floating-point one, as the prover
/// would ask about it.
struct fixed_answer_probe::impl {
    z3::context c;
    encoding exact;
    encoding floating;
    std::vector<std::string> other_texts;  ///< texts of the answers that the program does not hold
    explicit impl(const program& p) : exact(p, c, false), floating(p, c, true) {}

    /// The encoding's value `s` in `model` in words, and whether it equals the evaluator's `v`.
    std::pair<bool, std::string> compare(const z3::model& model, const sym& s, value v) {
        bool const known = model.eval(s.known, true).is_true();
        if (!known || v.is_unknown()) return {known == !v.is_unknown(), known ? "a known value" : "unknown"};
        z3::expr const got = model.eval(s.val, true);
        switch (v.type) {
            case value::kind::boolean: return {got.is_true() == v.boolean, got.is_true() ? "true" : "false"};
            case value::kind::number: {
                double const n = number_of(got);
                return {n == v.number, ast::number_spelling(n)};
            }
            case value::kind::option: {
                std::int64_t const option = got.get_numeral_int64();
                return {option == v.option, "option " + std::to_string(option)};
            }
            case value::kind::options: {
                std::uint64_t const options = got.get_numeral_uint64();
                return {options == v.options, "options " + std::to_string(options)};
            }
            case value::kind::text: {
                auto const text_class = static_cast<std::size_t>(got.get_numeral_int64());
                std::string const text = text_class < exact.texts_.size() ? exact.texts_[text_class]
                                         : text_class - exact.texts_.size() < other_texts.size()
                                             ? other_texts[text_class - exact.texts_.size()]
                                             : std::string("a text of no answer");
                return {text == v.text(), ast::string_spelling(text)};
            }
            case value::kind::unknown: break;
        }
        return {false, "?"};
    }
};

fixed_answer_probe::fixed_answer_probe(const program& p) : impl_(std::make_unique<impl>(p)) {}
fixed_answer_probe::~fixed_answer_probe() = default;

std::vector<std::string> fixed_answer_probe::disagreements(const answer_slots& answers, evaluation& state) {
    impl& probe = *impl_;
    const encoding& e = probe.exact;
    const encoding& f = probe.floating;
    const program& p = e.p_;
    probe.other_texts.clear();
    z3::model const exact_model = model_of(e, answers, probe.other_texts);
    z3::model const floating_model = model_of(f, answers, probe.other_texts);
    std::vector<std::string> out;
    // Each value from the encoding the prover would ask: the exact one where it is exact.
    auto const value_of = [&](bool exact, const sym& in_exact, const sym& in_floating, value v) {
        return exact ? probe.compare(exact_model, in_exact, v) : probe.compare(floating_model, in_floating, v);
    };
    auto const check = [&](const std::string& what, const sym& in_exact, const sym& in_floating, value v) {
        auto const [same, said] = value_of(in_exact.exact, in_exact, in_floating, v);
        if (!same) {
            out.push_back(what + ": the encoding says " + said + ", the evaluator " +
                          (v.is_unknown() ? std::string("unknown") : "a different value"));
        }
    };
    auto const truth = [&](bool exact, const z3::expr& in_exact, const z3::expr& in_floating) {
        return (exact ? exact_model.eval(in_exact, true) : floating_model.eval(in_floating, true)).is_true();
    };
    if (truth(e.stopped_exact, e.stopped, f.stopped) != state.stopped) out.push_back("whether a stop outcome fired");
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        const std::string& id = p.questions[q].id;
        if (q < state.limit &&
            truth(e.shown_exact[q], e.shown[q], f.shown[q]) != (state.visible[q] == visibility::shown)) {
            out.push_back("whether question '" + id + "' is shown");
        }
        const sym& counted = e.final.questions[q];
        if (truth(counted.exact, counted.known, f.final.questions[q].known) != state.counted(q)) {
            out.push_back("whether the answer to '" + id + "' counts");
            continue;
        }
        if (!state.counted(q)) continue;
        std::uint32_t failed = no_index;
        for (std::uint32_t r = 0; r < e.requirement_values[q].size() && failed == no_index; ++r) {
            const sym& condition = e.requirement_values[q][r];
            const sym& in_floating = f.requirement_values[q][r];
            if (truth(condition.exact, condition.known && !condition.val, in_floating.known && !in_floating.val)) {
                failed = r;
            }
        }
        if (failed != state.failed_requirement[q]) out.push_back("which 'require' of '" + id + "' fails");
    }
    for (std::uint32_t l = 0; l < p.lets.size(); ++l) {
        check("let '" + p.lets[l].id + "'", *e.final.lets[l], *f.final.lets[l], state.lets[l]);
    }
    for (std::uint32_t o = 0; o < p.outcomes.size(); ++o) {
        check("outcome '" + p.outcomes[o].id + "'", *e.final.outcomes[o], *f.final.outcomes[o], state.outcomes[o]);
    }
    for (std::size_t i = 0; i < p.invariants.size(); ++i) {
        const compiled_invariant& invariant = p.invariants[i];
        check("invariant " + ast::string_spelling(invariant.name), e.invariants[i], f.invariants[i],
              evaluate_expression(p, invariant.condition, state));
    }
    return out;
}

}  // namespace stepcare
