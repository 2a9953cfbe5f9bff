#pragma once
/// The render phase for results: one emitter decides what the result of an evaluation
/// says, in the order of interfaces.md section 3, and hands each part to a sink that
/// keeps it: `result_object_sink` (render/result_object_sink.hpp) builds a `result`,
/// `result_json_sink` (render/result_json_sink.hpp) appends the JSON bytes.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// Renders text `id` in language `language`, with arguments from `state` (all unknown
/// when `state` is null). An absent text (no_text) renders empty.
std::string render_text(const program& p, std::uint32_t id, std::size_t language, const evaluation* state);

/// The value of argument `what` (a question or a let) in `state` (unknown when `state`
/// is null): a text naming it shows `argument_value`, which depends on nothing else.
value argument_state(symbol what, const evaluation* state);

/// The value of argument `what` as texts show it.
display_value argument_value(const program& p, symbol what, const evaluation* state);

/// A let's value as JSON text (`null` when unknown).
std::string let_value_json(const program& p, std::uint32_t let, value v);

/// Appends a let's value as JSON text to `out`.
void append_let_value_json(const program& p, std::uint32_t let, value v, std::string& out);

/// For an undetermined outcome: the questions it waits for, in file order.
std::vector<std::uint32_t> waiting_for(const program& p, std::uint32_t outcome, const evaluation& state);

/// Working storage of `waiting_for`, kept between calls so that they need not allocate.
struct waiting_scratch {
    std::vector<std::uint32_t> reached;  ///< per question: the last call that reached it
    std::uint32_t call = 0;              ///< numbers the calls
    std::vector<std::uint32_t> pending;
};

/// `waiting_for` into `missing` (replaced), with reusable storage.
void waiting_for(const program& p, std::uint32_t outcome, const evaluation& state, waiting_scratch& scratch,
                 std::vector<std::uint32_t>& missing);

/// A text as the emitter hands it to a sink, to render with `state` (null: every
/// argument unknown).
struct text_ref {
    std::uint32_t id;
    const evaluation* state;
};

/// `say` paragraphs, shown as one text.
struct paragraphs_ref {
    const std::vector<std::uint32_t>* says;
    const evaluation* state;
};

/// Joins paragraphs into `out`, each appended by `append(say, out)`, with `separator`
/// between them; one that renders to nothing (a `select` branch left empty) leaves no gap.
template <typename Append>
void join_paragraphs(const std::vector<std::uint32_t>& says, std::string_view separator, std::string& out,
                     Append append) {
    bool first = true;
    for (std::uint32_t const say : says) {
        std::size_t const before = out.size();
        if (!first) out += separator;
        std::size_t const start = out.size();
        append(say, out);
        if (out.size() == start) {
            out.resize(before);
            continue;
        }
        first = false;
    }
}

/// Decides the result of one record and hands it, part by part in the order of
/// interfaces.md section 3, to a `Sink` (no virtual call: the sink is a template
/// parameter). A sink has `using output = ...` (what one result is written into) and
/// `holds_answers` (whether it can keep the `"answers"` block), and these members, each
/// taking `output&` first:
///
///     open(id_json, status)
///     outcome(o, text_ref title, paragraphs_ref text)      fired, by level then file order
///     undetermined(o, const std::vector<std::uint32_t>& waiting_for)     in file order
///     referral(text_ref title, paragraphs_ref text)
///     let_value(let, value)                                every let, in file order
///     missing(questions), ignored(questions)               question indices, in file order
///     errors(const std::vector<answer_error>&)
///     open_answers(), answer(q, text_ref ask, value answer (unknown: unanswered),
///                            const std::vector<std::uint32_t>* label_texts)   if holds_answers
///     close()
///
/// A field added to the result is decided here and written by each sink. The emitter keeps
/// working storage: use one per thread; `p` must outlive it.
template <typename Sink>
class result_emitter {
public:
    using output = typename Sink::output;

    /// With `with_answers`, a sink that holds answers also gets the `"answers"` block:
    /// every question shown, in file order (docs/cli.md, `eval --with-answers`).
    /// `sink_arguments` follow the program and the language in the sink's constructor.
    template <typename... SinkArguments>
    result_emitter(const program& p, std::size_t language, bool with_answers, SinkArguments&&... sink_arguments)
        : p_(p),
          language_(language),
          with_answers_(with_answers),
          sink_(p, language, std::forward<SinkArguments>(sink_arguments)...) {}

