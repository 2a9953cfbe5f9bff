// Text helpers shared by every phase: code points, NFC and the closest name for a typo.

#include "foundation/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>

namespace stepcare {

namespace {

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
/// two adjacent characters each cost one. Beyond `limit` it stops and returns limit + 1:
/// a row's smallest entry never falls in the next row, so once it passes the limit the
/// distance does too. Three rows are kept, since a swap looks two rows back.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    std::size_t const width = b.size() + 1;
    std::vector<std::size_t> rows(3 * width);
    std::size_t* two_back = rows.data();
    std::size_t* previous = two_back + width;
    std::size_t* current = previous + width;
    for (std::size_t j = 0; j < width; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        std::size_t smallest = i;
        for (std::size_t j = 1; j < width; ++j) {
            std::size_t const cost = a[i - 1] == b[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                current[j] = std::min(current[j], two_back[j - 2] + 1);
            }
            smallest = std::min(smallest, current[j]);
        }
        if (smallest > limit) return limit + 1;
        std::size_t* const reused = two_back;
        two_back = previous;
        previous = current;
        current = reused;
    }
    return previous[b.size()];
}

}  // namespace

std::string_view closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
    std::size_t const limit = std::min<std::size_t>(2, name.size() / 2);
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (std::string_view const candidate : candidates) {
        // Names far apart in length cannot be within the limit; skip the quadratic work.
        std::size_t const length_gap =
            candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
        if (candidate == name) return {};  // nothing to suggest for a name that exists
        if (length_gap > limit) continue;
        std::size_t const distance = edit_distance(name, candidate, limit);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

std::size_t code_point_count(std::string_view text) {
    std::size_t count = 0;
    for (char const c : text) {
        if (!U8_IS_TRAIL(static_cast<std::uint8_t>(c))) ++count;
    }
    return count;
}

namespace {

/// ICU's NFC normalizer, or null if ICU cannot provide it. Fetched through a guarded static
/// so that threads checking files at once see it fully made: ICU's own lazy set-up is not
/// visible to ThreadSanitizer, which reported the first concurrent uses as races.
const icu::Normalizer2* nfc_normalizer() {
    static const icu::Normalizer2* const instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
        return U_FAILURE(status) ? nullptr : nfc;
    }();
    return instance;
}

}  // namespace

std::string normalize_nfc(std::string_view text) {
    bool ascii = true;
    for (char const c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (ascii) return std::string(text);  // ASCII is always in NFC; skip ICU on the common path
    icu::Normalizer2 const* nfc = nfc_normalizer();
    if (nfc == nullptr) return std::string(text);
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString const input =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    if (nfc->isNormalized(input, status) && U_SUCCESS(status)) return std::string(text);
    status = U_ZERO_ERROR;
    icu::UnicodeString const normalized = nfc->normalize(input, status);
    if (U_FAILURE(status)) return std::string(text);
    std::string out;
    normalized.toUTF8String(out);
    return out;
}

}  // namespace stepcare
