// Names and types (language.md sections 4 and 5): every expression gets a type, every name
// the question, let, outcome or option it means, and test answers are checked against
// their questions.
//
// Expressions are typed by an explicit stack machine rather than by recursion: a long
// chain such as `a + b + c + ...` or a long chain of lets referring to each other must
// not exhaust the native stack, whatever the input. A let is typed when it is first
// needed; a let met again while it is being typed is part of a cycle, which the flow pass
// reports, so here it only gets the invalid type.

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "check/check_context.hpp"

namespace stepcare::check_detail {

namespace {

using ast::expr_kind;
using ast::expr_ref;
using ast::op;
using type_kind = expr_type::kind;

/// A bare identifier or `yes` / `no`: something that may mean an option.
bool may_be_option(const ast::expr_node& node) {
    return node.kind == expr_kind::name || node.kind == expr_kind::yes_no;
}

std::string_view option_id_of(const ast::expr_node& node) {
    if (node.kind == expr_kind::yes_no) return node.boolean ? "yes" : "no";
    return node.text;
}

bool has_options(expr_type t) { return t.type == type_kind::choice || t.type == type_kind::multi; }

}  // namespace

std::string checker::option_set_name(std::uint32_t set) const {
    const option_set_info& info = model.option_sets[set];
    if (info.is_inline) return cat("question ", quoted(info.name));
    return quoted(info.name);
}

std::string checker::type_name(expr_type t) const {
    switch (t.type) {
        case type_kind::invalid: return "invalid";
        case type_kind::boolean: return "a bool";
        case type_kind::number: return "a number";
        case type_kind::text: return "a text";
        case type_kind::choice:
        case type_kind::multi: {
            const char* const kind = t.type == type_kind::choice ? "a choice" : "a multi";
            if (t.option_set == no_index) return kind;
            const option_set_info& set = model.option_sets[t.option_set];
            return cat(kind, set.is_inline ? " from the options of question " : " from ", quoted(set.name));
        }
        case type_kind::set: return "a set of options";
    }
    return "invalid";
}

expr_type checker::question_type(std::uint32_t question) const {
    const question_info& q = model.questions[question];
    switch (q.type) {
        case question_kind::yesno: return {type_kind::boolean};
        case question_kind::integer:
        case question_kind::decimal: return {type_kind::number};
        case question_kind::text: return {type_kind::text};
        case question_kind::choice:
            if (q.option_set == no_index) return {};
            return {type_kind::choice, q.option_set};
        case question_kind::multi:
            if (q.option_set == no_index) return {};
            return {type_kind::multi, q.option_set};
    }
    return {};
}

void checker::add_option_suggestion(pending_diagnostic& error, std::string_view id, std::uint32_t set) const {
    const option_set_info& info = model.option_sets[set];
    std::vector<std::string_view> ids;
    for (const option_info& option : info.options) ids.push_back(option.id);
    std::string_view const best = closest_name(id, ids);
    if (!best.empty()) {
        error.message += cat("; did you mean ", quoted(best), "?");
        error.notes.push_back({info.options[info.find(best)].node->id.range, cat(quoted(best), " is defined here")});
        return;
    }
    constexpr std::size_t listed = 8;
    error.message += "; its options are ";
    for (std::size_t i = 0; i < ids.size() && i < listed; ++i) {
        if (i > 0) error.message += i + 1 == ids.size() ? " and " : ", ";
        error.message += quoted(ids[i]);
    }
    if (ids.size() > listed) error.message += " and more";
}

void checker::report_unknown_option(source_range where, std::string_view id, std::uint32_t set, std::string_view code) {
    auto& error = found.error(std::string(code), where, cat(quoted(id), " is not an option of ", option_set_name(set)));
    add_option_suggestion(error, id, set);
}

void checker::report_unresolved_name(source_range where, std::string_view name) {
    symbol const what = model.find(name);
    if (what.kind != symbol_kind::none) {
        auto& error = found.error("undefined-name", where,
                                  cat(quoted(name), " is ", a_kind_name(what.kind),
                                      ", which has no value; only questions, lets and outcomes "
                                      "can be used in expressions"));
        error.notes.push_back({definition_range(what), cat(quoted(name), " is defined here")});
        return;
    }
    auto& error = found.error("undefined-name", where, cat(quoted(name), " is not defined"));
    if (add_suggestion(error, suggest(name, {symbol_kind::question, symbol_kind::let, symbol_kind::outcome}))) {
        return;
    }
    for (std::uint32_t s = 0; s < model.option_sets.size(); ++s) {
        std::uint32_t const option = model.option_sets[s].find(name);
        if (option == no_index) continue;
        error.notes.push_back({model.option_sets[s].options[option].node->id.range,
                               cat(quoted(name), " is an option of ", option_set_name(s),
                                   "; an option id means that option only next to '==', '!=', 'in' or 'has' "
                                   "with a value from its set")});
        return;
    }
    error.message += "; check the spelling, or define it";
}

bool checker::is_option_anywhere(std::string_view id) const {
    for (const option_set_info& set : model.option_sets) {
        if (set.find(id) != no_index) return true;
    }
    return false;
}

namespace {

class typer {
public:
    explicit typer(checker& c) : c_(c), m_(c.model), lets_(c.model.lets.size(), state::untyped) {}

