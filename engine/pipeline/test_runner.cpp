#include "pipeline/test_runner.hpp"

#include <cmath>
#include <random>

#include "ast/question_kinds.hpp"
#include "ast/spelling.hpp"
#include "evaluate/answer_reader.hpp"
#include "foundation/text.hpp"
#include "render/result_object_sink.hpp"
#include "render/result_emitter.hpp"

namespace stepcare {

namespace {

/// A question's value as a test's `given` writes it.
std::string given_value(const program& p, std::uint32_t q, value v) {
    const compiled_question& question = p.questions[q];
    switch (v.type) {
        case value::kind::unknown: return "unknown";
        case value::kind::boolean: return v.boolean ? "yes" : "no";
        case value::kind::number: return ast::number_spelling(v.number);
        case value::kind::option: return p.option_sets[question.option_set].ids[v.option];
        case value::kind::options: {
            std::string out = "{";
            const compiled_option_set& set = p.option_sets[question.option_set];
            for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                if (((v.options >> i) & 1U) == 0) continue;
                if (out.size() > 1) out += ", ";
                out += set.ids[i];
            }
            return out + "}";
        }
        case value::kind::text: return ast::string_spelling(v.text());
    }
    return "unknown";
}

std::string_view source_of(const program& p, source_range range) {
    return std::string_view(p.source_text).substr(range.begin, range.end - range.begin);
}

const char* truth(value v) { return v.is_unknown() ? "unknown" : v.boolean ? "true" : "false"; }

/// "status complete; fired: a, b; undetermined: c (waiting for q1)".
std::string result_summary(const program& p, const answer_slots& answers, const evaluation& state) {
    result const r = build_result(p, {}, answers, state, 0);
    std::string out = std::string("the result was: status ") + to_string(r.status);
    out += "; fired: ";
    if (r.outcomes.empty()) out += "none";
    for (std::size_t i = 0; i < r.outcomes.size(); ++i) out += (i > 0 ? ", " : "") + r.outcomes[i].id;
    if (!r.undetermined.empty()) {
        out += "; undetermined: ";
        for (std::size_t i = 0; i < r.undetermined.size(); ++i) out += (i > 0 ? ", " : "") + r.undetermined[i].id;
    }
    for (const answer_error& e : r.errors) out += "; rejected answer: " + e.message;
    return out;
}

/// "x = 3, resistant = unknown" for the questions, lets and outcomes an expression names.
std::string named_values(const program& p, code_span code, const evaluation& state) {
    std::string out;
    std::vector<std::string> seen;
    for (std::uint32_t pc = code.begin; pc < code.end; ++pc) {
        instruction const in = p.code[pc];
        std::string name;
        std::string shown;
        switch (in.code) {
            case opcode::question:
            case opcode::question_score:
                name = p.questions[in.operand].id;
                shown = given_value(p, in.operand,
                                    state.counted(in.operand) ? state.questions[in.operand] : value::unknown());
                break;
            case opcode::let:
                name = p.lets[in.operand].id;
                shown = let_value_json(p, in.operand, state.lets[in.operand]);
                if (shown == "null") shown = "unknown";
                break;
            case opcode::outcome: {
                name = p.outcomes[in.operand].id;
                value const v = state.outcomes[in.operand];
                shown = v.is_unknown() ? "undetermined" : v.boolean ? "fired" : "not fired";
                break;
            }
            default: continue;
        }
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;
        seen.push_back(name);
        if (!out.empty()) out += ", ";
        out += name + " = " + shown;
    }
    return out;
}

class runner {
public:
    runner(const program& p, const compile_options& options, diagnostic_sink& out)
        : p_(p), options_(options), out_(out) {}

    test_summary run() {
        violated_.assign(p_.invariants.size(), false);
        for (const compiled_test& test : p_.tests) run_test(test);
        if (!options_.prove) sample_invariants();
        summary_.violated = violated_;
        return summary_;
    }

    test_summary sample_only(const std::vector<bool>& which) {
        violated_.assign(p_.invariants.size(), true);
        for (std::size_t i = 0; i < which.size() && i < violated_.size(); ++i) violated_[i] = !which[i];
        sample_invariants();
        return summary_;
    }

private:
    const program& p_;
    const compile_options& options_;
    diagnostic_sink& out_;
    test_summary summary_;
    std::vector<bool> violated_;
    answer_slots answers_;
    evaluation state_;

