// Warnings (language.md section 9): things that are probably mistakes but leave the
// questionnaire usable: unused lets, option sets and sources, options that shadow names,
// comparisons that a question's range decides, and questions that can never be shown.
//
// Whether a question can be shown is decided by an abstract evaluation: every expression
// gets the set of values it can take (true, false, unknown, or some other known value),
// with a question that can never be shown always unknown. Questions are decided in file
// order, and each let and outcome once every question it depends on is decided.

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "check/check_context.hpp"

namespace stepcare::check_detail {

namespace {

using ast::expr_kind;
using ast::expr_ref;
using ast::op;

/// The values an expression can take, as a set of bits.
using value_set = std::uint8_t;
constexpr value_set can_be_true = 1;
constexpr value_set can_be_false = 2;
constexpr value_set can_be_unknown = 4;
constexpr value_set can_be_other = 8;  ///< a known value that is not a bool
constexpr value_set any_bool = can_be_true | can_be_false | can_be_unknown;
constexpr value_set any_value = any_bool | can_be_other;

/// Kleene's three values, as single bits of a value_set.
constexpr std::array<value_set, 3> truth_values = {can_be_true, can_be_false, can_be_unknown};

value_set kleene_not(value_set a) {
    if (a == can_be_true) return can_be_false;
    if (a == can_be_false) return can_be_true;
    return can_be_unknown;
}

value_set kleene_and(value_set a, value_set b) {
    if (a == can_be_false || b == can_be_false) return can_be_false;
    if (a == can_be_unknown || b == can_be_unknown) return can_be_unknown;
    return can_be_true;
}

value_set kleene_or(value_set a, value_set b) { return kleene_not(kleene_and(kleene_not(a), kleene_not(b))); }

value_set kleene_implies(value_set a, value_set b) { return kleene_or(kleene_not(a), b); }

/// The values `not a` can take.
value_set negated(value_set a) {
    value_set result = 0;
    for (value_set const x : truth_values) {
        if ((a & x) != 0) result |= kleene_not(x);
    }
    return result;
}

/// Applies a Kleene operator to every pair of values the operands can take.
template <typename Operator>
value_set combine(value_set a, value_set b, Operator apply) {
    value_set result = 0;
    for (value_set const x : truth_values) {
        if ((a & x) == 0) continue;
        for (value_set const y : truth_values) {
            if ((b & y) != 0) result |= apply(x, y);
        }
    }
    return result;
}

/// The result of an operator that is unknown when any operand is unknown and otherwise
/// gives `known` (the values it can take when every operand is known).
value_set strict(std::initializer_list<value_set> operands, value_set known) {
    value_set result = 0;
    bool all_can_be_known = true;
    for (value_set const operand : operands) {
        if ((operand & can_be_unknown) != 0) result |= can_be_unknown;
        if ((operand & ~can_be_unknown) == 0) all_can_be_known = false;
    }
    if (all_can_be_known) result |= known;
    return result;
}

bool is_comparison(op o) {
    return o == op::lt || o == op::le || o == op::gt || o == op::ge || o == op::eq || o == op::ne;
}

/// `a op b` is `b mirrored(op) a`.
op mirrored(op o) {
    switch (o) {
        case op::lt: return op::gt;
        case op::le: return op::ge;
        case op::gt: return op::lt;
        case op::ge: return op::le;
        default: return o;
    }
}

class warner {
public:
    explicit warner(checker& c) : c_(c), m_(c.model), tree_(c.tree) {}

    void run() {
        unused_lets();
        unused_option_sets();
        unused_sources();
        shadowing_options();
        decided_comparisons();
        // The evaluation relies on the flow rules holding; with errors it would mislead.
        if (!c_.found.has_errors()) never_shown_questions();
    }

private:
    checker& c_;
    checked_questionnaire& m_;
    const ast::questionnaire& tree_;
    /// Per comparison node: its one possible result when a question's range decides it
    /// (can_be_true or can_be_false), otherwise 0.
    std::vector<value_set> decided_;
    std::vector<value_set> values_;
    std::vector<bool> never_shown_;

    /// Whether `what` owns its name; one defined a second time is reported as a duplicate
    /// and cannot be used, so it is not reported as unused too.
    bool defines(symbol what) const { return m_.find(c_.name_of(what)) == what; }

    void unused_lets() {
        std::vector<bool> used = c_.lets_named_in_texts;
        for (const expression_info& info : m_.expressions) {
            if (info.binding.kind == symbol_kind::let) used[info.binding.index] = true;
        }
        for (symbol const what : c_.suggested) {
            if (what.kind == symbol_kind::let) used[what.index] = true;
        }
        for (std::uint32_t let = 0; let < m_.lets.size(); ++let) {
            if (used[let] || !defines({symbol_kind::let, let})) continue;
            c_.found.warning("unused-let", m_.lets[let].node->name.range,
                             cat("let ", quoted(m_.lets[let].name),
                                 " is never used; use it in a condition or a text, or remove "
                                 "it"));
        }
    }

