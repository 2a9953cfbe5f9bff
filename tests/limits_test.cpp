// The limits of docs/limits.md: input beyond each one is refused with a clear message,
// and input just within it is accepted.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "evaluate_support.hpp"
#include "source/source_file.hpp"
#include "stepcare/session.hpp"

using namespace stepcare;
using namespace stepcare::testing;

namespace {

const char* const two_questions = R"(questionnaire limits "Limits" {
  version "1"
  question age: integer 0..120 { ask "Your age?" }
  question sleep: multi { short "Short"  broken "Broken" } { ask "Sleep?" }
  referral "See a clinician" { say "Always." }
})";

/// Every diagnostic of compiling `source` (named limits.sq), rendered as text.
std::string report(const std::string& source) {
    std::string out;
    for (const diagnostic& d : compile_source(source, "limits.sq").diagnostics) out += render_text(d);
    return out;
}

/// A questionnaire with `items` and a referral, its first items on line 3.
std::string questionnaire_with(const std::string& items) {
    return "questionnaire limits \"Limits\" {\n  version \"1\"\n" + items +
           "  referral \"See a clinician\" { say \"Always.\" }\n}\n";
}

/// `count` copies of `text`.
std::string repeated(const std::string& text, std::size_t count) {
    std::string out;
    out.reserve(text.size() * count);
    for (std::size_t i = 0; i < count; ++i) out += text;
    return out;
}

/// `levels` arrays, one inside the other, around nothing.
std::string nested_arrays(std::size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); }

}  // namespace

TEST_CASE("a record nested deeper than 100 levels of arrays and objects is refused as a whole", "[limits]") {
    questionnaire const q = compile_ok(two_questions);
    // The record and its answers object are two levels; 98 arrays make 100.
    std::string const at_limit = R"({"answers": {"age": )" + nested_arrays(98) + "}}";
    std::string const beyond = R"({"answers": {"age": )" + nested_arrays(99) + "}}";
    result const accepted = q.evaluate(at_limit);
    REQUIRE(accepted.errors.size() == 1);
    CHECK(accepted.errors[0].message == "'age' takes a whole number from 0 to 120, not a list");

    result const refused = q.evaluate(beyond);
    CHECK(refused.status == result_status::invalid);
    REQUIRE(refused.errors.size() == 1);
    CHECK_FALSE(refused.errors[0].question);
    CHECK(refused.errors[0].message == "the record is nested deeper than 100 levels of arrays and objects");
    CHECK(refused.referral.title == "See a clinician");

    // A million levels: refused as quickly, without running out of stack.
    result const huge = q.evaluate(R"({"answers": )" + nested_arrays(1000000) + "}");
    REQUIRE(huge.errors.size() == 1);
    CHECK(huge.errors[0].message == "the record is nested deeper than 100 levels of arrays and objects");
}

TEST_CASE("a session refuses saved answers and answers nested too deep", "[limits]") {
    session s(compile_ok(two_questions));
    std::vector<answer_error> const errors =
        s.restore_json(R"({"answers": {"sleep": )" + nested_arrays(1000000) + "}}");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "the saved answers are nested deeper than 100 levels of arrays and objects");
    CHECK(s.current()->id == "age");
    CHECK(s.answer_json(nested_arrays(101)).message ==
          "the answer is nested deeper than 100 levels of arrays and objects");
    CHECK(s.answer_json(nested_arrays(100)).message == "a list of options must hold option ids in quotes");
}

TEST_CASE("a questionnaire larger than 32 MiB is refused before parsing", "[limits]") {
    std::string const at_limit =
        questionnaire_with("") + std::string(max_source_bytes - questionnaire_with("").size(), '\n');
    CHECK(report(at_limit).empty());
    CHECK(report(at_limit + "\n") ==
          "limits.sq:1:1: error: the file is 33554433 bytes; questionnaire files may be at most 33554432 bytes "
          "[file-too-large]\n"
          "    1 | questionnaire limits \"Limits\" {\n"
          "      | ^\n");
}

