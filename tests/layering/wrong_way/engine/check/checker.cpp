#include "check/checker.hpp"
#include "foundation/value.hpp"
#include "evaluate/evaluator.hpp"
