// The compile phase: a checked questionnaire becomes a flat, immutable program.

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <stdexcept>

#include "compile/program.hpp"

namespace stepcare {

std::uint32_t program::find_question(std::string_view name) const {
    std::uint32_t const found = question_index.find(name);
    return found == name_index::not_found ? no_index : found;
}

std::optional<std::size_t> program::find_language(std::string_view tag) const {
    for (std::size_t i = 0; i < languages.size(); ++i) {
        if (languages[i] == tag) return i;
    }
    return std::nullopt;
}

namespace {

std::string sha256_hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
    }
    std::string hex;
    hex.reserve(2 * length);
    for (unsigned int i = 0; i < length; ++i) {
        std::array<char, 3> pair{};
        std::snprintf(pair.data(), pair.size(), "%02x", digest[i]);
        hex += pair.data();
    }
    return hex;
}

outcome_level level_of(ast::level level) {
    switch (level) {
        case ast::level::urgent: return outcome_level::urgent;
        case ast::level::caution: return outcome_level::caution;
        case ast::level::guidance: return outcome_level::guidance;
        case ast::level::info: return outcome_level::info;
    }
    return outcome_level::info;
}

opcode binary_opcode(ast::op o) {
    switch (o) {
        case ast::op::implies: return opcode::logical_implies;
        case ast::op::or_: return opcode::logical_or;
        case ast::op::and_: return opcode::logical_and;
        case ast::op::eq: return opcode::equal;
        case ast::op::ne: return opcode::not_equal;
        case ast::op::lt: return opcode::less;
        case ast::op::le: return opcode::less_equal;
        case ast::op::gt: return opcode::greater;
        case ast::op::ge: return opcode::greater_equal;
        case ast::op::in: return opcode::in_set;
        case ast::op::has: return opcode::has;
        case ast::op::add: return opcode::add;
        case ast::op::sub: return opcode::subtract;
        case ast::op::mul: return opcode::multiply;
        case ast::op::div: return opcode::divide;
        case ast::op::coalesce: return opcode::coalesce;
        default: throw std::logic_error("not a binary operator");
    }
}

/// The instruction that reads a question and applies `function` to its answer, when there
/// is one: `answered` must be one, since explanations show what it read.
std::optional<opcode> applied_to_question(builtin function) {
    if (function == builtin::answered) return opcode::answered;
    if (function == builtin::score) return opcode::question_score;
    return std::nullopt;
}

/// The form of a binary operator that takes its right operand from the constants.
std::optional<opcode> with_constant_right(opcode code) {
    switch (code) {
        case opcode::equal: return opcode::equal_constant;
        case opcode::not_equal: return opcode::not_equal_constant;
        case opcode::less: return opcode::less_constant;
        case opcode::less_equal: return opcode::less_equal_constant;
        case opcode::greater: return opcode::greater_constant;
        case opcode::greater_equal: return opcode::greater_equal_constant;
        case opcode::in_set: return opcode::in_set_constant;
        case opcode::has: return opcode::has_constant;
        case opcode::add: return opcode::add_constant;
        case opcode::subtract: return opcode::subtract_constant;
        case opcode::multiply: return opcode::multiply_constant;
        case opcode::divide: return opcode::divide_constant;
        case opcode::coalesce: return opcode::coalesce_constant;
        default: return std::nullopt;
    }
}

/// Pairs of instructions that program::flow_code holds as one. `first` is a load (or a
/// fused load and operator), so it is the whole last operand of `second`; or `second`
/// only consumes what `first` leaves.
struct fusion {
    /// The fused instruction's operands: both instructions' operands in order, `first`'s
    /// two, or `second`'s and then `first`'s.
    enum class operands : std::uint8_t { both, first, second_then_first };
    opcode first;
    opcode second;
    opcode fused;
    operands taken = operands::both;
};

