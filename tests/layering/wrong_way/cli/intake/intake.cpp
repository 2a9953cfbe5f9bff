#include "intake.hpp"
#include "evaluate/answer_reader.hpp"
