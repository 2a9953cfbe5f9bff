#pragma once
/// The built-in functions (language.md section 5), in one table that the checker, the
/// compiler and the evaluator read. Adding a builtin: its name in STEPCARE_BUILTINS and its
/// row here, its case in the evaluator's `call_builtin` (docs/architecture.md, "Adding a
/// builtin").
///
/// The table lives in check/, the lowest phase that reads it: the parser reads any call
/// `name(...)` alike, and it names the checker's `expr_type`.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "ast/enum_table.hpp"
#include "check/expr_type.hpp"

namespace stepcare {

/// Every builtin, in the order of `builtin`, for what has one entry per builtin: the
/// enumeration below and the evaluator's opcodes (`opcode::call_<name>`), which keep each
/// builtin's dispatch a case of the evaluator's one switch.
#define STEPCARE_BUILTINS(X) X(answered) X(score) X(count) X(sum) X(min) X(max) X(any) X(all)

#define STEPCARE_BUILTIN_ENUMERATOR(name) name,
enum class builtin : std::uint8_t { STEPCARE_BUILTINS(STEPCARE_BUILTIN_ENUMERATOR) };
#undef STEPCARE_BUILTIN_ENUMERATOR

/// How unknown arguments make the result: what the evaluator does, and what the checker's
/// warnings assume when they work out which values an expression can take.
enum class unknown_arguments : std::uint8_t {
    make_unknown,  ///< any unknown argument makes the result unknown
    kleene_or,     ///< a true argument makes it true even beside unknown ones (`any`)
    kleene_and,    ///< a false argument makes it false even beside unknown ones (`all`)
    /// The argument is a question's name and unknown is an answer itself: the result is
    /// never unknown (`answered`).
    are_read,
};

struct builtin_traits {
    builtin id;
    std::string_view name;
    std::uint8_t min_arguments;
    /// `unbounded` for any number of arguments from `min_arguments` on.
    std::uint8_t max_arguments;
    /// The type every argument must have; `invalid` for `answered`, whose argument is any
    /// question's name.
    expr_type::kind argument;
    /// How the checker's messages name an argument: "takes exactly one argument, a
    /// question", "needs at least one number".
    std::string_view argument_name;
    expr_type::kind result;
    unknown_arguments unknowns;

    /// Whether more answers can only make the result more known, never change a known one
    /// (Kleene monotonicity), which lets the evaluator skip the `stop` replay. Only reading
    /// unknown as an answer breaks it: strict and Kleene functions keep it.
    constexpr bool monotone() const { return unknowns != unknown_arguments::are_read; }
};

inline constexpr std::uint8_t unbounded = UINT8_MAX;

/// In the order of the checker's message that lists them, and of `builtin`.
inline constexpr std::array<builtin_traits, 8> builtins = {{
    {builtin::answered, "answered", 1, 1, expr_type::kind::invalid, "a question", expr_type::kind::boolean,
     unknown_arguments::are_read},
    {builtin::score, "score", 1, 1, expr_type::kind::choice, "a choice question", expr_type::kind::number,
     unknown_arguments::make_unknown},
    {builtin::count, "count", 1, 1, expr_type::kind::multi, "a multi question", expr_type::kind::number,
     unknown_arguments::make_unknown},
    {builtin::sum, "sum", 1, unbounded, expr_type::kind::number, "number", expr_type::kind::number,
     unknown_arguments::make_unknown},
    {builtin::min, "min", 1, unbounded, expr_type::kind::number, "number", expr_type::kind::number,
     unknown_arguments::make_unknown},
    {builtin::max, "max", 1, unbounded, expr_type::kind::number, "number", expr_type::kind::number,
     unknown_arguments::make_unknown},
    {builtin::any, "any", 1, unbounded, expr_type::kind::boolean, "bool", expr_type::kind::boolean,
     unknown_arguments::kleene_or},
    {builtin::all, "all", 1, unbounded, expr_type::kind::boolean, "bool", expr_type::kind::boolean,
     unknown_arguments::kleene_and},
}};

constexpr const builtin_traits& traits_of(builtin function) { return builtins[static_cast<std::size_t>(function)]; }

/// The builtin named `name`, if any.
constexpr std::optional<builtin> builtin_named(std::string_view name) {
    for (const builtin_traits& traits : builtins) {
        if (traits.name == name) return traits.id;
    }
    return std::nullopt;
}

/// For one_row_per_enumerator.
constexpr bool is_enumerator(builtin function) {
#define STEPCARE_BUILTIN_IS(name) function == builtin::name ||
    return STEPCARE_BUILTINS(STEPCARE_BUILTIN_IS) false;
#undef STEPCARE_BUILTIN_IS
}

static_assert(one_row_per_enumerator(builtins, is_enumerator), "each builtin has one row, at its enumerator's index");

/// The checker words its arity messages for these two shapes only.
consteval bool arities_have_messages() {
    for (const builtin_traits& traits : builtins) {
        if (traits.min_arguments != 1) return false;
        if (traits.max_arguments != 1 && traits.max_arguments != unbounded) return false;
    }
    return true;
}
static_assert(arities_have_messages(), "each builtin takes one argument, or one or more");

}  // namespace stepcare
