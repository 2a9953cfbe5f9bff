#pragma once
/// The types of questions: the keyword after a question's name (language.md section 3).

#include "stepcare/export.h"

namespace stepcare {

enum class question_kind { yesno, choice, multi, integer, decimal, text };

/// "yesno", "choice", "multi", "integer", "decimal" or "text".
STEPCARE_API const char* to_string(question_kind kind);

}  // namespace stepcare
