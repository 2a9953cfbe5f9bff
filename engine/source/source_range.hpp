#pragma once

#include <cstdint>

namespace stepcare {

/// A half-open range of byte offsets into one source file.
struct source_range {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;

    friend bool operator==(const source_range&, const source_range&) = default;
};

}  // namespace stepcare
