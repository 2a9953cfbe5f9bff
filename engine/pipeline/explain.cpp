#include "pipeline/explain.hpp"

#include <algorithm>

#include "ast/spelling.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "pipeline/test_runner.hpp"
#include "render/result_object_sink.hpp"
#include "render/result_emitter.hpp"

namespace stepcare {

namespace {

class explainer {
public:
    explainer(const program& p, std::size_t language) : p_(p), language_(language) {}

    std::string run(const answer_record& record) {
        result const r = record.errors.empty() ? evaluated(record)
                                               : build_invalid_result(p_, record.id_json, record.errors, language_);
        out_ += "Questionnaire " + p_.id + " " + p_.version + " (sha256 " + p_.sha256.substr(0, 12) + ")\n";
        out_ += "Record " + (record.id_json.empty() ? std::string("without id") : record.id_json) + ": status " +
                to_string(r.status) + "\n";
        if (r.status == result_status::invalid) {
            out_ += "\nThe answers were rejected, so no outcome was evaluated:\n";
            for (const answer_error& e : r.errors) out_ += "  - " + e.message + "\n";
        } else {
            if (state_.stopped && state_.limit == 0) {
                out_ += "An urgent outcome with 'stop' fired before the first answer; every answer is ignored.\n";
            } else if (state_.stopped) {
                out_ += "An urgent outcome with 'stop' fired after question '" + p_.questions[state_.limit - 1].id +
                        "'; later answers are ignored.\n";
            }
            section("Fired", [](value v) { return v.is_true(); });
            section("Undetermined (the condition is unknown)", [](value v) { return v.is_unknown(); });
            section("Not fired", [](value v) { return v.is_false(); });
            values(r);
            invariants();
        }
        out_ += "\nReferral (always shown): " + r.referral.title + "\n";
        indent(r.referral.text);
        cites(p_.referral_cites);
        return out_;
    }

private:
    const program& p_;
    std::size_t language_;
    answer_slots answers_;
    evaluation state_;
    std::string out_;

    result evaluated(const answer_record& record) {
        answers_ = record.answers;
        evaluate(p_, answers_, state_);
        return build_result(p_, record.id_json, answers_, state_, language_);
    }

    void indent(const std::string& text) {
        if (text.empty()) return;
        out_ += "    ";
        for (char const c : text) {
            out_ += c;
            if (c == '\n') out_ += "    ";
        }
        out_ += "\n";
    }

    void cites(const std::vector<std::string>& ids) {
        for (const std::string& id : ids) {
            for (const program::source& s : p_.sources) {
                if (s.id == id) out_ += "    source " + id + ": " + render_text(p_, s.title, language_, &state_) + "\n";
            }
        }
    }

    std::string show(const instruction& in) const {
        switch (in.code) {
            case opcode::question:
            case opcode::question_score: {
                std::uint32_t const q = in.operand;
                std::string shown = answer_to_json(p_, q, state_.counted(q) ? state_.questions[q] : value::unknown());
                if (shown == "null") {
                    shown = state_.visible[q] == visibility::hidden ? "unknown (hidden)"
                            : q >= state_.limit                     ? "unknown (after the stop)"
                                                                    : "unknown (unanswered)";
                }
                return "question " + p_.questions[q].id + " = " + shown;
            }
            case opcode::answered:
                return "question " + p_.questions[in.operand].id +
                       (state_.counted(in.operand) ? " answered" : " not answered");
            case opcode::let: {
                std::string shown = let_value_json(p_, in.operand, state_.lets[in.operand]);
                return "let " + p_.lets[in.operand].id + " = " + (shown == "null" ? "unknown" : shown);
            }
            case opcode::outcome: {
                value const v = state_.outcomes[in.operand];
                return "outcome " + p_.outcomes[in.operand].id +
                       (v.is_unknown() ? " undetermined"
                        : v.boolean    ? " fired"
                                       : " did not fire");
            }
            default: return {};
        }
    }

    template <typename Select>
    void section(const char* heading, Select select) {
        bool any = false;
        for (std::uint32_t const o : p_.outcome_order) {
            if (!select(state_.outcomes[o])) continue;
            if (!any) out_ += std::string("\n") + heading + ":\n";
            any = true;
            const compiled_outcome& outcome = p_.outcomes[o];
            out_ += "  " + outcome.id + " (" + to_string(outcome.level) +
                    "): " + render_text(p_, outcome.title, language_, &state_) + "\n";
            const ast::outcome_def& node = *p_.model->outcomes[o].node;
            const ast::expr_node& condition = p_.tree->expr(node.when);
            out_ += "    when " +
                    p_.source_text.substr(condition.range.begin, condition.range.end - condition.range.begin) + "\n";
            std::vector<std::string> seen;
            for (std::uint32_t pc = outcome.when.begin; pc < outcome.when.end; ++pc) {
                std::string const shown = show(p_.code[pc]);
                if (shown.empty() || std::find(seen.begin(), seen.end(), shown) != seen.end()) continue;
                seen.push_back(shown);
                out_ += "    " + shown + "\n";
            }
            if (state_.outcomes[o].is_unknown()) {
                std::vector<std::uint32_t> const waiting = waiting_for(p_, o, state_);
                if (!waiting.empty()) {
                    out_ += "    answer these to decide it:";
                    for (std::uint32_t const q : waiting) out_ += " " + p_.questions[q].id;
                    out_ += "\n";
                }
            }
            cites(outcome.cites);
        }
    }

    /// Each invariant's value for these answers: how a counterexample of `check --prove` is
    /// replayed (docs/proving.md).
    void invariants() {
        if (p_.invariants.empty()) return;
        out_ += "\nInvariants:\n";
        for (const compiled_invariant& invariant : p_.invariants) {
            value const v = evaluate_expression(p_, invariant.condition, state_);
            out_ += "  " + ast::string_spelling(invariant.name) + ": " +
                    (v.is_false()  ? "false: these answers break it"
                     : v.is_true() ? "true"
                                   : "unknown (holds)") +
                    "\n";
        }
    }

    void values(const result& r) {
        if (!r.values.empty()) {
            out_ += "\nValues:\n";
            for (const auto& [id, v] : r.values) out_ += "  " + id + " = " + (v == "null" ? "unknown" : v) + "\n";
        }
        if (!r.missing.empty()) {
            out_ += "\nUnanswered required questions:";
            for (const std::string& q : r.missing) out_ += " " + q;
            out_ += "\n";
        }
        if (!r.ignored.empty()) {
            out_ += "\nIgnored answers (hidden questions, or after a stop):";
            for (const std::string& q : r.ignored) out_ += " " + q;
            out_ += "\n";
        }
    }
};

}  // namespace

std::string explain_record(const program& p, std::string_view record_json, std::string_view language) {
    answer_record record;
    read_record(p, record_json, record);
    return explain_answers(p, std::move(record), language);
}

std::string explain_answers(const program& p, answer_record record, std::string_view language) {
    std::size_t const index = p.find_language(language).value_or(0);
    if (!language.empty() && !p.find_language(language)) {
        record.errors.insert(record.errors.begin(),
                             {std::nullopt, "the questionnaire has no language '" + std::string(language) + "'"});
    }
    return explainer(p, index).run(record);
}

}  // namespace stepcare