TEST_CASE("a file larger than 32 MiB is refused unread, without a source excerpt", "[limits]") {
    std::filesystem::path const folder =
        std::filesystem::temp_directory_path() / ("stepcare-limits-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    std::filesystem::path const huge = folder / "huge.sq";
    std::ofstream(huge).close();
    std::filesystem::resize_file(huge, max_source_bytes + 1);  // sparse: nothing is written
    std::string out;
    for (const diagnostic& d : compile_file(huge).diagnostics) out += render_text(d);
    std::filesystem::remove_all(folder);
    CHECK(out == huge.string() +
                     ":1:1: error: the file is 33554433 bytes; questionnaire files may be at most 33554432 bytes "
                     "[file-too-large]\n");
}

TEST_CASE("names longer than 128 characters are refused before parsing", "[limits]") {
    std::string const longest(128, 'n');
    CHECK(report(questionnaire_with("  question " + longest + ": yesno { ask \"N?\" }\n")).empty());
    CHECK(report(
              questionnaire_with("  question " + longest + "x: yesno { ask \"N?\" }\n  let " + longest + "yz = 1\n")) ==
          "limits.sq:3:12: error: this name is 129 characters long; names may be at most 128 [name-too-long]\n"
          "    3 |   question " +
              longest +
              "x: yesno { ask \"N?\" }\n"
              "      |            ^" +
              std::string(128, '~') +
              "\n"
              "limits.sq:4:7: error: this name is 130 characters long; names may be at most 128 [name-too-long]\n"
              "    4 |   let " +
              longest +
              "yz = 1\n"
              "      |       ^" +
              std::string(129, '~') + "\n");
    // Strings and comments may hold words of any length.
    std::string const word(1000, 'w');
    CHECK(report(questionnaire_with("  # " + word + "\n  question q: yesno { ask \"" + word + "\" }\n")).empty());
}

TEST_CASE("at most 5000 questions, 5000 lets and 5000 outcomes", "[limits]") {
    auto const definitions = [](std::size_t count) {
        std::string items;
        for (std::size_t i = 0; i < count; ++i) {
            std::string const n = std::to_string(i);
            items += "  question q" + n + ": yesno { ask \"Q?\" }\n  let l" + n + " = q" + n + "\n  outcome o" + n +
                     " info \"O\" { when l" + n + " }\n";
        }
        return items;
    };
    CHECK(report(questionnaire_with(definitions(5000))).empty());
    CHECK(report(questionnaire_with(definitions(5001))) ==
          "limits.sq:15003:12: error: the questionnaire has 5001 questions, but it may have at most 5000; "
          "this is the first one too many [too-many-questions]\n"
          "15003 |   question q5000: yesno { ask \"Q?\" }\n"
          "      |            ^~~~~\n"
          "limits.sq:15004:7: error: the questionnaire has 5001 lets, but it may have at most 5000; "
          "this is the first one too many [too-many-lets]\n"
          "15004 |   let l5000 = q5000\n"
          "      |       ^~~~~\n"
          "limits.sq:15005:11: error: the questionnaire has 5001 outcomes, but it may have at most 5000; "
          "this is the first one too many [too-many-outcomes]\n"
          "15005 |   outcome o5000 info \"O\" { when l5000 }\n"
          "      |           ^~~~~\n");
}

TEST_CASE("a text may be 64 KiB long, nest braces 20 deep and have 1000 arguments", "[limits]") {
    std::string const question = "  question a: integer 0..9 { ask \"A?\" }\n";
    auto const say = [&](const std::string& text) {
        return report(questionnaire_with(question + "  outcome o info \"O\" { when a > 3 say \"" + text + "\" }\n"));
    };
    CHECK(say(std::string(65536, 'x')).empty());
    CHECK(say(std::string(65537, 'x')) ==
          "limits.sq:4:39: error: a 'say' of outcome 'o' is 65537 bytes long, but a text may be at most "
          "65536 bytes in each language [string-too-long]\n");

    std::string const nested_20 = repeated("{a, select, other {", 10) + "x" + repeated("}}", 10);
    CHECK(say(nested_20).empty());
    std::string const nested_22 = "{a, select, other {" + nested_20 + "}}";
    CHECK(say(nested_22) ==
          "limits.sq:4:39: error: a 'say' of outcome 'o' nests braces more than 20 levels deep; use fewer "
          "plural and select arguments inside one another [too-deep]\n"
          "    4 |   outcome o info \"O\" { when a > 3 say \"" +
              nested_22 +
              "\" }\n"
              "      |                                       ^" +
              std::string(nested_22.size() + 1, '~') + "\n");
    // ICU reads nested arguments recursively; the deepest that fits in 64 KiB is refused
    // before ICU sees it.
    std::string const nested_deep = repeated("{a,select,other{", 3600) + "x" + repeated("}}", 3600);
    CHECK(say(nested_deep) ==
          "limits.sq:4:39: error: a 'say' of outcome 'o' nests braces more than 20 levels deep; use fewer "
          "plural and select arguments inside one another [too-deep]\n");
    // Quoted braces are text, not nesting.
    CHECK(say(repeated("'{'", 30) + "{a}").empty());

    CHECK(say(repeated("{a}, ", 1000)).empty());
    CHECK(say(repeated("{a}, ", 1001)) ==
          "limits.sq:4:39: error: a 'say' of outcome 'o' has 1001 arguments, but a text may have at most 1000 "
          "[too-many-arguments]\n");
}

TEST_CASE("text answers may be at most 65536 characters, and so may text max", "[limits]") {
    CHECK(report(questionnaire_with("  question t: text max 65537 { ask \"T?\" }\n")) ==
          "limits.sq:3:24: error: the maximum length of question 't' may be at most 65536 characters [bad-range]\n"
          "    3 |   question t: text max 65537 { ask \"T?\" }\n"
          "      |                        ^~~~~\n");
    questionnaire const q =
        compile_ok(questionnaire_with("  question t: text max 65536 { ask \"T?\" }\n"
                                      "  question u: text optional { ask \"U?\" }\n"));
    std::string const longest(65536, 'x');
    CHECK(q.evaluate(R"({"answers": {"t": ")" + longest + R"(", "u": ")" + longest + R"("}})").errors.empty());
    result const r = q.evaluate(R"({"answers": {"t": ")" + longest + R"(x", "u": ")" + longest + R"(xy"}})");
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0].message == "'t' is 65537 characters long; it may be at most 65536");
    CHECK(r.errors[1].message == "'u' is 65538 characters long; it may be at most 65536");
}

