#include "stepcare/export.h"
#include "foundation/limits.hpp"
