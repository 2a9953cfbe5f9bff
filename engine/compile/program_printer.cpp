#include "compile/program_printer.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

#include "ast/spelling.hpp"

namespace stepcare {

namespace {

/// What an instruction's operand means.
enum class operand_role : std::uint8_t {
    none,
    question,
    let,
    outcome,
    constant,
    option_set,
    operand_count,
    requirement_site,
    question_run,  ///< the first question of a run, whose length is the second operand
};

struct opcode_layout {
    std::string_view name;
    operand_role operand = operand_role::none;
    operand_role second = operand_role::none;
    bool calls_builtin = false;  ///< `name` is the builtin's: the opcode is `call_<name>`
};

/// Every opcode's name as declared and what its operands mean. No `default`, so that an
/// opcode added without a case here is a compile error (-Wswitch).
opcode_layout layout_of(opcode code) {
    using role = operand_role;
    switch (code) {
        case opcode::constant: return {"constant", role::constant};
        case opcode::question: return {"question", role::question};
        case opcode::let: return {"let", role::let};
        case opcode::outcome: return {"outcome", role::outcome};
        case opcode::answered: return {"answered", role::question};
        case opcode::logical_not: return {"logical_not"};
        case opcode::logical_and: return {"logical_and"};
        case opcode::logical_or: return {"logical_or"};
        case opcode::logical_implies: return {"logical_implies"};
        case opcode::equal: return {"equal"};
        case opcode::not_equal: return {"not_equal"};
        case opcode::less: return {"less"};
        case opcode::less_equal: return {"less_equal"};
        case opcode::greater: return {"greater"};
        case opcode::greater_equal: return {"greater_equal"};
        case opcode::in_set: return {"in_set"};
        case opcode::has: return {"has"};
        case opcode::add: return {"add"};
        case opcode::subtract: return {"subtract"};
        case opcode::multiply: return {"multiply"};
        case opcode::divide: return {"divide"};
        case opcode::negate: return {"negate"};
        case opcode::coalesce: return {"coalesce"};
        case opcode::conditional: return {"conditional"};
#define STEPCARE_CALL_CASE(name) case opcode::call_##name:
            STEPCARE_BUILTINS(STEPCARE_CALL_CASE)
#undef STEPCARE_CALL_CASE
            // `score` reads the scores of a set; the other builtins count their operands.
            return {traits_of(*called_builtin(code)).name,
                    code == opcode::call_score ? role::option_set : role::operand_count, role::none, true};
        case opcode::question_score: return {"question_score", role::question};
        case opcode::equal_constant: return {"equal_constant", role::constant};
        case opcode::not_equal_constant: return {"not_equal_constant", role::constant};
        case opcode::less_constant: return {"less_constant", role::constant};
        case opcode::less_equal_constant: return {"less_equal_constant", role::constant};
        case opcode::greater_constant: return {"greater_constant", role::constant};
        case opcode::greater_equal_constant: return {"greater_equal_constant", role::constant};
        case opcode::in_set_constant: return {"in_set_constant", role::constant};
        case opcode::has_constant: return {"has_constant", role::constant};
        case opcode::add_constant: return {"add_constant", role::constant};
        case opcode::subtract_constant: return {"subtract_constant", role::constant};
        case opcode::multiply_constant: return {"multiply_constant", role::constant};
        case opcode::divide_constant: return {"divide_constant", role::constant};
        case opcode::coalesce_constant: return {"coalesce_constant", role::constant};
        case opcode::question_shown: return {"question_shown", role::question};
        case opcode::question_when: return {"question_when", role::question};
        case opcode::require: return {"require", role::requirement_site};
        case opcode::store_let: return {"store_let", role::let};
        case opcode::store_outcome: return {"store_outcome", role::outcome};
        case opcode::end_of_flow: return {"end_of_flow"};
        case opcode::stop_point: return {"stop_point"};
        case opcode::questions_shown: return {"questions_shown", role::question_run};
        case opcode::question_equal_constant: return {"question_equal_constant", role::question, role::constant};
        case opcode::question_not_equal_constant:
            return {"question_not_equal_constant", role::question, role::constant};
        case opcode::question_less_constant: return {"question_less_constant", role::question, role::constant};
        case opcode::question_less_equal_constant:
            return {"question_less_equal_constant", role::question, role::constant};
        case opcode::question_greater_constant: return {"question_greater_constant", role::question, role::constant};
        case opcode::question_greater_equal_constant:
            return {"question_greater_equal_constant", role::question, role::constant};
        case opcode::question_in_set_constant: return {"question_in_set_constant", role::question, role::constant};
        case opcode::question_has_constant: return {"question_has_constant", role::question, role::constant};
        case opcode::question_add_constant: return {"question_add_constant", role::question, role::constant};
        case opcode::question_subtract_constant: return {"question_subtract_constant", role::question, role::constant};
        case opcode::question_multiply_constant: return {"question_multiply_constant", role::question, role::constant};
        case opcode::question_divide_constant: return {"question_divide_constant", role::question, role::constant};
        case opcode::question_coalesce_constant: return {"question_coalesce_constant", role::question, role::constant};
        case opcode::let_equal_constant: return {"let_equal_constant", role::let, role::constant};
        case opcode::let_not_equal_constant: return {"let_not_equal_constant", role::let, role::constant};
        case opcode::let_less_constant: return {"let_less_constant", role::let, role::constant};
        case opcode::let_less_equal_constant: return {"let_less_equal_constant", role::let, role::constant};
        case opcode::let_greater_constant: return {"let_greater_constant", role::let, role::constant};
        case opcode::let_greater_equal_constant: return {"let_greater_equal_constant", role::let, role::constant};
        case opcode::let_in_set_constant: return {"let_in_set_constant", role::let, role::constant};
        case opcode::let_has_constant: return {"let_has_constant", role::let, role::constant};
        case opcode::let_add_constant: return {"let_add_constant", role::let, role::constant};
        case opcode::let_subtract_constant: return {"let_subtract_constant", role::let, role::constant};
        case opcode::let_multiply_constant: return {"let_multiply_constant", role::let, role::constant};
        case opcode::let_divide_constant: return {"let_divide_constant", role::let, role::constant};
        case opcode::let_coalesce_constant: return {"let_coalesce_constant", role::let, role::constant};
        case opcode::question_score_equal_constant:
            return {"question_score_equal_constant", role::question, role::constant};
        case opcode::question_score_not_equal_constant:
            return {"question_score_not_equal_constant", role::question, role::constant};
        case opcode::question_score_less_constant:
            return {"question_score_less_constant", role::question, role::constant};
        case opcode::question_score_less_equal_constant:
            return {"question_score_less_equal_constant", role::question, role::constant};
        case opcode::question_score_greater_constant:
            return {"question_score_greater_constant", role::question, role::constant};
        case opcode::question_score_greater_equal_constant:
            return {"question_score_greater_equal_constant", role::question, role::constant};
        case opcode::question_score_add_constant:
            return {"question_score_add_constant", role::question, role::constant};
        case opcode::question_score_subtract_constant:
            return {"question_score_subtract_constant", role::question, role::constant};
        case opcode::question_score_multiply_constant:
            return {"question_score_multiply_constant", role::question, role::constant};
        case opcode::question_score_divide_constant:
            return {"question_score_divide_constant", role::question, role::constant};
        case opcode::question_score_coalesce_constant:
            return {"question_score_coalesce_constant", role::question, role::constant};
        case opcode::add_question_score_coalesce_constant:
            return {"add_question_score_coalesce_constant", role::question, role::constant};
        case opcode::logical_and_not: return {"logical_and_not"};
        case opcode::and_not_outcome: return {"and_not_outcome", role::outcome};
        case opcode::and_question: return {"and_question", role::question};
        case opcode::and_let: return {"and_let", role::let};
        case opcode::or_let: return {"or_let", role::let};
        case opcode::question_when_let: return {"question_when_let", role::question, role::let};
        case opcode::store_let_keep: return {"store_let_keep", role::let};
        case opcode::store_let_and_outcome: return {"store_let_and_outcome", role::let, role::outcome};
        case opcode::logical_and_store_let: return {"logical_and_store_let", role::let};
        case opcode::logical_or_store_let: return {"logical_or_store_let", role::let};
        case opcode::logical_and_store_outcome: return {"logical_and_store_outcome", role::outcome};
        case opcode::logical_or_store_outcome: return {"logical_or_store_outcome", role::outcome};
        case opcode::logical_and_question_when: return {"logical_and_question_when", role::question};
    }
    // Not a declared opcode: shown as such rather than hidden.
    return {"invalid_opcode"};
}

/// `parts` separated by commas; `none` when there are none.
std::string joined(const std::vector<std::string>& parts) {
    if (parts.empty()) return "none";
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += ", ";
        out += parts[i];
    }
    return out;
}

std::string span_text(code_span span) { return std::to_string(span.begin) + ".." + std::to_string(span.end); }

class printer {
public:
    explicit printer(const program& p) : p_(p) {}

