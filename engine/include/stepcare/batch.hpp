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

/// Reads, evaluates and writes records one after another, keeping its storage and a
/// bounded cache of rendered texts from one record to the next, so that a record costs
/// few allocations and no intermediate `result`.
///
/// Not thread-safe: use one per thread. Any number of them may share one questionnaire,
/// which each keeps alive. Nothing throws for bad input: a record that cannot be read or
/// whose answers do not fit gets an `invalid` result.
class STEPCARE_API batch_evaluator {
public:
    /// Results are in `language` (empty means the questionnaire's default). A language the
    /// questionnaire does not declare makes every result `invalid` with an error saying so,
    /// as `questionnaire::evaluate` does. With `with_answers`, each result also has the
    /// `"answers"` block of `stepcare eval --with-answers` (docs/cli.md).
    explicit batch_evaluator(questionnaire q, std::string_view language = {}, bool with_answers = false);
    ~batch_evaluator();
    batch_evaluator(batch_evaluator&&) noexcept;
    batch_evaluator& operator=(batch_evaluator&&) noexcept;

    /// Evaluates one record (a JSON object, interfaces.md section 2) and appends its result
    /// as one line of JSON, without a line break, to `out`: the same bytes as
    /// `to_json(q.evaluate(record_json, language))` (plus `"answers"` when asked for).
    /// Returns the result's status.
    result_status evaluate(std::string_view record_json, std::string& out);

    /// Appends the `invalid` result of a record that was not read (for example a line too
    /// long to take), with `message` as its one error, which names no question.
    void reject(std::string_view message, std::string& out);

    /// The errors of the last record evaluated or rejected: empty unless its status was
    /// `invalid`. Valid until the next call.
    const std::vector<answer_error>& last_errors() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace stepcare
