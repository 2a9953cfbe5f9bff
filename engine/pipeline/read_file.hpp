#pragma once
/// Reading a questionnaire file, for compiling and for formatting it.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "stepcare/diagnostic.hpp"

namespace stepcare {

/// The whole file, or nothing with the reason in `diagnostics` (`unreadable-file`, which
/// also clears `readable`, or `file-too-large`).
std::optional<std::string> read_questionnaire_file(const std::filesystem::path& path,
                                                   std::vector<diagnostic>& diagnostics, bool& readable);

}  // namespace stepcare
