#pragma once
/// Text helpers shared by every phase: code points and NFC; with the closest name for a
/// typo, declared in the public header.

#include <cstddef>
#include <string>
#include <string_view>

#include "stepcare/names.hpp"  // closest_name, public for front ends

namespace stepcare {

/// The number of code points in valid UTF-8 `text`.
std::size_t code_point_count(std::string_view text);

/// Unicode NFC form of valid UTF-8 text.
std::string normalize_nfc(std::string_view text);

}  // namespace stepcare
