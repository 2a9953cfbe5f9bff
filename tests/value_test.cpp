// The three-valued logic of the evaluator's values (language.md section 6).

#include <catch2/catch.hpp>

#include "foundation/value.hpp"

using stepcare::value;

namespace {

const value t = value::of_bool(true);
const value f = value::of_bool(false);
const value u = value::unknown();

/// "true", "false" or "unknown", so failures print readably.
std::string show(value v) {
    if (v.is_unknown()) return "unknown";
    return v.boolean ? "true" : "false";
}

}  // namespace

TEST_CASE("and, or and implies follow Kleene's truth tables", "[eval]") {
    struct row {
        value a, b;
        const char *and_result, *or_result, *implies_result;
    };
    const row rows[] = {
        {t, t, "true", "true", "true"},          {t, f, "false", "true", "false"},
        {t, u, "unknown", "true", "unknown"},    {f, t, "false", "true", "true"},
        {f, f, "false", "false", "true"},        {f, u, "false", "unknown", "true"},
        {u, t, "unknown", "true", "true"},       {u, f, "false", "unknown", "unknown"},
        {u, u, "unknown", "unknown", "unknown"},
    };
    for (const auto& r : rows) {
        CAPTURE(show(r.a), show(r.b));
        CHECK(show(stepcare::logical_and(r.a, r.b)) == r.and_result);
        CHECK(show(stepcare::logical_or(r.a, r.b)) == r.or_result);
        CHECK(show(stepcare::logical_implies(r.a, r.b)) == r.implies_result);
    }
}

TEST_CASE("not keeps unknown unknown", "[eval]") {
    CHECK(show(stepcare::logical_not(t)) == "false");
    CHECK(show(stepcare::logical_not(f)) == "true");
    CHECK(show(stepcare::logical_not(u)) == "unknown");
}