    std::string listing() {
        identity();
        option_sets();
        sections_and_sources();
        questions();
        lets_and_outcomes();
        referral();
        constants();
        schedules();
        code();
        tests_and_invariants();
        flow_code();
        return std::move(out_);
    }

private:
    const program& p_;
    std::string out_;

    void line(std::string_view text) {
        out_ += text;
        out_ += '\n';
    }

    // Entries by index and name; an index out of its table (a compiler bug) shows as `?`.
    template <class Table, class Name>
    static std::string named(std::uint32_t index, const Table& table, Name name) {
        std::string out = std::to_string(index) + " (";
        out += index < table.size() ? name(table[index]) : std::string("?");
        return out + ")";
    }
    std::string question(std::uint32_t q) const {
        return named(q, p_.questions, [](const compiled_question& x) { return x.id; });
    }
    std::string let(std::uint32_t l) const {
        return named(l, p_.lets, [](const compiled_let& x) { return x.id; });
    }
    std::string outcome(std::uint32_t o) const {
        return named(o, p_.outcomes, [](const compiled_outcome& x) { return x.id; });
    }
    std::string option_set(std::uint32_t s) const {
        return named(s, p_.option_sets, [](const compiled_option_set& x) { return x.name; });
    }
    std::string section(std::uint32_t s) const {
        return named(s, p_.sections, [](const compiled_section& x) { return x.id; });
    }
    std::string questions(const std::vector<std::uint32_t>& list) const {
        std::vector<std::string> parts;
        for (std::uint32_t const q : list) parts.push_back(question(q));
        return joined(parts);
    }
    std::string step(flow_step s) const {
        switch (s.what) {
            case flow_step::kind::question: return "question " + question(s.index);
            case flow_step::kind::let: return "let " + let(s.index);
            case flow_step::kind::outcome: return "outcome " + outcome(s.index);
        }
        return "invalid step";
    }
    static std::string text(std::uint32_t id) {
        return id == no_text ? std::string("none") : "text " + std::to_string(id);
    }
    static std::string texts(const std::vector<std::uint32_t>& ids) {
        std::vector<std::string> parts;
        for (std::uint32_t const id : ids) parts.push_back(text(id));
        return joined(parts);
    }

