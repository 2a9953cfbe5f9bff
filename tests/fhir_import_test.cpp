// `.sq` files from FHIR R4 Questionnaires (stepcare/fhir.hpp, docs/fhir.md "Questionnaires in"):
// what the imported questionnaires compute, checked by evaluating them. The texts of the
// imports are compared whole in tests/fhir/import/ (run_import_corpus.py).

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/fhirpath_import.hpp"
#include "fhir/sq_writing.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/fhir.hpp"
#include "stepcare/stepcare.h"

using namespace stepcare;
using json = nlohmann::json;

namespace {

std::string read_case(const std::string& name) {
    std::ifstream in(std::string(STEPCARE_FHIR_IMPORT_CASES) + "/" + name, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string error_codes(const std::vector<diagnostic>& diagnostics) {
    std::string codes;
    for (const diagnostic& d : diagnostics) {
        if (d.level == severity::error) codes += (codes.empty() ? "" : " ") + d.code;
    }
    return codes;
}

/// The imported source with a referral where the import left its placeholder, as an
/// author writes one before the questionnaire can be used.
std::string with_referral(std::string source) {
    std::size_t const start = source.find("  # TODO referral:");
    REQUIRE(start != std::string::npos);
    std::size_t const end = source.find("  # }\n", start) + 6;
    source.replace(
        start, end - start,
        "  referral \"Talk with a clinician\" {\n    say \"A clinician looks at your answers with you.\"\n  }\n");
    return source;
}

/// Imports a Questionnaire, requires it to import and compile (the placeholder replaced by
/// a referral), and returns the compiled questionnaire.
questionnaire import_and_compile(const std::string& fhir_json) {
    fhir_import const imported = import_fhir_questionnaire(fhir_json, "test.json");
    INFO(fhir_json);
    REQUIRE(error_codes(imported.diagnostics).empty());
    std::string const source = imported.source.find("# TODO referral:") == std::string::npos
                                   ? imported.source
                                   : with_referral(imported.source);
    compile_result compiled = compile_source(source, "imported.sq");
    INFO(source);
    REQUIRE(error_codes(compiled.diagnostics).empty());
    return *compiled.compiled;
}

/// A Questionnaire of the given items, with no referral.
std::string questionnaire_of(const json& items, const json& extensions = json::array()) {
    json q = {{"resourceType", "Questionnaire"},
              {"id", "t"},
              {"version", "1"},
              {"title", "T"},
              {"status", "active"},
              {"item", items}};
    if (!extensions.empty()) q["extension"] = extensions;
    return q.dump();
}

json coding_option(const std::string& code) { return {{"valueCoding", {{"code", code}}}}; }

/// Whether `question`'s answer counted in the result: shown (not ignored) and answered.
bool shown(const result& r, const std::string& question) {
    return std::find(r.ignored.begin(), r.ignored.end(), question) == r.ignored.end();
}

std::string value_of(const result& r, const std::string& let) {
    for (const auto& [name, value] : r.values) {
        if (name == let) return value;
    }
    FAIL("no value " << let);
    return {};
}

}  // namespace

TEST_CASE("the PHQ-9 in SDC style imports, refuses to run without a referral, and totals every answer set",
          "[fhir][import]") {
    fhir_import const imported = import_fhir_questionnaire(read_case("phq9_sdc.json"), "phq9_sdc.json");
    REQUIRE(error_codes(imported.diagnostics).empty());
    // Until an author writes the referral, the questionnaire cannot be used.
    compile_result const unusable = compile_source(imported.source, "phq9.sq");
    CHECK(error_codes(unusable.diagnostics) == "missing-referral");
    CHECK_FALSE(unusable.compiled);

    compile_result const usable = compile_source(with_referral(imported.source), "phq9.sq");
    REQUIRE(error_codes(usable.diagnostics).empty());
    questionnaire const q = *usable.compiled;

    // The nine questions and the scores of their LOINC answers, independently of the import.
    std::vector<std::string> const questions = {"q_44249_1_44250_9", "q_44249_1_44255_8", "q_44249_1_44259_0",
                                                "q_44249_1_44254_1", "q_44249_1_44251_7", "q_44249_1_44258_2",
                                                "q_44249_1_44252_5", "q_44249_1_44253_3", "q_44249_1_44260_8"};
    std::vector<std::pair<std::string, int>> const answers = {
        {"LA6568_5", 0}, {"LA6569_3", 1}, {"LA6570_1", 2}, {"LA6571_9", 3}};

    std::size_t combinations = 0;
    std::size_t wrong = 0;
    std::vector<std::pair<std::string, answer_value>> record(questions.size());
    for (std::size_t code = 0; code < (1u << (2 * questions.size())); ++code) {
        int expected = 0;
        for (std::size_t i = 0; i < questions.size(); ++i) {
            auto const& [option, score] = answers[(code >> (2 * i)) & 3];
            record[i] = {questions[i], answer_value(option)};
            expected += score;
        }
        result const r = q.evaluate(record);
        if (r.status != result_status::complete || value_of(r, "total") != std::to_string(expected)) {
            if (++wrong <= 3)
                FAIL_CHECK("answers " << code << ": total " << value_of(r, "total") << ", expected " << expected);
        }
        ++combinations;
    }
    CHECK(combinations == 262144);
    CHECK(wrong == 0);

    // With a question unanswered the FHIRPath sum is empty, and the total unknown.
    for (std::size_t left_out = 0; left_out < questions.size(); ++left_out) {
        std::vector<std::pair<std::string, answer_value>> partial;
        for (std::size_t i = 0; i < questions.size(); ++i) {
            if (i != left_out) partial.emplace_back(questions[i], answer_value("LA6571_9"));
        }
        result const r = q.evaluate(partial);
        CHECK(value_of(r, "total") == "null");
        CHECK(r.status == result_status::incomplete);
    }
    CHECK(value_of(q.evaluate(std::vector<std::pair<std::string, answer_value>>{}), "total") == "null");
}

TEST_CASE("enableWhen keeps FHIR's meaning for unanswered questions", "[fhir][import]") {
    json const choice = {{"linkId", "c"},
                         {"type", "choice"},
                         {"text", "C?"},
                         {"answerOption", {coding_option("a"), coding_option("b")}}};
    json const multi = {{"linkId", "m"},
                        {"type", "choice"},
                        {"repeats", true},
                        {"text", "M?"},
                        {"answerOption", {coding_option("a"), coding_option("b")}}};
    auto follow_up = [](const std::string& link_id, const std::string& on, const std::string& op, const json& answer) {
        json when = {{"question", on}, {"operator", op}};
        when[answer.is_boolean() ? "answerBoolean" : "answerCoding"] = answer;
        return json{{"linkId", link_id}, {"type", "boolean"}, {"text", link_id}, {"enableWhen", {when}}};
    };
    json const a = {{"code", "a"}};
    questionnaire const q = import_and_compile(questionnaire_of({
        choice,
        multi,
        follow_up("c_is_a", "c", "=", a),
        follow_up("c_not_a", "c", "!=", a),
        follow_up("c_exists", "c", "exists", true),
        follow_up("c_missing", "c", "exists", false),
        follow_up("m_has_a", "m", "=", a),
        follow_up("m_not_a", "m", "!=", a),
        follow_up("m_exists", "m", "exists", true),
        follow_up("m_missing", "m", "exists", false),
    }));
    std::vector<std::string> const follow_ups = {"c_is_a",  "c_not_a", "c_exists", "c_missing",
                                                 "m_has_a", "m_not_a", "m_exists", "m_missing"};
    // For each answer to c and m: which follow-ups FHIR enables.
    struct expectation {
        answer_value c;
        answer_value m;
        std::vector<std::string> enabled;
    };
    using ids = answer_value::option_ids;
    std::vector<expectation> const cases = {
        // Unanswered: FHIR's != and exists false are true, = and exists true false.
        {{}, {}, {"c_not_a", "c_missing", "m_not_a", "m_missing"}},
        {"a", ids{"a"}, {"c_is_a", "c_exists", "m_has_a", "m_exists"}},
        {"b", ids{"b"}, {"c_not_a", "c_exists", "m_not_a", "m_exists"}},
        {"b", ids{"a", "b"}, {"c_not_a", "c_exists", "m_has_a", "m_exists"}},
        // A multi answered with no option has no answer in FHIR.
        {"a", ids{}, {"c_is_a", "c_exists", "m_not_a", "m_missing"}},
    };
    for (const expectation& e : cases) {
        std::vector<std::pair<std::string, answer_value>> answers;
        if (!e.c.empty()) answers.emplace_back("c", e.c);
        if (!e.m.empty()) answers.emplace_back("m", e.m);
        for (const std::string& f : follow_ups) answers.emplace_back(f, answer_value(true));
        result const r = q.evaluate(answers);
        for (const std::string& f : follow_ups) {
            bool const expected = std::find(e.enabled.begin(), e.enabled.end(), f) != e.enabled.end();
            INFO("c = " << to_json(e.c) << ", m = " << to_json(e.m) << ": " << f);
            CHECK(shown(r, f) == expected);
        }
    }
}

TEST_CASE("a constraint holds only when true, unless it has Stepcare's own not-false form", "[fhir][import]") {
    auto constraint = [](const std::string& expression) {
        return json{{"url", "http://hl7.org/fhir/StructureDefinition/questionnaire-constraint"},
                    {"extension",
                     {{{"url", "key"}, {"valueId", "k"}},
                      {{"url", "severity"}, {"valueCode", "error"}},
                      {{"url", "expression"}, {"valueString", expression}},
                      {{"url", "human"}, {"valueString", "no"}}}}};
    };
    auto number = [](const std::string& link_id) {
        return json{{"linkId", link_id},
                    {"type", "integer"},
                    {"text", link_id},
                    {"extension",
                     {{{"url", "http://hl7.org/fhir/StructureDefinition/minValue"}, {"valueInteger", 0}},
                      {{"url", "http://hl7.org/fhir/StructureDefinition/maxValue"}, {"valueInteger", 9}}}}};
    };
    json strict = number("strict");
    strict["extension"].push_back(
        constraint("%resource.repeat(item).where(linkId='strict').answer.value < "
                   "%resource.repeat(item).where(linkId='limit').answer.value"));
    json lenient = number("lenient");
    lenient["extension"].push_back(
        constraint("((%resource.repeat(item).where(linkId='lenient').answer.value < "
                   "%resource.repeat(item).where(linkId='limit').answer.value)).empty() or "
                   "((%resource.repeat(item).where(linkId='lenient').answer.value < "
                   "%resource.repeat(item).where(linkId='limit').answer.value))"));
    questionnaire const q = import_and_compile(questionnaire_of({number("limit"), strict, lenient}));
    auto invalid = [&](std::vector<std::pair<std::string, answer_value>> answers) {
        return q.evaluate(answers).status == result_status::invalid;
    };
    CHECK_FALSE(invalid({{"limit", 5}, {"strict", 4}, {"lenient", 4}}));
    CHECK(invalid({{"limit", 5}, {"strict", 6}}));
    CHECK(invalid({{"limit", 5}, {"lenient", 6}}));
    // With the limit unanswered the expression is empty: FHIR's constraint fails, the
    // not-false form passes.
    CHECK(invalid({{"strict", 4}}));
    CHECK_FALSE(invalid({{"lenient", 4}}));
}

TEST_CASE("texts read back exactly as FHIR gives them, braces and apostrophes included", "[fhir][import]") {
    std::vector<std::string> const texts = {"it's",       "''",          "{x}",    "'{'",    "a'{b}'c", "}''{",
                                            "{'a",        "'",           "x''",    "{{}}",   "end'",    "''{",
                                            "{0,number}", "a \"quote\"", "back\\", "tab\tx", "é {é}",   "line\nbreak"};
    for (const std::string& text : texts) {
        json const referral = {{"linkId", "referral"}, {"type", "display"}, {"text", "Title " + text + "\n\n" + text}};
        questionnaire const q =
            import_and_compile(questionnaire_of({{{"linkId", "q"}, {"type", "boolean"}, {"text", "Q?"}}, referral}));
        result const r = q.evaluate(std::vector<std::pair<std::string, answer_value>>{});
        CHECK(r.referral.title == "Title " + text);
        CHECK(r.referral.text == text);
    }
}

TEST_CASE("FHIR ids become .sq names by the rules of docs/fhir.md", "[fhir][import]") {
    using fhir::sq_name_from;
    CHECK(sq_name_from("/44249-1/44250-9", "q") == "q_44249_1_44250_9");
    CHECK(sq_name_from("phq-9", "q") == "phq_9");
    CHECK(sq_name_from("1.2", "q") == "q_1_2");
    CHECK(sq_name_from("LA6568-5", "o") == "LA6568_5");
    CHECK(sq_name_from("text", "q") == "text_");
    CHECK(sq_name_from("été", "q") == "t");
    CHECK(sq_name_from("---", "q") == "q");
    CHECK(sq_name_from(std::string(300, 'a'), "q").size() == 120);
    fhir::name_table names;
    CHECK(names.claim("a_b") == "a_b");
    CHECK(names.claim("a_b") == "a_b_2");
    CHECK(names.claim("a_b") == "a_b_3");
}

namespace {

/// The questions of docs/fhir.md's expression table: yesno b, integer n, text t, choice c
/// (scored options a and b2), multi m; the number let v and the multi let w, which is m.
class table_names : public fhir::fhirpath_names {
public:
    table_names() {
        auto question = [&](const char* name, fhir::sq_type type, const std::vector<fhir::fhir_option>* options) {
            fhir::fhir_value& v = values_[name];
            v.name = name;
            v.type = type;
            v.options = options;
            v.link_ids = {name};
            v.known_when_answered = &v;
        };
        question("b", fhir::sq_type::boolean, nullptr);
        question("n", fhir::sq_type::number, nullptr);
        question("t", fhir::sq_type::text, nullptr);
        question("c", fhir::sq_type::choice, &choice_options_);
        question("m", fhir::sq_type::multi, &multi_options_);
        values_["v"].what = fhir::fhir_value::role::let;
        values_["v"].name = "v";
        values_["v"].type = fhir::sq_type::number;
        fhir::fhir_value& w = values_["w"];
        w.what = fhir::fhir_value::role::let;
        w.name = "w";
        w.type = fhir::sq_type::multi;
        w.options = &multi_options_;
        w.known_when_answered = &values_["m"];
        w.fhirpath = "%resource.repeat(item).where(linkId='m').answer.value.code";
    }
    const fhir::fhir_value* item(std::string_view link_id, std::string& why) override {
        auto const found = values_.find(std::string(link_id));
        if (found != values_.end() && found->first != "v" && found->first != "w") return &found->second;
        why = "no item " + std::string(link_id);
        return nullptr;
    }
    const fhir::fhir_value* variable(std::string_view name, std::string& why) override {
        if (name == "v" || name == "w") return &values_[std::string(name)];
        why = "no variable " + std::string(name);
        return nullptr;
    }

private:
    std::vector<fhir::fhir_option> choice_options_ = {{"a", "a", "0"}, {"b2", "b-2", "1.5"}};
    std::vector<fhir::fhir_option> multi_options_ = {{"o", "o", std::nullopt}, {"p", "p", std::nullopt}};
    std::map<std::string, fhir::fhir_value> values_;
};

std::string translated(const std::string& expression) {
    table_names names;
    fhir::fhirpath_translation const t = fhir::translate_fhirpath(expression, names);
    if (!t.expr) return "error: " + t.error;
    return print(*t.expr);
}

std::string ans(const std::string& q) { return "%resource.repeat(item).where(linkId='" + q + "')"; }

}  // namespace

TEST_CASE("every FHIRPath form of docs/fhir.md's expression table reads back as its .sq", "[fhir][import]") {
    std::string const b = ans("b") + ".answer.value";
    std::string const n = ans("n") + ".answer.value";
    std::string const c = ans("c") + ".answer.value.code";
    std::string const m = ans("m") + ".answer.value.code";
    CHECK(translated(b) == "b");
    CHECK(translated(c) == "c");
    CHECK(translated("%v") == "v");
    CHECK(translated("iif(" + ans("t") + ".answer.exists(), " + ans("t") + ".answer.value, iif(" + ans("t") +
                     ".exists(), '', {}))") == "t");
    CHECK(translated(ans("t") + ".exists()") == "answered(t)");
    CHECK(translated("(0 - " + n + ")") == "-n");
    CHECK(translated("(" + n + " + 3) / 2.5") == "(n + 3) / 2.5");
    CHECK(translated("'text' = 'text'") == "\"text\" == \"text\"");
    CHECK(translated("(" + c + " = 'b-2')") == "c == b2");
    CHECK(translated("(" + n + " != 1)") == "n != 1");
    CHECK(translated("((" + b + " and true) implies (" + b + ").not())") == "(b and true) implies not b");
    CHECK(translated("(-" + n + ")") == "-n");
    CHECK(translated("(" + c + " in ('a' | 'b-2'))") == "c in {a, b2}");
    CHECK(translated("iif(" + ans("m") + ".exists(), (" + m + " contains 'o'), {})") == "m has o");
    CHECK(translated("iif(" + ans("m") + ".exists(), " + ans("m") + ".answer.count(), {})") == "count(m)");
    CHECK(translated("iif(" + ans("m") + ".exists(), (" + m + ").count(), {})") == "count(m)");
    // KNOWN(...) of a let, of `if` and of `??`.
    CHECK(translated("iif(" + ans("m") + ".exists(), (%w contains 'p'), {})") == "w has p");
    std::string const b_empty = "(" + b + ").empty()";
    std::string const either = "iif(" + b_empty + ", {}, iif(" + b + ", " + m + ", %w))";
    std::string const known_either =
        "iif(" + b_empty + ", false, iif(" + b + ", " + ans("m") + ".exists(), " + ans("m") + ".exists()))";
    CHECK(translated("iif(" + known_either + ", (" + either + " contains 'o'), {})") == "(if b then m else w) has o");
    std::string const fallback = "iif((" + m + ").exists(), " + m + ", %w)";
    CHECK(translated("iif((" + ans("m") + ".exists() or " + ans("m") + ".exists()), (" + fallback + ").count(), {})") ==
          "count(m ?? w)");
    // A test that is not KNOWN(...) of the value is not Stepcare's form.
    CHECK(translated("iif(" + ans("b") + ".exists(), (%w contains 'p'), {})").rfind("error:", 0) == 0);
    CHECK(translated("iif(" + ans("m") + ".exists() and " + ans("m") + ".exists(), (((" + m + ").subsetOf(" + m +
                     ") and (" + m + ").subsetOf(" + m + "))).not(), {})") == "m != m");
    CHECK(translated(ans("b") + ".answer.exists()") == "answered(b)");
    CHECK(translated(ans("m") + ".exists()") == "answered(m)");
    CHECK(translated("iif((" + c + " = 'a'), 0, iif((" + c + " = 'b-2'), 1.5, {}))") == "score(c)");
    CHECK(translated("iif((" + n + ").exists(), " + n + ", 0)") == "n ?? 0");
    CHECK(translated("iif((" + b + ").empty(), {}, iif(" + b + ", 1, 2))") == "if b then 1 else 2");
    CHECK(translated("iif((" + n + ").empty() or (%v).empty(), {}, iif((" + n + " <= %v), " + n + ", %v))") ==
          "min(n, v)");
    CHECK(translated("iif((" + n + ").empty(), {}, iif((" + n + " >= 4), " + n + ", 4))") == "max(n, 4)");
    CHECK(translated("((" + b + " or " + b + ") and (" + b + " and " + b + "))") == "(b or b) and (b and b)");
}

TEST_CASE("common SDC forms read as the .sq with the same value", "[fhir][import]") {
    std::string const n = ans("n") + ".answer.value";
    CHECK(translated("%resource.item.where(linkId='n').answer.value * 2") == "n * 2");
    CHECK(translated(ans("c") + ".answer.value.ordinal() + " + ans("c") + ".answer.value.weight()") ==
          "score(c) + score(c)");
    // sum() counts what is there, so each unanswered part counts as 0.
    CHECK(translated(ans("c") + ".answer.value.ordinal().combine(" + n + ").sum()") == "score(c) ?? 0 + n ?? 0");
    CHECK(translated(ans("m") + ".answer.value.code contains 'p'") == "answered(m) and m has p");
    CHECK(translated(ans("m") + ".answer.count()") == "count(m) ?? 0");
    CHECK(translated(ans("m") + ".answer.exists()") == "answered(m) and count(m) > 0");
    CHECK(translated(n + ".empty()") == "not answered(n)");
    CHECK(translated("%v.exists()") ==
          "error: at character 4 (%v.exists()): exists() is recognised on a "
          "question's answer, and on a value that is known exactly when one question "
          "is answered");
    // iif() takes its last branch when the condition is empty, where `if` would be unknown.
    CHECK(translated("iif(" + n + " > 3, 'high', 'low')") == "if (n > 3) ?? false then \"high\" else \"low\"");
    CHECK(translated("iif(" + ans("n") + ".answer.exists(), 1, 0)") == "if answered(n) then 1 else 0");
}

TEST_CASE("the C API imports too, and says why when it cannot", "[fhir][import][capi]") {
    char* source = nullptr;
    char* diagnostics = nullptr;
    std::string const phq9 = read_case("phq9_sdc.json");
    REQUIRE(stepcare_import_fhir(phq9.c_str(), "phq9.json", &source, &diagnostics) == STEPCARE_OK);
    REQUIRE(source != nullptr);
    CHECK(std::string(source) == import_fhir_questionnaire(phq9, "phq9.json").source);
    json const warnings = json::parse(diagnostics);
    CHECK(warnings.size() == 2);
    CHECK(warnings[0]["file"] == "phq9.json");
    stepcare_free(source);
    stepcare_free(diagnostics);

    std::string const bad = questionnaire_of({{{"linkId", "born"}, {"type", "date"}, {"text", "Born?"}}});
    CHECK(stepcare_import_fhir(bad.c_str(), nullptr, &source, &diagnostics) == STEPCARE_ERROR_COMPILE);
    CHECK(source == nullptr);
    json const errors = json::parse(diagnostics);
    CHECK(errors[0]["code"] == "fhir-unsupported");
    CHECK(errors[0]["file"] == "questionnaire.json");
    CHECK(std::string(stepcare_last_error()).find("item[0].type: the item type 'date'") == 0);
    stepcare_free(diagnostics);

    CHECK(stepcare_import_fhir(nullptr, nullptr, &source, nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(stepcare_import_fhir(phq9.c_str(), nullptr, nullptr, nullptr) == STEPCARE_ERROR_ARGUMENT);
}

TEST_CASE("imports past the limits are refused with a reason, never a crash", "[fhir][import][limits]") {
    auto with_variable = [](const std::string& expression) {
        return questionnaire_of(
            {{{"linkId", "q"}, {"type", "boolean"}, {"text", "Q?"}}},
            {{{"url", "http://hl7.org/fhir/StructureDefinition/variable"},
              {"valueExpression", {{"name", "v"}, {"language", "text/fhirpath"}, {"expression", expression}}}}});
    };
    auto repeated = [](const std::string& part, int times) {
        std::string out;
        for (int k = 0; k < times; ++k) out += part;
        return out;
    };
    auto message = [](const fhir_import& imported) {
        return imported.diagnostics.empty() ? std::string() : imported.diagnostics.front().message;
    };
    // A sum of 1000 terms has a tree 1000 deep, the most there may be; a path of 5000 steps,
    // a chain of 5000 operators and 300 parentheses are refused.
    CHECK(
        import_fhir_questionnaire(with_variable("1" + repeated(" + 1", 999)), "t.json").source.find("let v = 1 + 1") !=
        std::string::npos);
    CHECK_THAT(message(import_fhir_questionnaire(with_variable("1" + repeated(" + 1", 5000)), "t.json")),
               Catch::Contains("nested more than 1000 deep"));
    CHECK_THAT(message(import_fhir_questionnaire(with_variable("%resource" + repeated(".item", 5000)), "t.json")),
               Catch::Contains("nested more than 1000 deep"));
    CHECK_THAT(
        message(import_fhir_questionnaire(with_variable(repeated("(", 300) + "1" + repeated(")", 300)), "t.json")),
        Catch::Contains("nested more than 200 levels deep"));

    json when = json::array();
    for (int k = 0; k < 1001; ++k) when.push_back({{"question", "q"}, {"operator", "exists"}, {"answerBoolean", true}});
    fhir_import const many = import_fhir_questionnaire(
        questionnaire_of(
            {{{"linkId", "q"}, {"type", "boolean"}, {"text", "Q?"}},
             {{"linkId", "r"}, {"type", "boolean"}, {"text", "R?"}, {"enableBehavior", "any"}, {"enableWhen", when}}}),
        "t.json");
    CHECK(many.source.empty());
    CHECK(message(many) == "item[1].enableWhen: an item may have at most 1000 enableWhen");

    std::string const deep_json = repeated("[", 150) + repeated("]", 150);
    fhir_import const deep = import_fhir_questionnaire(deep_json, "t.json");
    CHECK(error_codes(deep.diagnostics) == "invalid-json");
    CHECK(message(deep) == "the JSON is nested deeper than 100 levels of arrays and objects");
}
