// The check phase: its diagnostics, rendered whole through the public compile API and
// compared with golden files in tests/data/check_errors/, and the semantic model it builds.
//
// Each `NAME.sq` there is named after the diagnostic code it demonstrates (`_` for `-`)
// and must produce at least one diagnostic of that code; `NAME.txt` holds the whole
// rendered output. Setting STEPCARE_UPDATE_GOLDEN=1 rewrites the golden files (review the
// diff before committing).

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "check/checker.hpp"
#include "parse_support.hpp"
#include "stepcare/compile.hpp"

namespace fs = std::filesystem;
using stepcare::testing::read_test_file;
using stepcare::testing::wrap;

namespace {

std::string rendered(const stepcare::compile_result& result) {
    std::string out;
    for (const auto& d : result.diagnostics) out += stepcare::render_text(d);
    return out;
}

/// Parses and checks `text`; the parse must succeed.
struct checked {
    stepcare::source_file source;
    stepcare::diagnostic_sink diagnostics;
    stepcare::ast::questionnaire tree;
    stepcare::checked_questionnaire model;

    explicit checked(std::string text)
        : source("test.sq", std::move(text)), tree(stepcare::parse_questionnaire(source, diagnostics)) {
        REQUIRE_FALSE(diagnostics.has_errors());
        model = stepcare::check_questionnaire(tree, diagnostics);
    }

    std::vector<std::string> codes() const {
        std::vector<std::string> out;
        for (const auto& d : diagnostics.items()) out.push_back(d.code);
        return out;
    }

    std::string rendered() const {
        std::string out;
        for (const auto& d : resolve_all(source, diagnostics)) out += render_text(d);
        return out;
    }
};

}  // namespace

TEST_CASE("check errors match their golden diagnostics", "[check][golden]") {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fs::path(STEPCARE_TEST_DATA) / "check_errors")) {
        if (entry.path().extension() == ".sq") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    REQUIRE(names.size() >= 26);
    for (const auto& name : names) {
        CAPTURE(name);
        std::string code = name;
        std::replace(code.begin(), code.end(), '_', '-');
        std::string const base = "check_errors/" + name;
        auto const result = stepcare::compile_source(read_test_file(base + ".sq"), name + ".sq");
        CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                          [&](const stepcare::diagnostic& d) { return d.code == code; }));
        stepcare::testing::compare_with_golden(base + ".txt", rendered(result));
    }
}

TEST_CASE("every code the checker reports is documented and has a golden file", "[check]") {
    std::string const docs = read_test_file("../../docs/language.md");
    for (const char* code : {"undefined-name",
                             "duplicate-name",
                             "duplicate-part",
                             "missing-ask",
                             "type-mismatch",
                             "unknown-option",
                             "bad-range",
                             "too-many-options",
                             "score-without-scores",
                             "forward-reference",
                             "cycle",
                             "missing-referral",
                             "duplicate-referral",
                             "missing-translation",
                             "unknown-language",
                             "unknown-source",
                             "message-format",
                             "stop-not-urgent",
                             "invalid-test-value",
                             "always-false-comparison",
                             "always-true-comparison",
                             "unused-let",
                             "unused-options",
                             "unused-source",
                             "option-shadows-name",
                             "never-shown-question"}) {
        CAPTURE(code);
        CHECK(docs.find("| `" + std::string(code) + "` |") != std::string::npos);
        std::string file = code;
        std::replace(file.begin(), file.end(), '-', '_');
        CHECK(fs::exists(fs::path(STEPCARE_TEST_DATA) / "check_errors" / (file + ".sq")));
    }
}

TEST_CASE("the specification's example and every construct check without errors", "[check]") {
    for (const char* name : {"spec_example.sq", "all_constructs.sq"}) {
        CAPTURE(name);
        auto const result = stepcare::compile_source(read_test_file(name), name);
        INFO(rendered(result));
        CHECK_FALSE(result.has_errors());
    }
    // The example's title and source title are single strings in a file that declares
    // 'es' too (docs/language.md section 4).
    auto const example = stepcare::compile_source(read_test_file("spec_example.sq"), "x.sq");
    REQUIRE(example.diagnostics.size() == 2);
    for (const auto& d : example.diagnostics) {
        CHECK(d.level == stepcare::severity::warning);
        CHECK(d.code == "missing-translation");
    }
}

