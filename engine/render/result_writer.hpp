#pragma once
/// Writing results as JSON lines straight from an evaluation, for batches of records
/// (`stepcare eval`): the bytes of `to_json(build_result(...))` without building the
/// `result`, with the parts that are the same for every record prepared once.

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "render/result_builder.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// Writes the results of one questionnaire in one language. It keeps working storage and
/// a bounded cache of rendered texts, so use one per thread; `p` must outlive it.
class result_writer {
public:
    /// With `with_answers`, each result also has an `"answers"` block before
    /// `"questionnaire"` (docs/cli.md, `eval --with-answers`).
    result_writer(const program& p, std::size_t language, bool with_answers = false);

    /// Appends the result of an evaluated record (no line break): the same bytes as
    /// `to_json(build_result(p, id_json, answers, state, language))`. Returns its status.
    result_status write(const std::string& id_json, const answer_slots& answers, const evaluation& state,
                        std::string& out);

    /// Appends the result of a record whose answers were rejected: the same bytes as
    /// `to_json(build_invalid_result(p, id_json, errors, language))`.
    void write_invalid(const std::string& id_json, const std::vector<answer_error>& errors, std::string& out);

    /// The errors of the `require`s that the last record written by `write` failed.
    const std::vector<answer_error>& requirement_errors() const { return requirement_errors_; }

    /// Most bytes the rendered texts kept for reuse may take, per writer. The common
    /// renderings come first and fill it early; a larger cache kept growing with the input
    /// (peak memory 20% higher at a million records than at ten thousand) for no speed.
    static constexpr std::size_t cache_limit = 256 << 10;

private:
    const program& p_;
    std::size_t language_;
    bool with_answers_;
    /// Per outcome: `{"id":...,"level":...,"title":` and `,"cites":[...]}`.
    std::vector<std::string> outcome_heads_;
    std::vector<std::string> outcome_tails_;
    std::vector<std::string> question_ids_;  ///< as JSON strings
    std::vector<std::string> let_keys_;      ///< `"id":`
    std::string referral_cites_;             ///< `,"cites":[...]}`
    std::string values_all_null_;            ///< `"values":{...}` with every let null
    std::string questionnaire_tail_;         ///< `,"questionnaire":{...}}`
    /// Of an invalid record, everything from `"outcomes"` up to the errors' `[`.
    std::string invalid_middle_;

    /// Per text: the escaped body (JSON string without its quotes) of a text that is the
    /// same for every record, filled on first use.
    std::vector<std::string> constant_bodies_;
    std::vector<bool> constant_known_;
    /// Per text: the questions and lets it names in this language, looked up on first use.
    std::vector<const std::vector<symbol>*> arguments_;
    /// Per text with arguments: escaped bodies by argument values (see `key_`).
    std::vector<std::unordered_map<std::string, std::string>> rendered_;
    std::size_t cached_bytes_ = 0;

    // Working storage.
    std::string key_;
    std::string scratch_;
    waiting_scratch waiting_;
    std::vector<std::uint32_t> missing_;
    std::vector<answer_error> requirement_errors_;

    /// Appends text `id`, rendered with `state`, as the body of a JSON string.
    void append_text_body(std::uint32_t id, const evaluation* state, std::string& out);
    void append_text(std::uint32_t id, const evaluation* state, std::string& out);
    /// `say` paragraphs as one JSON string, separated by a blank line, empty ones left out.
    void append_paragraphs(const std::vector<std::uint32_t>& says, const evaluation* state, std::string& out);
    void append_referral(const evaluation* state, std::string& out);
    void append_errors(const std::vector<answer_error>& errors, std::string& out);
    /// `,"answers":[...]`: every question shown, in file order, with its text, its answer
    /// (null when unanswered) and the labels of the options chosen. Empty without `state`.
    void append_answers(const answer_slots* answers, const evaluation* state, std::string& out);
    void append_question_list(const std::vector<std::uint32_t>& questions, std::string& out);
    /// The ids of the questions for which `keep(q)` holds, as a JSON array.
    template <typename Keep>
    void append_questions_if(std::string& out, Keep keep) const {
        out += '[';
        bool first = true;
        for (std::uint32_t q = 0; q < question_ids_.size(); ++q) {
            if (!keep(q)) continue;
            if (!first) out += ',';
            first = false;
            out += question_ids_[q];
        }
        out += ']';
    }
};

}  // namespace stepcare
