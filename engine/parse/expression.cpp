// The one translation unit that compiles the expression grammar.
#include "parse/expression_def.hpp"

namespace stepcare::parse {

namespace expression_grammar {
BOOST_SPIRIT_INSTANTIATE(expression_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(value_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(string_literal_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(text_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(reference_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(definition_name_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(number_literal_type, iterator_type, context_type)
}  // namespace expression_grammar

expression_grammar::expression_type const& expression() { return expression_grammar::expression; }
expression_grammar::value_type const& value() { return expression_grammar::value; }
expression_grammar::string_literal_type const& string_literal() { return expression_grammar::string_literal; }
expression_grammar::text_type const& text() { return expression_grammar::text; }
expression_grammar::reference_type const& reference() { return expression_grammar::reference; }
expression_grammar::definition_name_type const& definition_name() { return expression_grammar::definition_name; }
expression_grammar::number_literal_type const& number_literal() { return expression_grammar::number_literal; }

}  // namespace stepcare::parse
