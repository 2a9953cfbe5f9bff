#pragma once
// Reading what a person types at the terminal: the command words, and answers read by the
// session (`session::parse_answer`), whose problems are worded here in the intake's
// language, with the keys shown on the screen. Knows nothing of terminals; the intake and
// its tests use it directly.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "intake/texts.hpp"
#include "stepcare/answer.hpp"
#include "stepcare/language_text.hpp"
#include "stepcare/session.hpp"

namespace stepcare::cli::intake {

/// An answer read from a line, or the short message saying what was expected instead.
struct read_answer {
    std::optional<answer_value> value;
    std::string problem;  ///< empty when `value` is set
};

/// Whether the choices of `q` are keyed by letters (a, b, c...) instead of numbers.
bool keyed_by_letters(const question_view& q);

class answer_input {
public:
    /// `language_tag` is the session's language (`en`, `es`, `pt_BR`...): it picks the
    /// collation, the number format and the words (English for languages without their own).
    explicit answer_input(std::string_view language_tag);

    ui_language words() const { return words_; }

    /// The command that `line` (trimmed) is, if it is one.
    std::optional<command> command_of(std::string_view line) const;

    /// Reads a non-empty trimmed line as an answer to `q`, a question of `s`.
    read_answer read(const session& s, const question_view& q, std::string_view line) const;

    /// What `q` expects, as one sentence or two ("Type a whole number from 0 to 20.").
    std::string expected(const question_view& q) const;

    /// An answer as a person would read it: option labels, yes/no, numbers in the
    /// language's format.
    std::string describe(const question_view& q, const answer_value& answer) const;

    /// A number in the language's format, without grouping ("2,5" in Spanish).
    std::string format_number(double number) const;

    /// Whether two texts are equal ignoring case, accents, spaces and punctuation.
    bool same_words(std::string_view a, std::string_view b) const;

private:
    language_text language_;
    ui_language words_;
    std::string decimal_separator_;  ///< "." or "," as the language writes it

    std::string problem_text(const question_view& q, const answer_problem& problem) const;
    std::string number_range(const question_view& q) const;
};

/// `s` without leading and trailing spaces, tabs and line ends.
std::string_view trim(std::string_view s);

/// Replaces every invalid UTF-8 sequence with U+FFFD.
std::string valid_utf8(std::string_view s);

}  // namespace stepcare::cli::intake
