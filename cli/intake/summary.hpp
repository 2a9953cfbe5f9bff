#pragma once
// The summary for a clinician: every question shown with its answer (in the person's
// language and, when that is another, in the questionnaire's default language too), the
// answers changed on the way, the results with their sources, and what identifies the
// questionnaire, as plain text or Markdown.

#include <string>
#include <vector>

#include "stepcare/session.hpp"

namespace stepcare::cli::intake {

enum class summary_format { text, markdown };

/// The summary of what `s` holds now; `date` is printed as given.
std::string clinician_summary(const session& s, summary_format format, const std::string& date);

/// The reference numbers of `cites` in `cited` (sources in order of first citation,
/// numbered from 1), adding those not there yet, in increasing order: "1, 3".
std::string reference_numbers(const std::vector<std::string>& cites, std::vector<std::string>& cited);

/// Markdown for a path ending in `.md`, plain text otherwise.
summary_format summary_format_for(const std::string& path);

}  // namespace stepcare::cli::intake
