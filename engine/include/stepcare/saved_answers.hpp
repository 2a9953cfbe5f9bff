#pragma once
/// Reading a file of answers before restoring it into a session: a saved intake (written
/// by `session::save_json`) or an answers record (interfaces.md section 2). Front ends
/// check what they were given, and say what is wrong, before anything is restored.

#include <cstddef>
#include <string>
#include <string_view>

#include "stepcare/export.h"

namespace stepcare {

enum class saved_answers_problem {
    none,
    not_json,            ///< not JSON at all
    too_deep,            ///< arrays and objects nested past the engine's limit (docs/limits.md)
    not_an_object,       ///< JSON, but not an object
    no_answers,          ///< a saved intake without "answers"
    unknown_key,         ///< a record with a key other than "id", "answers" and a saved intake's fields
    answers_not_object,  ///< a record whose "answers" is neither an object nor null
};

/// What a file of answers holds, read and checked but not yet restored.
struct saved_answers {
    saved_answers_problem problem = saved_answers_problem::none;
    /// For `unknown_key`, the key; for `too_deep`, "nested deeper than N levels of arrays
    /// and objects"; otherwise empty.
    std::string detail;
    /// `{"answers": {...}}`: the answers alone, without position or history, for
    /// `session::restore_json` (empty when the file has no answers).
    std::string answers_only;
    /// How many answers the file gives.
    std::size_t answer_count = 0;
    /// The SHA-256 of the questionnaire the answers were saved with, when recorded
    /// (`"questionnaire": {"sha256": ...}`); compare it with `questionnaire::sha256()`.
    std::string questionnaire_sha256;
};

/// Reads a saved intake: an object with "answers", and usually "position", "history",
/// "changes" and "questionnaire".
STEPCARE_API saved_answers read_saved_intake(std::string_view json);

/// Reads an answers record, `{"id": ..., "answers": {...}}`; a saved intake's fields are
/// allowed and ignored, and a record without answers (or with `"answers": null`) gives none.
STEPCARE_API saved_answers read_answers_record(std::string_view json);

}  // namespace stepcare
