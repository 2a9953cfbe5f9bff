#pragma once
/// `stepcare explain`: one record's evaluation in words.

#include <string>
#include <string_view>

#include "compile/program.hpp"

namespace stepcare {

/// Every outcome (fired, undetermined, not fired) with its condition, the values that
/// decided it and its sources; then the referral, the values, missing and ignored answers.
std::string explain_record(const program& p, std::string_view record_json, std::string_view language);

}  // namespace stepcare
