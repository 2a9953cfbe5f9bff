#pragma once
/// The static types of expressions, which the checker computes and the builtins table names.

#include <cstdint>

namespace stepcare {

/// "No such index" in every index field of the model.
inline constexpr std::uint32_t no_index = UINT32_MAX;

/// The static type of an expression (language.md section 10). Every value may also be
/// unknown at run time; that is not part of the type.
struct expr_type {
    enum class kind : std::uint8_t {
        invalid,  ///< ill-typed or unresolved; the error has been reported
        boolean,
        number,
        choice,  ///< one option of `option_set`; an option id has this type too
        multi,   ///< a subset of `option_set`
        text,
        set,  ///< a set literal `{a, b}` of options of `option_set` (right of `in`)
    };

    kind type = kind::invalid;
    std::uint32_t option_set = no_index;  ///< choice, multi and set

    friend bool operator==(const expr_type&, const expr_type&) = default;
};

}  // namespace stepcare