    void type_let(std::uint32_t let) {
        if (lets_[let] != state::untyped) return;
        start_let(let);
        run();
    }

    /// Types a condition: a `when`, `require`, `expect` or invariant, which must be a bool.
    void type_condition(expr_ref root, std::string_view context) {
        push(root, false);
        run();
        expect(root, type_kind::boolean, context);
    }

private:
    enum class state : std::uint8_t { untyped, typing, typed };
    enum class step : std::uint8_t { done, children_pushed, waiting_for_let };

    struct frame {
        expr_ref ref = ast::no_expr;
        std::uint32_t let = no_index;  ///< a let frame: the let whose value is now typed
        bool entered = false;
        bool may_be_option = false;  ///< an identifier whose parent decides if it is an option
    };

    checker& c_;
    checked_questionnaire& m_;
    std::vector<state> lets_;
    std::vector<frame> stack_;

    const ast::expr_node& node(expr_ref ref) const { return c_.tree.expressions[ref]; }
    expression_info& info(expr_ref ref) { return m_.expressions[ref]; }
    expr_type type(expr_ref ref) const { return m_.expressions[ref].type; }
    void set_type(expr_ref ref, expr_type t) { m_.expressions[ref].type = t; }

    void push(expr_ref ref, bool option_position) {
        frame f;
        f.ref = ref;
        f.may_be_option = option_position && may_be_option(node(ref));
        stack_.push_back(f);
    }

    void start_let(std::uint32_t let) {
        lets_[let] = state::typing;
        frame f;
        f.let = let;
        stack_.push_back(f);
        push(m_.lets[let].value, false);
    }

    void run() {
        while (!stack_.empty()) {
            std::size_t const top = stack_.size() - 1;
            frame const f = stack_[top];
            if (f.let != no_index) {
                stack_.pop_back();
                m_.lets[f.let].type = type(m_.lets[f.let].value);
                lets_[f.let] = state::typed;
                continue;
            }
            if (f.entered) {
                stack_.pop_back();
                finish(f.ref);
                continue;
            }
            stack_[top].entered = true;
            switch (enter(f)) {
                case step::done: stack_.pop_back(); break;
                case step::children_pushed: break;
                case step::waiting_for_let: stack_[top].entered = false; break;
            }
        }
    }

    // ---- entering a node: leaves are typed, composite nodes push their operands ----------

