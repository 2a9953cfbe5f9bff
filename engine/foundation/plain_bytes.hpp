#pragma once
/// A fast look through the body of a JSON string.

#include <cstdint>
#include <cstring>

namespace stepcare {

/// The first byte from `at` on (or `end`) that ends or complicates a plain JSON string: a
/// quote, a backslash, a control character or a byte that is not ASCII. Eight bytes at a
/// time: strings are most of a record's bytes.
inline const char* skip_plain_string_bytes(const char* at, const char* end) {
    constexpr std::uint64_t ones = 0x0101010101010101U;
    constexpr std::uint64_t highs = 0x8080808080808080U;
    auto const has_zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    while (end - at >= 8) {
        std::uint64_t word;
        std::memcpy(&word, at, 8);
        std::uint64_t const stop = (word & highs) | ((word - 0x20 * ones) & ~word & highs) |
                                   has_zero_byte(word ^ ('"' * ones)) | has_zero_byte(word ^ ('\\' * ones));
        if (stop != 0) break;
        at += 8;
    }
    while (at != end) {
        auto const c = static_cast<unsigned char>(*at);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return at;
        ++at;
    }
    return at;
}

}  // namespace stepcare
