// The parser: every construct of the grammar to its AST dump.

#include <catch2/catch.hpp>

#include "parse_support.hpp"

using stepcare::testing::expr;
using stepcare::testing::parsed;
using stepcare::testing::read_test_file;
using stepcare::testing::wrap;

TEST_CASE("literals and names", "[parse]") {
    CHECK(expr("42") == "42");
    CHECK(expr("3.25") == "3.25");
    CHECK(expr("\"a\" \"b\"") == "\"ab\"");
    CHECK(expr("true") == "true");
    CHECK(expr("false") == "false");
    CHECK(expr("yes") == "yes");
    CHECK(expr("no") == "no");
    CHECK(expr("tried") == "tried");
    CHECK(expr("_x1") == "_x1");
    CHECK(expr("{a, b}") == "{a, b}");
    CHECK(expr("{}") == "{}");
}

TEST_CASE("calls and conditionals", "[parse]") {
    CHECK(expr("score(low)") == "score(low)");
    CHECK(expr("sum(a, b + 1, 3)") == "sum(a, (+ b 1), 3)");
    CHECK(expr("answered()") == "answered()");
    CHECK(expr("if a then 1 else 2") == "(if a 1 2)");
    CHECK(expr("if a then 1 else 2 + 3") == "(if a 1 (+ 2 3))");
    CHECK(expr("max(1, 2) * 2") == "(* max(1, 2) 2)");
}

namespace {

struct binary_operator {
    const char* spelling;
    int level;  // language.md section 5: 1 binds loosest
};

const std::vector<binary_operator> binary_operators = {
    {"implies", 1}, {"or", 2}, {"and", 3}, {"==", 5}, {"!=", 5}, {"<", 5}, {"<=", 5}, {">", 5},
    {">=", 5},      {"in", 5}, {"has", 5}, {"+", 6},  {"-", 6},  {"*", 7}, {"/", 7},  {"??", 9}};

std::string binary(const std::string& op, const std::string& lhs, const std::string& rhs) {
    return "(" + op + " " + lhs + " " + rhs + ")";
}

}  // namespace

TEST_CASE("precedence of every pair of binary operators", "[parse]") {
    for (const auto& loose : binary_operators) {
        for (const auto& tight : binary_operators) {
            std::string const p = loose.spelling;
            std::string const q = tight.spelling;
            CAPTURE(p, q);
            if (loose.level < tight.level) {
                CHECK(expr("a " + p + " b " + q + " c") == binary(p, "a", binary(q, "b", "c")));
                CHECK(expr("a " + q + " b " + p + " c") == binary(p, binary(q, "a", "b"), "c"));
            } else if (loose.level == tight.level && loose.level != 5) {
                // Same level: left to right, except implies, which groups to the right.
                if (loose.level == 1) {
                    CHECK(expr("a " + p + " b " + q + " c") == binary(p, "a", binary(q, "b", "c")));
                } else {
                    CHECK(expr("a " + p + " b " + q + " c") == binary(q, binary(p, "a", "b"), "c"));
                }
            }
        }
    }
}

TEST_CASE("prefix operators", "[parse]") {
    CHECK(expr("not a and b") == "(and (not a) b)");
    CHECK(expr("not a == b") == "(not (== a b))");
    CHECK(expr("not not a") == "(not (not a))");
    CHECK(expr("a or not b") == "(or a (not b))");
    CHECK(expr("-a * b") == "(* (- a) b)");
    CHECK(expr("- -a") == "(- (- a))");
    CHECK(expr("a - -b") == "(- a (- b))");
    CHECK(expr("-a ?? 1") == "(- (?? a 1))");
    CHECK(expr("-1") == "(- 1)");
}

TEST_CASE("?? binds tighter than arithmetic and takes a negative default", "[parse]") {
    CHECK(expr("a ?? -1") == "(?? a (- 1))");
    CHECK(expr("a ?? b + c") == "(+ (?? a b) c)");
    CHECK(expr("a * b ?? 2") == "(* a (?? b 2))");
    CHECK(expr("a ?? b ?? c") == "(?? (?? a b) c)");
    CHECK(expr("score(x) ?? 0 >= 2") == "(>= (?? score(x) 0) 2)");
}

