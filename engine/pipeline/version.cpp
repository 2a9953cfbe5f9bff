#include "stepcare/version.hpp"

namespace stepcare {

const char* version() { return STEPCARE_VERSION; }

}  // namespace stepcare
