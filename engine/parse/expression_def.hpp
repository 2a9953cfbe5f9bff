#pragma once
// The expression grammar (language.md section 5) and the literals shared with items.
// Included only by expression.cpp.
//
// Expressions are built bottom-up into the flat expression table of parse_state; every
// rule's attribute is the index of the node it built. Precedence, lowest first:
// implies (right) < or < and < not < comparisons (no chaining) < + - < * / < unary -
// < ?? < primaries.

#include <boost/fusion/include/at_c.hpp>

#include "parse/ast_adapted.hpp"
#include "parse/expression.hpp"
#include "foundation/text.hpp"
#include "parse/literals.hpp"

// The rules are laid out like the grammar they implement, alternatives one per line with
// their `|` first, which clang-format would reflow.
// clang-format off
namespace stepcare::parse {

namespace expression_grammar {

struct expression_class : annotate_range {};
struct value_class : annotate_range {};
struct string_literal_class : annotate_range {};
struct text_class : annotate_range {};
struct reference_class : annotate_range {};
struct definition_name_class : annotate_range {};
struct number_literal_class : annotate_range {};

using boost::fusion::at_c;
using x3::_attr;
using x3::_pass;
using x3::_val;

// ---- helpers for the semantic actions ---------------------------------------------------

template <typename Context>
ast::expr_ref add_node(Context const& context, ast::expr_node node) {
    auto& expressions = state_of(context).expressions;
    expressions.push_back(std::move(node));
    return static_cast<ast::expr_ref>(expressions.size() - 1);
}

template <typename Context>
source_range range_of(Context const& context, ast::expr_ref ref) {
    return state_of(context).expressions[ref].range;
}

template <typename Context>
source_range range_of(Context const& context, raw_range const& raw) {
    return state_of(context).range(raw.begin(), raw.end());
}

template <typename Context>
ast::expr_ref make_binary(Context const& context, ast::op oper, ast::expr_ref lhs,
                          ast::expr_ref rhs) {
    ast::expr_node node;
    node.kind = ast::expr_kind::binary;
    node.oper = oper;
    node.range = {range_of(context, lhs).begin, range_of(context, rhs).end};
    node.operands = {lhs, rhs};
    return add_node(context, std::move(node));
}

template <typename Context>
ast::expr_ref make_unary(Context const& context, ast::op oper, raw_range const& token,
                         ast::expr_ref operand) {
    ast::expr_node node;
    node.kind = ast::expr_kind::unary;
    node.oper = oper;
    node.range = {range_of(context, token).begin, range_of(context, operand).end};
    node.operands = {operand};
    return add_node(context, std::move(node));
}

/// `a op b op c` grouped to the left, for operators that are keywords (no attribute).
auto fold_left(ast::op oper) {
    return [oper](auto& context) {
        auto& attr = _attr(context);
        ast::expr_ref result = at_c<0>(attr);
        for (ast::expr_ref const rhs : at_c<1>(attr)) result = make_binary(context, oper, result, rhs);
        _val(context) = result;
    };
}

/// `a op b op c` grouped to the left, for operators read by a symbol table.
auto const fold_left_symbols = [](auto& context) {
    auto& attr = _attr(context);
    ast::expr_ref result = at_c<0>(attr);
    for (auto const& step : at_c<1>(attr))
        result = make_binary(context, at_c<0>(step), result, at_c<1>(step));
    _val(context) = result;
};

/// `a implies b implies c` is `a implies (b implies c)`.
auto const fold_right_implies = [](auto& context) {
    auto& attr = _attr(context);
    auto const& rest = at_c<1>(attr);
    if (rest.empty()) {
        _val(context) = at_c<0>(attr);
        return;
    }
    ast::expr_ref result = rest.back();
    for (std::size_t i = rest.size() - 1; i-- > 0;)
        result = make_binary(context, ast::op::implies, rest[i], result);
    _val(context) = make_binary(context, ast::op::implies, at_c<0>(attr), result);
};

auto const assign = [](auto& context) { _val(context) = _attr(context); };

auto const make_comparison = [](auto& context) {
    auto& step = _attr(context);
    _val(context) = make_binary(context, at_c<0>(step), _val(context), at_c<1>(step));
};

/// `a < b < c`: reported once for the whole chain, which is then skipped over.
auto const report_chain = [](auto& context) {
    auto const& chain = _attr(context);
    source_range const whole{range_of(context, _val(context)).begin,
                             range_of(context, at_c<1>(chain.back())).end};
    state_of(context).diagnostics.error(
        "chained-comparison", whole,
        "comparisons do not chain; join them with 'and', as in 'a < b and b < c'");
};

auto const make_not = [](auto& context) {
    _val(context) = make_unary(context, ast::op::not_, at_c<0>(_attr(context)), at_c<1>(_attr(context)));
};

auto const make_negate = [](auto& context) {
    _val(context) =
        make_unary(context, ast::op::negate, at_c<0>(_attr(context)), at_c<1>(_attr(context)));
};

auto const make_number = [](auto& context) {
    raw_range const& raw = _attr(context);
    std::string_view const text(raw.begin(), raw.size());
    ast::expr_node node;
    node.kind = ast::expr_kind::number;
    node.range = range_of(context, raw);
    if (auto const value = parse_number(text)) {
        node.number = *value;
    } else {
        state_of(context).diagnostics.error(
            "number-too-large", node.range,
            "the number " + std::string(text) + " is too large; numbers may be at most 1000000000000000");
    }
    _val(context) = add_node(context, std::move(node));
};

auto const make_string = [](auto& context) {
    ast::string_literal& literal = _attr(context);
    ast::expr_node node;
    node.kind = ast::expr_kind::string;
    node.range = literal.range;
    node.text = std::move(literal.value);
    _val(context) = add_node(context, std::move(node));
};

auto make_boolean(ast::expr_kind kind, bool value) {
    return [kind, value](auto& context) {
        ast::expr_node node;
        node.kind = kind;
        node.boolean = value;
        node.range = range_of(context, _attr(context));
        _val(context) = add_node(context, std::move(node));
    };
}

auto const make_name = [](auto& context) {
    raw_range const& raw = _attr(context);
    ast::expr_node node;
    node.kind = ast::expr_kind::name;
    node.text.assign(raw.begin(), raw.end());
    node.range = range_of(context, raw);
    _val(context) = add_node(context, std::move(node));
};

auto const make_set = [](auto& context) {
    auto& attr = _attr(context);
    ast::expr_node node;
    node.kind = ast::expr_kind::set;
    node.range = {range_of(context, at_c<0>(attr)).begin, range_of(context, at_c<2>(attr)).end};
    node.operands = std::move(at_c<1>(attr));
    _val(context) = add_node(context, std::move(node));
};

auto const make_call = [](auto& context) {
    auto& attr = _attr(context);
    raw_range const& name = at_c<0>(attr);
    ast::expr_node node;
    node.kind = ast::expr_kind::call;
    node.text.assign(name.begin(), name.end());
    node.name_range = range_of(context, name);
    node.range = {node.name_range.begin, range_of(context, at_c<2>(attr)).end};
    node.operands = std::move(at_c<1>(attr));
    _val(context) = add_node(context, std::move(node));
};

auto const make_conditional = [](auto& context) {
    auto& attr = _attr(context);
    ast::expr_node node;
    node.kind = ast::expr_kind::conditional;
    node.range = {range_of(context, at_c<0>(attr)).begin, range_of(context, at_c<3>(attr)).end};
    node.operands = {at_c<1>(attr), at_c<2>(attr), at_c<3>(attr)};
    _val(context) = add_node(context, std::move(node));
};

/// Parentheses widen the inner node's range, so a diagnostic underlines them too.
auto const widen_to_parentheses = [](auto& context) {
    auto& attr = _attr(context);
    ast::expr_ref const inner = at_c<1>(attr);
    state_of(context).expressions[inner].range = {range_of(context, at_c<0>(attr)).begin,
                                                  range_of(context, at_c<2>(attr)).end};
    _val(context) = inner;
};

auto const decode_string = [](auto& context) {
    parse_state& state = state_of(context);
    ast::string_literal& literal = _val(context);
    std::string decoded;
    for (raw_range const& piece : _attr(context)) {
        bool const closed = piece.size() >= 2 && *(piece.end() - 1) == '"';
        iterator_type const body_end = closed ? piece.end() - 1 : piece.end();
        if (!closed) {
            state.diagnostics.error("unterminated-string", range_of(context, piece),
                                    "unterminated string; end it with '\"' on the same line");
        }
        decode_string_body(std::string_view(piece.begin() + 1, static_cast<std::size_t>(body_end - piece.begin() - 1)),
                           state.offset(piece.begin() + 1), decoded, state.diagnostics);
    }
    literal.value = normalize_nfc(decoded);
};

auto const single_text = [](auto& context) {
    ast::translation translation;
    translation.range = _attr(context).range;
    translation.value = std::move(_attr(context));
    _val(context).translations.push_back(std::move(translation));
};

auto const multi_text = [](auto& context) {
    _val(context).translations = std::move(_attr(context));
};

auto const set_reference = [](auto& context) {
    raw_range const& raw = _attr(context);
    _val(context).name.assign(raw.begin(), raw.end());
};

auto const set_definition_name = [](auto& context) {
    raw_range const& raw = _attr(context);
    std::string word(raw.begin(), raw.end());
    if (ast::is_reserved(word)) {
        state_of(context).diagnostics.error(
            "reserved-word", range_of(context, raw),
            "'" + word + "' is a reserved word and cannot be used as a name; choose another name");
    }
    _val(context).name = std::move(word);
};

auto const set_number_literal = [](auto& context) {
    raw_range const& raw = _attr(context);
    std::string_view const text(raw.begin(), raw.size());
    if (auto const value = parse_number(text)) {
        _val(context).value = *value;
    } else {
        state_of(context).diagnostics.error(
            "number-too-large", range_of(context, raw),
            "the number " + std::string(text) + " is too large; numbers may be at most 1000000000000000");
    }
};

/// Any reserved word, as a whole word: used to keep names from matching keywords.
struct reserved_word_parser : x3::parser<reserved_word_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&,
               Attribute&) const {
        x3::skip_over(first, last, context);
        Iterator it = first;
        while (it != last && is_identifier_char(*it)) ++it;
        if (it == first || !ast::is_reserved(std::string_view(first, static_cast<std::size_t>(it - first))))
            return false;
        first = it;
        return true;
    }
};
inline constexpr reserved_word_parser reserved_word{};