    /// The result of an evaluated record. Returns its status.
    result_status emit(output& out, std::string_view id_json, const answer_slots& answers, const evaluation& state) {
        requirement_errors_.clear();
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            if (!state.fails_requirement(q)) continue;
            const compiled_requirement& failed = p_.questions[q].requirements[state.failed_requirement[q]];
            requirement_errors_.push_back({p_.questions[q].id, render_text(p_, failed.message, language_, &state)});
        }
        // Rejected by a `require`: like any invalid record, but the referral is rendered
        // after the evaluation, so it may use the answers.
        if (!requirement_errors_.empty()) {
            emit_rejected(out, id_json, requirement_errors_, &state);
            return result_status::invalid;
        }
        missing_.clear();
        ignored_.clear();
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            bool const counted = state.counted(q);
            if (q < state.limit && state.visible[q] == visibility::shown && !p_.questions[q].optional && !counted) {
                missing_.push_back(q);
            }
            if (answers.answered(q) && !counted) ignored_.push_back(q);
        }
        result_status const status = state.stopped      ? result_status::stopped
                                     : missing_.empty() ? result_status::complete
                                                        : result_status::incomplete;
        sink_.open(out, id_json, status);
        for (std::uint32_t const o : p_.outcome_order) {
            if (!state.outcomes[o].is_true()) continue;
            const compiled_outcome& outcome = p_.outcomes[o];
            sink_.outcome(out, o, text_ref{outcome.title, &state}, paragraphs_ref{&outcome.says, &state});
        }
        for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
            if (!state.outcomes[o].is_unknown()) continue;
            waiting_for(p_, o, state, waiting_scratch_, waiting_);
            sink_.undetermined(out, o, waiting_);
        }
        referral(out, &state);
        for (std::uint32_t l = 0; l < p_.lets.size(); ++l) sink_.let_value(out, l, state.lets[l]);
        sink_.missing(out, missing_);
        sink_.ignored(out, ignored_);
        sink_.errors(out, no_errors_);
        if constexpr (Sink::holds_answers) {
            if (with_answers_) emit_answers(out, answers, state);
        }
        sink_.close(out);
        return status;
    }

    /// The result of a record whose answers were rejected before evaluation: no outcomes,
    /// the referral with every argument unknown, the errors.
    void emit_invalid(output& out, std::string_view id_json, const std::vector<answer_error>& errors) {
        emit_rejected(out, id_json, errors, nullptr);
    }

    /// The errors of the `require`s that the last record given to `emit` failed.
    const std::vector<answer_error>& requirement_errors() const { return requirement_errors_; }

private:
    const program& p_;
    std::size_t language_;
    bool with_answers_;
    Sink sink_;
    // Working storage, kept from one record to the next.
    std::vector<answer_error> requirement_errors_;
    std::vector<answer_error> no_errors_;
    std::vector<std::uint32_t> missing_;
    std::vector<std::uint32_t> ignored_;
    waiting_scratch waiting_scratch_;
    std::vector<std::uint32_t> waiting_;
    std::vector<std::uint32_t> label_texts_;

    void referral(output& out, const evaluation* state) {
        sink_.referral(out, text_ref{p_.referral_title, state}, paragraphs_ref{&p_.referral_says, state});
    }

    void emit_rejected(output& out, std::string_view id_json, const std::vector<answer_error>& errors,
                       const evaluation* state) {
        sink_.open(out, id_json, result_status::invalid);
        referral(out, state);
        for (std::uint32_t l = 0; l < p_.lets.size(); ++l) sink_.let_value(out, l, value::unknown());
        missing_.clear();
        sink_.missing(out, missing_);
        sink_.ignored(out, missing_);
        sink_.errors(out, errors);
        if constexpr (Sink::holds_answers) {
            if (with_answers_) sink_.open_answers(out);
        }
        sink_.close(out);
    }

    /// Every question shown, in file order: its text, its answer (null when unanswered)
    /// and, for options, the labels of those chosen.
    void emit_answers(output& out, const answer_slots& answers, const evaluation& state) {
        sink_.open_answers(out);
        for (std::uint32_t q = 0; q < p_.questions.size() && q < state.limit; ++q) {
            if (state.visible[q] != visibility::shown) continue;
            const compiled_question& question = p_.questions[q];
            value const v = answers.get(q);
            if (v.is_unknown() || question.option_set == no_index) {
                sink_.answer(out, q, text_ref{question.ask, &state}, v, nullptr);
                continue;
            }
            const compiled_option_set& set = p_.option_sets[question.option_set];
            label_texts_.clear();
            for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                bool const chosen = v.type == value::kind::option    ? v.option == i
                                    : v.type == value::kind::options ? ((v.options >> i) & 1U) != 0
                                                                     : false;
                if (chosen) label_texts_.push_back(set.labels[i]);
            }
            sink_.answer(out, q, text_ref{question.ask, &state}, v, &label_texts_);
        }
    }
};

}  // namespace stepcare
