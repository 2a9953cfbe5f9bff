#pragma once
/// Finding a name among a fixed list of distinct names: the answer readers look up a
/// question for every answer and an option for every option id, so these run a few
/// hundred times per record.

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace stepcare {

/// Whether `a` and `b` are the same text. Ids are short: up to sixteen bytes are compared
/// as two words that may overlap, not by a call.
inline bool same_text(std::string_view a, std::string_view b) {
    std::size_t const n = b.size();
    if (a.size() != n) return false;
    const char* const x = a.data();
    const char* const y = b.data();
    auto const same_ends = [&]<typename Word>(Word) {
        Word x0, x1, y0, y1;
        std::memcpy(&x0, x, sizeof(Word));
        std::memcpy(&y0, y, sizeof(Word));
        std::memcpy(&x1, x + n - sizeof(Word), sizeof(Word));
        std::memcpy(&y1, y + n - sizeof(Word), sizeof(Word));
        return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    };
    if (n >= 8 && n <= 16) return same_ends(std::uint64_t{});
    if (n >= 4 && n < 8) return same_ends(std::uint32_t{});
    if (n < 4) {
        for (std::size_t i = 0; i < n; ++i) {
            if (x[i] != y[i]) return false;
        }
        return true;
    }
    return std::memcmp(x, y, n) == 0;
}

/// The positions of a list of distinct names, found by name in about the time of one
/// comparison: an open-addressed table at most half full, hashed on a name's length and
/// its first and last eight bytes (the bytes between only matter to the comparison).
class name_index {
public:
    static constexpr std::uint32_t not_found = std::numeric_limits<std::uint32_t>::max();

    name_index() = default;
    /// `names[i]` is found as `i`. The names must be distinct.
    explicit name_index(const std::vector<std::string_view>& names) {
        std::size_t size = 4;
        while (size < 2 * names.size()) size *= 2;
        slots_.resize(size);
        shift_ = 64 - std::countr_zero(size);
        for (std::uint32_t i = 0; i < names.size(); ++i) {
            std::size_t at = home(names[i]);
            while (slots_[at].position != not_found) at = (at + 1) & (slots_.size() - 1);
            slots_[at] = {std::string(names[i]), i};
        }
    }

    /// The position of `name`, or not_found.
    std::uint32_t find(std::string_view name) const {
        if (slots_.empty()) return not_found;
        // A free slot has an empty name and no position, so an empty `name` finds nothing.
        for (std::size_t at = home(name);; at = (at + 1) & (slots_.size() - 1)) {
            const slot& s = slots_[at];
            if (same_text(s.name, name)) return s.position;
            if (s.position == not_found) return not_found;
        }
    }

private:
    struct slot {
        std::string name;
        std::uint32_t position = not_found;
    };
    std::vector<slot> slots_;
    int shift_ = 64;

    std::size_t home(std::string_view name) const {
        std::size_t const n = name.size();
        const char* const s = name.data();
        std::uint64_t first = 0;
        std::uint64_t last = 0;
        if (n >= 8) {
            std::memcpy(&first, s, 8);
            std::memcpy(&last, s + n - 8, 8);
        } else if (n >= 4) {
            std::uint32_t a, b;
            std::memcpy(&a, s, 4);
            std::memcpy(&b, s + n - 4, 4);
            first = a;
            last = b;
        } else if (n > 0) {
            first = static_cast<unsigned char>(s[0]) |
                    static_cast<unsigned>(static_cast<unsigned char>(s[n / 2])) << 8 |
                    static_cast<unsigned>(static_cast<unsigned char>(s[n - 1])) << 16;
        }
        std::uint64_t const h = (first * 0x9E3779B97F4A7C15U) ^ ((last + n) * 0xC2B2AE3D27D4EB4FU);
        // A product's top bits depend on all of its factor's bits: they pick the slot.
        return static_cast<std::size_t>(h >> shift_);
    }
};

}  // namespace stepcare
