#include "render/result_builder.hpp"
