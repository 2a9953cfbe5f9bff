#pragma once
/// An intake session: one question at a time, as a person answers them.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/answer.hpp"
#include "stepcare/export.h"
#include "stepcare/questionnaire.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

struct option_view {
    std::string id;
    std::string label;  ///< in the session's language
    /// What a person types to choose it (`session::parse_answer`): "1", "2"... or, when a
    /// label holds a digit ("1 to 3"), "a", "b"..., so that a typed number reads as words.
    std::string key;
};

/// A later answer that a change to an earlier one made invalid (a `require` of its question
/// now fails). The session clears it, so that the result never becomes invalid through the
/// person's own edit, and asks the question again when the flow reaches it.
struct set_aside_answer {
    std::string question;   ///< its id
    answer_value previous;  ///< the answer that was set aside
    std::string message;    ///< the failed requirement's message, in the session's language
};

/// A question ready to show, its texts rendered with the answers so far.
struct question_view {
    std::size_t index = 0;  ///< position in file order
    std::string id;
    question_kind kind = question_kind::yesno;
    bool optional = false;
    std::string section_id;     ///< empty outside sections
    std::string section_title;  ///< empty outside sections
    std::string ask;
    std::string help;                  ///< empty when none
    std::string unit;                  ///< empty when none
    std::vector<option_view> options;  ///< choice and multi
    double min = 0;                    ///< integer and decimal
    double max = 0;
    std::optional<std::size_t> max_length;  ///< text with `max N`, in characters
    /// The answer that a change to an earlier answer set aside, when the question is asked
    /// again for that reason.
    std::optional<set_aside_answer> set_aside;
};

/// An outcome as a session shows it, whether or not it has fired.
struct outcome_view {
    std::string id;
    outcome_level level = outcome_level::info;
    std::string title;   ///< in the session's language, rendered with the answers so far
    bool stops = false;  ///< an urgent outcome with `stop`
};

/// One thing that a question's answer is used for (see `session::used_by`).
struct answer_use {
    enum class kind {
        let,                   ///< a let's value
        outcome,               ///< an outcome's condition
        question_shown,        ///< whether another question is shown (its `when`, or its section's)
        question_requirement,  ///< another question's `require`
        outcome_text,          ///< an outcome's wording: its title or a `say`
        referral_text,         ///< the referral's wording
        question_text,         ///< a later question's wording
    };
    kind what = kind::let;
    std::string id;  ///< the let, outcome or question; empty for the referral
    /// In the session's language, rendered with the answers so far: an outcome's title, a
    /// question's ask; empty for lets (named in the author's language only) and the referral.
    std::string title;
    outcome_level level = outcome_level::info;  ///< outcomes only
};

/// "let", "outcome", "question_shown", "question_requirement", "outcome_text",
/// "referral_text", "question_text".
STEPCARE_API const char* to_string(answer_use::kind what);

/// A change to an answer already given: kept in the session (and its save file) so that a
/// clinician can see, for example, a disclosure that was taken back.
struct answer_change {
    std::string question;  ///< its id
    answer_value from;     ///< the answer before
    answer_value to;       ///< the answer after; empty when it was skipped or set aside
    std::string at;        ///< when, in UTC: "2026-12-06T19:10:04Z"
};

/// What became of an answer or a skip: accepted, or rejected with a message for the person.
struct answer_feedback {
    bool accepted = false;
    std::string message;  ///< why it was rejected; empty when accepted
    /// Later answers that this accepted step made invalid, now cleared, in file order.
    std::vector<set_aside_answer> set_aside;
    /// The ids of the urgent outcomes that this accepted step made fire, in result order:
    /// show them at once, before anything else (crisis first). An urgent outcome is
    /// reported when it starts firing; again only after it stopped firing, or after `back`
    /// from the end of the intake (the person may give the same answer again).
    std::vector<std::string> urgent;
};

/// Why typed text is not an answer to a question (see `session::parse_answer`). The fields
/// beyond `what`, `message` and `text` are set for the kinds named beside them, so that a
/// front end can word the problem in its own language.
struct answer_problem {
    enum class kind {
        empty,             ///< nothing but spaces
        not_yes_no,        ///< none of the language's words for yes and no
        unknown_option,    ///< matches no option's key, label or id
        no_such_option,    ///< a key past the last option (`number`: a number typed, 0 for a letter)
        ambiguous_option,  ///< begins the label or id of several options (`options`)
        one_option_only,   ///< several options for a choice question
        not_a_number,
        decimal_separator,  ///< the other language's decimal separator (`suggestion`: "2,5")
        grouping,           ///< thousands separators, never read (`suggestion`: "1000")
        not_whole,          ///< not whole, for an integer question (`number`)
        out_of_range,       ///< outside the question's range (`number`)
        too_long,           ///< longer than the question's `max_length` (`length`, in characters)
    };
    kind what = kind::empty;
    std::string message;               ///< in English, for logs and developers
    std::string text;                  ///< the typed text, or the item of a list, that the problem is with
    std::vector<std::string> options;  ///< the ids of the options it could be
    double number = 0;
    std::string suggestion;
    std::size_t length = 0;
};