constexpr fusion flow_fusions[] = {
    {opcode::question, opcode::equal_constant, opcode::question_equal_constant},
    {opcode::question, opcode::not_equal_constant, opcode::question_not_equal_constant},
    {opcode::question, opcode::less_constant, opcode::question_less_constant},
    {opcode::question, opcode::less_equal_constant, opcode::question_less_equal_constant},
    {opcode::question, opcode::greater_constant, opcode::question_greater_constant},
    {opcode::question, opcode::greater_equal_constant, opcode::question_greater_equal_constant},
    {opcode::question, opcode::in_set_constant, opcode::question_in_set_constant},
    {opcode::question, opcode::has_constant, opcode::question_has_constant},
    {opcode::question, opcode::add_constant, opcode::question_add_constant},
    {opcode::question, opcode::subtract_constant, opcode::question_subtract_constant},
    {opcode::question, opcode::multiply_constant, opcode::question_multiply_constant},
    {opcode::question, opcode::divide_constant, opcode::question_divide_constant},
    {opcode::question, opcode::coalesce_constant, opcode::question_coalesce_constant},
    {opcode::let, opcode::equal_constant, opcode::let_equal_constant},
    {opcode::let, opcode::not_equal_constant, opcode::let_not_equal_constant},
    {opcode::let, opcode::less_constant, opcode::let_less_constant},
    {opcode::let, opcode::less_equal_constant, opcode::let_less_equal_constant},
    {opcode::let, opcode::greater_constant, opcode::let_greater_constant},
    {opcode::let, opcode::greater_equal_constant, opcode::let_greater_equal_constant},
    {opcode::let, opcode::in_set_constant, opcode::let_in_set_constant},
    {opcode::let, opcode::has_constant, opcode::let_has_constant},
    {opcode::let, opcode::add_constant, opcode::let_add_constant},
    {opcode::let, opcode::subtract_constant, opcode::let_subtract_constant},
    {opcode::let, opcode::multiply_constant, opcode::let_multiply_constant},
    {opcode::let, opcode::divide_constant, opcode::let_divide_constant},
    {opcode::let, opcode::coalesce_constant, opcode::let_coalesce_constant},
    {opcode::question_score, opcode::equal_constant, opcode::question_score_equal_constant},
    {opcode::question_score, opcode::not_equal_constant, opcode::question_score_not_equal_constant},
    {opcode::question_score, opcode::less_constant, opcode::question_score_less_constant},
    {opcode::question_score, opcode::less_equal_constant, opcode::question_score_less_equal_constant},
    {opcode::question_score, opcode::greater_constant, opcode::question_score_greater_constant},
    {opcode::question_score, opcode::greater_equal_constant, opcode::question_score_greater_equal_constant},
    {opcode::question_score, opcode::add_constant, opcode::question_score_add_constant},
    {opcode::question_score, opcode::subtract_constant, opcode::question_score_subtract_constant},
    {opcode::question_score, opcode::multiply_constant, opcode::question_score_multiply_constant},
    {opcode::question_score, opcode::divide_constant, opcode::question_score_divide_constant},
    {opcode::question_score, opcode::coalesce_constant, opcode::question_score_coalesce_constant},
    {opcode::question_score_coalesce_constant, opcode::add, opcode::add_question_score_coalesce_constant,
     fusion::operands::first},
    {opcode::logical_not, opcode::logical_and, opcode::logical_and_not, fusion::operands::first},
    {opcode::outcome, opcode::logical_and_not, opcode::and_not_outcome, fusion::operands::first},
    {opcode::question, opcode::logical_and, opcode::and_question, fusion::operands::first},
    {opcode::let, opcode::logical_and, opcode::and_let, fusion::operands::first},
    {opcode::let, opcode::logical_or, opcode::or_let, fusion::operands::first},
    {opcode::let, opcode::question_when, opcode::question_when_let, fusion::operands::second_then_first},
    {opcode::store_let_keep, opcode::store_outcome, opcode::store_let_and_outcome},
    {opcode::logical_and, opcode::store_let, opcode::logical_and_store_let, fusion::operands::second_then_first},
    {opcode::logical_or, opcode::store_let, opcode::logical_or_store_let, fusion::operands::second_then_first},
    {opcode::logical_and, opcode::store_outcome, opcode::logical_and_store_outcome,
     fusion::operands::second_then_first},
    {opcode::logical_or, opcode::store_outcome, opcode::logical_or_store_outcome, fusion::operands::second_then_first},
    {opcode::logical_and, opcode::question_when, opcode::logical_and_question_when,
     fusion::operands::second_then_first},
};

