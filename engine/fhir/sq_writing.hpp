#pragma once
/// Writing `.sq` source: names made from FHIR ids, string literals that read back as the
/// same plain text, and expressions printed with the parentheses their meaning needs.

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace stepcare::fhir {

/// Whether `word` can be a `.sq` name as it is: `[A-Za-z_][A-Za-z0-9_]*`, not a reserved
/// word, and not longer than names may be.
bool is_sq_name(std::string_view word);

/// A valid `.sq` name made from any text (docs/fhir.md, "Names"): every run of characters
/// other than ASCII letters, digits and `_` becomes one `_`, `_` at either end is dropped,
/// `prefix` + `_` goes in front of a leading digit (and `prefix` alone stands for nothing
/// left), a reserved word gets a trailing `_`, and it is cut to fit the length limit.
std::string sq_name_from(std::string_view text, std::string_view prefix);

/// The names already taken in one namespace; a name asked for twice gets `_2`, `_3`, ...
class name_table {
public:
    /// `wanted` (a valid name) if it is free, otherwise the first free `wanted_N`, N from 2.
    std::string claim(const std::string& wanted);
    bool taken(const std::string& name) const { return names_.count(name) > 0; }

private:
    std::set<std::string> names_;
};

/// `text` as a `.sq` string literal, quotes included, that shows exactly `text`: escaped
/// for the string syntax, and with the braces and apostrophes that ICU MessageFormat would
/// read quoted, as every `.sq` text is a MessageFormat pattern.
std::string sq_text_literal(std::string_view text);

/// `text` as a `.sq` string literal that is not a pattern (a value in an expression).
std::string sq_string_literal(std::string_view text);

/// A number as `.sq` writes it (`3`, `2.5`, never an exponent), without a sign; empty when
/// it is larger than the language allows.
std::string sq_number(double magnitude);

/// An expression of the `.sq` language.
struct sq_expr;
using sq_ref = std::shared_ptr<const sq_expr>;

struct sq_expr {
    enum class kind { name, number, string, boolean, call, not_, negate, binary, conditional, set };
    kind what = kind::name;
    /// The name, the number as written, the string's value, the function or the operator
    /// (`and`, `==`, `??`, ...); `true` or `false` for a boolean.
    std::string text;
    std::vector<sq_ref> operands;
};

sq_ref sq_name(std::string name);
sq_ref sq_number_literal(std::string digits);
sq_ref sq_string(std::string value);
sq_ref sq_boolean(bool value);
sq_ref sq_call(std::string function, std::vector<sq_ref> arguments);
sq_ref sq_not(sq_ref operand);
sq_ref sq_negate(sq_ref operand);
sq_ref sq_binary(std::string op, sq_ref left, sq_ref right);
sq_ref sq_if(sq_ref condition, sq_ref then, sq_ref otherwise);
/// `{a, b}`, the right side of `in`.
sq_ref sq_set(const std::vector<std::string>& options);

/// `a and b and ...` of the conditions given (nullptr for none).
sq_ref sq_all_of(const std::vector<sq_ref>& conditions);

/// The expression as `.sq` source. Parentheses go where precedence needs them, and around
/// `and` inside `or`, any operator under `not`, and `if` as an operand, for readers.
std::string print(const sq_expr& e);

}  // namespace stepcare::fhir
