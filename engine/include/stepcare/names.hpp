#pragma once
/// Suggesting a name for a likely typo, as the engine's own messages do ("did you mean
/// 'age'?"), for front ends that check names of their own: commands, question ids, options.

#include <string_view>
#include <vector>

#include "stepcare/export.h"

namespace stepcare {

/// The candidate closest to `name` by edit distance (adjacent transpositions count as
/// one edit), if it is close enough to be a likely misspelling: at most 2 edits, and at
/// most half the length of `name`. Ties go to the earlier candidate. Empty when none is
/// close enough, or when `name` is itself a candidate.
STEPCARE_API std::string_view closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace stepcare
