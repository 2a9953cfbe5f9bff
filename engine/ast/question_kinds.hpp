#pragma once
/// What each type of question is made of, in one table that the checker, the compiler, the
/// evaluator's answer reading and the public API read. Adding a question type: its
/// enumerator in stepcare/question_kind.hpp, its row here, then the switches over
/// `question_kind` that -Wswitch names (docs/architecture.md, "Adding a question type").
///
/// `value::kind` (foundation/value.hpp) is a separate enumeration on purpose: it says what a
/// value at run time is, and values that no question type gives (unknown, the booleans of
/// conditions) sit beside those that several types share (integer and decimal answers are
/// both numbers). Likewise the checker's `expr_type::kind`, which also has sets and texts
/// of expressions.

#include <array>
#include <cstddef>

#include "ast/enum_table.hpp"
#include "stepcare/question_kind.hpp"

namespace stepcare {

struct question_kind_traits {
    question_kind id;
    /// In the language, the AST dump and the public API's to_string.
    const char* keyword;
    bool has_options;     ///< choice and multi: a named or inline option set
    bool has_range;       ///< integer and decimal: `min..max`
    bool whole_numbers;   ///< integer: whole bounds and answers
    bool has_max_length;  ///< text: an optional `max N`
};

/// In the order of `question_kind`.
inline constexpr std::array<question_kind_traits, 6> question_kinds = {{
    {question_kind::yesno, "yesno", false, false, false, false},
    {question_kind::choice, "choice", true, false, false, false},
    {question_kind::multi, "multi", true, false, false, false},
    {question_kind::integer, "integer", false, true, true, false},
    {question_kind::decimal, "decimal", false, true, false, false},
    {question_kind::text, "text", false, false, false, true},
}};

constexpr const question_kind_traits& traits_of(question_kind kind) {
    return question_kinds[static_cast<std::size_t>(kind)];
}

/// For one_row_per_enumerator.
constexpr bool is_enumerator(question_kind kind) {
    switch (kind) {
        case question_kind::yesno:
        case question_kind::choice:
        case question_kind::multi:
        case question_kind::integer:
        case question_kind::decimal:
        case question_kind::text: return true;
    }
    return false;
}

static_assert(one_row_per_enumerator(question_kinds, is_enumerator),
              "each question kind has one row, at its enumerator's index");

}  // namespace stepcare