class compiler {
public:
    compiler(program& p) : p_(p), tree_(*p.tree), model_(*p.model) {}

    void run() {
        p_.id = tree_.name.name;
        p_.version = tree_.version ? tree_.version->value : std::string();
        p_.sha256 = sha256_hex(p_.source_text);
        p_.languages = model_.languages;
        p_.texts = message_catalog(p_.languages);
        p_.title = text(&tree_.title);
        p_.description = text(tree_.description ? &*tree_.description : nullptr);
        for (const source_info& source : model_.sources) p_.sources.push_back({source.name, text(&source.node->title)});
        compile_option_sets();
        compile_questions();
        compile_rules();
        compile_referral();
        build_schedules();
        compile_tests();
    }

private:
    program& p_;
    const ast::questionnaire& tree_;
    const checked_questionnaire& model_;

    std::uint32_t text(const ast::text* t) { return t == nullptr ? no_text : p_.texts.add(*t, model_); }

    /// `option_set`: the set of an option or options constant, for listings.
    std::uint32_t constant(value v, std::uint32_t option_set = no_index) {
        p_.constants.push_back(v);
        p_.constant_option_sets.push_back(option_set);
        return static_cast<std::uint32_t>(p_.constants.size() - 1);
    }

    void emit(opcode code, std::uint32_t operand, std::uint32_t& depth, std::uint32_t pops, std::uint32_t pushes = 1) {
        depth = depth - pops + pushes;
        // Peephole fusion. In postfix code an operator's last operand ends right before
        // it, so when the last instruction is a load, that load is the whole operand.
        if (!p_.code.empty()) {
            instruction& last = p_.code.back();
            if (pops == 2 && last.code == opcode::constant) {
                if (std::optional<opcode> const fused = with_constant_right(code)) {
                    last.code = *fused;
                    return;
                }
            }
            std::optional<builtin> const called = called_builtin(code);
            if (called && last.code == opcode::question) {
                if (std::optional<opcode> const fused = applied_to_question(*called)) {
                    last.code = *fused;
                    return;
                }
            }
        }
        p_.code.push_back({code, operand});
        p_.max_stack = std::max(p_.max_stack, depth);
    }

    /// Compiles the expression at `root` to postfix code. Iterative, because a long chain
    /// such as `a + b + c + ...` nests as deep as it is long.
    /// `depth`: how many values are on the stack under the expression's.
    code_span compile(ast::expr_ref root, std::uint32_t depth = 0) {
        code_span span{static_cast<std::uint32_t>(p_.code.size()), 0};
        struct pending {
            ast::expr_ref ref;
            bool operands_done;
        };
        std::vector<pending> stack{{root, false}};
        while (!stack.empty()) {
            pending const top = stack.back();
            stack.pop_back();
            const ast::expr_node& n = tree_.expr(top.ref);
            const expression_info& info = model_.info(top.ref);
            if (!top.operands_done && n.kind != ast::expr_kind::set && !n.operands.empty()) {
                stack.push_back({top.ref, true});
                for (auto it = n.operands.rbegin(); it != n.operands.rend(); ++it) {
                    stack.push_back({*it, false});
                }
                continue;
            }
            emit_node(top.ref, n, info, depth);
        }
        span.end = static_cast<std::uint32_t>(p_.code.size());
        return span;
    }

