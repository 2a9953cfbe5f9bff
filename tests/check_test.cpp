// The check phase: its diagnostics, rendered whole through the public compile API and
// compared with golden files in tests/data/check_errors/, and the semantic model it builds.
//
// Each `NAME.sq` there is named after the diagnostic code it demonstrates (`_` for `-`)
// and must produce at least one diagnostic of that code; `NAME.txt` holds the whole
// rendered output. Setting STEPCARE_UPDATE_GOLDEN=1 rewrites the golden files (review the
// diff before committing).

#include <catch2/catch.hpp>
#include <algorithm>
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
        : source("test.sq", std::move(text)),
          tree(stepcare::parse_questionnaire(source, diagnostics)) {
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
    REQUIRE(names.size() >= 8);
    for (const auto& name : names) {
        CAPTURE(name);
        std::string code = name;
        std::replace(code.begin(), code.end(), '_', '-');
        std::string const base = "check_errors/" + name;
        auto const result = stepcare::compile_source(read_test_file(base + ".sq"), name + ".sq");
        CHECK(std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                          [&](const stepcare::diagnostic& d) { return d.code == code; }));
        std::string const actual = rendered(result);
        fs::path const golden = fs::path(STEPCARE_TEST_DATA) / (base + ".txt");
        if (std::getenv("STEPCARE_UPDATE_GOLDEN") != nullptr) {
            std::ofstream(golden, std::ios::binary) << actual;
        }
        CHECK(read_test_file(base + ".txt") == actual);
    }
}

TEST_CASE("the specification's example and every construct check without errors", "[check]") {
    for (const char* name : {"spec_example.sq", "all_constructs.sq"}) {
        CAPTURE(name);
        auto const result = stepcare::compile_source(read_test_file(name), name);
        INFO(rendered(result));
        CHECK_FALSE(result.has_errors());
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
