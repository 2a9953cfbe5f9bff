#pragma once
/// The result of evaluating one set of answers (interfaces.md section 3).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepcare/export.h"

namespace stepcare {

/// How a record or session ended up.
enum class result_status {
    complete,    ///< every shown required question was answered
    incomplete,  ///< a shown required question is unanswered
    stopped,     ///< an urgent outcome with `stop` fired; later answers were ignored
    invalid,     ///< an answer was rejected (see `result::errors`); no outcome was evaluated
};

/// "complete", "incomplete", "stopped" or "invalid".
STEPCARE_API const char* to_string(result_status status);

enum class outcome_level { urgent, caution, guidance, info };

/// "urgent", "caution", "guidance" or "info".
STEPCARE_API const char* to_string(outcome_level level);

/// A fired outcome, its texts rendered in the result's language.
struct fired_outcome {
    std::string id;
    outcome_level level = outcome_level::info;
    std::string title;
    std::string text;                ///< its `say` paragraphs, separated by a blank line
    std::vector<std::string> cites;  ///< source ids
};

/// An outcome whose condition is unknown, with the unanswered questions it waits for.
struct undetermined_outcome {
    std::string id;
    std::vector<std::string> missing;
};

struct referral_text {
    std::string title;
    std::string text;
    std::vector<std::string> cites;
};

/// A rejected answer. `question` is empty when the problem is not one question's
/// (for example a line that is not JSON).
struct answer_error {
    std::optional<std::string> question;
    std::string message;
};

struct questionnaire_identity {
    std::string id;
    std::string version;
    std::string sha256;  ///< of the questionnaire's source bytes, lowercase hex
};

struct result {
    /// The record's `id` as JSON text (a string with its quotes, or a number), or empty
    /// when the record had none; it is echoed back unchanged.
    std::string id_json;
    result_status status = result_status::complete;
    std::vector<fired_outcome> outcomes;             ///< by level, then file order
    std::vector<undetermined_outcome> undetermined;  ///< in file order
    referral_text referral;                          ///< always present
    /// Every let in file order with its value as JSON text (`null` when unknown).
    std::vector<std::pair<std::string, std::string>> values;
    std::vector<std::string> missing;  ///< shown required questions left unanswered
    std::vector<std::string> ignored;  ///< answers to hidden questions or after a stop
    std::vector<answer_error> errors;
    questionnaire_identity questionnaire;

    /// The fired outcome with this id, or nullptr.
    STEPCARE_API const fired_outcome* find_outcome(std::string_view id) const;
};

/// Which texts a result's JSON carries (`stepcare eval --texts`, docs/cli.md).
enum class result_texts {
    full,  ///< every key of interfaces.md section 3
    /// No rendered texts: the fired outcomes and the referral without `"title"` and `"text"`
    /// (and the `"answers"` block without `"ask"` and `"labels"`). Ids, levels, cites, values,
    /// missing, ignored, errors (with their messages) and the questionnaire stay.
    none,
};

/// The result as one line of JSON (no trailing newline) with exactly the keys of
/// interfaces.md section 3, in that order; with `result_texts::none`, without the texts.
STEPCARE_API std::string to_json(const result& r, result_texts texts = result_texts::full);

/// Reads a result written by `to_json`, with its texts or without them: an outcome or a
/// referral with neither `"title"` nor `"text"` reads as empty ones, so that `to_json` of
/// what it returns, with the same `result_texts`, gives the same line. On failure returns
/// nothing and, when `error` is given, says what is wrong.
STEPCARE_API std::optional<result> result_from_json(std::string_view json, std::string* error = nullptr);

}  // namespace stepcare
