#pragma once
/// Evaluating many answer records into result JSON lines: the path `stepcare eval` takes,
/// for embedders with batches of their own.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/export.h"
#include "stepcare/questionnaire.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// How records come in and results go out.
enum class record_format {
    json,     ///< answers records (interfaces.md section 2) in; result JSON (section 3) out
    fhir_r4,  ///< FHIR R4 QuestionnaireResponse in and out (docs/fhir.md)
};

struct batch_options {
    /// The language of the results (empty: the questionnaire's default). One the
    /// questionnaire does not declare makes every result `invalid` with an error saying so,
    /// as `questionnaire::evaluate` does.
    std::string language;
    /// Each JSON result also has the `"answers"` block of `stepcare eval --with-answers`
    /// (docs/cli.md); a QuestionnaireResponse holds the answers anyway.
    bool with_answers = false;
    /// `none`: JSON results without their rendered texts (`stepcare eval --texts none`,
    /// `result_texts`), which are then not rendered at all. A QuestionnaireResponse has no
    /// texts either way (they are in the Questionnaire), so with output `fhir_r4` it changes
    /// nothing.
    result_texts texts = result_texts::full;
    record_format input = record_format::json;
    record_format output = record_format::json;
    /// The questionnaire's canonical URL in FHIR (fhir_options::base_url, stepcare/fhir.hpp).
    std::string base_url;
};

/// Reads, evaluates and writes records one after another, keeping its storage and a
/// bounded cache of rendered texts from one record to the next, so that a record costs
/// few allocations and no intermediate `result`.
///
/// Not thread-safe: use one per thread. Any number of them may share one questionnaire,
/// which each keeps alive. Nothing throws for bad input: a record that cannot be read or
/// whose answers do not fit gets an `invalid` result.
class STEPCARE_API batch_evaluator {
public:
    explicit batch_evaluator(questionnaire q, const batch_options& options = {});
    ~batch_evaluator();
    batch_evaluator(batch_evaluator&&) noexcept;
    batch_evaluator& operator=(batch_evaluator&&) noexcept;

    /// Evaluates one record (a JSON object, interfaces.md section 2) and appends its result
    /// as one line of JSON, without a line break, to `out`: the same bytes as
    /// `to_json(q.evaluate(record_json, language), texts)` (plus `"answers"` when asked for), or
    /// the `QuestionnaireResponse` of `evaluate_to_fhir_response`. Returns the result's status.
    ///
    /// With input `fhir_r4`, `record_json` is a QuestionnaireResponse or a `Bundle` of them:
    /// a Bundle gives one result per entry, separated by line breaks, and the status is
    /// `invalid` when any of them is, else the last one's (`last_statuses` has them all).
    result_status evaluate(std::string_view record_json, std::string& out);

    /// The statuses of the results the last call wrote, in order: one, except for a Bundle.
    const std::vector<result_status>& last_statuses() const;

    /// Appends the `invalid` result of a record that was not read (for example a line too
    /// long to take), with `message` as its one error, which names no question.
    void reject(std::string_view message, std::string& out);

    /// The errors of the last record evaluated or rejected (of a Bundle's, those of the
    /// first invalid one): empty unless its status was `invalid`. Valid until the next call.
    const std::vector<answer_error>& last_errors() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace stepcare