    step enter(const frame& f) {
        const ast::expr_node& n = node(f.ref);
        switch (n.kind) {
            case expr_kind::number: set_type(f.ref, {type_kind::number}); return step::done;
            case expr_kind::string: set_type(f.ref, {type_kind::text}); return step::done;
            case expr_kind::boolean:
            case expr_kind::yes_no: set_type(f.ref, {type_kind::boolean}); return step::done;
            case expr_kind::name: return enter_name(f);
            case expr_kind::set:
                c_.found.error("type-mismatch", n.range,
                               "a set of options such as {a, b} is allowed only on the right "
                               "of 'in'");
                return step::done;
            case expr_kind::unary:
            case expr_kind::conditional: push_operands(n, false); return step::children_pushed;
            case expr_kind::binary: return enter_binary(f.ref, n);
            case expr_kind::call: return enter_call(f.ref, n);
        }
        return step::done;
    }

    void push_operands(const ast::expr_node& n, bool option_position) {
        // In reverse, so that the leftmost operand is typed first.
        for (auto it = n.operands.rbegin(); it != n.operands.rend(); ++it) {
            push(*it, option_position);
        }
    }

    step enter_name(const frame& f) {
        const ast::expr_node& n = node(f.ref);
        symbol const what = m_.find(n.text);
        switch (what.kind) {
            case symbol_kind::question:
                info(f.ref).binding = what;
                set_type(f.ref, c_.question_type(what.index));
                return step::done;
            case symbol_kind::outcome:
                info(f.ref).binding = what;
                set_type(f.ref, {type_kind::boolean});
                return step::done;
            case symbol_kind::let:
                if (lets_[what.index] == state::untyped) {
                    start_let(what.index);
                    return step::waiting_for_let;
                }
                info(f.ref).binding = what;
                // A let still being typed is in a cycle: reported by the flow pass.
                if (lets_[what.index] == state::typed) set_type(f.ref, m_.lets[what.index].type);
                return step::done;
            default:
                // Next to ==, !=, has: the parent decides once it knows the other side.
                if (!f.may_be_option) c_.report_unresolved_name(n.range, n.text);
                return step::done;
        }
    }

    step enter_binary(expr_ref ref, const ast::expr_node& n) {
        expr_ref const left = n.operands[0];
        expr_ref const right = n.operands[1];
        switch (n.oper) {
            case op::eq:
            case op::ne:
                push(right, true);
                push(left, true);
                break;
            case op::in:
                // A set on the right is read by finish_in once the left side is typed.
                if (node(right).kind != expr_kind::set) push(right, false);
                push(left, false);
                break;
            case op::has:
                push(right, true);
                push(left, false);
                break;
            default: push_operands(node(ref), false); break;
        }
        return step::children_pushed;
    }

    step enter_call(expr_ref ref, const ast::expr_node& n) {
        info(ref).function = builtin_named(n.text);
        // answered(q) names a question without using its value; finish_answered reads it.
        bool const names_question = info(ref).function == builtin::answered && n.operands.size() == 1 &&
                                    node(n.operands[0]).kind == expr_kind::name;
        // With no operand pushed, the call itself is finished next.
        if (!names_question) push_operands(n, false);
        return step::children_pushed;
    }

    // ---- finishing a node whose operands are typed ------------------------------------------

    void finish(expr_ref ref) {
        const ast::expr_node& n = node(ref);
        switch (n.kind) {
            case expr_kind::unary:
                if (n.oper == op::not_) {
                    expect(n.operands[0], type_kind::boolean, "'not'");
                    set_type(ref, {type_kind::boolean});
                } else {
                    expect(n.operands[0], type_kind::number, "'-'");
                    set_type(ref, {type_kind::number});
                }
                return;
            case expr_kind::conditional:
                expect(n.operands[0], type_kind::boolean, "'if'");
                set_type(ref, same_type(n.operands[1], n.operands[2], "the two branches of 'if'", "the 'then' branch",
                                        "the 'else' branch"));
                return;
            case expr_kind::binary: finish_binary(ref, n); return;
            case expr_kind::call: finish_call(ref, n); return;
            default: return;
        }
    }

