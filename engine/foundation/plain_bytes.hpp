#pragma once
/// A fast look through the body of a JSON string, and the plain whole numbers of JSON.

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace stepcare {

/// The first byte from `at` on (or `end`) that ends or complicates a plain JSON string: a
/// quote, a backslash, a control character or a byte that is not ASCII. Sixteen bytes at a
/// time where the processor has SSE2 (every x86-64), else eight: strings are most of a
/// record's bytes, and most are shorter than sixteen.
inline const char* skip_plain_string_bytes(const char* at, const char* end) {
#if defined(__SSE2__)
    __m128i const quote = _mm_set1_epi8('"');
    __m128i const backslash = _mm_set1_epi8('\\');
    __m128i const space = _mm_set1_epi8(' ');
    while (end - at >= 16) {
        __m128i const bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
        // As signed bytes, the control characters and the bytes from 0x80 on are below ' '.
        __m128i const stops = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)),
                                           _mm_cmplt_epi8(bytes, space));
        auto const mask = static_cast<unsigned>(_mm_movemask_epi8(stops));
        if (mask != 0) return at + std::countr_zero(mask);
        at += 16;
    }
#endif
    constexpr std::uint64_t ones = 0x0101010101010101U;
    constexpr std::uint64_t highs = 0x8080808080808080U;
    auto const has_zero_byte = [](std::uint64_t v) { return (v - ones) & ~v & highs; };
    while (end - at >= 8) {
        std::uint64_t word;
        std::memcpy(&word, at, 8);
        std::uint64_t const stop = (word & highs) | ((word - 0x20 * ones) & ~word & highs) |
                                   has_zero_byte(word ^ ('"' * ones)) | has_zero_byte(word ^ ('\\' * ones));
        if (stop != 0) {
            // The lowest marked byte is the first that stops: a borrow can mark bytes above
            // it, never below. (Elsewhere, the bytes one by one below.)
            if constexpr (std::endian::native == std::endian::little) return at + std::countr_zero(stop) / 8;
            break;
        }
        at += 8;
    }
    while (at != end) {
        auto const c = static_cast<unsigned char>(*at);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) return at;
        ++at;
    }
    return at;
}

/// A JSON number at `at` that is plain: an optional minus sign and at most 18 digits (so it
/// fits in 64 bits, signed or not), without a leading zero and not followed by a fraction or
/// an exponent. Returns the byte after it, with its sign and magnitude, or nullptr when the
/// number there is not plain (or there is none).
inline const char* read_plain_integer(const char* at, const char* end, bool& negative, std::uint64_t& magnitude) {
    negative = at != end && *at == '-';
    if (negative) ++at;
    const char* const digits = at;
    magnitude = 0;
    while (at != end && *at >= '0' && *at <= '9') {
        magnitude = magnitude * 10 + static_cast<std::uint64_t>(*at - '0');
        ++at;
    }
    auto const count = at - digits;
    if (count == 0 || count > 18 || (*digits == '0' && count > 1)) return nullptr;
    if (at != end && (*at == '.' || *at == 'e' || *at == 'E')) return nullptr;
    return at;
}

}  // namespace stepcare
