#pragma once

namespace stepcare {

/// The engine's version, "MAJOR.MINOR.PATCH".
const char* version();

}  // namespace stepcare