    void run_test(const compiled_test& test) {
        answers_.reset(p_.questions.size());
        for (const compiled_given& given : test.given) {
            if (given.answer.type == value::kind::text) {
                answers_.set_text(given.question, given.text);
            } else {
                answers_.set(given.question, given.answer);
            }
        }
        evaluate(p_, answers_, state_);
        report_ignored(test);
        if (std::uint32_t const q = rejected_answer(); q != no_index) {
            for (std::size_t i = 0; i < test.given.size(); ++i) {
                if (test.given[i].question != q) continue;
                const compiled_requirement& failed = p_.questions[q].requirements[state_.failed_requirement[q]];
                out_.error("invalid-test-value", test.node->given[i].range,
                           "test " + ast::string_spelling(test.name) + " answers '" + p_.questions[q].id +
                               "' with a value its 'require' rejects: " + render_text(p_, failed.message, 0, &state_));
            }
            ++summary_.failed;
            return;
        }
        if (options_.run_tests) {
            bool passed = true;
            for (std::size_t i = 0; i < test.expectations.size(); ++i) {
                value const v = evaluate_expression(p_, test.expectations[i], state_);
                if (v.is_true()) continue;
                passed = false;
                const ast::expr_node& node = p_.tree->expr(test.expectation_nodes[i]);
                auto& error =
                    out_.error("test-failed", node.range,
                               "test " + ast::string_spelling(test.name) + " failed: 'expect " +
                                   std::string(source_of(p_, node.range)) + "' is " + truth(v) + ", not true");
                std::string const values = named_values(p_, test.expectations[i], state_);
                if (!values.empty()) error.notes.push_back({node.range, "here " + values});
                error.notes.push_back({test.node->name.range, result_summary(p_, answers_, state_)});
            }
            ++(passed ? summary_.passed : summary_.failed);
        }
        check_invariants("the answers of test " + ast::string_spelling(test.name));
    }

    /// The first counted question whose answer fails a `require`, or no_index.
    std::uint32_t rejected_answer() const {
        for (std::uint32_t q = 0; q < state_.limit && q < p_.questions.size(); ++q) {
            if (state_.failed_requirement[q] != no_index && state_.counted(q)) return q;
        }
        return no_index;
    }

    void report_ignored(const compiled_test& test) {
        for (std::size_t i = 0; i < test.given.size(); ++i) {
            std::uint32_t const q = test.given[i].question;
            if (state_.counted(q)) continue;
            const ast::given_answer& node = test.node->given[i];
            std::string const why =
                q >= state_.limit ? "an urgent outcome with 'stop' fired before it, so the intake would have ended"
                                  : "the question is hidden under the test's answers (its 'when' is not true)";
            out_.warning("hidden-test-answer", node.range,
                         "test " + ast::string_spelling(test.name) + " answers '" + p_.questions[q].id + "', but " +
                             why + "; the answer is ignored");
        }
    }

    void check_invariants(const std::string& where) {
        for (std::size_t i = 0; i < p_.invariants.size(); ++i) {
            if (violated_[i]) continue;
            const compiled_invariant& invariant = p_.invariants[i];
            if (!evaluate_expression(p_, invariant.condition, state_).is_false()) continue;
            violated_[i] = true;
            auto& error =
                out_.error("invariant-violated",
                           invariant.node->condition == ast::no_expr ? invariant.node->range
                                                                     : p_.tree->expr(invariant.node->condition).range,
                           "invariant " + ast::string_spelling(invariant.name) + " is false for " + where +
                               "; as a test: " + given_block(p_, answers_, state_));
            std::string const values = named_values(p_, invariant.condition, state_);
            if (!values.empty()) error.notes.push_back({invariant.node->name.range, "there " + values});
        }
    }

