#pragma once
/// Evaluating answer records one after another into result lines, for `stepcare eval`.

#include <cstddef>
#include <string>
#include <string_view>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "render/result_writer.hpp"

namespace stepcare {

/// Reads, evaluates and writes records with storage kept from one record to the next, so
/// that a record costs few allocations. Not thread-safe: use one per thread (any number
/// of them may share `p`, which must outlive them).
class record_evaluator {
public:
    /// Results are in `language`, an index into the program's languages; `with_answers`
    /// adds each result's `"answers"` block (`eval --with-answers`).
    record_evaluator(const program& p, std::size_t language, bool with_answers = false);

    /// Evaluates one record (a JSON object, interfaces.md section 2) and appends its result
    /// line, without a line break, to `out`: the same bytes as `to_json` of the result
    /// `questionnaire::evaluate` gives. Returns the result's status.
    result_status evaluate(std::string_view record_json, std::string& out);

    /// Appends the `invalid` result of a record that was not read, with `message` as its
    /// one error (not one question's).
    void reject(std::string message, std::string& out);

private:
    const program& p_;
    answer_record record_;
    evaluation state_;
    result_writer writer_;
};

}  // namespace stepcare
