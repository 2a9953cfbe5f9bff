#pragma once
// The grammar of the file's head, header entries and items (language.md section 3).
// Included only by items.cpp.

#include <boost/fusion/include/adapt_struct.hpp>

#include "parse/ast_adapted.hpp"
#include "parse/expression.hpp"
#include "parse/items.hpp"

BOOST_FUSION_ADAPT_STRUCT(stepcare::ast::source_def, name, title)
BOOST_FUSION_ADAPT_STRUCT(stepcare::ast::let_def, name, value)
BOOST_FUSION_ADAPT_STRUCT(stepcare::ast::given_answer, question, value)
BOOST_FUSION_ADAPT_STRUCT(stepcare::ast::invariant_def, name, condition)

// The rules are laid out like the grammar they implement, alternatives one per line with
// their `|` first, which clang-format would reflow.
// clang-format off
namespace stepcare::parse {

namespace item_grammar {

struct file_head_class : annotate_range {};
struct version_entry_class : annotate_range {};
struct languages_entry_class : annotate_range {};
struct description_entry_class : annotate_range {};
struct source_entry_class : annotate_range {};
struct options_item_class : annotate_range {};
struct section_head_class : annotate_range {};
struct question_item_class : annotate_range {};
struct let_item_class : annotate_range {};
struct outcome_item_class : annotate_range {};
struct referral_item_class : annotate_range {};
struct test_item_class : annotate_range {};
struct invariant_item_class : annotate_range {};

using x3::_attr;
using x3::_val;

/// Action storing the parsed attribute into a member of the rule's attribute.
template <typename Member>
auto set(Member member) {
    return [member](auto& context) { _val(context).*member = std::move(_attr(context)); };
}

/// Action appending the parsed attribute to a vector member of the rule's attribute.
template <typename Member>
auto push(Member member) {
    return [member](auto& context) { (_val(context).*member).push_back(std::move(_attr(context))); };
}

template <typename Member, typename Value>
auto assign_constant(Member member, Value constant) {
    return [member, constant](auto& context) { _val(context).*member = constant; };
}

auto const set_score = [](auto& context) { _val(context).score = _attr(context).value; };
auto const set_max_length = [](auto& context) { _val(context).max_length = _attr(context); };
auto const set_option_set = [](auto& context) {
    _val(context).option_set = std::move(_attr(context).option_set);
    _val(context).inline_options = std::move(_attr(context).inline_options);
};
auto const mark_optional = [](auto& context) {
    _val(context).optional = true;
    auto const& raw = _attr(context);
    _val(context).optional_range = state_of(context).range(raw.begin(), raw.end());
};
auto const set_yes_no_id = [](auto& context) {
    auto const& raw = _attr(context);
    _val(context).name.assign(raw.begin(), raw.end());
};

struct option_id_class : annotate_range {};
struct option_class : annotate_range {};
struct option_list_class : annotate_range {};
struct option_set_class : annotate_range {};
struct question_type_class : annotate_range {};
struct question_part_class : annotate_range {};
struct level_class : annotate_range {};
struct outcome_part_class : annotate_range {};
struct referral_part_class : annotate_range {};
struct given_answer_class : annotate_range {};
struct expect_clause_class : annotate_range {};
struct when_clause_class : annotate_range {};

x3::rule<option_id_class, ast::identifier> const option_id = "an option id";
x3::rule<option_class, ast::option_def> const option = "an option (an id, an optional '= score', and a text)";
x3::rule<option_list_class, std::vector<ast::option_def>> const option_list = "an option (an id, an optional '= score', and a text)";
x3::rule<option_set_class, ast::question_type> const option_set = "an option set's name or { options }";
x3::rule<question_type_class, ast::question_type> const question_type =
    "a type (yesno, choice, multi, integer, decimal or text)";
x3::rule<question_part_class, ast::question_part> const question_part = "'ask', 'help', 'unit' or 'require'";
x3::rule<level_class, ast::level> const level = "a level (urgent, caution, guidance or info)";
x3::rule<outcome_part_class, ast::outcome_part> const outcome_part = "'say', 'cite' or 'stop'";
x3::rule<referral_part_class, ast::outcome_part> const referral_part = "'say' or 'cite'";
x3::rule<given_answer_class, ast::given_answer> const given_answer = "an answer (name = value)";
x3::rule<expect_clause_class, ast::expr_ref> const expect_clause = "'expect'";
x3::rule<when_clause_class, ast::expr_ref> const when_clause = "'when'";

file_head_type const file_head = "'questionnaire'";
version_entry_type const version_entry = "'version'";
languages_entry_type const languages_entry = "'languages'";
description_entry_type const description_entry = "'description'";
source_entry_type const source_entry = "'source'";
options_item_type const options_item = "'options'";
section_head_type const section_head = "'section'";
question_item_type const question_item = "'question'";
let_item_type const let_item = "'let'";
outcome_item_type const outcome_item = "'outcome'";
referral_item_type const referral_item = "'referral'";
test_item_type const test_item = "'test'";
invariant_item_type const invariant_item = "'invariant'";

auto const name = definition_name();
auto const expr = expression();

auto const option_id_def = ranged[token("an option id", kw("yes") | kw("no"))[set_yes_no_id] | name[([](auto& c) { _val(c) = std::move(_attr(c)); })]];
auto const option_def = ranged[option_id[set(&ast::option_def::id)] >
                        -(punct("=") > number_literal()[set_score]) > text()[set(&ast::option_def::label)]];
auto const option_list_def = +option;
auto const option_set_def = ranged[reference()[set(&ast::question_type::option_set)] |
                            (punct("{") > option_list[set(&ast::question_type::inline_options)] > punct("}"))];

auto set_kind(question_kind kind) { return assign_constant(&ast::question_type::kind, kind); }

auto const question_type_def =
    ranged[kw("yesno")[set_kind(question_kind::yesno)]
    | (kw("choice")[set_kind(question_kind::choice)] > option_set[set_option_set])
    | (kw("multi")[set_kind(question_kind::multi)] > option_set[set_option_set])
    | (kw("integer")[set_kind(question_kind::integer)] > number_literal()[set(&ast::question_type::min)] >
       punct("..") > number_literal()[set(&ast::question_type::max)])
    | (kw("decimal")[set_kind(question_kind::decimal)] > number_literal()[set(&ast::question_type::min)] >
       punct("..") > number_literal()[set(&ast::question_type::max)])
    | (kw("text")[set_kind(question_kind::text)] >> -(kw("max") > number_literal()[set_max_length]))];

auto part_kind(ast::question_part_kind kind) { return assign_constant(&ast::question_part::kind, kind); }

auto const question_part_def =
    ranged[(kw("ask")[part_kind(ast::question_part_kind::ask)] > text()[set(&ast::question_part::value)])
    | (kw("help")[part_kind(ast::question_part_kind::help)] > text()[set(&ast::question_part::value)])
    | (kw("unit")[part_kind(ast::question_part_kind::unit)] > text()[set(&ast::question_part::value)])
    | (kw("require")[part_kind(ast::question_part_kind::require)] >
       expr[set(&ast::question_part::condition)] > kw("else") > text()[set(&ast::question_part::value)])];

auto const when_clause_def = kw("when") > expr;

auto const question_item_def =
    ranged[kw("question") > name[set(&ast::question_def::name)] > punct(":") >
    question_type[set(&ast::question_def::type)] > -token("'optional'", kw("optional"))[mark_optional] >
    -when_clause[set(&ast::question_def::when)] > punct("{") >
    *question_part[push(&ast::question_def::parts)] > punct("}")];

auto const level_def = (kw("urgent") >> x3::attr(ast::level::urgent))
                       | (kw("caution") >> x3::attr(ast::level::caution))
                       | (kw("guidance") >> x3::attr(ast::level::guidance))
                       | (kw("info") >> x3::attr(ast::level::info));

auto outcome_kind(ast::outcome_part_kind kind) { return assign_constant(&ast::outcome_part::kind, kind); }

auto const say_part = kw("say")[outcome_kind(ast::outcome_part_kind::say)] > text()[set(&ast::outcome_part::say)];
auto const cite_part = kw("cite")[outcome_kind(ast::outcome_part_kind::cite)] >
                       (reference() % punct(","))[set(&ast::outcome_part::cites)];
auto const outcome_part_def = ranged[say_part | cite_part | kw("stop")[outcome_kind(ast::outcome_part_kind::stop)]];
auto const referral_part_def = ranged[say_part | cite_part];

auto const outcome_item_def =
    ranged[kw("outcome") > name[set(&ast::outcome_def::name)] > level[set(&ast::outcome_def::level)] >
    text()[set(&ast::outcome_def::title)] > punct("{") > when_clause[set(&ast::outcome_def::when)] >
    *outcome_part[push(&ast::outcome_def::parts)] > punct("}")];

auto const referral_item_def = ranged[kw("referral") > text()[set(&ast::referral_def::title)] > punct("{") >
                               *referral_part[push(&ast::referral_def::parts)] > punct("}")];

auto const given_answer_def = reference() > punct("=") > value();
auto const expect_clause_def = kw("expect") > expr;

auto const test_item_def =
    ranged[kw("test") > string_literal()[set(&ast::test_def::name)] > punct("{") > kw("given") > punct("{") >
    *given_answer[push(&ast::test_def::given)] > punct("}") >
    expect_clause[push(&ast::test_def::expectations)] >> *expect_clause[push(&ast::test_def::expectations)] >
    punct("}")];

auto const invariant_item_def = kw("invariant") > string_literal() > punct(":") > expr;
auto const let_item_def = kw("let") > name > punct("=") > expr;

auto const options_item_def = ranged[kw("options") > name[set(&ast::options_def::name)] > punct("{") >
                              option_list[set(&ast::options_def::options)] > punct("}")];

auto const section_head_def = ranged[kw("section") > name[set(&ast::section_def::name)] >
                              text()[set(&ast::section_def::title)] >
                              -when_clause[set(&ast::section_def::when)] > punct("{")];

auto const file_head_def = ranged[kw("questionnaire") > name[set(&ast::questionnaire::name)] >
                           text()[set(&ast::questionnaire::title)] > punct("{")];
auto const version_entry_def = kw("version") > string_literal();
auto const languages_entry_def = kw("languages") > (reference() % punct(","));
auto const description_entry_def = kw("description") > text();
auto const source_entry_def = kw("source") > name > text();

BOOST_SPIRIT_DEFINE(option_id, option, option_list, option_set, question_type, question_part,
                    level, outcome_part, referral_part, given_answer, expect_clause, when_clause,
                    file_head, version_entry, languages_entry, description_entry, source_entry,
                    options_item, section_head, question_item, let_item, outcome_item,
                    referral_item, test_item, invariant_item)

}  // namespace item_grammar

}  // namespace stepcare::parse
// clang-format on