    void sample_invariants() {
        if (p_.invariants.empty() || options_.invariant_samples == 0) return;
        std::mt19937_64 random(options_.seed);
        std::vector<double> numbers;
        for (const value& c : p_.constants) {
            if (c.type == value::kind::number) numbers.push_back(c.number);
        }
        // Text answers: the file's own texts, "" and a filler, each only where it fits the
        // question's length limit, since the intake refuses a longer answer.
        std::string_view const filler = "some text";
        std::vector<std::vector<std::string_view>> texts(p_.questions.size());
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            for (const auto& t : p_.constant_texts) {
                if (code_point_count(*t) <= longest_text(q)) texts[q].push_back(*t);
            }
        }
        auto const below = [&](std::uint64_t n) { return n == 0 ? 0 : random() % n; };
        // Sets that a `require` rejects are drawn again, up to ten tries per wanted set.
        std::uint64_t const most_tries = std::uint64_t{options_.invariant_samples} * 10;
        for (std::uint64_t tries = 0; summary_.samples < options_.invariant_samples && tries < most_tries; ++tries) {
            answers_.reset(p_.questions.size());
            for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
                if (below(4) == 0) continue;  // a quarter of the questions unanswered
                const compiled_question& question = p_.questions[q];
                switch (question.kind) {
                    case question_kind::yesno: answers_.set(q, value::of_bool(below(2) == 1)); break;
                    case question_kind::choice: {
                        auto const n = p_.option_sets[question.option_set].ids.size();
                        answers_.set(q, value::of_option(static_cast<std::uint32_t>(below(n))));
                        break;
                    }
                    case question_kind::multi: {
                        auto const n = p_.option_sets[question.option_set].ids.size();
                        std::uint64_t const all = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
                        std::uint64_t mask = random() & all;
                        if (below(3) == 0) mask &= random();  // fewer options, often
                        answers_.set(q, value::of_options(mask));
                        break;
                    }
                    case question_kind::integer:
                    case question_kind::decimal:
                        answers_.set(q, value::of_number(sample_number(question, numbers, below)));
                        break;
                    case question_kind::text:
                        if (!texts[q].empty() && below(2) == 0) {
                            answers_.set_text(q, texts[q][below(texts[q].size())]);
                        } else {
                            bool const filler_fits = filler.size() <= longest_text(q);
                            answers_.set_text(q, below(2) == 0 || !filler_fits ? std::string_view() : filler);
                        }
                        break;
                }
            }
            evaluate(p_, answers_, state_);
            // An answer that a `require` rejects never gets into a real record.
            if (rejected_answer() != no_index) continue;
            ++summary_.samples;
            check_invariants("some answers");
        }
    }

    std::size_t longest_text(std::uint32_t q) const {
        return p_.questions[q].max_length.value_or(max_text_answer_length);
    }

    /// Boundaries and the questionnaire's own numbers (and their neighbours) are where
    /// rules go wrong, so they are drawn often.
    template <typename Below>
    static double sample_number(const compiled_question& q, const std::vector<double>& numbers, Below& below) {
        bool const whole = traits_of(q.kind).whole_numbers;
        auto const clamp = [&](double n) {
            double const inside = std::fmin(q.max, std::fmax(q.min, n));
            return whole ? std::round(inside) : inside;
        };
        switch (below(4)) {
            case 0: return below(2) == 0 ? q.min : q.max;
            case 1:
                if (!numbers.empty()) {
                    double const n = numbers[below(numbers.size())];
                    double const step = whole ? 1 : 0.5;
                    std::uint64_t const pick = below(3);
                    return clamp(pick == 0 ? n : pick == 1 ? n - step : n + step);
                }
                [[fallthrough]];
            default: {
                double const span = q.max - q.min;
                if (whole) {
                    auto const count = static_cast<std::uint64_t>(std::fmin(span, 1e15)) + 1;
                    return q.min + static_cast<double>(below(count));
                }
                return q.min + span * static_cast<double>(below(1000001)) / 1e6;
            }
        }
    }
};

}  // namespace

std::string given_block(const program& p, const answer_slots& answers, const evaluation& state) {
    std::string out = "given {";
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (!state.counted(q)) continue;
        out += " " + p.questions[q].id + " = " + given_value(p, q, answers.get(q));
    }
    return out + " }";
}

test_summary run_tests_and_invariants(const program& p, const compile_options& options, diagnostic_sink& diagnostics) {
    return runner(p, options, diagnostics).run();
}

test_summary sample_invariants(const program& p, const compile_options& options, const std::vector<bool>& which,
                               diagnostic_sink& diagnostics) {
    return runner(p, options, diagnostics).sample_only(which);
}

}  // namespace stepcare
