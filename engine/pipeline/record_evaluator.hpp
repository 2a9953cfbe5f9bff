#pragma once
/// The one evaluation path from answers JSON to result JSON: `batch_evaluator`
/// (`stepcare eval`), `questionnaire::evaluate_json` and the C API's `stepcare_evaluate`.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "render/result_emitter.hpp"
#include "render/result_json_sink.hpp"

namespace stepcare {

/// For a result in `language` (empty: the default): its index in `index` (0 when the
/// questionnaire lacks it), and then the error that makes every result `invalid`.
std::optional<answer_error> choose_language(const program& p, std::string_view language, std::size_t& index);

/// Reads, evaluates and writes records with storage kept from one record to the next, so
/// that a record costs few allocations. Not thread-safe: use one per thread (any number
/// of them may share `p`, which must outlive them).
class record_evaluator {
public:
    record_evaluator(const program& p, std::string_view language, bool with_answers);

    /// Evaluates one record (a JSON object, interfaces.md section 2) and appends its result
    /// line, without a line break, to `out`. Returns the result's status.
    result_status evaluate(std::string_view record_json, std::string& out);

    /// Appends the `invalid` result of a record that was not read, with `message` as its
    /// one error (not one question's).
    void reject(std::string_view message, std::string& out);

    /// The errors of the last result written: empty unless it was `invalid`. A record whose
    /// answers were read without error can only have failed a `require`.
    const std::vector<answer_error>& last_errors() const {
        return record_.errors.empty() ? emitter_.requirement_errors() : record_.errors;
    }

private:
    const program& p_;
    std::size_t language_index_ = 0;
    std::optional<answer_error> language_error_;
    answer_record record_;
    evaluation state_;
    result_emitter<result_json_sink> emitter_;
};

}  // namespace stepcare