    void emit_node(ast::expr_ref ref, const ast::expr_node& n, const expression_info& info, std::uint32_t& depth) {
        auto const operand_count = static_cast<std::uint32_t>(n.operands.size());
        switch (n.kind) {
            case ast::expr_kind::number: emit(opcode::constant, constant(value::of_number(n.number)), depth, 0); return;
            case ast::expr_kind::string: {
                p_.constant_texts.push_back(std::make_unique<std::string>(n.text));
                emit(opcode::constant, constant(value::of_text(*p_.constant_texts.back())), depth, 0);
                return;
            }
            case ast::expr_kind::boolean: emit(opcode::constant, constant(value::of_bool(n.boolean)), depth, 0); return;
            case ast::expr_kind::yes_no:
            case ast::expr_kind::name: emit_name(ref, n, info, depth); return;
            case ast::expr_kind::set: {
                std::uint64_t mask = 0;
                for (ast::expr_ref const member : n.operands) {
                    mask |= std::uint64_t{1} << model_.info(member).binding.index;
                }
                emit(opcode::constant, constant(value::of_options(mask), info.type.option_set), depth, 0);
                return;
            }
            case ast::expr_kind::unary:
                emit(n.oper == ast::op::not_ ? opcode::logical_not : opcode::negate, 0, depth, 1);
                return;
            case ast::expr_kind::binary: emit(binary_opcode(n.oper), 0, depth, 2); return;
            case ast::expr_kind::conditional: emit(opcode::conditional, 0, depth, 3); return;
            case ast::expr_kind::call: {
                builtin const function = *info.function;
                std::uint32_t const operand =
                    function == builtin::score ? model_.info(n.operands.front()).type.option_set : operand_count;
                emit(call_opcode(function), operand, depth, operand_count);
                return;
            }
        }
    }

    void emit_name(ast::expr_ref, const ast::expr_node& n, const expression_info& info, std::uint32_t& depth) {
        symbol const what = info.binding;
        switch (what.kind) {
            case symbol_kind::question: emit(opcode::question, what.index, depth, 0); return;
            case symbol_kind::let: emit(opcode::let, what.index, depth, 0); return;
            case symbol_kind::outcome: emit(opcode::outcome, what.index, depth, 0); return;
            case symbol_kind::option:
                emit(opcode::constant, constant(value::of_option(what.index), what.option_set), depth, 0);
                return;
            default:
                // `yes` and `no` that mean booleans.
                emit(opcode::constant, constant(value::of_bool(n.boolean)), depth, 0);
                return;
        }
    }

    void compile_option_sets() {
        for (const option_set_info& set : model_.option_sets) {
            compiled_option_set out;
            out.name = set.name;
            for (const option_info& option : set.options) {
                out.ids.push_back(option.id);
                out.labels.push_back(text(option.label));
                out.scores.push_back(option.score.value_or(0));
            }
            out.id_index = name_index(std::vector<std::string_view>(out.ids.begin(), out.ids.end()));
            p_.option_sets.push_back(std::move(out));
        }
        for (const section_info& section : model_.sections) {
            p_.sections.push_back({section.name, text(&section.node->title)});
        }
    }

    void compile_questions() {
        for (const question_info& q : model_.questions) {
            compiled_question out;
            out.id = q.name;
            out.kind = q.type;
            out.option_set = q.option_set;
            out.min = q.min;
            out.max = q.max;
            out.max_length = q.max_length;
            out.optional = q.optional;
            out.section = q.section;
            // The code of the conditions is emitted with the flow (emit_flow).
            for (const requirement& r : q.requirements) out.requirements.push_back({{}, text(r.message)});
            out.ask = text(q.ask);
            out.help = text(q.help);
            out.unit = text(q.unit);
            p_.questions.push_back(std::move(out));
        }
        std::vector<std::string_view> ids;
        for (const compiled_question& q : p_.questions) ids.push_back(q.id);
        p_.question_index = name_index(ids);
    }

