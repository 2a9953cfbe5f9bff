#pragma once
// Helpers for tests that compile a questionnaire and evaluate answers through the public API.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "stepcare/compile.hpp"
#include "stepcare/questionnaire.hpp"

namespace stepcare::testing {

/// Compiles `source`, which must have no errors (its diagnostics are shown if it does).
inline questionnaire compile_ok(const std::string& source) {
    compile_result result = compile_source(source, "test.sq");
    std::string shown;
    for (const diagnostic& d : result.diagnostics) {
        if (d.level == severity::error) shown += render_text(d);
    }
    INFO(shown);
    REQUIRE(result.compiled.has_value());
    return *result.compiled;
}

/// A questionnaire around `items`, with a referral.
inline std::string with_referral(const std::string& items) {
    return "questionnaire q \"Q\" {\n  version \"1\"\n" + items +
           "\n  referral \"See a clinician\" { say \"Always.\" }\n}\n";
}

/// The result of evaluating `answers` (a JSON object of answers) as parsed JSON.
inline nlohmann::json evaluate_json(const questionnaire& q, const std::string& answers) {
    return nlohmann::json::parse(to_json(q.evaluate("{\"answers\": " + answers + "}")));
}

}  // namespace stepcare::testing
