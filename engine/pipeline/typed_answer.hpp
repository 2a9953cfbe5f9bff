#pragma once
// Reading what a person types as an answer, in the session's language: option keys,
// labels and ids matched with an ICU collator at primary strength (case and accents
// ignored, unambiguous prefixes accepted), the language's words for yes, no and none, and
// numbers in the language's format. Any front end that takes typed text uses it, through
// `session::parse_answer`.

#include <memory>
#include <string>
#include <string_view>

#include "stepcare/language_text.hpp"
#include "stepcare/session.hpp"

namespace stepcare {

/// The keys by which a person can type option `i` of `options`: "1", "2"... or, when a
/// label holds a digit ("1 to 3", "8 or more"), "a", "b"... so that a typed number is read
/// as words. Sets each option's `key`.
void assign_option_keys(std::vector<option_view>& options);

class typed_answer_reader {
public:
    /// `language_tag` (`en`, `es`, `pt_BR`...) picks the collation, the number format and
    /// the words (English for languages without their own).
    explicit typed_answer_reader(std::string_view language_tag);

    /// `text` (trimmed) as an answer to `q`.
    parsed_answer read(const question_view& q, std::string_view text) const;

    /// A number in the language's format, without grouping ("2,5" in Spanish).
    std::string format_number(double number) const;

private:
    language_text language_;
    bool spanish_ = false;

    parsed_answer read_yes_no(std::string_view text) const;
    parsed_answer read_number(const question_view& q, std::string_view text) const;
    parsed_answer read_options(const question_view& q, std::string_view text) const;
    parsed_answer read_text(const question_view& q, std::string_view text) const;
};

}  // namespace stepcare
