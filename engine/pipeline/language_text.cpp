// Words and numbers of one language, with ICU.

#include "stepcare/language_text.hpp"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/numfmt.h>
#include <unicode/unistr.h>

#include <cmath>
#include <cstdint>

namespace stepcare {

namespace {

icu::UnicodeString unicode(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
}

std::string utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

}  // namespace

struct language_text::icu_parts {
    std::unique_ptr<icu::Collator> collator;
    std::unique_ptr<icu::NumberFormat> numbers;

    bool equal(const icu::UnicodeString& a, const icu::UnicodeString& b) const {
        UErrorCode status = U_ZERO_ERROR;
        return collator->compare(a, b, status) == UCOL_EQUAL && U_SUCCESS(status);
    }
};

language_text::language_text(std::string_view language_tag) : icu_(std::make_unique<icu_parts>()) {
    icu::Locale const locale(std::string(language_tag).c_str());
    UErrorCode status = U_ZERO_ERROR;
    icu_->collator.reset(icu::Collator::createInstance(locale, status));
    if (U_FAILURE(status) || !icu_->collator) {
        status = U_ZERO_ERROR;
        icu_->collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    }
    icu_->collator->setStrength(icu::Collator::PRIMARY);
    icu_->collator->setAttribute(UCOL_ALTERNATE_HANDLING, UCOL_SHIFTED, status);
    status = U_ZERO_ERROR;
    icu_->numbers.reset(icu::NumberFormat::createInstance(locale, status));
    if (U_FAILURE(status) || !icu_->numbers) {
        status = U_ZERO_ERROR;
        icu_->numbers.reset(icu::NumberFormat::createInstance(icu::Locale::getRoot(), status));
    }
    // No grouping, in reading as in writing: in Spanish "2.5" must not be read as 25.
    icu_->numbers->setGroupingUsed(false);
    icu_->numbers->setLenient(false);
    icu_->numbers->setMaximumFractionDigits(12);
}

language_text::~language_text() = default;
language_text::language_text(language_text&&) noexcept = default;
language_text& language_text::operator=(language_text&&) noexcept = default;

bool language_text::same_words(std::string_view a, std::string_view b) const {
    return icu_->equal(unicode(a), unicode(b));
}

bool language_text::starts_with_words(std::string_view whole, std::string_view part) const {
    icu::UnicodeString const text = unicode(whole);
    icu::UnicodeString const start = unicode(part);
    for (std::int32_t end = 0; end <= text.length(); end = text.moveIndex32(end, 1)) {
        if (end > 0 && icu_->equal(text.tempSubString(0, end), start)) return true;
        if (end == text.length()) break;
    }
    return false;
}

std::string language_text::format_number(double number) const {
    icu::UnicodeString out;
    icu_->numbers->format(number, out);
    return utf8(out);
}

std::optional<double> language_text::parse_number(std::string_view text) const {
    icu::UnicodeString const typed = unicode(text);
    icu::Formattable result;
    icu::ParsePosition position(0);
    icu_->numbers->parse(typed, result, position);
    if (position.getIndex() != typed.length() || position.getErrorIndex() >= 0 || typed.isEmpty()) {
        return std::nullopt;
    }
    UErrorCode status = U_ZERO_ERROR;
    double const number = result.getDouble(status);
    if (U_FAILURE(status) || !std::isfinite(number)) return std::nullopt;
    return number;
}

}  // namespace stepcare
