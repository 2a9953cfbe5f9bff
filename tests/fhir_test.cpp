// FHIR export details that the CLI goldens do not spell out: variable names, and which
// conditions become plain enableWhen (docs/fhir.md).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "stepcare/compile.hpp"
#include "stepcare/fhir.hpp"

using nlohmann::json;

namespace {

json exported(const std::string& source) {
    stepcare::compile_result compiled = stepcare::compile_source(source, "t.sq");
    INFO(stepcare::to_json(compiled.diagnostics));
    REQUIRE(compiled.compiled);
    stepcare::fhir_questionnaire const q = stepcare::export_fhir_questionnaire(*compiled.compiled);
    REQUIRE_FALSE(q.json.empty());
    return json::parse(q.json);
}

const json& item(const json& q, const std::string& link_id) {
    for (const json& i : q.at("item")) {
        if (i.at("linkId") == link_id) return i;
        if (i.contains("item")) {
            for (const json& child : i.at("item")) {
                if (child.at("linkId") == link_id) return child;
            }
        }
    }
    FAIL("no item " << link_id);
    static const json none;
    return none;
}

std::string expression_of(const json& i) {
    for (const json& e : i.value("extension", json::array())) {
        if (e.at("url").get<std::string>().ends_with("sdc-questionnaire-enableWhenExpression")) {
            return e.at("valueExpression").at("expression");
        }
    }
    return {};
}

}  // namespace

TEST_CASE("FHIR variable names: letters and digits, unique, deterministic", "[fhir]") {
    json const q = exported(R"(questionnaire t "T" {
  version "1"
  question n: integer 0..9 { ask "N?" }
  let a_b = n
  let aB = n
  let resource = n
  let _x = n
  let x_1 = n
  let x1 = n
  outcome q_2 info "Q" { when n > 1 }
  referral "See a clinician" { }
})");
    std::vector<std::string> names;
    for (const json& e : q.at("extension")) names.push_back(e.at("valueExpression").at("name"));
    // Names without `_` keep theirs (`resource` is FHIRPath's own); then the others, camel-cased.
    CHECK(names == std::vector<std::string>{"aB2", "aB", "resource2", "x", "x12", "x1", "q2"});
    CHECK(item(q, "let.a_b").at("extension")[1].at("valueExpression").at("expression") == "%aB2");
    CHECK(item(q, "outcome.q_2.text").at("extension")[0].at("valueExpression").at("expression") == "%q2");
}

TEST_CASE("FHIR conditions: plain enableWhen exactly where it means the same", "[fhir]") {
    json const q = exported(R"(questionnaire t "T" {
  version "1"
  options yn { yes "Yes" no "No" }
  question flag: yesno { ask "Flag?" }
  question pick: choice yn { ask "Pick?" }
  question tags: multi { a "A" b "B" } { ask "Tags?" }
  question temp: decimal 30..45 optional { ask "Temp?" }
  question word: text optional { ask "Word?" }
  question q1: yesno optional when not flag { ask "1?" }
  question q2: yesno optional when flag == yes { ask "2?" }
  question q3: yesno optional when pick == no { ask "3?" }
  question q4: yesno optional when tags has b { ask "4?" }
  question q5: yesno optional when temp > 37.5 { ask "5?" }
  question q6: yesno optional when word == "hello" { ask "6?" }
  question q7: yesno optional when answered(tags) { ask "7?" }
  question q8: yesno optional when pick != no { ask "8?" }
  question q9: yesno optional when flag and (pick == yes or temp < 36) { ask "9?" }
  question q10: yesno optional when pick in {yes} or flag { ask "10?" }
  question q11: yesno optional when pick in {yes, no} and flag { ask "11?" }
  referral "See a clinician" { }
})");
    auto when = [&](const std::string& id) { return item(q, id).value("enableWhen", json()); };
    CHECK(when("q1") == json::parse(R"([{"question":"flag","operator":"=","answerBoolean":false}])"));
    CHECK(when("q2") == json::parse(R"([{"question":"flag","operator":"=","answerBoolean":true}])"));
    CHECK(when("q3") == json::parse(R"([{"question":"pick","operator":"=",
        "answerCoding":{"system":"urn:stepcare:t/options/yn","code":"no"}}])"));
    CHECK(when("q4") == json::parse(R"([{"question":"tags","operator":"=",
        "answerCoding":{"system":"urn:stepcare:t/options/tags","code":"b"}}])"));
    CHECK(when("q5") == json::parse(R"([{"question":"temp","operator":">","answerDecimal":37.5}])"));
    CHECK(when("q6") == json::parse(R"([{"question":"word","operator":"=","answerString":"hello"}])"));
    CHECK(item(q, "q10").at("enableBehavior") == "any");
    CHECK(when("q10").size() == 2);
    // A multi answered with none, `!=`, mixed and/or, and `in` under `and` need the expression.
    for (const char* id : {"q7", "q8", "q9", "q11"}) {
        INFO(id);
        CHECK(when(id).is_null());
        CHECK_FALSE(expression_of(item(q, id)).empty());
    }
    CHECK(expression_of(item(q, "q7")) == "%resource.repeat(item).where(linkId='tags').exists()");
    CHECK(expression_of(item(q, "q8")) == "(%resource.repeat(item).where(linkId='pick').answer.value.code != 'no')");
}