    void finish_binary(expr_ref ref, const ast::expr_node& n) {
        expr_ref const left = n.operands[0];
        expr_ref const right = n.operands[1];
        std::string const context = quoted(ast::spelling(n.oper));
        switch (n.oper) {
            case op::implies:
            case op::or_:
            case op::and_:
                expect(left, type_kind::boolean, context);
                expect(right, type_kind::boolean, context);
                set_type(ref, {type_kind::boolean});
                return;
            case op::add:
            case op::sub:
            case op::mul:
            case op::div:
                expect(left, type_kind::number, context);
                expect(right, type_kind::number, context);
                set_type(ref, {type_kind::number});
                return;
            case op::lt:
            case op::le:
            case op::gt:
            case op::ge:
                expect(left, type_kind::number, context);
                expect(right, type_kind::number, context);
                set_type(ref, {type_kind::boolean});
                return;
            case op::eq:
            case op::ne: finish_equality(left, right, context); break;
            case op::in: finish_in(left, right); break;
            case op::has: finish_has(left, right); break;
            case op::coalesce:
                set_type(ref,
                         same_type(left, right, cat("the two sides of ", context), "the left side", "the right side"));
                return;
            default: return;
        }
        set_type(ref, {type_kind::boolean});
    }

    /// Whether identifier `ref` is an option of the set of `other`'s type; if so, binds it.
    bool bind_option(expr_ref ref, expr_type other) {
        if (!has_options(other) || !may_be_option(node(ref))) return false;
        std::uint32_t const option = m_.option_sets[other.option_set].find(option_id_of(node(ref)));
        if (option == no_index) return false;
        info(ref).binding = {symbol_kind::option, option, other.option_set};
        set_type(ref, {type_kind::choice, other.option_set});
        return true;
    }

    /// An identifier left unresolved in an option position, once the other side is known:
    /// an option that is not in the other side's set, or an undefined name.
    void settle(expr_ref ref, expr_type other) {
        const ast::expr_node& n = node(ref);
        if (!may_be_option(n) || info(ref).binding.kind != symbol_kind::none) return;
        if (has_options(other)) {
            set_type(ref, {});
            c_.report_unknown_option(n.range, option_id_of(n), other.option_set);
            return;
        }
        // `yes` and `no` are booleans away from a set that has them.
        if (n.kind == expr_kind::yes_no) return;
        // Next to something already in error, an option id is most likely meant for it.
        if (other.type == type_kind::invalid && c_.is_option_anywhere(n.text)) return;
        c_.report_unresolved_name(n.range, n.text);
    }

    void finish_equality(expr_ref left, expr_ref right, const std::string& context) {
        // The option wins over a question, let or outcome of the same name (language.md
        // section 10), so the right side is tried as an option of the left's set first,
        // then the other way round.
        if (!bind_option(right, type(left))) bind_option(left, type(right));
        settle(left, type(right));
        settle(right, type(left));
        expr_type const l = type(left);
        expr_type const r = type(right);
        if (l.type == type_kind::invalid || r.type == type_kind::invalid || l == r) return;
        auto const one_option_of_multi = [&](expr_type multi, expr_ref option) {
            return multi.type == type_kind::multi && info(option).binding.kind == symbol_kind::option &&
                   info(option).binding.option_set == multi.option_set;
        };
        if (one_option_of_multi(l, right) || one_option_of_multi(r, left)) {
            expr_ref const option = one_option_of_multi(l, right) ? right : left;
            expr_ref const multi = option == right ? left : right;
            c_.found.error(
                "type-mismatch", node(option).range,
                cat(context, " compares a multi with one option; to test whether ", quoted(option_id_of(node(option))),
                    " was chosen, write ", spelled(multi, "m"), " has ", option_id_of(node(option))));
            return;
        }
        same_type(left, right, cat("the two sides of ", context), "the left side", "the right side");
    }

