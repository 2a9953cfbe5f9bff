#pragma once
/// The program inside a public `questionnaire`, for the public API's own implementation
/// and the engine's tests and benchmarks. Clients never see it: they only have the public
/// headers.

#include <memory>

#include "compile/program.hpp"
#include "stepcare/questionnaire.hpp"

namespace stepcare {

struct program_access {
    static const program& of(const questionnaire& q) { return *q.program_; }
    static const std::shared_ptr<const program>& shared(const questionnaire& q) { return q.program_; }
};

}  // namespace stepcare
