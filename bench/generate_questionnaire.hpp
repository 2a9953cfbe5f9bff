#pragma once
// A generator of large, valid questionnaires, so that the parse benchmark measures a
// file of any size without one being kept in the repository.

#include <cstddef>
#include <cstdint>
#include <string>

namespace stepcare::bench {

struct generator_options {
    std::size_t target_bytes = 10'000'000;  ///< the file grows by whole parts until it is this large
    std::uint64_t seed = 1;
    /// When not 0, the file has exactly this many questions instead of a size: whole parts of
    /// ten, and the rest (up to nine `yesno`) in a closing section. At least 10.
    std::size_t questions = 0;
    /// Six more invariants per part that hold for every possible set of answers, for the
    /// proof benchmark: on the urgent stop, outcomes and their lets, a `require` and a
    /// division, the running total across parts, and the part after a stop.
    bool proof_invariants = false;
};

/// One questionnaire of at least `target_bytes` bytes, or of `questions` questions. The same options give the same
/// bytes on every system.
///
/// The file is a header (version, languages, description, sources, a shared option set)
/// followed by numbered parts of the same shape: an option set; a section whose `when`
/// looks at the part before; questions of every type; lets that use every operator and
/// function; an outcome of every level; one or two tests and two invariants. A closing
/// outcome and the referral end it. Wording, numbers, thresholds and optional clauses
/// vary from part to part. Every name is defined before it is used, every let, option
/// set and source is used, and every test passes.
std::string generate_questionnaire(const generator_options& options);

}  // namespace stepcare::bench