    void finish_in(expr_ref left, expr_ref right) {
        expr_type const l = type(left);
        const ast::expr_node& set = node(right);
        if (set.kind != expr_kind::set) {
            if (type(right).type != type_kind::invalid) {
                c_.found.error("type-mismatch", set.range,
                               cat("'in' needs a set of options such as {a, b} on its right, "
                                   "but ",
                                   subject(right, "this"), " is ", c_.type_name(type(right))));
            }
            expect(left, type_kind::choice, "the left side of 'in'");
            return;
        }
        if (l.type != type_kind::choice) {
            std::string hint;
            if (l.type == type_kind::multi) {
                std::string const multi = spelled(left, "m");
                hint =
                    cat("; to test whether some options were chosen, use 'has' with each, as "
                        "in any(",
                        multi, " has a, ", multi, " has b)");
            }
            expect(left, type_kind::choice, "the left side of 'in'", hint);
            return;
        }
        set_type(right, {type_kind::set, l.option_set});
        for (expr_ref const member : set.operands) {
            if (!bind_option(member, l)) {
                c_.report_unknown_option(node(member).range, option_id_of(node(member)), l.option_set);
            }
        }
    }

    void finish_has(expr_ref left, expr_ref right) {
        expr_type const l = type(left);
        bind_option(right, l);
        settle(right, l);
        if (l.type == type_kind::choice) {
            expect(left, type_kind::multi, "the left side of 'has'",
                   cat("; for a choice, write ", spelled(left, "c"), " == ", spelled(right, "x")));
            return;
        }
        if (!expect(left, type_kind::multi, "the left side of 'has'")) return;
        expr_type const r = type(right);
        if (r.type == type_kind::invalid || r == expr_type{type_kind::choice, l.option_set}) return;
        c_.found.error("type-mismatch", node(right).range,
                       cat("the right side of 'has' needs an option of ", c_.option_set_name(l.option_set), ", but ",
                           subject(right, "this"), " is ", c_.type_name(r)));
    }

    // ---- calls ------------------------------------------------------------------------------

    void finish_call(expr_ref ref, const ast::expr_node& n) {
        std::optional<builtin> const function = info(ref).function;
        if (!function) {
            report_unknown_function(n);
            return;
        }
        const builtin_traits& traits = traits_of(*function);
        set_type(ref, {traits.result});
        bool const arity_ok = traits.max_arguments == 1 ? exactly_one_argument(ref, n, traits.argument_name)
                                                        : at_least_one_argument(ref, n, traits.argument_name);
        if (!arity_ok) return;
        if (*function == builtin::answered) {
            finish_answered(n.operands[0]);
            return;
        }
        std::string const context = quoted(n.text);
        for (expr_ref const argument : n.operands) {
            // A multi given to score() was probably meant for count().
            std::string const hint = *function == builtin::score ? multi_hint(argument, "count") : std::string();
            if (expect(argument, traits.argument, context, hint) && *function == builtin::score) {
                check_scored(argument);
            }
        }
    }

    void report_unknown_function(const ast::expr_node& n) {
        auto& error = c_.found.error("undefined-name", n.name_range, cat("no function is named ", quoted(n.text)));
        std::vector<std::string_view> names;
        for (const builtin_traits& traits : builtins) names.push_back(traits.name);
        std::string_view const best = closest_name(n.text, names);
        if (!best.empty()) {
            error.message += cat("; did you mean ", quoted(best), "?");
            return;
        }
        error.message += "; the functions are ";
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i > 0) error.message += i + 1 == names.size() ? " and " : ", ";
            error.message += names[i];
        }
    }

    bool exactly_one_argument(expr_ref ref, const ast::expr_node& n, std::string_view what) {
        if (n.operands.size() == 1) return true;
        c_.found.error("type-mismatch", node(ref).range,
                       cat(quoted(n.text), " takes exactly one argument, ", what, ", but it has ",
                           n.operands.empty() ? std::string("none") : std::to_string(n.operands.size())));
        return false;
    }