    void unused_option_sets() {
        for (std::uint32_t set = 0; set < m_.option_sets.size(); ++set) {
            bool const suggested = std::find(c_.suggested.begin(), c_.suggested.end(),
                                             symbol{symbol_kind::option_set, set}) != c_.suggested.end();
            if (m_.option_sets[set].is_inline || c_.option_set_used[set] || suggested ||
                !defines({symbol_kind::option_set, set})) {
                continue;
            }
            c_.found.warning("unused-options", m_.option_sets[set].node->name.range,
                             cat("option set ", quoted(m_.option_sets[set].name),
                                 " is used by no question; use it in a choice or multi "
                                 "question, or remove it"));
        }
    }

    void unused_sources() {
        std::vector<bool> cited(m_.sources.size(), false);
        for (const outcome_info& outcome : m_.outcomes) {
            for (std::uint32_t const source : outcome.cites) cited[source] = true;
        }
        if (m_.referral) {
            for (std::uint32_t const source : m_.referral->cites) cited[source] = true;
        }
        for (symbol const what : c_.suggested) {
            if (what.kind == symbol_kind::source) cited[what.index] = true;
        }
        for (std::uint32_t source = 0; source < m_.sources.size(); ++source) {
            if (cited[source] || !defines({symbol_kind::source, source})) continue;
            c_.found.warning("unused-source", m_.sources[source].node->name.range,
                             cat("source ", quoted(m_.sources[source].name),
                                 " is never cited; cite it from an outcome or the referral, or "
                                 "remove it"));
        }
    }

    void shadowing_options() {
        for (std::uint32_t set = 0; set < m_.option_sets.size(); ++set) {
            for (const option_info& option : m_.option_sets[set].options) {
                symbol const what = m_.find(option.id);
                if (what.kind != symbol_kind::question && what.kind != symbol_kind::let &&
                    what.kind != symbol_kind::outcome) {
                    continue;
                }
                auto& warning =
                    c_.found.warning("option-shadows-name", option.node->id.range,
                                     cat("option ", quoted(option.id), " of ", c_.option_set_name(set),
                                         " has the same name as ", c_.describe(what),
                                         ", so next to '==', '!=', 'in' or 'has' it means the option; rename "
                                         "one of them"));
                warning.notes.push_back({c_.definition_range(what), cat(c_.describe(what), " is defined here")});
            }
        }
    }

    // ---- comparisons a question's range decides ----------------------------------------------

    /// The number `ref` stands for when it is a literal, possibly negated.
    std::optional<double> literal(expr_ref ref) const {
        const ast::expr_node& n = tree_.expressions[ref];
        if (n.kind == expr_kind::number) return n.number;
        if (n.kind == expr_kind::unary && n.oper == op::negate &&
            tree_.expressions[n.operands[0]].kind == expr_kind::number) {
            return -tree_.expressions[n.operands[0]].number;
        }
        return std::nullopt;
    }

    /// A question's name or a number literal as written (up to its formatting).
    std::string spelled(expr_ref ref) const {
        const ast::expr_node& n = tree_.expressions[ref];
        if (n.kind == expr_kind::name) return n.text;
        return ast::number_spelling(*literal(ref));
    }

    /// The integer or decimal question `ref` names, with a valid range, or no_index.
    std::uint32_t ranged_question(expr_ref ref) const {
        symbol const what = m_.expressions[ref].binding;
        if (what.kind != symbol_kind::question) return no_index;
        const question_info& q = m_.questions[what.index];
        if (!traits_of(q.type).has_range) return no_index;
        bool const whole_bounds =
            !traits_of(q.type).whole_numbers || (q.min == std::floor(q.min) && q.max == std::floor(q.max));
        return q.min <= q.max && whole_bounds ? what.index : no_index;
    }

    void decided_comparisons() {
        decided_.assign(tree_.expressions.size(), 0);
        for (expr_ref ref = 0; ref < tree_.expressions.size(); ++ref) {
            const ast::expr_node& n = tree_.expressions[ref];
            if (n.kind != expr_kind::binary || !is_comparison(n.oper)) continue;
            std::uint32_t question = ranged_question(n.operands[0]);
            std::optional<double> value = literal(n.operands[1]);
            op oper = n.oper;
            if (question == no_index || !value) {
                question = ranged_question(n.operands[1]);
                value = literal(n.operands[0]);
                oper = mirrored(n.oper);
            }
            if (question != no_index && value) decide(ref, question, oper, *value);
        }
    }

