// The C API (stepcare.h): every function with valid input, NULL input and invalid JSON.
// What it returns is compared with what the C++ API gives for the same input.

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <memory>
#include <sstream>
#include <string>

#include "stepcare/batch.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/fhir.hpp"
#include "stepcare/session.hpp"
#include "stepcare/stepcare.h"
#include "stepcare/version.hpp"

namespace {

/// A string returned by the C API, released with stepcare_free.
class c_text {
public:
    c_text() = default;
    c_text(const c_text&) = delete;
    c_text& operator=(const c_text&) = delete;
    ~c_text() { stepcare_free(p_); }

    /// For the out-parameter; a non-NULL value shows that the API set it.
    char** out() {
        p_ = reinterpret_cast<char*>(0x1);  // the API must reset it to NULL on entry
        return &p_;
    }
    bool null() const { return p_ == nullptr; }
    std::string str() const { return p_ == nullptr ? "(null)" : p_; }

private:
    char* p_ = nullptr;
};

using questionnaire_ptr = std::unique_ptr<stepcare_questionnaire, decltype(&stepcare_questionnaire_free)>;
using session_ptr = std::unique_ptr<stepcare_session, decltype(&stepcare_session_free)>;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::string example_path = STEPCARE_TEST_DATA "/spec_example.sq";

questionnaire_ptr compile_example() {
    stepcare_questionnaire* q = nullptr;
    REQUIRE(stepcare_compile_file(example_path.c_str(), &q, nullptr) == STEPCARE_OK);
    return {q, &stepcare_questionnaire_free};
}

stepcare::questionnaire cpp_example() { return *stepcare::compile_file(example_path).compiled; }

session_ptr start_session(const stepcare_questionnaire* q, const char* language) {
    stepcare_session* s = nullptr;
    REQUIRE(stepcare_session_create(q, language, &s) == STEPCARE_OK);
    return {s, &stepcare_session_free};
}

std::string last_error() { return stepcare_last_error(); }

/// Compiles `source` through the C API, checks the status and that the diagnostics are
/// those of the C++ API, and says whether a questionnaire came out.
bool compiles_like_cpp(const std::string& source, const char* name, int status) {
    stepcare_questionnaire* q = nullptr;
    c_text diagnostics;
    CHECK(stepcare_compile_string(source.c_str(), name, &q, diagnostics.out()) == status);
    questionnaire_ptr const owned(q, &stepcare_questionnaire_free);
    stepcare::compile_result const expected = stepcare::compile_source(source, name != nullptr ? name : "<string>");
    CHECK(diagnostics.str() == stepcare::to_json(expected.diagnostics));
    return q != nullptr;
}

const char* const broken_source =
    "questionnaire q \"Q\" {\n  version \"1\"\n  let x = y\n  referral \"See a clinician\" { "
    "}\n}\n";

}  // namespace

TEST_CASE("C API: version, status names and the last error", "[capi]") {
    CHECK(std::string(stepcare_version()) == stepcare::version());
    CHECK(std::string(stepcare_status_name(STEPCARE_OK)) == "STEPCARE_OK");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_ARGUMENT)) == "STEPCARE_ERROR_ARGUMENT");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_UNREADABLE)) == "STEPCARE_ERROR_UNREADABLE");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_COMPILE)) == "STEPCARE_ERROR_COMPILE");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_INVALID_ANSWERS)) == "STEPCARE_ERROR_INVALID_ANSWERS");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_REFUSED)) == "STEPCARE_ERROR_REFUSED");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_NO_MEMORY)) == "STEPCARE_ERROR_NO_MEMORY");
    CHECK(std::string(stepcare_status_name(STEPCARE_ERROR_INTERNAL)) == "STEPCARE_ERROR_INTERNAL");
    CHECK(std::string(stepcare_status_name(8)) == "unknown status");
    CHECK(std::string(stepcare_status_name(-1)) == "unknown status");

    // A failure sets the message; the next successful call clears it.
    CHECK(stepcare_compile_file(nullptr, nullptr, nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "path is NULL");
    questionnaire_ptr const q = compile_example();
    CHECK(last_error().empty());
    stepcare_free(nullptr);
    stepcare_questionnaire_free(nullptr);
    stepcare_session_free(nullptr);
}

