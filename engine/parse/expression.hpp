#pragma once
// Declarations of the expression grammar's entry rules. Definitions are in
// expression_def.hpp, compiled once in expression.cpp.

#include "parse/config.hpp"

namespace stepcare::parse {

namespace expression_grammar {

struct expression_class;
struct value_class;
struct string_literal_class;
struct text_class;
struct reference_class;
struct definition_name_class;
struct number_literal_class;

using expression_type = x3::rule<expression_class, ast::expr_ref>;
/// A test's given value: a number, string, yes/no/true/false, name or `{a, b}`.
using value_type = x3::rule<value_class, ast::expr_ref>;
using string_literal_type = x3::rule<string_literal_class, ast::string_literal>;
using text_type = x3::rule<text_class, ast::text>;
/// A name that refers to something; reserved words never match.
using reference_type = x3::rule<reference_class, ast::identifier>;
/// A name being defined; a reserved word is reported and accepted, to keep parsing.
using definition_name_type = x3::rule<definition_name_class, ast::identifier>;
/// `[-] digits [. digits]`.
using number_literal_type = x3::rule<number_literal_class, ast::number_literal>;

BOOST_SPIRIT_DECLARE(expression_type, value_type, string_literal_type, text_type, reference_type, definition_name_type,
                     number_literal_type)

}  // namespace expression_grammar

expression_grammar::expression_type const& expression();
expression_grammar::value_type const& value();
expression_grammar::string_literal_type const& string_literal();
expression_grammar::text_type const& text();
expression_grammar::reference_type const& reference();
expression_grammar::definition_name_type const& definition_name();
expression_grammar::number_literal_type const& number_literal();

}  // namespace stepcare::parse
