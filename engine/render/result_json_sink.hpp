#pragma once
/// The result emitter's sink that appends the result JSON straight from an evaluation,
/// for records by the million (`stepcare eval`, `questionnaire::evaluate_json`): the same
/// bytes as `to_json` of the `result` the object sink builds, through the same writer,
/// with the parts that are the same for every record prepared once.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/evaluator.hpp"
#include "render/result_emitter.hpp"
#include "render/result_json.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// Writes the results of one questionnaire in one language. It keeps a bounded cache of
/// rendered texts, so use one per thread; `p` must outlive it.
class result_json_sink {
    // Pieces for result_json_writer: texts through the cache, lists of question ids.
    auto piece(text_ref text) {
        return [this, text](std::string& out) {
            out += '"';
            append_text_body(text.id, text.state, out);
            out += '"';
        };
    }
    auto piece(paragraphs_ref text) {
        return [this, text](std::string& out) {
            out += '"';
            join_paragraphs(*text.says, "\\n\\n", out,
                            [&](std::uint32_t say, std::string& into) { append_text_body(say, text.state, into); });
            out += '"';
        };
    }
    auto question_list(const std::vector<std::uint32_t>& questions) const {
        return [this, &questions](std::string& out) {
            out += '[';
            for (std::size_t i = 0; i < questions.size(); ++i) {
                if (i > 0) out += ',';
                out += question_ids_[questions[i]];
            }
            out += ']';
        };
    }

public:
    using output = result_json_writer;
    static constexpr bool holds_answers = true;

    result_json_sink(const program& p, std::size_t language);

    /// Most bytes the rendered texts kept for reuse may take, per sink. The common
    /// renderings come first and fill it early; a larger cache kept growing with the input
    /// (peak memory 20% higher at a million records than at ten thousand) for no speed.
    static constexpr std::size_t cache_limit = 256 << 10;

    void open(result_json_writer& json, std::string_view id_json, result_status status) { json.open(id_json, status); }
    void outcome(result_json_writer& json, std::uint32_t o, text_ref title, paragraphs_ref text) {
        json.outcome(json_raw{outcome_heads_[o]}, piece(title), piece(text), json_raw{outcome_tails_[o]});
    }
    void undetermined(result_json_writer& json, std::uint32_t o, const std::vector<std::uint32_t>& waiting) {
        json.undetermined(json_raw{outcome_ids_[o]}, question_list(waiting));
    }
    void referral(result_json_writer& json, text_ref title, paragraphs_ref text) {
        json.referral(piece(title), piece(text), json_raw{referral_cites_});
    }
    void let_value(result_json_writer& json, std::uint32_t let, value v) {
        if (v.is_unknown()) return json.let_value(json_raw{let_entries_[3 * let]});
        if (v.type == value::kind::boolean) return json.let_value(json_raw{let_entries_[3 * let + 1 + v.boolean]});
        json.let_value(json_raw{let_keys_[let]}, [&](std::string& out) { append_let_value_json(p_, let, v, out); });
    }
    void missing(result_json_writer& json, const std::vector<std::uint32_t>& questions) {
        json.missing(question_list(questions));
    }
    void ignored(result_json_writer& json, const std::vector<std::uint32_t>& questions) {
        json.ignored(question_list(questions));
    }
    void errors(result_json_writer& json, const std::vector<answer_error>& errors) {
        for (const answer_error& e : errors) json.error(e);
    }
    void open_answers(result_json_writer& json) { json.open_answers(); }
    void answer(result_json_writer& json, std::uint32_t q, text_ref ask, value answer,
                const std::vector<std::uint32_t>* label_texts);
    void close(result_json_writer& json) { json.close(json_raw{questionnaire_}); }

private:
    const program& p_;
    std::size_t language_;
    // Written once: each outcome's head and tail, ids as JSON strings, let keys, cites as
    // JSON arrays, the questionnaire's identity.
    std::vector<std::string> outcome_heads_;
    std::vector<std::string> outcome_tails_;
    std::vector<std::string> outcome_ids_;
    std::vector<std::string> question_ids_;
    std::vector<std::string> let_keys_;
    /// Per let, its key with each of the commonest values, spelt as append_let_value_json
    /// spells them: null, false and true.
    std::vector<std::string> let_entries_;
    std::string referral_cites_;
    std::string questionnaire_;

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
    std::string answer_json_;

    /// Appends text `id`, rendered with `state`, as the body of a JSON string.
    void append_text_body(std::uint32_t id, const evaluation* state, std::string& out);
};

}  // namespace stepcare
