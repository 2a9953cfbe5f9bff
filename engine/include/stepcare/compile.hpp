#pragma once
/// Compiling a questionnaire: source text in, diagnostics (and, once checked, a program) out.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/diagnostic.hpp"
#include "stepcare/export.h"
#include "stepcare/questionnaire.hpp"

namespace stepcare {

/// What compiling one questionnaire produced. Never thrown: a questionnaire with errors
/// yields a result whose diagnostics say what is wrong and where.
struct compile_result {
    std::vector<diagnostic> diagnostics;
    /// False when the file could not be read at all (the diagnostics say why).
    bool readable = true;
    /// The compiled questionnaire; present exactly when there are no errors.
    std::optional<questionnaire> compiled;
    /// Tests that ran and passed or failed, and invariant samples evaluated (see compile_options).
    std::size_t tests_passed = 0;
    std::size_t tests_failed = 0;
    std::size_t invariant_samples = 0;

    bool has_errors() const { return count(diagnostics, severity::error) > 0; }
};

/// What compiling does beyond parsing and checking.
struct compile_options {
    /// Run every `test` of the file; a failing one is the error `test-failed`.
    bool run_tests = true;
    /// Random answer sets on which every `invariant` is evaluated (besides every test's
    /// answers); a violation is the error `invariant-violated`. 0: only the tests' answers.
    std::uint32_t invariant_samples = 0;
    /// Seed of the random answer sets, so that runs are repeatable.
    std::uint64_t seed = 1;
};

/// Compiles questionnaire source held in memory. `name` is how diagnostics refer to it.
STEPCARE_API compile_result compile_source(std::string_view source, std::string name,
                                           const compile_options& options = {});

/// Reads and compiles a questionnaire file. Diagnostics name the file as `path` is written.
STEPCARE_API compile_result compile_file(const std::filesystem::path& path, const compile_options& options = {});

}  // namespace stepcare
