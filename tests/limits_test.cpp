// The limits of docs/limits.md: input beyond each one is refused with a clear message,
// and input just within it is accepted.

#include <catch2/catch.hpp>

#include "evaluate_support.hpp"
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
    CHECK(s.answer_json(nested_arrays(101)).message == "the answer is nested deeper than 100 levels of arrays and objects");
    CHECK(s.answer_json(nested_arrays(100)).message == "a list of options must hold option ids in quotes");
}
