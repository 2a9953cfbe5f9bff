#pragma once
/// Formatting questionnaire source in the canonical layout (`stepcare fmt`,
/// docs/authoring.md, "The canonical layout").

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/diagnostic.hpp"
#include "stepcare/export.h"

namespace stepcare {

/// What formatting one file produced. Never thrown: a file that cannot be formatted yields
/// a result whose diagnostics say why.
struct format_result {
    /// Why the file was left as it is: its syntax and checking errors (a failing `test` or
    /// invariant is not one; tests do not run), a file that cannot be read, or the layout
    /// failing its own safety check (`format-unsafe`). Warnings are not included.
    std::vector<diagnostic> diagnostics;
    /// False when the file could not be read at all (the diagnostics say why).
    bool readable = true;
    /// The file in the canonical layout; present exactly when there are no diagnostics.
    std::optional<std::string> formatted;
};

/// Formats questionnaire source held in memory. `name` is how diagnostics refer to it.
/// The result parses to the same syntax tree as `source`, with the same comments in the
/// same order, or it is not given (`format-unsafe`).
STEPCARE_API format_result format_source(std::string_view source, std::string name);

/// Reads and formats a questionnaire file (it is not written).
STEPCARE_API format_result format_file(const std::filesystem::path& path);

}  // namespace stepcare
