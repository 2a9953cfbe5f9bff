#pragma once
/// `stepcare explain`: one record's evaluation in words.

#include <string>
#include <string_view>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"

namespace stepcare {

/// Every outcome (fired, undetermined, not fired) with its condition, the values that
/// decided it and its sources; then the referral, the values, missing and ignored answers.
std::string explain_record(const program& p, std::string_view record_json, std::string_view language);

/// The same for a record already read (from a FHIR response): its errors make it rejected.
std::string explain_answers(const program& p, answer_record record, std::string_view language);

}  // namespace stepcare
