#pragma once

#include "stepcare/export.h"

namespace stepcare {

/// The engine's version, "MAJOR.MINOR.PATCH".
STEPCARE_API const char* version();

}  // namespace stepcare
