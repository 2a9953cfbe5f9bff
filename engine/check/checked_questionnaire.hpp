#pragma once
/// The semantic model of a questionnaire that passed parsing, as the check phase builds it.
///
/// Everything here is a side table keyed by the AST's indices (`expr_ref`) or pointing
/// into the AST; the AST itself is never modified. The model refers to the tree it was
/// built from, so that tree must outlive it and must not move.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "check/builtins.hpp"

namespace stepcare {

/// What a name denotes.
enum class symbol_kind : std::uint8_t {
    none,        ///< nothing: the name is undefined
    question,    ///< `index` into checked_questionnaire::questions
    let,         ///< `index` into checked_questionnaire::lets
    outcome,     ///< `index` into checked_questionnaire::outcomes
    option,      ///< option `index` of option set `option_set`
    option_set,  ///< `index` into checked_questionnaire::option_sets
    section,     ///< `index` into checked_questionnaire::sections
    source,      ///< `index` into checked_questionnaire::sources
};

struct symbol {
    symbol_kind kind = symbol_kind::none;
    std::uint32_t index = no_index;
    std::uint32_t option_set = no_index;  ///< options only

    friend bool operator==(const symbol&, const symbol&) = default;
};

/// What the checker learned about one expression node.
struct expression_info {
    expr_type type;
    /// For name nodes: the question, let, outcome or option the name means. For `yes` and
    /// `no` nodes: the option of that name when they mean one (next to a choice or multi
    /// whose set has it, or as a test answer), otherwise `none` (they are then booleans).
    symbol binding;
    std::optional<builtin> function;  ///< call nodes naming a function
};

struct option_info {
    std::string id;
    std::optional<double> score;
    const ast::text* label = nullptr;
    const ast::option_def* node = nullptr;
};

/// A named option set, or the inline set of one choice or multi question.
struct option_set_info {
    /// The set's name; for an inline set, the name of the question that declares it.
    std::string name;
    bool is_inline = false;
    std::vector<option_info> options;        ///< in source order
    bool fully_scored = false;               ///< every option has a score, so score() may be used
    const ast::options_def* node = nullptr;  ///< named sets only
    std::uint32_t question = no_index;       ///< inline sets only: the declaring question

    /// The index of the option with id `id`, or no_index.
    std::uint32_t find(std::string_view id) const;
};

struct section_info {
    std::string name;
    const ast::section_def* node = nullptr;
    std::uint32_t first_question = 0;  ///< index of its first question (or of the next one)
    std::uint32_t question_count = 0;
};

/// A `require CONDITION else MESSAGE` of a question.
struct requirement {
    ast::expr_ref condition = ast::no_expr;
    const ast::text* message = nullptr;
};

struct question_info {
    std::string name;
    question_kind type = question_kind::yesno;
    std::uint32_t option_set = no_index;      ///< choice and multi
    double min = 0;                           ///< integer and decimal
    double max = 0;                           ///< integer and decimal
    std::optional<std::uint32_t> max_length;  ///< text with `max N`, in code points
    bool optional = false;
    /// The conditions that must all be true for the question to be shown: its section's
    /// `when`, then its own. Empty: always shown.
    std::vector<ast::expr_ref> visibility;
    std::vector<requirement> requirements;
    const ast::text* ask = nullptr;   ///< nullptr only in a questionnaire with errors
    const ast::text* help = nullptr;  ///< nullptr when absent
    const ast::text* unit = nullptr;  ///< nullptr when absent
    const ast::question_def* node = nullptr;
    std::uint32_t section = no_index;  ///< the enclosing section, if any
    /// The questions and lets that its ask, help, unit, `require` messages and inline
    /// option labels show as arguments, in any language, in order of first use.
    std::vector<symbol> text_uses;
    /// Dense index of the question's answer: its position in file order.
    std::uint32_t slot = 0;
};

struct let_info {
    std::string name;
    ast::expr_ref value = ast::no_expr;
    expr_type type;
    /// The questions, lets and outcomes its expression names directly, in order of first use.
    std::vector<symbol> uses;
    /// The last question, in file order, that its value depends on through any chain of
    /// lets and outcomes; no_index when it depends on none.
    std::uint32_t latest_question = no_index;
    const ast::let_def* node = nullptr;
};

struct outcome_info {
    std::string name;
    ast::level level = ast::level::info;
    ast::expr_ref when = ast::no_expr;
    bool stop = false;
    const ast::text* title = nullptr;
    std::vector<const ast::text*> says;        ///< in source order
    std::vector<std::uint32_t> cites;          ///< indices into checked_questionnaire::sources
    std::vector<symbol> uses;                  ///< as in let_info
    std::uint32_t latest_question = no_index;  ///< as in let_info
    /// The questions and lets that its title and says show as arguments, in any language,
    /// in order of first use; they change its wording, not whether it fires.
    std::vector<symbol> text_uses;
    const ast::outcome_def* node = nullptr;
};

struct referral_info {
    const ast::text* title = nullptr;
    std::vector<const ast::text*> says;
    std::vector<std::uint32_t> cites;  ///< indices into checked_questionnaire::sources
    std::vector<symbol> text_uses;     ///< as in outcome_info
    const ast::referral_def* node = nullptr;
};

struct source_info {
    std::string name;
    const ast::source_def* node = nullptr;
};

/// One `question = value` of a test's `given`. The value expression's entry in
/// checked_questionnaire::expressions holds its type and, for option ids, its option.
struct given_info {
    std::uint32_t question = no_index;  ///< no_index when it names no question (an error)
    ast::expr_ref value = ast::no_expr;
    const ast::given_answer* node = nullptr;
};

struct test_info {
    std::vector<given_info> given;  ///< in source order
    const ast::test_def* node = nullptr;
};

/// The semantic model of a questionnaire that passed parsing: side tables keyed by the
/// AST's indices; the AST itself is never modified.
///
/// The model is filled as far as possible even when checking reported errors, but only a
/// model checked without errors is fit to compile and evaluate.
struct checked_questionnaire {
    const ast::questionnaire* tree = nullptr;
    /// The declared languages, default first; {"en"} when none are declared.
    std::vector<std::string> languages;
    /// Named and inline sets in the order they appear in the file.
    std::vector<option_set_info> option_sets;
    std::vector<section_info> sections;
    /// In file order, sections flattened; `questions[i].slot == i`.
    std::vector<question_info> questions;
    std::vector<let_info> lets;          ///< in file order
    std::vector<outcome_info> outcomes;  ///< in file order
    /// Every let and outcome, each after everything it refers to, otherwise in file order
    /// (lets and outcomes in a cycle, an error, come in an unspecified order).
    std::vector<symbol> evaluation_order;
    std::optional<referral_info> referral;  ///< the first, when there are several (an error)
    std::vector<source_info> sources;
    std::vector<test_info> tests;
    std::vector<const ast::invariant_def*> invariants;
    /// Indexed by expr_ref; sized like the tree's expression table.
    std::vector<expression_info> expressions;
    /// The one namespace of questions, lets, outcomes, option sets, sections and sources.
    /// A name defined twice (an error) maps to its first definition.
    std::map<std::string, symbol, std::less<>> names;

    /// What `name` denotes in the namespace; kind `none` when nothing.
    symbol find(std::string_view name) const;

    const expression_info& info(ast::expr_ref ref) const { return expressions[ref]; }
};

}  // namespace stepcare
