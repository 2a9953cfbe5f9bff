#pragma once
/// Running a questionnaire's own `test`s and sampling its `invariant`s (language.md
/// section 8), reported as diagnostics of the file.

#include <cstddef>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/compile.hpp"

namespace stepcare {

struct test_summary {
    std::size_t passed = 0;
    std::size_t failed = 0;
    std::size_t samples = 0;     ///< random answer sets the invariants were evaluated on
    std::vector<bool> violated;  ///< per invariant: found false (and reported)
};

/// Runs the tests, then samples the invariants, unless `options.prove` asks to prove them.
test_summary run_tests_and_invariants(const program& p, const compile_options& options, diagnostic_sink& diagnostics);

/// Samples only the invariants that `which` marks (those the solver could not decide).
test_summary sample_invariants(const program& p, const compile_options& options, const std::vector<bool>& which,
                               diagnostic_sink& diagnostics);

/// The counted answers of `answers` as a test's `given { ... }` block.
std::string given_block(const program& p, const answer_slots& answers, const evaluation& state);

}  // namespace stepcare