TEST_CASE("implies groups to the right, and parentheses override", "[parse]") {
    CHECK(expr("a implies b implies c") == "(implies a (implies b c))");
    CHECK(expr("(a implies b) implies c") == "(implies (implies a b) c)");
    CHECK(expr("a implies b or c") == "(implies a (or b c))");
    CHECK(expr("(a + b) * c") == "(* (+ a b) c)");
    CHECK(expr("((a))") == "a");
}

TEST_CASE("sets on the right of in and has", "[parse]") {
    CHECK(expr("x in {a, b}") == "(in x {a, b})");
    CHECK(expr("x in {yes, no}") == "(in x {yes, no})");
    CHECK(expr("m has a and m has b") == "(and (has m a) (has m b))");
    CHECK(expr("bp == no") == "(== bp no)");
}

TEST_CASE("keywords are whole words", "[parse]") {
    CHECK(expr("android") == "android");
    CHECK(expr("notable and orange") == "(and notable orange)");
    CHECK(expr("iffy") == "iffy");
    CHECK(expr("yesterday or nothing") == "(or yesterday nothing)");
    CHECK(expr("a implies_b") ==
          "error: test.sq:3:11: error: expected an item (question, section, let, outcome, options, "
          "referral, test or invariant) or '}', found 'implies_b' [syntax]\n"
          "    3 | let x = a implies_b\n"
          "      |           ^~~~~~~~~\n");
}

TEST_CASE("the specification's example parses to the expected tree", "[parse]") {
    parsed const p(read_test_file("spec_example.sq"), "spec_example.sq");
    REQUIRE(p.rendered() == "");
    CHECK(p.dump() == read_test_file("spec_example.dump"));
}

TEST_CASE("every construct of the grammar", "[parse]") {
    parsed const p(read_test_file("all_constructs.sq"), "all_constructs.sq");
    REQUIRE(p.rendered() == "");
    CHECK(p.dump() == read_test_file("all_constructs.dump"));
}

TEST_CASE("every node records its source range", "[parse]") {
    parsed const p(
        "questionnaire q \"Q\" {\n"
        "  version \"1\"\n"
        "  question a: integer 0..9 { ask \"A?\" }\n"
        "  let b = a * 2 >= 4  # doubled\n"
        "}\n");
    REQUIRE(p.rendered() == "");
    CHECK(stepcare::ast::dump(p.tree, {&p.source}) ==
          "questionnaire q \"Q\" @1:1-5:2\n"
          "  version \"1\" @2:3-2:14\n"
          "  question a: integer 0..9 @3:3-3:40\n"
          "    ask \"A?\" @3:30-3:38\n"
          "  let b = (>=@4:11-4:21 (*@4:11-4:16 a@4:11-4:12 2@4:15-4:16) 4@4:20-4:21) @4:3-4:21\n");
}

TEST_CASE("a byte-order mark and CRLF line endings are accepted", "[parse]") {
    parsed const p("\xEF\xBB\xBFquestionnaire q \"Q\" {\r\n  version \"1\"\r\n  let a = 1\r\n}\r\n");
    REQUIRE(p.rendered() == "");
    CHECK(stepcare::ast::dump(p.tree, {&p.source}) ==
          "questionnaire q \"Q\" @1:1-4:2\n"
          "  version \"1\" @2:3-2:14\n"
          "  let a = 1@3:11-3:12 @3:3-3:12\n");
}

TEST_CASE("a whole questionnaire on one line, with no line break at all, is accepted", "[parse]") {
    // Regression: a file without any line break was taken for one with lone carriage returns.
    parsed const p("questionnaire q \"Q\" { version \"1\" let a = 1 }");
    REQUIRE(p.rendered() == "");
    CHECK(stepcare::ast::dump(p.tree, {&p.source}) ==
          "questionnaire q \"Q\" @1:1-1:46\n"
          "  version \"1\" @1:23-1:34\n"
          "  let a = 1@1:43-1:44 @1:35-1:44\n");
}

TEST_CASE("strings: escapes, concatenation and NFC", "[parse]") {
    CHECK(expr(R"("a\"b\\c\nd\te")") == R"("a\"b\\c\nd\te")");
    CHECK(expr(R"("\u{1F600}\u{e9}")") == "\"\xF0\x9F\x98\x80\xC3\xA9\"");
    CHECK(expr("\"caf\" \"e\\u{301}\"") == "\"caf\xC3\xA9\"");  // e + combining acute -> é
    CHECK(expr("\"\" \"\"") == "\"\"");
    CHECK(expr("\"# not a comment\"") == "\"# not a comment\"");
}