TEST_CASE("declarations: slots, sections and option sets", "[check]") {
    checked const c(wrap(R"(
  options agreement { yes = 1 "Yes"  no = 0 "No" }
  question first: yesno { ask "First?" }
  section later "Later" when first {
    question second: choice agreement optional when first { ask "Second?" help "H" }
    question third: multi { a "A" b = 2 "B" } { ask "Third?" }
  }
  question fourth: integer -3..7 { ask "Fourth?" require fourth > 0 else "Positive." }
  question fifth: text max 30 { ask "Fifth?" }
  referral "R" { }
)"));
    const auto& m = c.model;
    REQUIRE(m.questions.size() == 5);
    for (std::uint32_t i = 0; i < m.questions.size(); ++i) CHECK(m.questions[i].slot == i);
    CHECK(m.questions[1].name == "second");
    CHECK(m.questions[1].option_set == 0);
    CHECK(m.questions[1].optional);
    CHECK(m.questions[1].help != nullptr);
    CHECK(m.questions[1].unit == nullptr);
    CHECK(m.questions[1].section == 0);
    CHECK(m.questions[1].visibility.size() == 2);
    CHECK(m.questions[2].visibility.size() == 1);
    CHECK(m.questions[0].visibility.empty());
    CHECK(m.questions[3].min == -3);
    CHECK(m.questions[3].max == 7);
    CHECK(m.questions[3].requirements.size() == 1);
    CHECK(m.questions[4].max_length == 30u);
    REQUIRE(m.option_sets.size() == 2);
    CHECK(m.option_sets[0].fully_scored);
    CHECK_FALSE(m.option_sets[1].fully_scored);
    CHECK(m.option_sets[1].is_inline);
    CHECK(m.option_sets[1].name == "third");
    CHECK(m.option_sets[1].question == 2);
    CHECK(m.option_sets[1].find("b") == 1);
    CHECK(m.option_sets[1].find("c") == stepcare::no_index);
    CHECK(m.questions[2].option_set == 1);
    CHECK(m.sections.at(0).first_question == 1);
    CHECK(m.sections.at(0).question_count == 2);
    CHECK(m.languages == std::vector<std::string>{"en"});
    CHECK(m.find("fourth") == stepcare::symbol{stepcare::symbol_kind::question, 3});
    CHECK(m.find("agreement").kind == stepcare::symbol_kind::option_set);
    CHECK(m.find("later").kind == stepcare::symbol_kind::section);
    CHECK(m.find("nothing").kind == stepcare::symbol_kind::none);
    CHECK(m.referral.has_value());
}

namespace {

/// The expression whose source text is `text`, the `nth` such in file order.
stepcare::ast::expr_ref find_expr(const checked& c, std::string_view text, std::size_t nth = 0) {
    std::vector<std::pair<std::uint32_t, stepcare::ast::expr_ref>> matches;
    for (std::size_t i = 0; i < c.tree.expressions.size(); ++i) {
        auto const range = c.tree.expressions[i].range;
        if (c.source.text().substr(range.begin, range.end - range.begin) == text) {
            matches.emplace_back(range.begin, static_cast<stepcare::ast::expr_ref>(i));
        }
    }
    std::sort(matches.begin(), matches.end());
    REQUIRE(nth < matches.size());
    return matches[nth].second;
}

using stepcare::builtin;
using stepcare::expr_type;
using stepcare::symbol;
using stepcare::symbol_kind;
using type_kind = stepcare::expr_type::kind;

}  // namespace

TEST_CASE("identifiers next to a choice mean its options, elsewhere names", "[check]") {
    checked const c(wrap(R"(
  options how_often { never = 0 "Never"  daily = 3 "Daily" }
  options agreement { yes "Yes"  no "No"  unsure "Not sure" }
  question down: choice how_often { ask "Down?" }
  question agree: choice agreement { ask "Agree?" }
  question smoker: yesno { ask "Smoke?" }
  question effects: multi { nausea "Nausea"  never "Never" } { ask "Which?" }
  let daily = smoker
  let a = down == daily
  let b = daily != down
  let c = daily and agree == no and smoker == yes
  let d = down in {never, daily} and effects has never
  outcome o info "O" { when a or b or c or d }
  referral "R" { }
  test "t" { given { down = daily  agree = yes  effects = {never}  smoker = no } expect o }
)"));
    INFO(c.rendered());
    auto const& m = c.model;
    auto binding = [&](std::string_view text, std::size_t nth = 0) { return m.info(find_expr(c, text, nth)).binding; };
    symbol const how_often_daily{symbol_kind::option, 1, 0};
    symbol const let_daily{symbol_kind::let, 0};
    CHECK(binding("down") == symbol{symbol_kind::question, 0});
    CHECK(binding("daily", 0) == how_often_daily);  // down == daily
    CHECK(binding("daily", 1) == how_often_daily);  // daily != down
    CHECK(binding("daily", 2) == let_daily);        // daily and ...
    CHECK(binding("no", 0) == symbol{symbol_kind::option, 1, 1});
    CHECK(binding("yes", 0).kind == symbol_kind::none);  // smoker == yes: a bool
    CHECK(m.info(find_expr(c, "yes", 0)).type == expr_type{type_kind::boolean});
    CHECK(binding("never", 0) == symbol{symbol_kind::option, 0, 0});
    CHECK(binding("daily", 3) == how_often_daily);
    CHECK(m.info(find_expr(c, "{never, daily}")).type == expr_type{type_kind::set, 0});
    CHECK(binding("never", 1) == symbol{symbol_kind::option, 1, 2});  // effects has never
    // Test answers.
    CHECK(binding("daily", 4) == how_often_daily);
    CHECK(binding("yes", 1) == symbol{symbol_kind::option, 0, 1});
    CHECK(binding("never", 2) == symbol{symbol_kind::option, 1, 2});
    CHECK(m.info(find_expr(c, "{never}")).type == expr_type{type_kind::set, 2});
    CHECK(binding("no", 1).kind == symbol_kind::none);
    CHECK(m.tests.at(0).given.at(0).question == 0);
    CHECK(m.tests.at(0).given.at(3).question == 2);
    CHECK(c.codes() == std::vector<std::string>{"option-shadows-name"});
}

TEST_CASE("lets have the type of their expression, in any order", "[check]") {
    checked const c(wrap(R"(
  options how_often { never = 0 "Never"  daily = 3 "Daily" }
  question down: choice how_often { ask "Down?" }
  question age: integer 0..120 { ask "Age?" }
  question notes: text { ask "Notes?" }
  question effects: multi { nausea "Nausea" } { ask "Which?" }
  let uses_later = later + 1
  let later = score(down) ?? 0
  let flag = later > 2 or answered(notes)
  let picked = if flag then down else down
  let words = notes ?? "none"
  let chosen = effects
  let fired = o
  outcome o info "O" { when uses_later > 1 and flag and picked == daily and words == "x"
                       and chosen has nausea }
  outcome o2 info "O2" { when fired }
  referral "R" { }
)"));
    INFO(c.rendered());
    auto const& lets = c.model.lets;
    CHECK(lets[0].type == expr_type{type_kind::number});
    CHECK(lets[1].type == expr_type{type_kind::number});
    CHECK(lets[2].type == expr_type{type_kind::boolean});
    CHECK(lets[3].type == expr_type{type_kind::choice, 0});
    CHECK(lets[4].type == expr_type{type_kind::text});
    CHECK(lets[5].type == expr_type{type_kind::multi, 1});
    CHECK(lets[6].type == expr_type{type_kind::boolean});
    CHECK(c.model.info(find_expr(c, "score(down)")).function == builtin::score);
    CHECK(c.model.info(find_expr(c, "answered(notes)")).function == builtin::answered);
    CHECK(c.model.info(find_expr(c, "notes", 0)).binding == symbol{symbol_kind::question, 2});
    CHECK(c.model.info(find_expr(c, "o")).binding == symbol{symbol_kind::outcome, 0});
    CHECK(c.codes().empty());
}

TEST_CASE("long chains of operators and lets are checked without deep recursion", "[check]") {
    std::string sum = "a";
    for (int i = 0; i < 100000; ++i) sum += " + a";
    // As many lets as a questionnaire may have, each using the one before.
    std::string lets;
    for (std::size_t i = 1; i < stepcare::max_definitions_per_kind; ++i) {
        lets += "  let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " + 1\n";
    }
    checked const c(wrap("  question a: integer 0..9 { ask \"A?\" }\n  let l0 = " + sum + "\n" + lets +
                         "  outcome o info \"O\" { when l4999 > 3 }\n  referral \"R\" { }"));
    CHECK(c.codes().empty());
    CHECK(c.model.lets.back().type == expr_type{type_kind::number});

    checked const cycle(wrap("  let l0 = l4999 + 1\n" + lets +
                             "  outcome o info \"O\" { when l0 > 3 }\n"
                             "  referral \"R\" { }"));
    REQUIRE(cycle.codes() == std::vector<std::string>{"cycle"});
    CHECK(cycle.diagnostics.items()[0].message ==
          "let 'l0' depends on itself: l0 -> l4999 -> l4998 -> l4997 -> l4996 -> ... -> l4 -> "
          "l3 -> l2 -> l1 -> l0; lets and outcomes may not refer to each other in a circle");
    CHECK(cycle.diagnostics.items()[0].notes.size() == 8);
}

TEST_CASE("lets and outcomes are ordered after what they use", "[check]") {
    checked const c(wrap(R"(
  question a: integer 0..9 { ask "A?" }
  question b: yesno { ask "B?" }
  outcome late info "Late" { when total > 3 and early }
  let total = doubled + a
  outcome early info "Early" { when b }
  let doubled = a * 2
  let unrelated = 1
  question c: yesno when early { ask "C?" }
  referral "R" { }
)"));
    INFO(c.rendered());
    auto const& m = c.model;
    // lets: total 0, doubled 1, unrelated 2; outcomes: late 0, early 1.
    std::vector<symbol> const expected = {{symbol_kind::let, 1},
                                          {symbol_kind::let, 0},
                                          {symbol_kind::outcome, 1},
                                          {symbol_kind::outcome, 0},
                                          {symbol_kind::let, 2}};
    CHECK(m.evaluation_order == expected);
    CHECK(m.lets[0].uses == std::vector<symbol>{{symbol_kind::let, 1}, {symbol_kind::question, 0}});
    CHECK(m.lets[0].latest_question == 0);
    CHECK(m.outcomes[0].latest_question == 1);
    CHECK(m.lets[2].latest_question == stepcare::no_index);
    CHECK(m.lets[2].uses.empty());
    CHECK(c.codes() == std::vector<std::string>{"unused-let"});
}