    std::string option(std::uint32_t set, std::uint64_t index) const {
        if (set < p_.option_sets.size() && index < p_.option_sets[set].ids.size()) {
            return p_.option_sets[set].ids[index];
        }
        return "option " + std::to_string(index);
    }

    /// A value as the source would write it; options are named from `set`.
    std::string value_text(value v, std::uint32_t set) const {
        switch (v.type) {
            case value::kind::unknown: return "unknown";
            case value::kind::boolean: return v.bits != 0 ? "true" : "false";
            case value::kind::number: return ast::number_spelling(v.number);
            case value::kind::option: return option(set, v.bits);
            case value::kind::options: {
                std::vector<std::string> chosen;
                for (std::uint32_t i = 0; i < max_options_per_set; ++i) {
                    if ((v.options >> i) & 1U) chosen.push_back(option(set, i));
                }
                return chosen.empty() ? "{}" : "{" + joined(chosen) + "}";
            }
            case value::kind::text: return ast::string_spelling(v.text());
        }
        return "invalid value";
    }

    std::string constant(std::uint32_t c) const {
        if (c >= p_.constants.size()) return std::to_string(c) + " = ?";
        return std::to_string(c) + " = " + value_text(p_.constants[c], p_.constant_option_sets[c]);
    }

    std::string type_text(expr_type type) const {
        switch (type.type) {
            case expr_type::kind::invalid: return "invalid";
            case expr_type::kind::boolean: return "boolean";
            case expr_type::kind::number: return "number";
            case expr_type::kind::choice: return "choice of set " + option_set(type.option_set);
            case expr_type::kind::multi: return "multi of set " + option_set(type.option_set);
            case expr_type::kind::text: return "text";
            case expr_type::kind::set: return "set of set " + option_set(type.option_set);
        }
        return "invalid type";
    }

