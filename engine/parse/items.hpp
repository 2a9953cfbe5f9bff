#pragma once
// Declarations of the rules for the file's head, header entries and items. The driver
// (parser.cpp) calls them one item at a time, so it can recover between items.

#include "parse/config.hpp"

namespace stepcare::parse {

namespace item_grammar {

struct file_head_class;
struct version_entry_class;
struct languages_entry_class;
struct description_entry_class;
struct source_entry_class;
struct options_item_class;
struct section_head_class;
struct question_item_class;
struct let_item_class;
struct outcome_item_class;
struct referral_item_class;
struct test_item_class;
struct invariant_item_class;

/// `questionnaire name text {`
using file_head_type = x3::rule<file_head_class, ast::questionnaire>;
using version_entry_type = x3::rule<version_entry_class, ast::string_literal>;
using languages_entry_type = x3::rule<languages_entry_class, std::vector<ast::identifier>>;
using description_entry_type = x3::rule<description_entry_class, ast::text>;
using source_entry_type = x3::rule<source_entry_class, ast::source_def>;
using options_item_type = x3::rule<options_item_class, ast::options_def>;
/// `section name text [when expr] {`; the driver reads the questions and the closing brace.
using section_head_type = x3::rule<section_head_class, ast::section_def>;
using question_item_type = x3::rule<question_item_class, ast::question_def>;
using let_item_type = x3::rule<let_item_class, ast::let_def>;
using outcome_item_type = x3::rule<outcome_item_class, ast::outcome_def>;
using referral_item_type = x3::rule<referral_item_class, ast::referral_def>;
using test_item_type = x3::rule<test_item_class, ast::test_def>;
using invariant_item_type = x3::rule<invariant_item_class, ast::invariant_def>;

BOOST_SPIRIT_DECLARE(file_head_type, version_entry_type, languages_entry_type, description_entry_type,
                     source_entry_type, options_item_type, section_head_type, question_item_type, let_item_type,
                     outcome_item_type, referral_item_type, test_item_type, invariant_item_type)

}  // namespace item_grammar

item_grammar::file_head_type const& file_head();
item_grammar::version_entry_type const& version_entry();
item_grammar::languages_entry_type const& languages_entry();
item_grammar::description_entry_type const& description_entry();
item_grammar::source_entry_type const& source_entry();
item_grammar::options_item_type const& options_item();
item_grammar::section_head_type const& section_head();
item_grammar::question_item_type const& question_item();
item_grammar::let_item_type const& let_item();
item_grammar::outcome_item_type const& outcome_item();
item_grammar::referral_item_type const& referral_item();
item_grammar::test_item_type const& test_item();
item_grammar::invariant_item_type const& invariant_item();

}  // namespace stepcare::parse
