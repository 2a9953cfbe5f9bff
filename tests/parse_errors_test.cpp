// The parser's diagnostics: each syntax error class, rendered whole.

#include <catch2/catch.hpp>

#include "parse_support.hpp"

using stepcare::testing::parsed;
using stepcare::testing::wrap;