/// Typed text read as an answer: exactly one of `value` and `problem` is set.
struct parsed_answer {
    std::optional<answer_value> value;
    std::optional<answer_problem> problem;
};

/// "empty", "not_yes_no", "unknown_option", ..., "too_long".
STEPCARE_API const char* to_string(answer_problem::kind what);

/// Progress through the questions that can still be shown.
struct session_progress {
    std::size_t number = 0;  ///< the current question's number among those shown so far, from 1
    std::size_t total = 0;   ///< questions answered or shown so far plus those that may follow
};

/// A session walks a person through a questionnaire, as the interactive intake does.
///
/// A session belongs to one thread at a time; the questionnaire it uses may be shared.
/// Answers to questions that become hidden (after `back` and a changed answer) are kept
/// but ignored, and count again if the question is shown again. Later answers that a changed
/// answer makes invalid are set aside (cleared) and asked again: see `set_aside_answer`.
class STEPCARE_API session {
public:
    /// `language` empty or undeclared: the default language.
    explicit session(questionnaire q, std::string_view language = {});
    ~session();
    session(session&&) noexcept;
    session& operator=(session&&) noexcept;

    const questionnaire& questionnaire_used() const { return questionnaire_; }
    const std::string& language() const;

    /// The question to show now, or nothing when the intake is over (finished or stopped).
    std::optional<question_view> current() const;
    /// Answers the current question. A rejected answer changes nothing.
    answer_feedback answer(const answer_value& value);
    /// Answers the current question with a JSON value (`true`, `"daily"`, `34`, `["a"]`).
    answer_feedback answer_json(std::string_view json);
    /// Reads what a person typed as an answer to `q` (as `current()` or `question()` gives
    /// it, or a question view of the front end's own, such as a yes/no confirmation), in the
    /// session's language: an option by its key ("2", "b"), "#N" for the Nth option, or its
    /// label or id, ignoring case and accents, or the start of one; several, separated by
    /// commas or semicolons, for a multi, or the word for none ("none", "ninguna"); yes or
    /// no ("yes", "y", "1", "no", "n", "2"; "sí", "s" in Spanish); a number in the
    /// language's format ("2,5" in Spanish), without grouping, optionally followed by the
    /// question's unit; text within `max_length` characters. Changes nothing: give the
    /// value to `answer`, which also checks `require`s.
    parsed_answer parse_answer(const question_view& q, std::string_view text) const;

    /// Goes back to the previously shown question; false at the first one. Also after a
    /// `stop`, so that an answer given by mistake can be changed: the stop holds until the
    /// answer that made it fire is changed. Going back from the end of the intake (finished
    /// or stopped) reports again the urgent outcomes that fire after the next step.
    bool back();
    /// Leaves the current question unanswered. Rejected (and nothing changes) unless it is
    /// optional.
    answer_feedback skip();

    bool finished() const;  ///< no question is left to show
    bool stopped() const;   ///< an urgent outcome with `stop` fired
    session_progress progress() const;

    /// The answer given to question `id`, if any (kept even when the question is hidden).
    std::optional<answer_value> answer_of(std::string_view id) const;
    /// The ids of the questions shown so far, in the order they were shown: those answered
    /// or skipped, then the current one.
    std::vector<std::string> shown_questions() const;
    /// Every change to an answer already given, oldest first.
    const std::vector<answer_change>& changes() const;

    /// The outcomes fired so far, by level then file order.
    std::vector<fired_outcome> outcomes() const;
    /// The result of the answers so far; the referral is always in it.
    result current_result() const;

    /// The answers so far in the answers JSON format, plus `"position"`: the current
    /// question's id (absent when over). For saving an intake.
    std::string save_json() const;
    /// Restores answers (and the position, when present) saved by `save_json` or written
    /// by hand in the answers format. Rejected answers are reported and not kept.
    std::vector<answer_error> restore_json(std::string_view json);

    /// What question `id`'s answer is used for, directly or through lets and outcomes: the
    /// lets in file order, then the outcomes, then the other questions whose `when` or
    /// `require` it takes part in (`question_shown`, then `question_requirement`, for each).
    /// After those, what it words, as an argument of a text in any language, directly or
    /// through a let: outcomes (their title or a `say`), the referral, then the later
    /// questions whose ask, help, unit, `require` message or inline option labels show it.
    /// An outcome may be listed both ways. Empty for an unknown id.
    std::vector<answer_use> used_by(std::string_view id) const;

    // Texts by id, in the session's language and rendered with the answers so far; for
    // showing outcomes that have not fired, the sources results cite, and the questions
    // an undetermined outcome waits for. Nothing for an unknown id.

    std::optional<outcome_view> outcome(std::string_view id) const;
    /// Question `id` as `current()` would show it, in `language` (empty or undeclared: the
    /// session's language), for showing answers in more than one language.
    std::optional<question_view> question(std::string_view id, std::string_view language = {}) const;
    std::optional<std::string> source_title(std::string_view id) const;
    /// What question `id` asks (its `ask` text).
    std::optional<std::string> question_text(std::string_view id) const;

private:
    struct state;
    stepcare::questionnaire questionnaire_;
    std::unique_ptr<state> state_;
};

}  // namespace stepcare
