#pragma once
/// Words and numbers as one language reads and writes them, for front ends that take typed
/// text and show numbers.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "stepcare/export.h"

namespace stepcare {

/// Compares words and reads and writes numbers in one language (ICU's rules for it, or the
/// root rules for a tag ICU does not know). Not thread-safe: one per thread.
class STEPCARE_API language_text {
public:
    /// `language_tag`: `en`, `es`, `pt_BR`...
    explicit language_text(std::string_view language_tag);
    ~language_text();
    language_text(language_text&&) noexcept;
    language_text& operator=(language_text&&) noexcept;

    /// Whether two texts are the same words, ignoring case, accents, spaces and punctuation.
    bool same_words(std::string_view a, std::string_view b) const;
    /// Whether some start of `whole`, ending between two characters, is the same words as `part`.
    bool starts_with_words(std::string_view whole, std::string_view part) const;
    /// A number in the language's format, without grouping: "2,5" in Spanish.
    std::string format_number(double number) const;
    /// All of `text` as a number in the language's format, without grouping; nothing otherwise.
    std::optional<double> parse_number(std::string_view text) const;

private:
    struct icu_parts;
    std::unique_ptr<icu_parts> icu_;
};

}  // namespace stepcare