    void compile_rules() {
        for (const let_info& let : model_.lets) {
            p_.lets.push_back({let.name, {}, let.type});  // code: emit_flow
        }
        for (const outcome_info& o : model_.outcomes) {
            compiled_outcome out;
            out.id = o.name;
            out.level = level_of(o.level);
            out.stop = o.stop;
            out.title = text(o.title);
            for (const ast::text* say : o.says) out.says.push_back(text(say));
            for (std::uint32_t const source : o.cites) out.cites.push_back(model_.sources[source].name);
            p_.outcomes.push_back(std::move(out));
        }
        p_.outcome_order.resize(p_.outcomes.size());
        for (std::uint32_t i = 0; i < p_.outcome_order.size(); ++i) p_.outcome_order[i] = i;
        std::stable_sort(p_.outcome_order.begin(), p_.outcome_order.end(),
                         [&](std::uint32_t a, std::uint32_t b) { return p_.outcomes[a].level < p_.outcomes[b].level; });
    }

    void compile_referral() {
        const referral_info& referral = *model_.referral;
        p_.referral_title = text(referral.title);
        for (const ast::text* say : referral.says) p_.referral_says.push_back(text(say));
        for (std::uint32_t const source : referral.cites) {
            p_.referral_cites.push_back(model_.sources[source].name);
        }
    }

    std::uint32_t rule_number(symbol what) const {
        return what.kind == symbol_kind::let ? what.index : static_cast<std::uint32_t>(model_.lets.size()) + what.index;
    }

    const std::vector<symbol>& uses_of(symbol what) const {
        return what.kind == symbol_kind::let ? model_.lets[what.index].uses : model_.outcomes[what.index].uses;
    }

    std::uint32_t latest_of(symbol what) const {
        return what.kind == symbol_kind::let ? model_.lets[what.index].latest_question
                                             : model_.outcomes[what.index].latest_question;
    }

    static flow_step step_of(symbol what) {
        return {what.kind == symbol_kind::let ? flow_step::kind::let : flow_step::kind::outcome, what.index};
    }