    std::string operand_text(operand_role role, instruction in, std::uint32_t operand) const {
        switch (role) {
            case operand_role::none: return {};
            case operand_role::question: return "question " + question(operand);
            case operand_role::let: return "let " + let(operand);
            case operand_role::outcome: return "outcome " + outcome(operand);
            case operand_role::constant: return "constant " + constant(operand);
            case operand_role::option_set: return "set " + option_set(operand);
            case operand_role::operand_count:
                return std::to_string(operand) + (operand == 1 ? " operand" : " operands");
            case operand_role::requirement_site: {
                std::string out = "site " + std::to_string(operand);
                if (operand >= p_.requirement_sites.size()) return out + " (?)";
                program::requirement_site const site = p_.requirement_sites[operand];
                return out + " (question " + question(site.question) + ", require " + std::to_string(site.requirement) +
                       ")";
            }
            case operand_role::question_run: {
                std::vector<std::uint32_t> run;
                for (std::uint32_t q = operand; q < operand + in.second; ++q) run.push_back(q);
                return "questions " + questions(run);
            }
        }
        return "invalid operand";
    }

    std::string instruction_text(instruction in) const {
        opcode_layout const layout = layout_of(in.code);
        std::string out = (layout.calls_builtin ? "call_" : "") + std::string(layout.name);
        std::size_t const name_size = out.size();
        for (auto const& [role, operand] :
             {std::pair{layout.operand, in.operand}, std::pair{layout.second, in.second}}) {
            if (role == operand_role::none) continue;
            out += out.size() == name_size ? "  " : ", ";
            out += operand_text(role, in, operand);
        }
        return out;
    }

