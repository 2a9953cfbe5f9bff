// The one translation unit that compiles the item grammar.
#include "parse/items_def.hpp"

namespace stepcare::parse {

namespace item_grammar {
BOOST_SPIRIT_INSTANTIATE(file_head_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(version_entry_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(languages_entry_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(description_entry_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(source_entry_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(options_item_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(section_head_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(question_item_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(let_item_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(outcome_item_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(referral_item_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(test_item_type, iterator_type, context_type)
BOOST_SPIRIT_INSTANTIATE(invariant_item_type, iterator_type, context_type)
}  // namespace item_grammar

item_grammar::file_head_type const& file_head() { return item_grammar::file_head; }
item_grammar::version_entry_type const& version_entry() { return item_grammar::version_entry; }
item_grammar::languages_entry_type const& languages_entry() { return item_grammar::languages_entry; }
item_grammar::description_entry_type const& description_entry() { return item_grammar::description_entry; }
item_grammar::source_entry_type const& source_entry() { return item_grammar::source_entry; }
item_grammar::options_item_type const& options_item() { return item_grammar::options_item; }
item_grammar::section_head_type const& section_head() { return item_grammar::section_head; }
item_grammar::question_item_type const& question_item() { return item_grammar::question_item; }
item_grammar::let_item_type const& let_item() { return item_grammar::let_item; }
item_grammar::outcome_item_type const& outcome_item() { return item_grammar::outcome_item; }
item_grammar::referral_item_type const& referral_item() { return item_grammar::referral_item; }
item_grammar::test_item_type const& test_item() { return item_grammar::test_item; }
item_grammar::invariant_item_type const& invariant_item() { return item_grammar::invariant_item; }

}  // namespace stepcare::parse
