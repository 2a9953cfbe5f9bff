// The parser's diagnostics: every syntax error class, rendered whole as text and JSON
// and compared with golden files in tests/data/syntax_errors/. Each `NAME.sq` there must
// produce errors; `NAME.txt` and `NAME.json` hold the expected output. Setting
// STEPCARE_UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing).

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "parse_support.hpp"

namespace fs = std::filesystem;
using stepcare::testing::compare_with_golden;
using stepcare::testing::parsed;
using stepcare::testing::read_test_file;
using stepcare::testing::wrap;

TEST_CASE("syntax errors match their golden diagnostics", "[parse][golden]") {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(fs::path(STEPCARE_TEST_DATA) / "syntax_errors")) {
        if (entry.path().extension() == ".sq") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    REQUIRE(names.size() >= 19);
    for (const auto& name : names) {
        CAPTURE(name);
        std::string const base = "syntax_errors/" + name;
        parsed const p(read_test_file(base + ".sq"), name + ".sq");
        REQUIRE(p.diagnostics.has_errors());
        compare_with_golden(base + ".txt", p.rendered());
        compare_with_golden(base + ".json", p.json() + "\n");
    }
}

TEST_CASE("a file without errors produces no diagnostics", "[parse]") {
    parsed const p(wrap("question a: yesno { ask \"A?\" }\nreferral \"R\" { }"));
    CHECK(p.rendered() == "");
    CHECK(p.json() == "[]");
}

TEST_CASE("nesting up to the limit parses, one level more is an error", "[parse]") {
    auto nested_parentheses = [](int depth) {
        return wrap("let x = " + std::string(static_cast<std::size_t>(depth), '(') + "1" +
                    std::string(static_cast<std::size_t>(depth), ')'));
    };
    CHECK(parsed(nested_parentheses(200)).rendered() == "");
    parsed const too_deep(nested_parentheses(201));
    REQUIRE(too_deep.diagnostics.items().size() == 1);
    CHECK(too_deep.diagnostics.items()[0].code == "too-deep");

    std::string nots;
    for (int i = 0; i < 201; ++i) nots += "not ";
    parsed const deep_not(wrap("let x = " + nots + "true"));
    REQUIRE(deep_not.diagnostics.items().size() == 1);
    CHECK(deep_not.diagnostics.items()[0].code == "too-deep");

    std::string minus(201, '-');
    parsed const deep_minus(wrap("let x = " + minus + "1"));
    REQUIRE(deep_minus.diagnostics.items().size() == 1);
    CHECK(deep_minus.diagnostics.items()[0].code == "too-deep");
}

TEST_CASE("very deep input is refused without exhausting the stack", "[parse]") {
    parsed const p(wrap("let x = " + std::string(100000, '(')));
    REQUIRE(p.diagnostics.items().size() == 1);
    CHECK(p.diagnostics.items()[0].code == "too-deep");
}

TEST_CASE("recovery reports each independent error once and never loops", "[parse]") {
    std::string items;
    for (int i = 0; i < 50; ++i) items += "question q" + std::to_string(i) + " yesno { ask \"?\" }\n";
    parsed const p(wrap(items + "referral \"R\" { }"));
    CHECK(p.diagnostics.error_count() == 50);
    for (const auto& d : p.diagnostics.items()) CHECK(d.code == "syntax");
}

TEST_CASE("arbitrary junk never crashes or hangs the parser", "[parse]") {
    const std::vector<std::string> junk = {"}",
                                           "{",
                                           "questionnaire",
                                           "questionnaire q",
                                           "questionnaire q \"Q\"",
                                           "questionnaire q \"Q\" {",
                                           "questionnaire q \"Q\" { section",
                                           "questionnaire q \"Q\" { section s \"S\" {",
                                           "questionnaire q \"Q\" { let x = (",
                                           "questionnaire q \"Q\" { let x = \"",
                                           "\"\\",
                                           "#",
                                           "questionnaire q \"Q\" { } }}}} {{{",
                                           "questionnaire q \"Q\" { test \"t\" { given { a = {",
                                           std::string("questionnaire q \"Q\" { let x = \0 }", 33)};
    for (const auto& source : junk) {
        CAPTURE(source);
        parsed const p(source);
        CHECK(p.diagnostics.has_errors());
    }
}
