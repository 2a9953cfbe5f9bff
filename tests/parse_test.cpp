// The parser: every construct of the grammar to its AST dump.

#include <catch2/catch.hpp>

#include "parse_support.hpp"

using stepcare::testing::expr;
using stepcare::testing::parsed;
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
