#pragma once
/// Parts of the result JSON (interfaces.md section 3) shared by `to_json` and result_writer.

#include <string>

#include "stepcare/result.hpp"

namespace stepcare {

/// Appends `"questionnaire":{"id":...,"version":...,"sha256":...}`.
void append_questionnaire_json(std::string& out, const questionnaire_identity& q);

}  // namespace stepcare