    bool at_least_one_argument(expr_ref ref, const ast::expr_node& n, std::string_view what) {
        if (!n.operands.empty()) return true;
        c_.found.error("type-mismatch", node(ref).range, cat(quoted(n.text), " needs at least one ", what));
        return false;
    }

    void finish_answered(expr_ref argument) {
        const ast::expr_node& n = node(argument);
        if (n.kind != expr_kind::name) {
            if (type(argument).type != type_kind::invalid) {
                c_.found.error("type-mismatch", n.range, "'answered' needs the name of a question, not a calculation");
            }
            return;
        }
        symbol const what = m_.find(n.text);
        if (what.kind == symbol_kind::question) {
            info(argument).binding = what;
            set_type(argument, c_.question_type(what.index));
            return;
        }
        if (what.kind == symbol_kind::none) {
            auto& error = c_.found.error("undefined-name", n.range, cat("no question is named ", quoted(n.text)));
            if (!c_.add_suggestion(error, c_.suggest(n.text, {symbol_kind::question}))) {
                error.message += "; check the spelling, or define it";
            }
            return;
        }
        auto& error = c_.found.error(
            "type-mismatch", n.range,
            cat("'answered' needs a question, but ", quoted(n.text), " is ", checker::a_kind_name(what.kind),
                what.kind == symbol_kind::let || what.kind == symbol_kind::outcome
                    ? "; use answered() on the questions it is computed from"
                    : ""));
        error.notes.push_back({c_.definition_range(what), cat(quoted(n.text), " is defined here")});
    }

    void check_scored(expr_ref argument) {
        const option_set_info& set = m_.option_sets[type(argument).option_set];
        if (set.fully_scored) return;
        for (const option_info& option : set.options) {
            if (option.score) continue;
            auto& error = c_.found.error(
                "score-without-scores", node(argument).range,
                cat("'score' needs a score on every option of ", c_.option_set_name(type(argument).option_set),
                    ", but ", quoted(option.id), " has none"));
            error.notes.push_back(
                {option.node->id.range, cat("give ", quoted(option.id), " a score, as in ", option.id, " = 0")});
            return;
        }
    }

    // ---- expectations -----------------------------------------------------------------------

    /// `'name'` for a name or `yes`/`no`, otherwise `fallback`.
    std::string subject(expr_ref ref, std::string_view fallback) const {
        const ast::expr_node& n = node(ref);
        if (may_be_option(n)) return quoted(option_id_of(n));
        return std::string(fallback);
    }

    /// The identifier as written, for an example in a message, otherwise `fallback`.
    std::string spelled(expr_ref ref, std::string_view fallback) const {
        const ast::expr_node& n = node(ref);
        return std::string(may_be_option(n) ? option_id_of(n) : fallback);
    }

    /// For a multi where a choice is expected: how to get at it with `function`.
    std::string multi_hint(expr_ref ref, std::string_view function) const {
        if (type(ref).type != type_kind::multi) return {};
        return cat("; use ", function, "(", spelled(ref, "..."), ") for the number of options chosen");
    }

