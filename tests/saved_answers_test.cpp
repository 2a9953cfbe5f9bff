// Reading saved intakes and answers records before they are restored (stepcare/saved_answers.hpp).

#include <catch2/catch.hpp>
#include <string>

#include "stepcare/saved_answers.hpp"

using namespace stepcare;

namespace {

std::string nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

}  // namespace

TEST_CASE("a saved intake gives its answers alone and the questionnaire's sha256", "[saved]") {
    saved_answers const s =
        read_saved_intake(R"({"answers": {"age": 30, "mood": "low"}, "position": "mood", "history": ["age", "mood"],)"
                          R"( "questionnaire": {"id": "q", "version": "1", "sha256": "abc123"}})");
    CHECK(s.problem == saved_answers_problem::none);
    CHECK(s.answers_only == R"({"answers":{"age":30,"mood":"low"}})");
    CHECK(s.answer_count == 2);
    CHECK(s.questionnaire_sha256 == "abc123");
}

TEST_CASE("what is wrong with a saved intake is named", "[saved]") {
    CHECK(read_saved_intake("{not json").problem == saved_answers_problem::not_json);
    CHECK(read_saved_intake("[1, 2]").problem == saved_answers_problem::not_an_object);
    CHECK(read_saved_intake(R"({"position": "age"})").problem == saved_answers_problem::no_answers);
    saved_answers const deep = read_saved_intake(R"({"answers": )" + nested(150) + "}");
    CHECK(deep.problem == saved_answers_problem::too_deep);
    CHECK(deep.detail == "nested deeper than 100 levels of arrays and objects");
    // No sha256 recorded, or not as text: empty, so it never matches a questionnaire's.
    CHECK(read_saved_intake(R"({"answers": {}, "questionnaire": {"sha256": 5}})").questionnaire_sha256.empty());
}

TEST_CASE("an answers record gives its answers; a saved intake's fields are ignored", "[saved]") {
    saved_answers const r = read_answers_record(R"({"id": 7, "answers": {"age": 30}, "history": []})");
    CHECK(r.problem == saved_answers_problem::none);
    CHECK(r.answers_only == R"({"answers":{"age":30}})");
    CHECK(r.answer_count == 1);
    saved_answers const none = read_answers_record(R"({"id": 7, "answers": null})");
    CHECK(none.problem == saved_answers_problem::none);
    CHECK(none.answers_only.empty());
    CHECK(none.answer_count == 0);
}

TEST_CASE("what is wrong with an answers record is named", "[saved]") {
    saved_answers const key = read_answers_record(R"({"answers": {}, "anwsers": {}})");
    CHECK(key.problem == saved_answers_problem::unknown_key);
    CHECK(key.detail == "anwsers");
    CHECK(read_answers_record(R"({"answers": [1]})").problem == saved_answers_problem::answers_not_object);
    CHECK(read_answers_record("42").problem == saved_answers_problem::not_an_object);
    CHECK(read_answers_record("").problem == saved_answers_problem::not_json);
}
