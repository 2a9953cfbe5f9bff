#pragma once
/// The prove phase (`check --prove`, docs/proving.md): the compiled questionnaire encoded
/// exactly as logic over every possible set of answers, for the Z3 SMT solver. Each
/// invariant is proved, refuted with a counterexample that the evaluator has replayed, or
/// left unknown with the solver's reason; the lints that follow from the same encoding
/// (outcomes that never fire, questions never shown, `require`s that never fail or never
/// pass, `when`s always true) are reported where the solver is sure.
///
/// Every Z3 type stays inside prover.cpp.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/compile.hpp"

namespace stepcare {

/// Proves the invariants of `p`, except those that `already_false` marks (a test's answers
/// made them false, which was reported), and reports refutations, unknowns and lints to `out`.
/// Returns one entry per invariant, in file order.
std::vector<invariant_proof> prove_program(const program& p, double timeout_seconds,
                                           const std::vector<bool>& already_false, diagnostic_sink& out);

/// The encoding with every answer fixed, for the differential test of the encoding against
/// the evaluator: Z3 computes every question's visibility, every requirement, let and
/// outcome, and the invariants, from the encoding alone.
class fixed_answer_probe {
public:
    explicit fixed_answer_probe(const program& p);
    ~fixed_answer_probe();
    fixed_answer_probe(const fixed_answer_probe&) = delete;
    fixed_answer_probe& operator=(const fixed_answer_probe&) = delete;

    /// Every place where the encoding's value differs from `state`, which `evaluate` computed
    /// from `answers`, in words ("let 'total': the encoding says 3, the evaluator 4").
    /// Empty when they agree everywhere.
    std::vector<std::string> disagreements(const answer_slots& answers, evaluation& state);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace stepcare