    /// `code`, one instruction a line, each labelled span preceded by its `; label` line.
    void instructions(const std::vector<instruction>& code, std::vector<std::pair<std::uint32_t, std::string>> labels) {
        std::stable_sort(labels.begin(), labels.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        auto label = labels.begin();
        for (std::uint32_t pc = 0; pc <= code.size(); ++pc) {
            for (; label != labels.end() && label->first == pc; ++label) line("  ; " + label->second);
            if (pc == code.size()) break;
            std::string number = std::to_string(pc);
            line(std::string(number.size() < 5 ? 5 - number.size() : 0, ' ') + number + "  " +
                 instruction_text(code[pc]));
        }
        for (; label != labels.end(); ++label) line("  ; " + label->second + " (past the end)");
    }

    void identity() {
        line("questionnaire " + p_.id + " version " + ast::string_spelling(p_.version));
        line("languages " + joined(p_.languages));
        line("title " + text(p_.title) + ", description " + text(p_.description));
        line("max stack " + std::to_string(p_.max_stack));
    }

    void option_sets() {
        line("");
        line("option sets");
        for (std::uint32_t s = 0; s < p_.option_sets.size(); ++s) {
            const compiled_option_set& set = p_.option_sets[s];
            line("  " + std::to_string(s) + " " + set.name);
            for (std::size_t o = 0; o < set.ids.size(); ++o) {
                line("    " + std::to_string(o) + " " + set.ids[o] + "  score " + ast::number_spelling(set.scores[o]) +
                     ", label " + text(set.labels[o]));
            }
        }
    }

    void sections_and_sources() {
        line("");
        line("sections");
        for (std::uint32_t s = 0; s < p_.sections.size(); ++s) {
            const compiled_section& entry = p_.sections[s];
            line("  " + std::to_string(s) + " " + entry.id + "  title " + text(entry.title));
        }
        line("");
        line("sources");
        for (std::size_t s = 0; s < p_.sources.size(); ++s) {
            line("  " + std::to_string(s) + " " + p_.sources[s].id + "  title " + text(p_.sources[s].title));
        }
    }

    void questions() {
        line("");
        line("questions");
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            const compiled_question& question = p_.questions[q];
            std::string head = "  " + std::to_string(q) + " " + question.id + "  " + to_string(question.kind);
            if (question.option_set != no_index) head += " of set " + option_set(question.option_set);
            if (question.kind == question_kind::integer || question.kind == question_kind::decimal) {
                head += " " + ast::number_spelling(question.min) + ".." + ast::number_spelling(question.max);
            }
            if (question.max_length) head += " max " + std::to_string(*question.max_length);
            if (question.optional) head += ", optional";
            if (question.section != no_index) head += ", section " + section(question.section);
            line(head);
            line("    ask " + text(question.ask) + ", help " + text(question.help) + ", unit " + text(question.unit));
            for (code_span const condition : question.visibility) line("    when code " + span_text(condition));
            if (!question.visibility_depends_on.empty()) {
                line("    visibility depends on " + questions(question.visibility_depends_on));
            }
            if (question.hidden_can_be_undone) line("    hidden can be undone");
            for (std::size_t r = 0; r < question.requirements.size(); ++r) {
                const compiled_requirement& requirement = question.requirements[r];
                line("    require " + std::to_string(r) + "  code " + span_text(requirement.condition) + ", else " +
                     text(requirement.message));
            }
        }
    }

    void lets_and_outcomes() {
        line("");
        line("lets");
        for (std::uint32_t l = 0; l < p_.lets.size(); ++l) {
            const compiled_let& entry = p_.lets[l];
            line("  " + std::to_string(l) + " " + entry.id + "  " + type_text(entry.type) + ", code " +
                 span_text(entry.code));
        }
        line("");
        line("outcomes");
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            const compiled_outcome& outcome = p_.outcomes[o];
            line("  " + std::to_string(o) + " " + outcome.id + "  " + to_string(outcome.level) +
                 (outcome.stop ? ", stop" : "") + ", when code " + span_text(outcome.when));
            line("    title " + text(outcome.title) + ", say " + texts(outcome.says) + ", cite " +
                 joined(outcome.cites));
            line("    depends on " + questions(outcome.depends_on));
        }
        std::vector<std::string> order;
        for (std::uint32_t const o : p_.outcome_order) order.push_back(this->outcome(o));
        line("  in result order " + joined(order));
    }

    void referral() {
        line("");
        line("referral  title " + text(p_.referral_title) + ", say " + texts(p_.referral_says) + ", cite " +
             joined(p_.referral_cites));
    }

    void constants() {
        line("");
        line("constants");
        for (std::uint32_t c = 0; c < p_.constants.size(); ++c) {
            value const v = p_.constants[c];
            std::string entry = "  " + constant(c);
            if (v.type == value::kind::option || v.type == value::kind::options) {
                entry += " of set " + option_set(p_.constant_option_sets[c]);
            }
            line(entry);
        }
    }

