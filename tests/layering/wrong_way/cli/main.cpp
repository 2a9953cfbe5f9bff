#include "intake/intake.hpp"
#include "stepcare/batch.hpp"
#include "pipeline/record_evaluator.hpp"