    void build_schedules() {
        auto const question_count = static_cast<std::uint32_t>(model_.questions.size());
        std::size_t const rule_count = model_.lets.size() + model_.outcomes.size();

        // The questions each let and outcome depends on, through any chain of uses.
        std::vector<std::vector<bool>> depends(rule_count, std::vector<bool>(question_count, false));
        for (symbol const what : model_.evaluation_order) {
            std::vector<bool>& mine = depends[rule_number(what)];
            for (symbol const used : uses_of(what)) {
                if (used.kind == symbol_kind::question) {
                    mine[used.index] = true;
                } else {
                    const std::vector<bool>& theirs = depends[rule_number(used)];
                    for (std::uint32_t q = 0; q < question_count; ++q) {
                        if (theirs[q]) mine[q] = true;
                    }
                }
            }
        }
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            const std::vector<bool>& mine = depends[rule_number({symbol_kind::outcome, o})];
            for (std::uint32_t q = 0; q < question_count; ++q) {
                if (mine[q]) p_.outcomes[o].depends_on.push_back(q);
            }
        }
        // Each let and outcome right after the last question it depends on; a stable sort
        // keeps the dependency order among those waiting for the same question.
        std::vector<symbol> order = model_.evaluation_order;
        auto const key = [&](symbol what) {
            std::uint32_t const latest = latest_of(what);
            return latest == no_index ? std::int64_t{-1} : std::int64_t{latest};
        };
        std::stable_sort(order.begin(), order.end(), [&](symbol a, symbol b) { return key(a) < key(b); });
        std::size_t next = 0;
        for (std::uint32_t q = 0; q < question_count; ++q) {
            while (next < order.size() && key(order[next]) < q) p_.schedule.push_back(step_of(order[next++]));
            p_.schedule.push_back({flow_step::kind::question, q});
        }
        while (next < order.size()) p_.schedule.push_back(step_of(order[next++]));
        // What the `stop` outcomes need, in dependency order.
        std::vector<bool> needed(rule_count, false);
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            if (p_.outcomes[o].stop) needed[rule_number({symbol_kind::outcome, o})] = true;
        }
        for (auto it = model_.evaluation_order.rbegin(); it != model_.evaluation_order.rend(); ++it) {
            if (!needed[rule_number(*it)]) continue;
            for (symbol const used : uses_of(*it)) {
                if (used.kind != symbol_kind::question) needed[rule_number(used)] = true;
            }
        }
        std::vector<bool> stop_depends_on(question_count, false);
        for (symbol const what : model_.evaluation_order) {
            if (!needed[rule_number(what)]) continue;
            p_.has_stop = true;
            p_.stop_schedule.push_back(step_of(what));
            const std::vector<bool>& mine = depends[rule_number(what)];
            for (std::uint32_t q = 0; q < question_count; ++q) {
                if (mine[q]) stop_depends_on[q] = true;
            }
        }
        for (std::uint32_t q = 0; q < question_count; ++q) {
            if (stop_depends_on[q]) p_.stop_questions.push_back(q);
        }
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            if (p_.outcomes[o].stop) p_.stop_outcomes.push_back(o);
        }
        p_.flow = emit_flow(p_.schedule, true);
        p_.flow_code.push_back({opcode::end_of_flow, 0, 0});

        // Which lets and outcomes can turn from false to true as more questions are
        // answered: those whose code, or the code of what they use, has `answered` or `??`.
        std::vector<bool> answers_can_undo_false(rule_count, false);
        for (symbol const what : model_.evaluation_order) {
            code_span const code =
                what.kind == symbol_kind::let ? p_.lets[what.index].code : p_.outcomes[what.index].when;
            bool undoable = reads_unknown_as_known(code);
            for (symbol const used : uses_of(what)) {
                if (used.kind != symbol_kind::question && answers_can_undo_false[rule_number(used)]) undoable = true;
            }
            answers_can_undo_false[rule_number(what)] = undoable;
        }
        for (compiled_question& question : p_.questions) {
            std::vector<bool> mine(question_count, false);
            for (code_span const condition : question.visibility) {
                if (reads_unknown_as_known(condition)) question.hidden_can_be_undone = true;
                for (std::uint32_t pc = condition.begin; pc < condition.end; ++pc) {
                    instruction const in = p_.code[pc];
                    if (reads_question(in.code) || in.code == opcode::answered) {
                        mine[in.operand] = true;
                    } else if (in.code == opcode::let || in.code == opcode::outcome) {
                        symbol const rule{in.code == opcode::let ? symbol_kind::let : symbol_kind::outcome, in.operand};
                        if (answers_can_undo_false[rule_number(rule)]) question.hidden_can_be_undone = true;
                        const std::vector<bool>& theirs = depends[rule_number(rule)];
                        for (std::uint32_t q = 0; q < question_count; ++q) {
                            if (theirs[q]) mine[q] = true;
                        }
                    }
                }
            }
            for (std::uint32_t q = 0; q < question_count; ++q) {
                if (mine[q]) question.visibility_depends_on.push_back(q);
            }
        }

        p_.stop_flow_start = static_cast<std::uint32_t>(p_.flow_code.size());
        p_.stop_flow = emit_flow(p_.stop_schedule, false);
        p_.flow_code.push_back({opcode::end_of_flow, 0, 0});
        p_.stop_is_monotone = !reads_unknown_as_known(p_.stop_flow);
    }

    /// Whether `code` has `??` or a builtin that is not monotone (`answered`), the only
    /// operations that make a known value of an unknown one, so that answering more
    /// questions can turn false into true.
    bool reads_unknown_as_known(code_span code) const {
        for (std::uint32_t pc = code.begin; pc < code.end; ++pc) {
            instruction const in = p_.code[pc];
            std::optional<builtin> const called = called_builtin(in.code);
            bool const call_not_monotone = called && !traits_of(*called).monotone();
            if (call_not_monotone || in.code == opcode::answered || in.code == opcode::coalesce ||
                in.code == opcode::coalesce_constant) {
                return true;
            }
        }
        return false;
    }

    /// The code that runs `steps`: each question's visibility, value and requirements,
    /// each let and outcome stored, in program::code and lowered into program::flow_code.
    /// With `record`, the main flow: the spans of the expressions are kept for explanations
    /// and tests (they lie inside the flow's code), and where each question's step begins.
    code_span emit_flow(const std::vector<flow_step>& steps, bool record) {
        code_span flow{static_cast<std::uint32_t>(p_.code.size()), 0};
        std::uint32_t depth = 0;
        // The `stop` outcomes are computed once the last question they depend on is decided.
        std::uint32_t const stop_point_before = p_.stop_questions.empty() ? 0 : p_.stop_questions.back() + 1;
        auto const at_stop_point = [&] {
            if (record && p_.has_stop) p_.flow_code.push_back({opcode::stop_point, 0, 0});
        };
        for (flow_step const step : steps) {
            auto const step_begin = static_cast<std::uint32_t>(p_.code.size());
            if (record && step.what == flow_step::kind::question) {
                if (step.index == stop_point_before) at_stop_point();
                p_.question_flow_start.push_back(static_cast<std::uint32_t>(p_.flow_code.size()));
            }
            switch (step.what) {
                case flow_step::kind::question: {
                    const question_info& q = model_.questions[step.index];
                    compiled_question& out = p_.questions[step.index];
                    // Shown when all conditions are true: their Kleene `and`.
                    for (std::size_t c = 0; c < q.visibility.size(); ++c) {
                        code_span const condition = compile(q.visibility[c], depth);
                        if (record) out.visibility.push_back(condition);
                        depth += 1;
                        if (c > 0) emit(opcode::logical_and, 0, depth, 2);
                    }
                    if (q.visibility.empty()) {
                        emit(opcode::question_shown, step.index, depth, 0, 0);
                    } else {
                        emit(opcode::question_when, step.index, depth, 1, 0);
                    }
                    for (std::uint32_t r = 0; r < q.requirements.size(); ++r) {
                        code_span const condition = compile(q.requirements[r].condition, depth);
                        if (record) out.requirements[r].condition = condition;
                        depth += 1;
                        emit(opcode::require, static_cast<std::uint32_t>(p_.requirement_sites.size()), depth, 1, 0);
                        p_.requirement_sites.push_back({step.index, r});
                    }
                    break;
                }
                case flow_step::kind::let: {
                    code_span const code = compile(model_.lets[step.index].value, depth);
                    if (record) p_.lets[step.index].code = code;
                    depth += 1;
                    emit(opcode::store_let, step.index, depth, 1, 0);
                    break;
                }
                case flow_step::kind::outcome: {
                    code_span const code = compile(model_.outcomes[step.index].when, depth);
                    if (record) p_.outcomes[step.index].when = code;
                    depth += 1;
                    emit(opcode::store_outcome, step.index, depth, 1, 0);
                    break;
                }
            }
            lower_step({step_begin, static_cast<std::uint32_t>(p_.code.size())}, step.what);
        }
        if (stop_point_before == p_.questions.size()) at_stop_point();
        flow.end = static_cast<std::uint32_t>(p_.code.size());
        return flow;
    }

    /// Appends one flow step's code to program::flow_code, fusing more than `emit` may:
    /// the fused forms there need not be readable by anything but the evaluator. A step
    /// begins and ends with an empty stack, so nothing is fused across steps.
    void lower_step(code_span step, flow_step::kind what) {
        std::vector<instruction>& out = p_.flow_code;
        instruction const first = p_.code[step.begin];
        // Consecutive questions without `when` or `require` are decided by one instruction.
        // A second pass that starts inside such a run decides its earlier questions again,
        // which changes nothing: they have no `require` whose failure it could undo.
        if (step.end - step.begin == 1 && first.code == opcode::question_shown && !out.empty() &&
            out.back().code == opcode::questions_shown && out.back().operand + out.back().second == first.operand) {
            out.back().second += 1;
            p_.question_flow_start.back() = static_cast<std::uint32_t>(out.size() - 1);
            return;
        }
        auto fusible_from = out.size();
        std::uint32_t pc = step.begin;
        // A let stored and read again at once stays on top. Not into a question's step,
        // where the flow may start again after a stop.
        if (what != flow_step::kind::question && first.code == opcode::let && !out.empty() &&
            out.back().code == opcode::store_let && out.back().operand == first.operand) {
            out.back().code = opcode::store_let_keep;
            fusible_from = out.size() - 1;
            ++pc;
        }
        for (; pc < step.end; ++pc) {
            instruction in = p_.code[pc];
            if (in.code == opcode::question_shown) in = {opcode::questions_shown, in.operand, 1};
            out.push_back(in);
            // What a fusion makes may fuse with the instruction before it in turn.
            while (out.size() >= fusible_from + 2 && fuse(out[out.size() - 2], out.back())) out.pop_back();
        }
    }

    /// Fuses `in` into `last`, the instruction before it, if flow_fusions allow.
    static bool fuse(instruction& last, instruction in) {
        for (const fusion& f : flow_fusions) {
            if (f.first != last.code || f.second != in.code) continue;
            switch (f.taken) {
                case fusion::operands::both: last = {f.fused, last.operand, in.operand}; break;
                case fusion::operands::first: last = {f.fused, last.operand, last.second}; break;
                case fusion::operands::second_then_first: last = {f.fused, in.operand, last.operand}; break;
            }
            return true;
        }
        return false;
    }

    compiled_given given_answer(const given_info& given) {
        compiled_given out;
        out.question = given.question;
        const ast::expr_node& n = tree_.expr(given.value);
        const expression_info& info = model_.info(given.value);
        const compiled_question& q = p_.questions[given.question];
        if (info.binding.kind == symbol_kind::option) {
            out.answer = value::of_option(info.binding.index);
        } else if (n.kind == ast::expr_kind::set) {
            std::uint64_t mask = 0;
            for (ast::expr_ref const member : n.operands) {
                mask |= std::uint64_t{1} << model_.info(member).binding.index;
            }
            out.answer = value::of_options(mask);
        } else if (n.kind == ast::expr_kind::number) {
            out.answer = value::of_number(n.number);
        } else if (n.kind == ast::expr_kind::string) {
            out.text = n.text;
            out.answer.type = value::kind::text;  // the test runner stores `text` in the slots
        } else if (q.kind == question_kind::yesno) {
            out.answer = value::of_bool(n.boolean);
        }
        return out;
    }

    void compile_tests() {
        for (const test_info& test : model_.tests) {
            compiled_test out;
            out.name = test.node->name.value;
            out.node = test.node;
            for (const given_info& given : test.given) out.given.push_back(given_answer(given));
            for (ast::expr_ref const expectation : test.node->expectations) {
                out.expectations.push_back(compile(expectation));
                out.expectation_nodes.push_back(expectation);
            }
            p_.tests.push_back(std::move(out));
        }
        for (const ast::invariant_def* invariant : model_.invariants) {
            p_.invariants.push_back({invariant->name.value, compile(invariant->condition), invariant});
        }
    }
};

}  // namespace

std::shared_ptr<program> compile_program(std::unique_ptr<ast::questionnaire> tree,
                                         std::unique_ptr<checked_questionnaire> model, std::string source_text,
                                         std::string source_name) {
    auto p = std::make_shared<program>();
    p->tree = std::move(tree);
    p->model = std::move(model);
    p->source_text = std::move(source_text);
    p->source_name = std::move(source_name);
    compiler(*p).run();
    return p;
}

}  // namespace stepcare