    /// Whether `question op value` is decided by the question's range, and if so warns.
    void decide(expr_ref ref, std::uint32_t question, op oper, double value) {
        const question_info& q = m_.questions[question];
        std::string const name = quoted(q.name);
        std::string const at_most = cat(name, " is at most ", ast::number_spelling(q.max));
        std::string const at_least = cat(name, " is at least ", ast::number_spelling(q.min));
        bool const whole = traits_of(q.type).whole_numbers;
        bool const possible = value >= q.min && value <= q.max && (!whole || value == std::floor(value));
        std::string const outside =
            !whole || value == std::floor(value)
                ? cat(name, " is between ", ast::number_spelling(q.min), " and ", ast::number_spelling(q.max))
                : cat(name, " is a whole number");
        std::string const only = cat(name, " can only be ", ast::number_spelling(q.min));
        bool always = false;
        std::string why;
        // A comparison with a bound is decided one way when the number is past the bound
        // and the other way when it is past the opposite bound.
        auto const decided = [&](bool is_false, const std::string& false_reason, bool is_true,
                                 const std::string& true_reason) {
            if (is_false) why = false_reason;
            if (is_true) {
                always = true;
                why = true_reason;
            }
        };
        switch (oper) {
            case op::gt: decided(value >= q.max, at_most, value < q.min, at_least); break;
            case op::ge: decided(value > q.max, at_most, value <= q.min, at_least); break;
            case op::lt: decided(value <= q.min, at_least, value > q.max, at_most); break;
            case op::le: decided(value < q.min, at_least, value >= q.max, at_most); break;
            case op::eq:
            case op::ne:
                if (!possible) {
                    always = oper == op::ne;
                    why = outside;
                } else if (q.min == q.max) {
                    always = oper == op::eq;
                    why = only;
                }
                break;
            default: break;
        }
        if (why.empty()) return;
        decided_[ref] = always ? can_be_true : can_be_false;
        const ast::expr_node& n = tree_.expressions[ref];
        std::string const text = cat(spelled(n.operands[0]), " ", ast::spelling(n.oper), " ", spelled(n.operands[1]));
        auto& warning = c_.found.warning(always ? "always-true-comparison" : "always-false-comparison", n.range,
                                         cat(quoted(text), always ? " is always true" : " is always false",
                                             ", because ", why, "; check the number and the range of ", name));
        warning.notes.push_back({q.node->type.range, cat("the range of ", name, " is given here")});
    }

    // ---- questions that can never be shown --------------------------------------------------

    value_set value_of(expr_ref ref) const { return values_[ref]; }

    /// Computes the values of every node of the expression at `root`, operands first.
    void evaluate(expr_ref root) {
        std::vector<expr_ref> nodes;
        for_each_node(tree_, root, [&](expr_ref ref) { nodes.push_back(ref); });
        // In reverse pre-order every node comes after all of its operands.
        for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) values_[*it] = evaluate_node(*it);
    }

    value_set evaluate_node(expr_ref ref) const {
        const ast::expr_node& n = tree_.expressions[ref];
        const expression_info& info = m_.expressions[ref];
        auto const operand = [&](std::size_t i) { return value_of(n.operands[i]); };
        switch (n.kind) {
            case expr_kind::number:
            case expr_kind::string:
            case expr_kind::set: return can_be_other;
            case expr_kind::boolean:
            case expr_kind::yes_no:
                if (info.binding.kind == symbol_kind::option) return can_be_other;
                return n.boolean ? can_be_true : can_be_false;
            case expr_kind::name: return evaluate_name(info);
            case expr_kind::unary:
                if (n.oper == op::not_) return negated(operand(0));
                return strict({operand(0)}, can_be_other);
            case expr_kind::conditional: {
                value_set const condition = operand(0);
                value_set result = (condition & can_be_unknown) != 0 ? can_be_unknown : 0;
                if ((condition & can_be_true) != 0) result |= operand(1);
                if ((condition & can_be_false) != 0) result |= operand(2);
                return result;
            }
            case expr_kind::binary: return evaluate_binary(ref, n);
            case expr_kind::call: return evaluate_call(ref, n);
        }
        return any_value;
    }

    value_set evaluate_name(const expression_info& info) const {
        symbol const what = info.binding;
        switch (what.kind) {
            case symbol_kind::question:
                if (never_shown_[what.index]) return can_be_unknown;
                return info.type.type == expr_type::kind::boolean ? any_bool : can_be_other | can_be_unknown;
            case symbol_kind::let: return value_of(m_.lets[what.index].value);
            case symbol_kind::outcome: return value_of(m_.outcomes[what.index].when);
            case symbol_kind::option: return can_be_other;
            default: return any_value;
        }
    }

