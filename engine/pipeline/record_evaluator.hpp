#pragma once
/// The one evaluation path from a record to its result line: `batch_evaluator`
/// (`stepcare eval`), `questionnaire::evaluate_json`, `evaluate_to_fhir_response` and the
/// C API's `stepcare_evaluate`. Records come as answers JSON or FHIR QuestionnaireResponses,
/// results go out as result JSON or QuestionnaireResponses.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "fhir/fhir_names.hpp"
#include "fhir/response_reader.hpp"
#include "fhir/response_sink.hpp"
#include "render/result_emitter.hpp"
#include "render/result_json_sink.hpp"
#include "stepcare/batch.hpp"

namespace stepcare {

/// For a result in `language` (empty: the default): its index in `index` (0 when the
/// questionnaire lacks it), and then the error that makes every result `invalid`.
std::optional<answer_error> choose_language(const program& p, std::string_view language, std::size_t& index);

/// Reads, evaluates and writes records with storage kept from one record to the next, so
/// that a record costs few allocations. Not thread-safe: use one per thread (any number
/// of them may share `p`, which must outlive them).
class record_evaluator {
public:
    record_evaluator(const program& p, const batch_options& options);

    /// Evaluates the record(s) of one input (batch_evaluator::evaluate) and appends the
    /// result line(s), without a final line break, to `out`.
    result_status evaluate(std::string_view input, std::string& out);

    /// Appends the `invalid` result of a record that was not read, with `message` as its
    /// one error (not one question's).
    void reject(std::string_view message, std::string& out);

    /// The errors of the last result written that was invalid, or none.
    const std::vector<answer_error>& last_errors() const { return last_errors_; }
    const std::vector<result_status>& last_statuses() const { return statuses_; }

private:
    /// Evaluates `record_` and writes its result.
    result_status evaluate_record(std::string& out);
    void write_invalid(const std::vector<answer_error>& errors, std::string& out);

    const program& p_;
    std::size_t language_index_ = 0;
    std::optional<answer_error> language_error_;
    record_format input_;
    result_texts texts_;
    fhir_names names_;
    answer_record record_;
    evaluation state_;
    std::optional<fhir_response_reader> responses_;
    std::optional<result_emitter<result_json_sink>> json_;
    std::optional<result_emitter<fhir_response_sink>> fhir_;
    std::vector<answer_error> last_errors_;
    std::vector<result_status> statuses_;
};

}  // namespace stepcare