TEST_CASE("numbers beyond 10^15 in a questionnaire and beyond a range in answers are errors", "[limits]") {
    CHECK(report(questionnaire_with("  question n: integer 0..1000000000000000 { ask \"N?\" }\n")).empty());
    CHECK(report(questionnaire_with("  question n: integer 0..999999999999999999999 { ask \"N?\" }\n")) ==
          "limits.sq:3:26: error: the number 999999999999999999999 is too large; numbers may be at most "
          "1000000000000000 [number-too-large]\n"
          "    3 |   question n: integer 0..999999999999999999999 { ask \"N?\" }\n"
          "      |                          ^~~~~~~~~~~~~~~~~~~~~\n");
    questionnaire const q =
        compile_ok(questionnaire_with("  question n: integer -1000000000000000..1000000000000000 { ask \"N?\" }\n"));
    CHECK(q.evaluate(R"({"answers": {"n": -1000000000000000}})").errors.empty());
    for (const char* too_large : {"999999999999999999999", "18446744073709551616", "1e400", "-1e308"}) {
        result const r = q.evaluate(std::string(R"({"answers": {"n": )") + too_large + "}}");
        INFO(too_large);
        REQUIRE(r.errors.size() == 1);
        CHECK(r.status == result_status::invalid);
    }
    CHECK(q.evaluate(R"({"answers": {"n": 999999999999999999999}})").errors[0].message ==
          "'n' is 1000000000000000000000, outside its range -1000000000000000 to 1000000000000000");
}

TEST_CASE("at most 100 errors and 100 warnings are listed, then how many more there are", "[limits]") {
    std::string items = "  question b: yesno { ask \"B?\" }\n";
    for (int i = 0; i < 150; ++i) items += "  let u" + std::to_string(i) + " = 1\n";
    items += "  test \"t\" {\n    given {\n" + repeated("      b = yes\n", 150) + "    }\n    expect b\n  }\n";
    std::vector<diagnostic> const found = compile_source(questionnaire_with(items), "limits.sq").diagnostics;
    REQUIRE(found.size() == 202);
    CHECK(count(found, severity::error) == 101);
    CHECK(render_text(found[99]) ==
          "limits.sq:103:7: warning: let 'u99' is never used; use it in a condition or a text, or remove it "
          "[unused-let]\n"
          "  103 |   let u99 = 1\n"
          "      |       ^~~\n");
    // The first 100 of the 149 answers given twice.
    CHECK(found[199].message == "question 'b' is given twice in this test; keep one answer");
    CHECK(found[199].line == 256);
    CHECK(render_text(found[200]) ==
          "limits.sq:257:7: error: 49 more errors are not listed; fix the ones above and check again "
          "[too-many-errors]\n"
          "  257 |       b = yes\n"
          "      |       ^\n");
    CHECK(render_text(found[201]) ==
          "limits.sq:104:7: warning: 50 more warnings are not listed; fix the ones above and check again "
          "[too-many-warnings]\n"
          "  104 |   let u100 = 1\n"
          "      |       ^~~~\n");
}

TEST_CASE("a diagnostic on a line over 4096 bytes long shows no excerpt of it", "[limits]") {
    std::string const line = "  question b: yesno { ask \"" + std::string(5000, 'x') + "\" } let l = c\n";
    CHECK(report(questionnaire_with(line)) ==
          "limits.sq:3:5036: warning: let 'l' is never used; use it in a condition or a text, or remove it "
          "[unused-let]\n"
          "limits.sq:3:5040: error: 'c' is not defined; check the spelling, or define it [undefined-name]\n");
}