// ---- tokens -----------------------------------------------------------------------------

auto const identifier_chars =
    x3::lexeme[(x3::ascii::alpha | x3::lit('_')) >> *(x3::ascii::alnum | x3::lit('_'))];
auto const identifier_token = token("a name", identifier_chars);
auto const option_name_token =
    token("an option name", kw("yes") | kw("no") | (!reserved_word >> identifier_chars));
auto const number_token =
    token("a number", x3::lexeme[+x3::ascii::digit >> -(x3::lit('.') >> +x3::ascii::digit)]);
auto const negative_number_token = token(
    "a number", punct("-") >> x3::lexeme[+x3::ascii::digit >> -(x3::lit('.') >> +x3::ascii::digit)]);
auto const signed_number_token = token(
    "a number", -punct("-") >> x3::lexeme[+x3::ascii::digit >> -(x3::lit('.') >> +x3::ascii::digit)]);
auto const string_piece = token(
    "a string",
    x3::lexeme[x3::lit('"') >>
               *(~x3::standard::char_("\"\\\r\n") | (x3::lit('\\') >> ~x3::standard::char_("\r\n"))) >>
               -x3::lit('"')]);
auto const not_token = token("'not'", kw("not"));
auto const if_token = token("'if'", kw("if"));
auto const minus_token = token("'-'", punct("-"));
auto const open_paren = token("'('", punct("("));
auto const close_paren = token("')'", punct(")"));
auto const open_brace = token("'{'", punct("{"));
auto const close_brace = token("'}'", punct("}"));

