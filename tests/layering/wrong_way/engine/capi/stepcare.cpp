#include "stepcare/questionnaire.hpp"
#include "compile/program.hpp"
