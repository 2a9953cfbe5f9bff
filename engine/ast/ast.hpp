#pragma once
/// The abstract syntax tree of a questionnaire file, as the parser builds it.
///
/// Every node records the byte range of source it came from. Expressions live in one
/// flat table (`questionnaire::expressions`) and refer to each other by index, so later
/// phases can keep side tables keyed by `expr_ref` instead of writing into nodes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "source/source_range.hpp"
#include "stepcare/question_kind.hpp"

namespace stepcare::ast {

/// The reserved words of the language (language.md section 2), in the order listed there.
const std::vector<std::string_view>& reserved_words();
bool is_reserved(std::string_view word);

struct node {
    source_range range;
};

struct identifier : node {
    std::string name;
};

/// One string literal after escape decoding, concatenation and NFC normalization.
struct string_literal : node {
    std::string value;
};

/// A text in one language. `language` is empty for the one-string form (the default language).
struct translation : node {
    identifier language;
    string_literal value;
};

struct text : node {
    std::vector<translation> translations;
};

// ---- expressions ------------------------------------------------------------------------

using expr_ref = std::uint32_t;
inline constexpr expr_ref no_expr = UINT32_MAX;

enum class expr_kind : std::uint8_t {
    number,       ///< `number`
    string,       ///< `text`: a string literal
    boolean,      ///< `true` / `false`: `boolean`
    yes_no,       ///< `yes` / `no`: `boolean`
    name,         ///< a question, let, outcome or option: `text`
    set,          ///< `{a, b}`: `operands` are name nodes
    unary,        ///< `op` applied to `operands[0]`
    binary,       ///< `operands[0] op operands[1]`
    conditional,  ///< `if operands[0] then operands[1] else operands[2]`
    call,         ///< `text(operands...)`; `name_range` is the function name's range
};

enum class op : std::uint8_t {
    none,
    implies,
    or_,
    and_,
    not_,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    in,
    has,
    add,
    sub,
    mul,
    div,
    negate,
    coalesce,
};

/// The operator as written in source (`"and"`, `"<="`, `"??"`, `"-"` for negation).
const char* spelling(op o);

struct expr_node : node {
    expr_kind kind = expr_kind::number;
    op oper = op::none;
    bool boolean = false;
    double number = 0;
    std::string text;
    source_range name_range;  ///< for calls: the function name
    std::vector<expr_ref> operands;
};

// ---- items ------------------------------------------------------------------------------

struct option_def : node {
    identifier id;
    std::optional<double> score;
    text label;
};

struct options_def : node {
    identifier name;
    std::vector<option_def> options;
};

struct number_literal : node {
    double value = 0;
};

struct question_type : node {
    question_kind kind = question_kind::yesno;
    identifier option_set;                     ///< choice/multi naming a set; empty name otherwise
    std::vector<option_def> inline_options;    ///< choice/multi with `{ ... }`
    number_literal min, max;                   ///< integer/decimal range
    std::optional<number_literal> max_length;  ///< text max N
};

enum class question_part_kind : std::uint8_t { ask, help, unit, require };

struct question_part : node {
    question_part_kind kind = question_part_kind::ask;
    expr_ref condition = no_expr;  ///< require only
    text value;
};

struct question_def : node {
    identifier name;
    question_type type;
    bool optional = false;
    source_range optional_range;
    expr_ref when = no_expr;
    std::vector<question_part> parts;
};

struct section_def : node {
    identifier name;
    text title;
    expr_ref when = no_expr;
    std::vector<question_def> questions;
};

struct let_def : node {
    identifier name;
    expr_ref value = no_expr;
};

enum class level : std::uint8_t { urgent, caution, guidance, info };
const char* spelling(level l);

enum class outcome_part_kind : std::uint8_t { say, cite, stop };

struct outcome_part : node {
    outcome_part_kind kind = outcome_part_kind::say;
    text say;
    std::vector<identifier> cites;
};

struct outcome_def : node {
    identifier name;
    ast::level level = level::info;
    text title;
    expr_ref when = no_expr;
    std::vector<outcome_part> parts;
};

struct referral_def : node {
    text title;
    std::vector<outcome_part> parts;  ///< say and cite only
};

struct given_answer : node {
    identifier question;
    expr_ref value = no_expr;  ///< a literal, a name, or a set
};

struct test_def : node {
    string_literal name;
    std::vector<given_answer> given;
    std::vector<expr_ref> expectations;
};

struct invariant_def : node {
    string_literal name;
    expr_ref condition = no_expr;
};

struct source_def : node {
    identifier name;
    text title;
};

using item =
    std::variant<options_def, section_def, question_def, let_def, outcome_def, referral_def, test_def, invariant_def>;

struct questionnaire : node {
    identifier name;
    text title;
    std::optional<string_literal> version;
    std::vector<identifier> languages;  ///< empty: the default "en"
    std::optional<text> description;
    std::vector<source_def> sources;
    std::vector<item> items;
    std::vector<expr_node> expressions;

    const expr_node& expr(expr_ref r) const { return expressions[r]; }
};

}  // namespace stepcare::ast
