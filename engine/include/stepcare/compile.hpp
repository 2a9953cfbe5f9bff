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

/// What `check --prove` found for one invariant (docs/proving.md).
enum class proof_status {
    proved,   ///< true or unknown for every possible set of answers
    refuted,  ///< false for the answers in `counterexample`
    unknown,  ///< the solver could not decide; `reason` says why
    skipped,  ///< already false for a test's answers, reported as such
};

/// The spelling used in output: "proved", "refuted", "unknown" or "skipped".
STEPCARE_API const char* to_string(proof_status status);

struct invariant_proof {
    std::string name;
    proof_status status = proof_status::unknown;
    /// Refuted: the answers that make it false, as an answers record (`{"answers": {...}}`,
    /// the input of `explain --answers`), holding only the answers that count.
    std::string counterexample;
    /// Unknown: why, e.g. "the solver's time limit of 60 seconds ran out".
    std::string reason;
};

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
    /// With compile_options::prove: one entry per invariant, in file order.
    std::vector<invariant_proof> proofs = {};

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
    /// Prove every invariant over every possible set of answers instead of sampling it, and
    /// report the lints the proofs find (docs/proving.md). An invariant the solver cannot
    /// decide is a warning, `invariant-unproved`, and is then sampled as without `prove`.
    bool prove = false;
    /// The solver's time limit for each question asked of it, in seconds.
    double prove_timeout_seconds = 60;
};

/// Compiles questionnaire source held in memory. `name` is how diagnostics refer to it.
STEPCARE_API compile_result compile_source(std::string_view source, std::string name,
                                           const compile_options& options = {});

/// Reads and compiles a questionnaire file. Diagnostics name the file as `path` is written.
STEPCARE_API compile_result compile_file(const std::filesystem::path& path, const compile_options& options = {});

}  // namespace stepcare
