#pragma once
/// Runtime values of the three-valued evaluator (language.md section 6).
///
/// A value is small and trivially copyable, so evaluation needs no heap allocation: text
/// answers are referenced, not copied, and a multi answer is a bit set of option indices.

#include <cstdint>
#include <string>
#include <string_view>

#include "foundation/limits.hpp"

namespace stepcare {

struct value {
    // A whole word, like the payload: a value is two 8-byte words without padding, which
    // the evaluator moves in registers and reads back with the width it stored them
    // (a narrower store read back wider stalls the processor).
    enum class kind : std::uint64_t { unknown, boolean, number, option, options, text };

    union {
        std::uint64_t bits = 0;
        bool boolean;
        std::uint32_t option;   ///< the chosen option's index in its set
        std::uint64_t options;  ///< bit i set: option i chosen
        double number;
        const std::string* text_of;  ///< owned by the answers or the program, which outlive the evaluation
    };
    kind type = kind::unknown;

    static constexpr value unknown() { return {}; }
    static constexpr value of_bool(bool b) {
        value v;
        v.type = kind::boolean;
        v.bits = b ? 1 : 0;
        return v;
    }
    static constexpr value of_number(double n) {
        value v;
        v.type = kind::number;
        v.number = n;
        return v;
    }
    static constexpr value of_option(std::uint32_t i) {
        value v;
        v.type = kind::option;
        v.bits = i;
        return v;
    }
    static constexpr value of_options(std::uint64_t mask) {
        value v;
        v.type = kind::options;
        v.options = mask;
        return v;
    }
    /// Refers to `t`, which must outlive the value.
    static constexpr value of_text(const std::string& t) {
        value v;
        v.type = kind::text;
        v.text_of = &t;
        return v;
    }

    constexpr bool is_unknown() const { return type == kind::unknown; }
    constexpr bool is_true() const { return type == kind::boolean && bits != 0; }
    constexpr bool is_false() const { return type == kind::boolean && bits == 0; }
    std::string_view text() const { return *text_of; }
};

// Kleene's strong three-valued logic: a known operand decides the result whenever it can.

constexpr value logical_and(value a, value b) {
    if (a.is_false() || b.is_false()) return value::of_bool(false);
    if (a.is_unknown() || b.is_unknown()) return value::unknown();
    return value::of_bool(true);
}

constexpr value logical_or(value a, value b) {
    if (a.is_true() || b.is_true()) return value::of_bool(true);
    if (a.is_unknown() || b.is_unknown()) return value::unknown();
    return value::of_bool(false);
}

constexpr value logical_not(value a) { return a.is_unknown() ? value::unknown() : value::of_bool(a.bits == 0); }

/// `a implies b` is `not a or b`.
constexpr value logical_implies(value a, value b) { return logical_or(logical_not(a), b); }

}  // namespace stepcare
