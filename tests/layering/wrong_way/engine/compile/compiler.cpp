#include "render/result_emitter.hpp"
