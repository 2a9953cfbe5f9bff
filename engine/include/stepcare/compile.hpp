#pragma once
/// Compiling a questionnaire: source text in, diagnostics (and, once checked, a program) out.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/diagnostic.hpp"

namespace stepcare {

/// What compiling one questionnaire produced. Never thrown: a questionnaire with errors
/// yields a result whose diagnostics say what is wrong and where.
struct compile_result {
    std::vector<diagnostic> diagnostics;
    /// False when the file could not be read at all (the diagnostics say why).
    bool readable = true;

    bool has_errors() const { return count(diagnostics, severity::error) > 0; }
};

/// Compiles questionnaire source held in memory. `name` is how diagnostics refer to it.
compile_result compile_source(std::string_view source, std::string name);

/// Reads and compiles a questionnaire file. Diagnostics name the file as `path` is written.
compile_result compile_file(const std::filesystem::path& path);

}  // namespace stepcare