    /// Reports unless `ref`'s type is of kind `wanted` (or invalid, already reported).
    /// Returns whether it is of kind `wanted`.
    bool expect(expr_ref ref, type_kind wanted, std::string_view context, std::string_view extra_hint = {}) {
        expr_type const found = type(ref);
        if (found.type == wanted) return true;
        if (found.type == type_kind::invalid) return false;
        std::string hint(extra_hint);
        if (hint.empty() && node(ref).kind == expr_kind::name) {
            if (wanted == type_kind::number && found.type == type_kind::choice) {
                hint = cat("; use score(", node(ref).text, ") for the score of its answer");
            } else if (wanted == type_kind::number && found.type == type_kind::multi) {
                hint = cat("; use count(", node(ref).text, ") for the number of options chosen");
            } else if (wanted == type_kind::boolean && has_options(found)) {
                hint = cat(found.type == type_kind::choice ? "; compare it with an option, as in "
                                                           : "; test an option, as in ",
                           node(ref).text, found.type == type_kind::choice ? " == " : " has ",
                           m_.option_sets[found.option_set].options.front().id);
            }
        }
        c_.found.error("type-mismatch", node(ref).range,
                       cat(context, " needs ", c_.type_name({wanted}), ", but ", subject(ref, "this"), " is ",
                           c_.type_name(found), hint));
        return false;
    }

    /// Reports at `right` unless both have the same type; `left_name` and `right_name`
    /// say which operand is which when they are not names.
    /// Returns the type both have (either's, when the other is invalid), or invalid after
    /// reporting the mismatch.
    expr_type same_type(expr_ref left, expr_ref right, std::string_view what, std::string_view left_name,
                        std::string_view right_name) {
        expr_type const l = type(left);
        expr_type const r = type(right);
        if (l.type == type_kind::invalid) return r;
        if (l == r || r.type == type_kind::invalid) return l;
        c_.found.error("type-mismatch", node(right).range,
                       cat(what, " must have the same type, but ", subject(left, left_name), " is ", c_.type_name(l),
                           " and ", subject(right, right_name), " is ", c_.type_name(r)));
        return {};
    }
};

}  // namespace

void checker::check_types() {
    typer t(*this);
    for (std::uint32_t let = 0; let < model.lets.size(); ++let) t.type_let(let);
    for (const section_info& section : model.sections) {
        if (section.node->when != ast::no_expr) t.type_condition(section.node->when, "'when'");
    }
    for (const question_info& question : model.questions) {
        if (question.node->when != ast::no_expr) t.type_condition(question.node->when, "'when'");
        for (const requirement& r : question.requirements) {
            t.type_condition(r.condition, "'require'");
        }
    }
    for (const outcome_info& outcome : model.outcomes) t.type_condition(outcome.when, "'when'");
    for (test_info& test : model.tests) {
        check_given(test);
        for (expr_ref const expectation : test.node->expectations) {
            t.type_condition(expectation, "'expect'");
        }
    }
    for (const ast::invariant_def* invariant : model.invariants) {
        t.type_condition(invariant->condition, "an invariant");
    }
}

void checker::check_given(test_info& test) {
    // Per question: where this test first answers it.
    std::vector<const ast::given_answer*> first_answer(model.questions.size(), nullptr);
    for (const ast::given_answer& answer : test.node->given) {
        given_info given;
        given.value = answer.value;
        given.node = &answer;
        symbol const what = model.find(answer.question.name);
        type_literal(answer.value);
        if (what.kind != symbol_kind::question) {
            report_not_a_question(answer.question);
            test.given.push_back(given);
            continue;
        }
        given.question = what.index;
        if (const ast::given_answer* earlier = first_answer[what.index]) {
            auto& error = found.error(
                "invalid-test-value", answer.question.range,
                cat("question ", quoted(answer.question.name), " is given twice in this test; keep one answer"));
            error.notes.push_back({earlier->question.range, "first given here"});
        } else {
            first_answer[what.index] = &answer;
            check_given_value(what.index, answer.value);
        }
        test.given.push_back(given);
    }
}

void checker::type_literal(expr_ref ref) {
    const ast::expr_node& n = tree.expressions[ref];
    switch (n.kind) {
        case expr_kind::number: model.expressions[ref].type = {type_kind::number}; break;
        case expr_kind::string: model.expressions[ref].type = {type_kind::text}; break;
        case expr_kind::boolean:
        case expr_kind::yes_no: model.expressions[ref].type = {type_kind::boolean}; break;
        default: break;
    }
}