    value_set evaluate_binary(expr_ref ref, const ast::expr_node& n) const {
        value_set const left = value_of(n.operands[0]);
        value_set const right = value_of(n.operands[1]);
        switch (n.oper) {
            case op::and_: return combine(left, right, kleene_and);
            case op::or_: return combine(left, right, kleene_or);
            case op::implies: return combine(left, right, kleene_implies);
            case op::coalesce: {
                value_set result = left & ~can_be_unknown;
                if ((left & can_be_unknown) != 0) result |= right;
                return result;
            }
            case op::add:
            case op::sub:
            case op::mul: return strict({left, right}, can_be_other);
            // Dividing by zero gives unknown.
            case op::div: return strict({left, right}, can_be_other | can_be_unknown);
            default: {
                value_set const known = decided_[ref] != 0 ? decided_[ref] : can_be_true | can_be_false;
                return strict({left, right}, known);
            }
        }
    }

    value_set evaluate_call(expr_ref ref, const ast::expr_node& n) const {
        std::optional<builtin> const function = m_.expressions[ref].function;
        if (!function) return any_value;
        const builtin_traits& traits = traits_of(*function);
        switch (traits.unknowns) {
            case unknown_arguments::are_read: {
                symbol const what = m_.expressions[n.operands[0]].binding;
                bool const hidden = what.kind == symbol_kind::question && never_shown_[what.index];
                return hidden ? can_be_false : can_be_true | can_be_false;
            }
            case unknown_arguments::kleene_or:
            case unknown_arguments::kleene_and: {
                bool const any = traits.unknowns == unknown_arguments::kleene_or;
                value_set result = any ? can_be_false : can_be_true;
                for (expr_ref const argument : n.operands) {
                    result = combine(result, value_of(argument), any ? kleene_or : kleene_and);
                }
                return result;
            }
            case unknown_arguments::make_unknown: {
                value_set const known =
                    traits.result == expr_type::kind::boolean ? can_be_true | can_be_false : can_be_other;
                value_set result = known;
                for (expr_ref const argument : n.operands) {
                    result = strict({result, value_of(argument)}, known);
                }
                return result;
            }
        }
        return any_value;
    }

    void evaluate_derived(std::vector<std::vector<symbol>>& waiting, std::size_t bucket) {
        for (symbol const what : waiting[bucket]) {
            evaluate(what.kind == symbol_kind::let ? m_.lets[what.index].value : m_.outcomes[what.index].when);
        }
    }

    void never_shown_questions() {
        values_.assign(tree_.expressions.size(), any_value);
        never_shown_.assign(m_.questions.size(), false);
        // Lets and outcomes by the last question they depend on (bucket 0: none), each
        // bucket in evaluation order.
        std::vector<std::vector<symbol>> waiting(m_.questions.size() + 1);
        for (symbol const what : m_.evaluation_order) {
            std::uint32_t const latest = what.kind == symbol_kind::let ? m_.lets[what.index].latest_question
                                                                       : m_.outcomes[what.index].latest_question;
            waiting[latest == no_index ? 0 : latest + 1].push_back(what);
        }
        evaluate_derived(waiting, 0);
        std::vector<bool> section_reported(m_.sections.size(), false);
        for (std::uint32_t q = 0; q < m_.questions.size(); ++q) {
            const question_info& question = m_.questions[q];
            for (expr_ref const condition : question.visibility) {
                // A section's condition is decided once, at its first question.
                bool const from_section =
                    question.section != no_index && m_.sections[question.section].node->when == condition;
                if (!from_section || m_.sections[question.section].first_question == q) {
                    evaluate(condition);
                }
                if ((value_of(condition) & can_be_true) != 0) continue;
                never_shown_[q] = true;
                report_never_shown(q, condition, section_reported);
            }
            evaluate_derived(waiting, q + 1);
        }
    }

    void report_never_shown(std::uint32_t q, expr_ref condition, std::vector<bool>& section_reported) {
        const question_info& question = m_.questions[q];
        bool const from_section = question.section != no_index && m_.sections[question.section].node->when == condition;
        source_range const where = tree_.expressions[condition].range;
        if (!from_section) {
            auto& warning =
                c_.found.warning("never-shown-question", question.node->name.range,
                                 cat("question ", quoted(question.name),
                                     " can never be shown, because its 'when' can never be true; change the "
                                     "condition or remove the question"));
            warning.notes.push_back({where, "this condition is never true"});
            return;
        }
        if (section_reported[question.section]) return;
        section_reported[question.section] = true;
        const section_info& section = m_.sections[question.section];
        auto& warning = c_.found.warning("never-shown-question", section.node->name.range,
                                         cat("no question of section ", quoted(section.name),
                                             " can ever be shown, because its 'when' can never be true; change the "
                                             "condition or remove the section"));
        warning.notes.push_back({where, "this condition is never true"});
    }
};

}  // namespace

void checker::check_warnings() { warner(*this).run(); }

}  // namespace stepcare::check_detail
