#pragma once
/// A compiled questionnaire: immutable, cheap to copy, and safe to share between threads.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepcare/answer.hpp"
#include "stepcare/export.h"
#include "stepcare/question_kind.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

class program;
struct program_access;

/// A questionnaire that compiled without errors.
///
/// Copies share one immutable program, so any number of threads may evaluate with the
/// same questionnaire at once. Nothing here throws for bad answers: problems come back
/// inside the result (status `invalid` with `errors`).
class STEPCARE_API questionnaire {
public:
    explicit questionnaire(std::shared_ptr<const program> compiled);

    const std::string& id() const;
    const std::string& version() const;
    /// SHA-256 of the source bytes, lowercase hex: tells versions of a file apart.
    const std::string& sha256() const;
    /// The declared languages, default first.
    const std::vector<std::string>& languages() const;
    bool has_language(std::string_view language) const;
    /// The title in `language` (the default language when empty or undeclared).
    std::string title(std::string_view language = {}) const;
    /// The `description` in `language` (as for `title`); empty when there is none.
    std::string description(std::string_view language = {}) const;
    std::size_t question_count() const;
    /// Every question's id, in file order (`session::question` shows one).
    std::vector<std::string> question_ids() const;

    /// Evaluates one record in the answers JSON format of interfaces.md section 2
    /// (`{"id": ..., "answers": {...}}`). `language` empty means the default; a language
    /// the questionnaire does not declare makes the result `invalid` with an error saying so.
    result evaluate(std::string_view record_json, std::string_view language = {}) const;

    /// Evaluates typed answers given as (question id, answer) pairs, with the checks and
    /// messages of the JSON form.
    result evaluate(const std::vector<std::pair<std::string, answer_value>>& answers,
                    std::string_view language = {}) const;

    /// Evaluates one record as `evaluate` does and appends its result as one line of JSON
    /// (no line break) to `out`: the same bytes as
    /// `to_json(evaluate(record_json, language), texts)`, written directly without building a
    /// `result` (the path of `batch_evaluator`, which suits many records better; with
    /// `result_texts::none` no text is rendered). Returns the status; `errors`, when given,
    /// receives the result's errors (empty unless `invalid`).
    result_status evaluate_json(std::string_view record_json, std::string& out, std::string_view language = {},
                                std::vector<answer_error>* errors = nullptr,
                                result_texts texts = result_texts::full) const;

    /// A human-readable account of one record's evaluation: every outcome, fired,
    /// undetermined or not, with its condition, the values that decided it and its sources.
    std::string explain(std::string_view record_json, std::string_view language = {}) const;

private:
    friend struct program_access;  // the engine's own implementation reaches the program
    std::shared_ptr<const program> program_;
};

}  // namespace stepcare
