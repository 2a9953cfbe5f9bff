#include "foundation/text.hpp"
