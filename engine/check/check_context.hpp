#pragma once
// The check phase's working state, shared by its translation units: checker.cpp
// (declarations), types.cpp (names and types), flow.cpp (dependencies, cycles, forward
// references), texts.cpp (texts and translations) and warnings.cpp.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "ast/question_kinds.hpp"
#include "ast/spelling.hpp"
#include "check/checked_questionnaire.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "diagnostics/quote.hpp"
#include "foundation/text.hpp"

namespace stepcare::check_detail {

/// The parts joined into one string. Messages are built with this rather than `+` on a
/// string literal, which GCC 12 wrongly warns about at -O3 (-Wrestrict, bug 105329).
template <typename... Parts>
std::string cat(const Parts&... parts) {
    std::string joined;
    (joined.append(std::string_view(parts)), ...);
    return joined;
}

/// The range of a keyword at the start of `whole` (a part such as `ask "..."`).
source_range keyword_range(source_range whole, std::string_view keyword);

/// Calls `visit` on every node of the expression at `root`, parents before their operands
/// and operands left to right, with an explicit stack (expressions can be very long).
template <typename Visit>
void for_each_node(const ast::questionnaire& tree, ast::expr_ref root, Visit visit) {
    std::vector<ast::expr_ref> pending{root};
    while (!pending.empty()) {
        ast::expr_ref const ref = pending.back();
        pending.pop_back();
        visit(ref);
        const auto& operands = tree.expressions[ref].operands;
        pending.insert(pending.end(), operands.rbegin(), operands.rend());
    }
}

struct checker {
    checker(const ast::questionnaire& tree, diagnostic_sink& diagnostics);

    /// Runs every check and hands the diagnostics over in source order.
    checked_questionnaire run();

    const ast::questionnaire& tree;
    diagnostic_sink& out;
    /// Diagnostics are collected here first and sorted by position at the end, so that
    /// the passes need not run in source order.
    diagnostic_sink found;
    checked_questionnaire model;

    // ---- checker.cpp: declarations ----------------------------------------------------------
    void declare_languages();
    void declare_items();
    void check_counts();
    void declare(const std::string& name, source_range range, symbol what);
    void add_option_set(option_set_info set, const std::vector<ast::option_def>& options);
    void add_question(const ast::question_def& question, std::uint32_t section);
    void check_range(const ast::question_def& question);
    void check_question_parts(const ast::question_def& question, question_info& info);
    void add_outcome(const ast::outcome_def& outcome);
    void add_referral(const ast::referral_def& referral);
    void resolve_declared_names();
    std::vector<std::uint32_t> resolve_cites(const std::vector<ast::outcome_part>& parts);
    void report_sorted();
    /// Which named option sets some question uses, by option set index.
    std::vector<bool> option_set_used;

    /// "question", "let", ...
    static const char* kind_name(symbol_kind kind);
    /// "a question", "an outcome", ...
    static std::string a_kind_name(symbol_kind kind);
    /// "question 'x'", "let 'y'", ...
    std::string describe(symbol what) const;
    /// Where `what` is defined: the range of its name.
    source_range definition_range(symbol what) const;
    /// The name of `what`.
    const std::string& name_of(symbol what) const;
    /// Of the names of the given kinds, the one closest to `name` (kind none if none).
    symbol suggest(std::string_view name, std::initializer_list<symbol_kind> kinds) const;
    /// Adds "; did you mean 'x'?" to the message and a note at x's definition, unless
    /// `suggestion` is none. Returns whether it did.
    bool add_suggestion(pending_diagnostic& diagnostic, symbol suggestion);
    /// Names offered as "did you mean": most likely used, just misspelled, so they are not
    /// also reported as unused.
    std::vector<symbol> suggested;

    // ---- types.cpp: names and types ---------------------------------------------------------
    void check_types();
    void check_given(test_info& test);
    void check_given_value(std::uint32_t question, ast::expr_ref value);
    /// Binds `ref`, a test answer for a question of option set `set`, to its option.
    void given_option(ast::expr_ref ref, std::uint32_t set);
    /// Types a literal given as a test answer.
    void type_literal(ast::expr_ref ref);
    void report_not_a_question(const ast::identifier& name);

    /// The type of question `question`'s value (invalid when its option set is unknown).
    expr_type question_type(std::uint32_t question) const;
    /// "a number", "a choice from 'how_often'", ...
    std::string type_name(expr_type type) const;
    /// "'how_often'", or "question 'x'" for the inline set of question x.
    std::string option_set_name(std::uint32_t set) const;
    bool is_option_anywhere(std::string_view id) const;
    /// Reports a name that is not a question, let or outcome where a value is needed.
    void report_unresolved_name(source_range where, std::string_view name);
    void report_unknown_option(source_range where, std::string_view id, std::uint32_t set,
                               std::string_view code = "unknown-option");
    /// Adds "; did you mean 'x'?" for the option of `set` closest to `id`, or lists the
    /// set's options when none is close.
    void add_option_suggestion(pending_diagnostic& error, std::string_view id, std::uint32_t set) const;

    // ---- flow.cpp: dependencies, cycles, forward references ---------------------------------
    void check_flow();

    // ---- texts.cpp: texts, translations, MessageFormat --------------------------------------
    void check_texts();
    /// Which lets some text shows as an argument, by let index.
    std::vector<bool> lets_named_in_texts;

    // ---- warnings.cpp -----------------------------------------------------------------------
    void check_warnings();
};

}  // namespace stepcare::check_detail