operator_parser const comparison_ops{{"==", ast::op::eq}, {"!=", ast::op::ne}, {"<=", ast::op::le},
                                      {">=", ast::op::ge}, {"<", ast::op::lt}, {">", ast::op::gt}};
operator_parser const additive_ops{{"+", ast::op::add}, {"-", ast::op::sub}};
operator_parser const multiplicative_ops{{"*", ast::op::mul}, {"/", ast::op::div}};

// ---- rules ------------------------------------------------------------------------------

using expr_rule_attr = ast::expr_ref;
struct implies_class : annotate_range {};
struct or_class : annotate_range {};
struct and_class : annotate_range {};
struct not_class : annotate_range {};
struct comparison_class : annotate_range {};
struct comparison_operator_class : annotate_range {};
struct additive_class : annotate_range {};
struct multiplicative_class : annotate_range {};
struct unary_class : annotate_range {};
struct coalesce_class : annotate_range {};
struct coalesce_default_class : annotate_range {};
struct primary_class : annotate_range {};
struct arguments_class : annotate_range {};
struct set_member_class : annotate_range {};
struct set_members_class : annotate_range {};
struct set_literal_class : annotate_range {};
struct translation_class : annotate_range {};

x3::rule<implies_class, expr_rule_attr> const implies_expr = "an expression";
x3::rule<or_class, expr_rule_attr> const or_expr = "an expression";
x3::rule<and_class, expr_rule_attr> const and_expr = "an expression";
x3::rule<not_class, expr_rule_attr> const not_expr = "an expression";
x3::rule<comparison_class, expr_rule_attr> const comparison = "an expression";
x3::rule<comparison_operator_class, ast::op> const comparison_operator = "a comparison";
x3::rule<additive_class, expr_rule_attr> const additive = "an expression";
x3::rule<multiplicative_class, expr_rule_attr> const multiplicative = "an expression";
x3::rule<unary_class, expr_rule_attr> const unary = "an expression";
x3::rule<coalesce_class, expr_rule_attr> const coalesce = "an expression";
x3::rule<coalesce_default_class, expr_rule_attr> const coalesce_default = "a default value";
x3::rule<primary_class, expr_rule_attr> const primary = "an expression";
x3::rule<arguments_class, std::vector<ast::expr_ref>> const arguments = "arguments";
x3::rule<set_member_class, expr_rule_attr> const set_member = "an option name";
x3::rule<set_members_class, std::vector<ast::expr_ref>> const set_members = "option names";
x3::rule<set_literal_class, expr_rule_attr> const set_literal = "a set such as {a, b}";
x3::rule<translation_class, ast::translation> const translation = "a language and its string";