void checker::report_not_a_question(const ast::identifier& name) {
    symbol const what = model.find(name.name);
    if (what.kind != symbol_kind::none) {
        auto& error = found.error(
            "invalid-test-value", name.range,
            cat(quoted(name.name), " is ", a_kind_name(what.kind), "; a test gives answers to questions only"));
        error.notes.push_back({definition_range(what), cat(quoted(name.name), " is defined here")});
        return;
    }
    auto& error = found.error("invalid-test-value", name.range, cat("no question is named ", quoted(name.name)));
    if (!add_suggestion(error, suggest(name.name, {symbol_kind::question}))) {
        error.message += "; check the spelling";
    }
}

void checker::check_given_value(std::uint32_t question, expr_ref value) {
    const question_info& q = model.questions[question];
    const ast::expr_node& n = tree.expressions[value];
    auto wrong = [&](std::string_view expected) {
        found.error("invalid-test-value", n.range, cat("question ", quoted(q.name), " needs ", expected));
    };
    switch (q.type) {
        case question_kind::yesno:
            if (n.kind != expr_kind::boolean && n.kind != expr_kind::yes_no) {
                wrong("yes, no, true or false as its answer");
            }
            return;
        case question_kind::integer:
        case question_kind::decimal: {
            if (n.kind != expr_kind::number) {
                wrong(q.type == question_kind::integer ? "a whole number as its answer" : "a number as its answer");
                return;
            }
            if (q.type == question_kind::integer && n.number != std::floor(n.number)) {
                found.error("invalid-test-value", n.range,
                            cat("question ", quoted(q.name), " is an integer question, so ",
                                ast::number_spelling(n.number), " is not a possible answer"));
                return;
            }
            if (n.number < q.min || n.number > q.max) {
                auto& error = found.error(
                    "invalid-test-value", n.range,
                    cat(ast::number_spelling(n.number), " is outside the range of question ", quoted(q.name),
                        ", which is ", ast::number_spelling(q.min), " to ", ast::number_spelling(q.max)));
                error.notes.push_back({q.node->type.range, "the range is given here"});
            }
            return;
        }
        case question_kind::text: {
            if (n.kind != expr_kind::string) {
                wrong("a string as its answer");
                return;
            }
            std::size_t const length = code_point_count(n.text);
            if (q.max_length && length > *q.max_length) {
                auto& error =
                    found.error("invalid-test-value", n.range,
                                cat("this answer has ", std::to_string(length), " characters, more than the ",
                                    std::to_string(*q.max_length), " that question ", quoted(q.name), " allows"));
                error.notes.push_back({q.node->type.range, "the maximum is given here"});
            }
            return;
        }
        case question_kind::choice:
            if (q.option_set == no_index) return;
            if (!may_be_option(n)) {
                wrong(cat("one of its options as its answer, such as ",
                          model.option_sets[q.option_set].options.front().id));
                return;
            }
            given_option(value, q.option_set);
            model.expressions[value].type = {type_kind::choice, q.option_set};
            return;
        case question_kind::multi:
            if (q.option_set == no_index) return;
            if (n.kind != expr_kind::set) {
                wrong(cat("a set of its options as its answer, such as {",
                          model.option_sets[q.option_set].options.front().id, "}"));
                return;
            }
            for (expr_ref const member : n.operands) given_option(member, q.option_set);
            model.expressions[value].type = {type_kind::set, q.option_set};
            return;
    }
}

void checker::given_option(expr_ref ref, std::uint32_t set) {
    const ast::expr_node& n = tree.expressions[ref];
    std::string_view const id = option_id_of(n);
    std::uint32_t const option = model.option_sets[set].find(id);
    if (option == no_index) {
        report_unknown_option(n.range, id, set, "invalid-test-value");
        return;
    }
    model.expressions[ref].binding = {symbol_kind::option, option, set};
    model.expressions[ref].type = {type_kind::choice, set};
}

}  // namespace stepcare::check_detail