TEST_CASE("C API: compiling a file", "[capi]") {
    stepcare::compile_result const expected = stepcare::compile_file(example_path);

    SECTION("a valid file gives the questionnaire and the same diagnostics as C++") {
        stepcare_questionnaire* q = nullptr;
        c_text diagnostics;
        REQUIRE(stepcare_compile_file(example_path.c_str(), &q, diagnostics.out()) == STEPCARE_OK);
        questionnaire_ptr const owned(q, &stepcare_questionnaire_free);
        CHECK(q != nullptr);
        CHECK(diagnostics.str() == stepcare::to_json(expected.diagnostics));
        CHECK(last_error().empty());
    }
    SECTION("the diagnostics may be left out") {
        stepcare_questionnaire* q = nullptr;
        REQUIRE(stepcare_compile_file(example_path.c_str(), &q, nullptr) == STEPCARE_OK);
        stepcare_questionnaire_free(q);
    }
    SECTION("a missing file is unreadable, with the diagnostic saying so") {
        std::string const missing = STEPCARE_TEST_DATA "/no-such-file.sq";
        stepcare_questionnaire* q = reinterpret_cast<stepcare_questionnaire*>(0x1);
        c_text diagnostics;
        CHECK(stepcare_compile_file(missing.c_str(), &q, diagnostics.out()) == STEPCARE_ERROR_UNREADABLE);
        CHECK(q == nullptr);
        CHECK(diagnostics.str() == stepcare::to_json(stepcare::compile_file(missing).diagnostics));
        CHECK(diagnostics.str().find("unreadable-file") != std::string::npos);
        CHECK(last_error().rfind(missing + ":", 0) == 0);
    }
    SECTION("NULL arguments") {
        stepcare_questionnaire* q = nullptr;
        c_text diagnostics;
        CHECK(stepcare_compile_file(nullptr, &q, diagnostics.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(q == nullptr);
        CHECK(diagnostics.null());
        CHECK(stepcare_compile_file(example_path.c_str(), nullptr, diagnostics.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(diagnostics.null());
        CHECK(last_error() == "out is NULL");
    }
}

TEST_CASE("C API: compiling a string", "[capi]") {
    std::string const source = read_file(example_path);

    SECTION("valid source") { CHECK(compiles_like_cpp(source, "mini.sq", STEPCARE_OK)); }
    SECTION("errors: no questionnaire, every diagnostic, and the first error as the message") {
        CHECK_FALSE(compiles_like_cpp(broken_source, "broken.sq", STEPCARE_ERROR_COMPILE));
        CHECK(last_error() ==
              "broken.sq:3:11: error: 'y' is not defined; check the spelling, or define it "
              "[undefined-name]");
    }
    SECTION("without a name, diagnostics call the source \"<string>\"") {
        CHECK_FALSE(compiles_like_cpp(broken_source, nullptr, STEPCARE_ERROR_COMPILE));
    }
    SECTION("NULL arguments") {
        stepcare_questionnaire* q = nullptr;
        c_text diagnostics;
        CHECK(stepcare_compile_string(nullptr, "x.sq", &q, diagnostics.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(diagnostics.null());
        CHECK(last_error() == "source is NULL");
        CHECK(stepcare_compile_string(source.c_str(), "x.sq", nullptr, diagnostics.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(diagnostics.null());
    }
}

TEST_CASE("C API: what identifies a questionnaire", "[capi]") {
    std::string const source =
        "questionnaire sleep { en \"Sleep check\" es \"Revisión del sueño\" } {\n"
        "  version \"2.1.0\"\n  languages en, es\n"
        "  question hours: decimal 0..24 { ask { en \"Hours?\" es \"¿Horas?\" } }\n"
        "  referral { en \"See a clinician\" es \"Consulte a un profesional\" } { }\n}\n";
    stepcare_questionnaire* compiled = nullptr;
    REQUIRE(stepcare_compile_string(source.c_str(), "sleep.sq", &compiled, nullptr) == STEPCARE_OK);
    questionnaire_ptr const q(compiled, &stepcare_questionnaire_free);
    stepcare::questionnaire const cpp = *stepcare::compile_source(source, "sleep.sq").compiled;
    auto const info = [&](const char* language) {
        c_text text;
        REQUIRE(stepcare_questionnaire_info(q.get(), language, text.out()) == STEPCARE_OK);
        return nlohmann::json::parse(text.str());
    };
    CHECK(info("es") == nlohmann::json{{"id", "sleep"},
                                       {"version", "2.1.0"},
                                       {"sha256", cpp.sha256()},
                                       {"languages", {"en", "es"}},
                                       {"title", "Revisión del sueño"},
                                       {"description", ""},
                                       {"question_count", 1}});
    CHECK(cpp.sha256().size() == 64);
    // NULL, "" and an undeclared language: the default language's title.
    CHECK(info(nullptr).at("title") == "Sleep check");
    CHECK(info("").at("title") == "Sleep check");
    CHECK(info("fr").at("title") == "Sleep check");

    c_text none;
    CHECK(stepcare_questionnaire_info(nullptr, nullptr, none.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(none.null());
    CHECK(last_error() == "q is NULL");
    CHECK(stepcare_questionnaire_info(q.get(), nullptr, nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "info_json is NULL");
}

TEST_CASE("C API: evaluating a record", "[capi]") {
    questionnaire_ptr const q = compile_example();
    stepcare::questionnaire const cpp = cpp_example();
    std::string const record = R"({"id": "rec-1", "answers": {"low": "daily", "tried": 3}})";

    SECTION("a valid record, in the default language and in another") {
        c_text result;
        REQUIRE(stepcare_evaluate(q.get(), record.c_str(), nullptr, result.out()) == STEPCARE_OK);
        CHECK(result.str() == stepcare::to_json(cpp.evaluate(record)));
        c_text spanish;
        REQUIRE(stepcare_evaluate(q.get(), record.c_str(), "es", spanish.out()) == STEPCARE_OK);
        CHECK(spanish.str() == stepcare::to_json(cpp.evaluate(record, "es")));
        CHECK(spanish.str() != result.str());
    }
    SECTION("invalid JSON still gives the invalid result, with its referral") {
        c_text result;
        CHECK(stepcare_evaluate(q.get(), "{\"answers\": ", nullptr, result.out()) == STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(result.str() == stepcare::to_json(cpp.evaluate("{\"answers\": ")));
        CHECK(result.str().find("\"status\":\"invalid\"") != std::string::npos);
        CHECK(last_error().rfind("not valid JSON", 0) == 0);
    }
    SECTION("an answer that does not fit, and an undeclared language") {
        c_text result;
        std::string const bad = R"({"answers": {"low": "often"}})";
        CHECK(stepcare_evaluate(q.get(), bad.c_str(), nullptr, result.out()) == STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(result.str() == stepcare::to_json(cpp.evaluate(bad)));
        CHECK(last_error() == "'low' has no option 'often'; its options are not_at_all, several, most, daily");
        c_text other;
        CHECK(stepcare_evaluate(q.get(), record.c_str(), "fr", other.out()) == STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(other.str() == stepcare::to_json(cpp.evaluate(record, "fr")));
        CHECK(last_error() == "the questionnaire has no language 'fr'; it has en, es");
    }
    SECTION("an empty language is the default") {
        c_text result;
        REQUIRE(stepcare_evaluate(q.get(), record.c_str(), "", result.out()) == STEPCARE_OK);
        CHECK(result.str() == stepcare::to_json(cpp.evaluate(record)));
    }
    SECTION("NULL arguments") {
        c_text result;
        CHECK(stepcare_evaluate(nullptr, record.c_str(), nullptr, result.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(result.null());
        CHECK(last_error() == "q is NULL");
        CHECK(stepcare_evaluate(q.get(), nullptr, nullptr, result.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(result.null());
        CHECK(last_error() == "answers_json is NULL");
        CHECK(stepcare_evaluate(q.get(), record.c_str(), nullptr, nullptr) == STEPCARE_ERROR_ARGUMENT);
        CHECK(last_error() == "result_json is NULL");
    }
}

TEST_CASE("C API: evaluating a record without its texts", "[capi]") {
    questionnaire_ptr const q = compile_example();
    stepcare::questionnaire const cpp = cpp_example();
    std::string const record = R"({"id": "rec-1", "answers": {"low": "daily", "tried": 3}})";

    SECTION("full is stepcare_evaluate's result; none the same without titles and texts") {
        c_text full;
        REQUIRE(stepcare_evaluate_texts(q.get(), record.c_str(), "es", STEPCARE_TEXTS_FULL, full.out()) == STEPCARE_OK);
        CHECK(full.str() == stepcare::to_json(cpp.evaluate(record, "es")));
        c_text none;
        REQUIRE(stepcare_evaluate_texts(q.get(), record.c_str(), "es", STEPCARE_TEXTS_NONE, none.out()) == STEPCARE_OK);
        CHECK(none.str() == stepcare::to_json(cpp.evaluate(record, "es"), stepcare::result_texts::none));
        auto without = nlohmann::ordered_json::parse(full.str());
        for (auto& outcome : without.at("outcomes")) {
            outcome.erase("title");
            outcome.erase("text");
        }
        without.at("referral").erase("title");
        without.at("referral").erase("text");
        CHECK(nlohmann::ordered_json::parse(none.str()) == without);
        CHECK(none.str().find(R"("outcomes":[{"id":"discuss","level":"guidance","cites":["S1"]}])") !=
              std::string::npos);
        // The cached writer of each thread follows the choice from one call to the next.
        c_text again;
        REQUIRE(stepcare_evaluate(q.get(), record.c_str(), "es", again.out()) == STEPCARE_OK);
        CHECK(again.str() == full.str());
    }
    SECTION("a rejected record keeps its errors") {
        c_text none;
        std::string const bad = R"({"answers": {"low": "often"}})";
        CHECK(stepcare_evaluate_texts(q.get(), bad.c_str(), nullptr, STEPCARE_TEXTS_NONE, none.out()) ==
              STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(none.str() == stepcare::to_json(cpp.evaluate(bad), stepcare::result_texts::none));
        CHECK(none.str().find(R"("referral":{"cites":[]})") != std::string::npos);
        CHECK(last_error() == "'low' has no option 'often'; its options are not_at_all, several, most, daily");
    }
    SECTION("a value that is not one of enum stepcare_texts, and NULL arguments") {
        c_text result;
        CHECK(stepcare_evaluate_texts(q.get(), record.c_str(), nullptr, 2, result.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(result.null());
        CHECK(last_error() == "texts is 2, not STEPCARE_TEXTS_FULL (0) or STEPCARE_TEXTS_NONE (1)");
        CHECK(stepcare_evaluate_texts(q.get(), record.c_str(), nullptr, -1, result.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(result.null());
        CHECK(stepcare_evaluate_texts(nullptr, record.c_str(), nullptr, STEPCARE_TEXTS_NONE, result.out()) ==
              STEPCARE_ERROR_ARGUMENT);
        CHECK(last_error() == "q is NULL");
        CHECK(stepcare_evaluate_texts(q.get(), nullptr, nullptr, STEPCARE_TEXTS_NONE, result.out()) ==
              STEPCARE_ERROR_ARGUMENT);
        CHECK(last_error() == "answers_json is NULL");
        CHECK(stepcare_evaluate_texts(q.get(), record.c_str(), nullptr, STEPCARE_TEXTS_NONE, nullptr) ==
              STEPCARE_ERROR_ARGUMENT);
        CHECK(last_error() == "result_json is NULL");
    }
}

TEST_CASE("C API: creating a session", "[capi]") {
    questionnaire_ptr const q = compile_example();
    stepcare_session* s = reinterpret_cast<stepcare_session*>(0x1);
    CHECK(stepcare_session_create(nullptr, nullptr, &s) == STEPCARE_ERROR_ARGUMENT);
    CHECK(s == nullptr);
    CHECK(last_error() == "q is NULL");
    CHECK(stepcare_session_create(q.get(), nullptr, nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "out is NULL");

    // An undeclared language falls back to the default one, as in C++.
    session_ptr const fallback = start_session(q.get(), "fr");
    c_text question;
    REQUIRE(stepcare_session_question(fallback.get(), question.out()) == STEPCARE_OK);
    CHECK(question.str().find("\"ask\":\"Feeling down or hopeless?\"") != std::string::npos);
}

TEST_CASE("C API: the current question as JSON", "[capi]") {
    questionnaire_ptr const q = compile_example();
    session_ptr const s = start_session(q.get(), "es");
    c_text first;
    REQUIRE(stepcare_session_question(s.get(), first.out()) == STEPCARE_OK);
    CHECK(
        first.str() ==
        R"({"index":0,"id":"low","kind":"choice","optional":false,"section_id":"mood",)"
        R"("section_title":"Su estado de ánimo",)"
        R"("ask":"¿Se ha sentido decaído o sin esperanza?","help":"","unit":"",)"
        R"("options":[{"id":"not_at_all","label":"Nunca","key":"1"},{"id":"several","label":"Varios días","key":"2"},)"
        R"({"id":"most","label":"Más de la mitad de los días","key":"3"},)"
        R"({"id":"daily","label":"Casi todos los días","key":"4"}],)"
        R"("min":null,"max":null,"max_length":null,"progress":{"number":1,"total":2},"set_aside":null})");
    REQUIRE(stepcare_session_answer(s.get(), "\"most\"") == STEPCARE_OK);
    c_text second;
    REQUIRE(stepcare_session_question(s.get(), second.out()) == STEPCARE_OK);
    CHECK(second.str() == R"({"index":1,"id":"tried","kind":"integer","optional":true,"section_id":"mood",)"
                          R"("section_title":"Su estado de ánimo","ask":"¿Cuántos antidepresivos ha probado?",)"
                          R"("help":"","unit":"medicamentos","options":[],"min":0,"max":20,"max_length":null,)"
                          R"("progress":{"number":2,"total":2},"set_aside":null})");
    REQUIRE(stepcare_session_answer(s.get(), "2") == STEPCARE_OK);
    c_text over;
    REQUIRE(stepcare_session_question(s.get(), over.out()) == STEPCARE_OK);
    CHECK(over.str() == "null");

    c_text unused;
    CHECK(stepcare_session_question(nullptr, unused.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(unused.null());
    CHECK(last_error() == "s is NULL");
    CHECK(stepcare_session_question(s.get(), nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "question_json is NULL");
}

namespace {

const char* const history_source = R"(questionnaire history "History" {
  version "1"
  question tried: integer 0..20 { ask "How many tried?" }
  question adequate: integer 0..20 {
    ask "How many at a full dose?"
    require adequate <= tried else "More than you tried."
  }
  question danger: yesno { ask "In danger?" }
  outcome discuss guidance "Discuss options" { when adequate >= 2 }
  outcome crisis urgent "Get help now" { when danger stop }
  referral "See a clinician" { say "Always." }
})";

questionnaire_ptr compile_history() {
    stepcare_questionnaire* compiled = nullptr;
    REQUIRE(stepcare_compile_string(history_source, "history.sq", &compiled, nullptr) == STEPCARE_OK);
    return {compiled, &stepcare_questionnaire_free};
}

}  // namespace

TEST_CASE("C API: a changed answer sets aside a later answer it makes invalid", "[capi]") {
    questionnaire_ptr const q = compile_history();
    session_ptr const s = start_session(q.get(), nullptr);
    REQUIRE(stepcare_session_answer(s.get(), "4") == STEPCARE_OK);
    REQUIRE(stepcare_session_answer(s.get(), "3") == STEPCARE_OK);
    REQUIRE(stepcare_session_back(s.get()) == STEPCARE_OK);
    REQUIRE(stepcare_session_back(s.get()) == STEPCARE_OK);
    REQUIRE(stepcare_session_answer(s.get(), "1") == STEPCARE_OK);
    c_text feedback;
    REQUIRE(stepcare_session_feedback(s.get(), feedback.out()) == STEPCARE_OK);
    CHECK(feedback.str() == R"({"accepted":true,"message":"","set_aside":[{"question":"adequate","answer":3,)"
                            R"("message":"More than you tried."}],"urgent":[]})");
    c_text again;
    REQUIRE(stepcare_session_question(s.get(), again.out()) == STEPCARE_OK);
    CHECK(again.str().find(R"("id":"adequate")") != std::string::npos);
    CHECK(again.str().find(R"("set_aside":{"answer":3,"message":"More than you tried."})") != std::string::npos);
    c_text partial;
    REQUIRE(stepcare_session_result(s.get(), partial.out()) == STEPCARE_OK);
    CHECK(partial.str().find(R"("status":"incomplete")") != std::string::npos);
    CHECK(partial.str().find(R"("errors":[])") != std::string::npos);
}

TEST_CASE("C API: answering, going back and skipping", "[capi]") {
    questionnaire_ptr const q = compile_example();
    session_ptr const s = start_session(q.get(), nullptr);

    CHECK(stepcare_session_back(s.get()) == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "this is the first question");
    CHECK(stepcare_session_skip(s.get()) == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "only an optional question can be skipped");
    CHECK(stepcare_session_answer(s.get(), "[\"most\"") == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "the answer is not valid JSON");
    CHECK(stepcare_session_answer(s.get(), "\"often\"") == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "'low' has no option 'often'; its options are not_at_all, several, most, daily");
    CHECK(stepcare_session_answer(s.get(), "null") == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "an answer is true, false, a number, text in quotes or a list of option ids");

    REQUIRE(stepcare_session_answer(s.get(), "\"most\"") == STEPCARE_OK);
    CHECK(last_error().empty());
    CHECK(stepcare_session_answer(s.get(), "25") == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "'tried' is 25, outside its range 0 to 20");
    REQUIRE(stepcare_session_back(s.get()) == STEPCARE_OK);
    REQUIRE(stepcare_session_answer(s.get(), "\"daily\"") == STEPCARE_OK);
    REQUIRE(stepcare_session_skip(s.get()) == STEPCARE_OK);  // `tried` is optional

    // The intake is over: every step is refused.
    CHECK(stepcare_session_answer(s.get(), "1") == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "the intake is over");
    CHECK(stepcare_session_skip(s.get()) == STEPCARE_ERROR_REFUSED);
    CHECK(last_error() == "the intake is over");

    CHECK(stepcare_session_answer(nullptr, "1") == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "s is NULL");
    CHECK(stepcare_session_answer(s.get(), nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "answer_json is NULL");
    CHECK(stepcare_session_back(nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(stepcare_session_skip(nullptr) == STEPCARE_ERROR_ARGUMENT);
}

TEST_CASE("C API: a stopped session can go back to change the answer that stopped it", "[capi]") {
    char const* const source = R"(questionnaire q "Q" {
  version "1"
  question danger: yesno { ask "In danger?" }
  question age: integer 0..120 { ask "Age?" }
  outcome crisis urgent "Get help now" { when danger stop }
  referral "See a clinician" { say "Always." }
})";
    stepcare_questionnaire* q = nullptr;
    REQUIRE(stepcare_compile_string(source, "stop.sq", &q, nullptr) == STEPCARE_OK);
    questionnaire_ptr const owned(q, &stepcare_questionnaire_free);
    session_ptr const s = start_session(q, nullptr);
    REQUIRE(stepcare_session_answer(s.get(), "true") == STEPCARE_OK);
    c_text result;
    REQUIRE(stepcare_session_result(s.get(), result.out()) == STEPCARE_OK);
    CHECK(result.str().find("\"status\":\"stopped\"") != std::string::npos);
    REQUIRE(stepcare_session_back(s.get()) == STEPCARE_OK);
    REQUIRE(stepcare_session_answer(s.get(), "false") == STEPCARE_OK);
    c_text next;
    REQUIRE(stepcare_session_question(s.get(), next.out()) == STEPCARE_OK);
    CHECK(next.str().find("\"id\":\"age\"") != std::string::npos);
}

TEST_CASE("C API: the session's result, and the questionnaire freed before the session", "[capi]") {
    stepcare::session cpp(cpp_example(), "es");
    REQUIRE(cpp.answer_json("\"daily\"").accepted);
    REQUIRE(cpp.answer_json("3").accepted);

    questionnaire_ptr q = compile_example();
    session_ptr const s = start_session(q.get(), "es");
    q.reset();  // the session keeps what it needs
    REQUIRE(stepcare_session_answer(s.get(), "\"daily\"") == STEPCARE_OK);
    REQUIRE(stepcare_session_answer(s.get(), "3") == STEPCARE_OK);
    c_text result;
    REQUIRE(stepcare_session_result(s.get(), result.out()) == STEPCARE_OK);
    CHECK(result.str() == stepcare::to_json(cpp.current_result()));

    c_text unused;
    CHECK(stepcare_session_result(nullptr, unused.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(unused.null());
    CHECK(stepcare_session_result(s.get(), nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "result_json is NULL");
}

TEST_CASE("C API: saving and restoring a session", "[capi]") {
    questionnaire_ptr const q = compile_example();
    session_ptr const first = start_session(q.get(), nullptr);
    REQUIRE(stepcare_session_answer(first.get(), "\"most\"") == STEPCARE_OK);
    c_text saved;
    REQUIRE(stepcare_session_save(first.get(), saved.out()) == STEPCARE_OK);
    stepcare::session cpp(cpp_example());
    REQUIRE(cpp.answer_json("\"most\"").accepted);
    CHECK(saved.str() == cpp.save_json());

    session_ptr const second = start_session(q.get(), nullptr);
    c_text errors;
    REQUIRE(stepcare_session_restore(second.get(), saved.str().c_str(), errors.out()) == STEPCARE_OK);
    CHECK(errors.str() == "[]");
    c_text question;
    REQUIRE(stepcare_session_question(second.get(), question.out()) == STEPCARE_OK);
    CHECK(question.str().find("\"id\":\"tried\"") != std::string::npos);

    SECTION("answers that do not fit are dropped and listed") {
        c_text dropped;
        CHECK(stepcare_session_restore(second.get(), R"({"answers": {"low": "most", "tried": 30}})", dropped.out()) ==
              STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(dropped.str() == R"([{"question":"tried","message":"'tried' is 30, outside its range 0 to 20"}])");
        CHECK(last_error() == "'tried' is 30, outside its range 0 to 20");
    }
    SECTION("invalid JSON") {
        c_text dropped;
        CHECK(stepcare_session_restore(second.get(), "{\"answers\"", dropped.out()) == STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(dropped.str() == R"([{"question":null,"message":"the saved answers are not a JSON object"}])");
    }
    SECTION("the error list may be left out") {
        CHECK(stepcare_session_restore(second.get(), "[]", nullptr) == STEPCARE_ERROR_INVALID_ANSWERS);
        CHECK(last_error() == "the saved answers are not a JSON object");
    }
    SECTION("NULL arguments") {
        c_text unused;
        CHECK(stepcare_session_save(nullptr, unused.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(unused.null());
        CHECK(stepcare_session_save(first.get(), nullptr) == STEPCARE_ERROR_ARGUMENT);
        CHECK(last_error() == "saved_json is NULL");
        CHECK(stepcare_session_restore(nullptr, "{}", unused.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(unused.null());
        CHECK(stepcare_session_restore(second.get(), nullptr, unused.out()) == STEPCARE_ERROR_ARGUMENT);
        CHECK(unused.null());
        CHECK(last_error() == "saved_json is NULL");
    }
}

TEST_CASE("C API: what an answer is used for, as JSON", "[capi]") {
    questionnaire_ptr const q = compile_example();
    session_ptr const s = start_session(q.get(), "es");
    c_text low;
    REQUIRE(stepcare_session_used_by(s.get(), "low", low.out()) == STEPCARE_OK);
    CHECK(low.str() ==
          R"([{"kind":"question_shown","id":"tried","title":"¿Cuántos antidepresivos ha probado?","level":null}])");
    c_text tried;
    REQUIRE(stepcare_session_used_by(s.get(), "tried", tried.out()) == STEPCARE_OK);
    CHECK(
        tried.str() ==
        R"([{"kind":"let","id":"resistant","title":null,"level":null},)"
        R"({"kind":"outcome","id":"discuss","title":"Un profesional puede hablarle de más opciones","level":"guidance"},)"
        R"({"kind":"outcome_text","id":"discuss","title":"Un profesional puede hablarle de más opciones","level":"guidance"}])");
    c_text unknown;
    REQUIRE(stepcare_session_used_by(s.get(), "nonexistent", unknown.out()) == STEPCARE_OK);
    CHECK(unknown.str() == "[]");

    c_text unused;
    CHECK(stepcare_session_used_by(nullptr, "low", unused.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(unused.null());
    CHECK(last_error() == "s is NULL");
    CHECK(stepcare_session_used_by(s.get(), nullptr, unused.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "question_id is NULL");
    CHECK(stepcare_session_used_by(s.get(), "low", nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "uses_json is NULL");
}

TEST_CASE("C API: the feedback of the last answer or skip, with the urgent outcomes it made fire", "[capi]") {
    questionnaire_ptr const q = compile_history();
    session_ptr const s = start_session(q.get(), nullptr);
    c_text none;
    REQUIRE(stepcare_session_feedback(s.get(), none.out()) == STEPCARE_OK);
    CHECK(none.str() == "null");

    REQUIRE(stepcare_session_answer(s.get(), "4") == STEPCARE_OK);
    REQUIRE(stepcare_session_answer(s.get(), "3") == STEPCARE_OK);
    CHECK(stepcare_session_skip(s.get()) == STEPCARE_ERROR_REFUSED);
    c_text refused;
    REQUIRE(stepcare_session_feedback(s.get(), refused.out()) == STEPCARE_OK);
    CHECK(refused.str() ==
          R"({"accepted":false,"message":"only an optional question can be skipped","set_aside":[],"urgent":[]})");

    REQUIRE(stepcare_session_answer(s.get(), "true") == STEPCARE_OK);
    c_text urgent;
    REQUIRE(stepcare_session_feedback(s.get(), urgent.out()) == STEPCARE_OK);
    CHECK(urgent.str() == R"({"accepted":true,"message":"","set_aside":[],"urgent":["crisis"]})");

    c_text unused;
    CHECK(stepcare_session_feedback(nullptr, unused.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(unused.null());
    CHECK(stepcare_session_feedback(s.get(), nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "feedback_json is NULL");
}

TEST_CASE("C API: typed text read as an answer, or the problem with it", "[capi]") {
    questionnaire_ptr const q = compile_example();
    session_ptr const s = start_session(q.get(), "es");
    c_text option;
    REQUIRE(stepcare_session_parse_answer(s.get(), "low", "casi todos", option.out()) == STEPCARE_OK);
    CHECK(option.str() == R"({"answer":"daily","problem":null})");
    c_text number;
    REQUIRE(stepcare_session_parse_answer(s.get(), "tried", "3 medicamentos", number.out()) == STEPCARE_OK);
    CHECK(number.str() == R"({"answer":3,"problem":null})");

    c_text range;
    CHECK(stepcare_session_parse_answer(s.get(), "tried", "21", range.out()) == STEPCARE_ERROR_REFUSED);
    CHECK(range.str() ==
          R"x({"answer":null,"problem":{"kind":"out_of_range","message":"21 is out of range (from 0 to 20)",)x"
          R"("text":"21","options":[],"number":21.0,"suggestion":"","length":0}})");
    CHECK(last_error() == "21 is out of range (from 0 to 20)");
    c_text separator;
    CHECK(stepcare_session_parse_answer(s.get(), "tried", "2.5", separator.out()) == STEPCARE_ERROR_REFUSED);
    CHECK(separator.str().find(R"("kind":"decimal_separator")") != std::string::npos);
    CHECK(separator.str().find(R"("suggestion":"2,5")") != std::string::npos);
    c_text empty;
    CHECK(stepcare_session_parse_answer(s.get(), "low", "  ", empty.out()) == STEPCARE_ERROR_REFUSED);
    CHECK(empty.str().find(R"("kind":"empty")") != std::string::npos);

    c_text unknown;
    CHECK(stepcare_session_parse_answer(s.get(), "nonexistent", "1", unknown.out()) == STEPCARE_ERROR_REFUSED);
    CHECK(unknown.null());
    CHECK(last_error() == "there is no question 'nonexistent'");
    CHECK(stepcare_session_parse_answer(nullptr, "low", "1", unknown.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "s is NULL");
    CHECK(stepcare_session_parse_answer(s.get(), nullptr, "1", unknown.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "question_id is NULL");
    CHECK(stepcare_session_parse_answer(s.get(), "low", nullptr, unknown.out()) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "text is NULL");
    CHECK(stepcare_session_parse_answer(s.get(), "low", "1", nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(last_error() == "parsed_json is NULL");
}

TEST_CASE("C API: FHIR export, responses out and in", "[capi][fhir]") {
    questionnaire_ptr const q = compile_example();
    stepcare::questionnaire const cpp = cpp_example();

    c_text exported;
    c_text diagnostics;
    REQUIRE(stepcare_export_fhir(q.get(), "es", "https://example.org/fhir/mini", exported.out(), diagnostics.out()) ==
            STEPCARE_OK);
    stepcare::fhir_questionnaire const expected =
        stepcare::export_fhir_questionnaire(cpp, {"es", "https://example.org/fhir/mini"});
    CHECK(exported.str() == expected.json);
    CHECK(diagnostics.str() == stepcare::to_json(expected.diagnostics));
    CHECK(nlohmann::json::parse(exported.str()).at("url") == "https://example.org/fhir/mini");

    c_text refused;
    c_text why;
    CHECK(stepcare_export_fhir(q.get(), "fr", nullptr, refused.out(), why.out()) == STEPCARE_ERROR_INVALID_ANSWERS);
    CHECK(refused.null());
    CHECK_THAT(why.str(), Catch::Contains("no language 'fr'"));
    CHECK(stepcare_export_fhir(nullptr, nullptr, nullptr, refused.out(), nullptr) == STEPCARE_ERROR_ARGUMENT);
    CHECK(stepcare_export_fhir(q.get(), nullptr, nullptr, nullptr, nullptr) == STEPCARE_ERROR_ARGUMENT);

    // A response out, as batch_evaluator writes it, and in again.
    const char* record = R"({"id": "r-1", "answers": {"low": "daily", "tried": 3}})";
    c_text response;
    REQUIRE(stepcare_evaluate_fhir(q.get(), record, nullptr, nullptr, response.out()) == STEPCARE_OK);
    stepcare::batch_options as_response;
    as_response.output = stepcare::record_format::fhir_r4;
    std::string written;
    stepcare::batch_evaluator(cpp, as_response).evaluate(record, written);
    CHECK(response.str() == written);
    c_text answers;
    c_text errors;
    REQUIRE(stepcare_answers_from_fhir(q.get(), response.str().c_str(), nullptr, answers.out(), errors.out()) ==
            STEPCARE_OK);
    CHECK(errors.str() == "[]");
    CHECK(nlohmann::json::parse(answers.str()) == nlohmann::json::parse(record));

    // A rejected record is an OperationOutcome; a response for another version is refused.
    c_text outcome;
    CHECK(stepcare_evaluate_fhir(q.get(), R"({"answers": {"tried": 99}})", nullptr, nullptr, outcome.out()) ==
          STEPCARE_ERROR_INVALID_ANSWERS);
    CHECK(nlohmann::json::parse(outcome.str()).at("resourceType") == "OperationOutcome");
    std::string other_version = response.str();
    other_version.replace(other_version.find("|1.0.0"), 6, "|0.9");
    c_text none;
    c_text problems;
    CHECK(stepcare_answers_from_fhir(q.get(), other_version.c_str(), nullptr, none.out(), problems.out()) ==
          STEPCARE_ERROR_INVALID_ANSWERS);
    CHECK(none.null());
    CHECK_THAT(problems.str(), Catch::Contains("is version 0.9 of this questionnaire, not 1.0.0"));
    CHECK(stepcare_answers_from_fhir(q.get(), "{", nullptr, none.out(), nullptr) == STEPCARE_ERROR_INVALID_ANSWERS);
    CHECK(stepcare_evaluate_fhir(q.get(), nullptr, nullptr, nullptr, none.out()) == STEPCARE_ERROR_ARGUMENT);
}