expression_type const expression = "an expression";
value_type const value = "a value (a number, string, yes, no, true, false, name or {a, b})";
string_literal_type const string_literal = "a string";
text_type const text = "a text (a string, or { en \"...\" } with a string per language)";
reference_type const reference = "a name";
definition_name_type const definition_name = "a name";
number_literal_type const number_literal = "a number";

auto const expression_def = implies_expr;

auto const implies_expr_def = (or_expr >> *(kw("implies") > or_expr))[fold_right_implies];
auto const or_expr_def = (and_expr >> *(kw("or") > and_expr))[fold_left(ast::op::or_)];
auto const and_expr_def = (not_expr >> *(kw("and") > not_expr))[fold_left(ast::op::and_)];
auto const not_expr_def = (not_token > nested[not_expr])[make_not] | comparison[assign];

auto const comparison_operator_def =
    comparison_ops | (kw("in") >> x3::attr(ast::op::in)) | (kw("has") >> x3::attr(ast::op::has));
auto const comparison_def = additive[assign] >>
                            -((comparison_operator > additive)[make_comparison] >>
                              -(+(comparison_operator > additive))[report_chain]);

auto const additive_def = (multiplicative >> *(additive_ops > multiplicative))[fold_left_symbols];
auto const multiplicative_def = (unary >> *(multiplicative_ops > unary))[fold_left_symbols];
auto const unary_def = (minus_token > nested[unary])[make_negate] | coalesce[assign];
auto const coalesce_def =
    (primary >> *(punct("??") > coalesce_default))[fold_left(ast::op::coalesce)];
auto const coalesce_default_def = (minus_token > primary)[make_negate] | primary[assign];

auto const arguments_def = (expression % punct(",")) | x3::attr(std::vector<ast::expr_ref>{});
auto const set_member_def =
    option_name_token[make_name];
auto const set_literal_def =
((open_brace >> set_members) > close_brace)[make_set];
auto const set_members_def = (set_member % punct(",")) | x3::attr(std::vector<ast::expr_ref>{});

auto const primary_def =
    number_token[make_number]
    | string_literal[make_string]
    | token("'true'", kw("true"))[make_boolean(ast::expr_kind::boolean, true)]
    | token("'false'", kw("false"))[make_boolean(ast::expr_kind::boolean, false)]
    | token("'yes'", kw("yes"))[make_boolean(ast::expr_kind::yes_no, true)]
    | token("'no'", kw("no"))[make_boolean(ast::expr_kind::yes_no, false)]
    | (if_token > nested[expression] > kw("then") > nested[expression] > kw("else") >
       nested[expression])[make_conditional]
    | ((!reserved_word >> identifier_token >> punct("(")) > arguments > close_paren)[make_call]
    | (!reserved_word >> identifier_token)[make_name]
    | set_literal[assign]
    | (open_paren > nested[expression] > close_paren)[widen_to_parentheses];

auto const value_def =
    negative_number_token[make_number]
    | number_token[make_number]
    | string_literal[make_string]
    | token("'true'", kw("true"))[make_boolean(ast::expr_kind::boolean, true)]
    | token("'false'", kw("false"))[make_boolean(ast::expr_kind::boolean, false)]
    | token("'yes'", kw("yes"))[make_boolean(ast::expr_kind::yes_no, true)]
    | token("'no'", kw("no"))[make_boolean(ast::expr_kind::yes_no, false)]
    | (!reserved_word >> identifier_token)[make_name]
    | set_literal[assign];

auto const string_literal_def = ranged[(+string_piece)[decode_string]];
auto const translation_def = reference > string_literal;
auto const text_def = ranged[string_literal[single_text] | ((punct("{") >> +translation) > punct("}"))[multi_text]];
auto const reference_def = ranged[(!reserved_word >> identifier_token)[set_reference]];
auto const definition_name_def = ranged[identifier_token[set_definition_name]];
auto const number_literal_def = ranged[signed_number_token[set_number_literal]];

BOOST_SPIRIT_DEFINE(expression, implies_expr, or_expr, and_expr, not_expr, comparison,
                    comparison_operator, additive, multiplicative, unary, coalesce,
                    coalesce_default, primary, arguments, set_member, set_members, set_literal, value,
                    string_literal, translation, text, reference, definition_name,
                    number_literal)

}  // namespace expression_grammar

}  // namespace stepcare::parse
// clang-format on
