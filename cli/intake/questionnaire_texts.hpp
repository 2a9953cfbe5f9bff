#pragma once
// Texts of a questionnaire that the public session API does not hand out yet: the titles
// of cited sources, of outcomes that have not fired, and the questions' own wording by id
// (for "answer these to learn more"). This is the only part of the intake that looks
// inside the compiled program; it goes once the public API offers the same.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "stepcare/result.hpp"
#include "stepcare/session.hpp"

namespace stepcare::cli::intake {

struct outcome_summary {
    std::string title;
    outcome_level level = outcome_level::info;
};

class questionnaire_texts {
public:
    /// Texts of `q` in `language` (a declared language; empty: the default).
    questionnaire_texts(const questionnaire& q, std::string_view language);
    ~questionnaire_texts();
    questionnaire_texts(const questionnaire_texts&) = delete;
    questionnaire_texts& operator=(const questionnaire_texts&) = delete;

    /// Re-renders with the answers `s` holds now, for texts that quote answers.
    void update(const session& s);

    /// The title of source `id`, or `id` itself when there is no such source.
    std::string source_title(std::string_view id) const;
    /// The title and level of outcome `id`.
    std::optional<outcome_summary> outcome(std::string_view id) const;
    /// What question `id` asks, or `id` itself when there is no such question.
    std::string question_ask(std::string_view id) const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

}  // namespace stepcare::cli::intake