    void schedules() {
        line("");
        line("schedule");
        for (std::size_t s = 0; s < p_.schedule.size(); ++s)
            line("  " + std::to_string(s) + " " + step(p_.schedule[s]));
        line("");
        line("requirement sites");
        for (std::size_t r = 0; r < p_.requirement_sites.size(); ++r) {
            program::requirement_site const site = p_.requirement_sites[r];
            line("  " + std::to_string(r) + " question " + question(site.question) + ", require " +
                 std::to_string(site.requirement));
        }
        line("");
        if (!p_.has_stop) {
            line("stop none");
            return;
        }
        line("stop");
        std::vector<std::string> stop_steps;
        for (flow_step const s : p_.stop_schedule) stop_steps.push_back(step(s));
        line("  schedule " + joined(stop_steps));
        line("  questions " + questions(p_.stop_questions));
        std::vector<std::string> stop_outcomes;
        for (std::uint32_t const o : p_.stop_outcomes) stop_outcomes.push_back(outcome(o));
        line("  outcomes " + joined(stop_outcomes));
        line(std::string("  fires unanswered ") + (p_.stop_fires_unanswered ? "yes" : "no") + ", monotone " +
             (p_.stop_is_monotone ? "yes" : "no"));
    }

    void code() {
        line("");
        line("code  flow " + span_text(p_.flow) + ", stop flow " + span_text(p_.stop_flow));
        std::vector<std::pair<std::uint32_t, std::string>> labels;
        labels.emplace_back(p_.flow.begin, "flow");
        labels.emplace_back(p_.stop_flow.begin, "stop flow");
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            const compiled_question& question = p_.questions[q];
            for (std::size_t c = 0; c < question.visibility.size(); ++c) {
                labels.emplace_back(question.visibility[c].begin,
                                    "question " + this->question(q) + ", when " + std::to_string(c));
            }
            for (std::size_t r = 0; r < question.requirements.size(); ++r) {
                labels.emplace_back(question.requirements[r].condition.begin,
                                    "question " + this->question(q) + ", require " + std::to_string(r));
            }
        }
        for (std::uint32_t l = 0; l < p_.lets.size(); ++l) labels.emplace_back(p_.lets[l].code.begin, "let " + let(l));
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            labels.emplace_back(p_.outcomes[o].when.begin, "outcome " + outcome(o) + ", when");
        }
        for (std::size_t t = 0; t < p_.tests.size(); ++t) {
            const compiled_test& test = p_.tests[t];
            for (std::size_t e = 0; e < test.expectations.size(); ++e) {
                labels.emplace_back(test.expectations[e].begin,
                                    "test " + std::to_string(t) + ", expect " + std::to_string(e));
            }
        }
        for (std::size_t i = 0; i < p_.invariants.size(); ++i) {
            labels.emplace_back(p_.invariants[i].condition.begin, "invariant " + std::to_string(i));
        }
        instructions(p_.code, std::move(labels));
    }

    void tests_and_invariants() {
        line("");
        line("tests");
        for (std::size_t t = 0; t < p_.tests.size(); ++t) {
            const compiled_test& test = p_.tests[t];
            line("  " + std::to_string(t) + " " + ast::string_spelling(test.name));
            for (const compiled_given& given : test.given) {
                std::uint32_t const set =
                    given.question < p_.questions.size() ? p_.questions[given.question].option_set : no_index;
                // A text answer's value points nowhere: the test runner stores `text` instead.
                std::string const answer = given.answer.type == value::kind::text ? ast::string_spelling(given.text)
                                                                                  : value_text(given.answer, set);
                line("    given question " + question(given.question) + " = " + answer);
            }
            for (code_span const expectation : test.expectations) line("    expect code " + span_text(expectation));
        }
        line("");
        line("invariants");
        for (std::size_t i = 0; i < p_.invariants.size(); ++i) {
            line("  " + std::to_string(i) + " " + ast::string_spelling(p_.invariants[i].name) + "  code " +
                 span_text(p_.invariants[i].condition));
        }
    }

    void flow_code() {
        line("");
        line("flow code  stop flow from " + std::to_string(p_.stop_flow_start));
        std::vector<std::pair<std::uint32_t, std::string>> labels;
        for (std::uint32_t q = 0; q < p_.question_flow_start.size(); ++q) {
            labels.emplace_back(p_.question_flow_start[q], "question " + question(q));
        }
        labels.emplace_back(p_.stop_flow_start, "stop flow");
        instructions(p_.flow_code, std::move(labels));
    }
};

}  // namespace

std::string program_listing(const program& p) { return printer(p).listing(); }

}  // namespace stepcare
