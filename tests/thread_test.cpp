// Thread safety: many threads use one compiled questionnaire at once, through the C++ API
// and through the C API, and every result equals the one computed on a single thread.
// Built as its own program so that the ThreadSanitizer build (STEPCARE_TSAN) needs only it.

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "stepcare/batch.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/session.hpp"
#include "stepcare/stepcare.h"

namespace {

constexpr std::size_t thread_count = 8;

const std::string reference_path = STEPCARE_QUESTIONNAIRES "/ketamine-trd.sq";

stepcare::questionnaire compile_reference() {
    stepcare::compile_result compiled = stepcare::compile_file(reference_path);
    REQUIRE(compiled.compiled);
    return *compiled.compiled;
}

/// One answer for `q` drawn from `random`, as a JSON value; a few are out of range or not
/// an option, so that the sessions see refusals too. "yes" is rare, since in the reference
/// questionnaire many of them end the intake early.
std::string draw_answer(const stepcare::question_view& q, std::mt19937_64& random) {
    auto const below = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    bool const wrong = below(10) == 0;
    switch (q.kind) {
        case stepcare::question_kind::yesno: return below(8) == 0 ? "true" : "false";
        case stepcare::question_kind::choice:
            return wrong ? "\"no_such_option\"" : nlohmann::json(q.options[below(q.options.size())].id).dump();
        case stepcare::question_kind::multi: {
            nlohmann::json ids = nlohmann::json::array();
            ids.push_back(q.options[below(q.options.size())].id);
            return ids.dump();
        }
        case stepcare::question_kind::integer:
        case stepcare::question_kind::decimal: {
            auto const span = static_cast<std::uint64_t>(q.max - q.min) + 1;
            return std::to_string(static_cast<std::int64_t>(q.min) + static_cast<std::int64_t>(random() % span) +
                                  (wrong ? static_cast<std::int64_t>(span) : 0));
        }
        case stepcare::question_kind::text: return "\"some text\"";
    }
    return "null";
}

/// A person's steps through a session: answers as JSON, with "back" and "skip" mixed in.
std::vector<std::string> draw_script(std::uint64_t seed, const stepcare::questionnaire& q) {
    std::mt19937_64 random(seed);
    stepcare::session s(q);
    std::vector<std::string> script;
    for (std::size_t step = 0; step < 80; ++step) {
        std::optional<stepcare::question_view> const current = s.current();
        if (!current) break;
        std::uint64_t const roll = random() % 20;
        if (roll == 0) {
            script.push_back("back");
            s.back();
        } else if (roll == 1 && current->optional) {
            script.push_back("skip");
            s.skip();
        } else {
            script.push_back(draw_answer(*current, random));
            s.answer_json(script.back());
        }
    }
    return script;
}

/// Plays a script through the C++ API: everything the session showed, then its result.
std::string play(const stepcare::questionnaire& q, const std::vector<std::string>& script) {
    stepcare::session s(q);
    std::string trace;
    for (const std::string& step : script) {
        std::optional<stepcare::question_view> const current = s.current();
        trace += current ? current->ask : "(over)";
        if (step == "back") {
            trace += s.back() ? " back\n" : " no back\n";
        } else if (step == "skip") {
            trace += s.skip().accepted ? " skipped\n" : " no skip\n";
        } else {
            trace += " " + step + " " + s.answer_json(step).message + "\n";
        }
    }
    return trace + stepcare::to_json(s.current_result());
}

/// Plays a script through the C API, giving the same trace as `play`.
std::string play_c(const stepcare_questionnaire* q, const std::vector<std::string>& script) {
    stepcare_session* s = nullptr;
    if (stepcare_session_create(q, nullptr, &s) != STEPCARE_OK) return "create failed";
    std::string trace;
    for (const std::string& step : script) {
        char* question = nullptr;
        stepcare_session_question(s, &question);
        nlohmann::json const current = nlohmann::json::parse(question);
        stepcare_free(question);
        trace += current.is_null() ? "(over)" : current.at("ask").get<std::string>();
        if (step == "back") {
            trace += stepcare_session_back(s) == STEPCARE_OK ? " back\n" : " no back\n";
        } else if (step == "skip") {
            trace += stepcare_session_skip(s) == STEPCARE_OK ? " skipped\n" : " no skip\n";
        } else {
            int const status = stepcare_session_answer(s, step.c_str());
            // A refused answer's message is this thread's last error.
            trace += " " + step + " " + (status == STEPCARE_OK ? "" : stepcare_last_error()) + "\n";
        }
    }
    char* result = nullptr;
    stepcare_session_result(s, &result);
    trace += result;
    stepcare_free(result);
    stepcare_session_free(s);
    return trace;
}

/// Answer records taken from the scripts' sessions, plus records that are rejected.
std::vector<std::string> make_records(const stepcare::questionnaire& q,
                                      const std::vector<std::vector<std::string>>& scripts) {
    std::vector<std::string> records;
    for (std::size_t i = 0; i < scripts.size(); ++i) {
        stepcare::session s(q);
        for (const std::string& step : scripts[i]) {
            if (step != "back" && step != "skip") s.answer_json(step);
        }
        nlohmann::json record = nlohmann::json::parse(s.save_json());
        records.push_back(nlohmann::json{{"id", i}, {"answers", record.at("answers")}}.dump());
    }
    records.push_back(R"({"id": "bad", "answers": {"age": "old"}})");
    records.push_back("not JSON");
    return records;
}

/// Runs `work(thread index)` on `thread_count` threads at once.
template <class Work>
void on_threads(Work work) {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < thread_count; ++t) threads.emplace_back(work, t);
    for (std::thread& thread : threads) thread.join();
}

}  // namespace

TEST_CASE("threads evaluating with one questionnaire get the single-threaded results", "[threads]") {
    stepcare::questionnaire const q = compile_reference();
    std::vector<std::vector<std::string>> scripts;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) scripts.push_back(draw_script(seed, q));
    std::vector<std::string> const records = make_records(q, scripts);

    std::vector<std::string> expected;
    for (std::size_t i = 0; i < records.size(); ++i) {
        expected.push_back(stepcare::to_json(q.evaluate(records[i], i % 2 == 0 ? "en" : "es")));
    }

    SECTION("C++ API") {
        std::vector<std::size_t> mismatches(thread_count, 0);
        on_threads([&](std::size_t t) {
            // Each thread starts at a different record, so different records run at once.
            for (std::size_t k = 0; k < records.size(); ++k) {
                std::size_t const i = (k + t * 7) % records.size();
                if (stepcare::to_json(q.evaluate(records[i], i % 2 == 0 ? "en" : "es")) != expected[i]) {
                    ++mismatches[t];
                }
            }
        });
        CHECK(mismatches == std::vector<std::size_t>(thread_count, 0));
    }
    SECTION("batch evaluators, one per thread and language") {
        std::vector<std::size_t> mismatches(thread_count, 0);
        on_threads([&](std::size_t t) {
            stepcare::batch_options in_english;
            in_english.language = "en";
            stepcare::batch_evaluator english(q, in_english);
            stepcare::batch_options in_spanish;
            in_spanish.language = "es";
            stepcare::batch_evaluator spanish(q, in_spanish);
            std::string out;
            for (std::size_t k = 0; k < records.size(); ++k) {
                std::size_t const i = (k + t * 7) % records.size();
                out.clear();
                (i % 2 == 0 ? english : spanish).evaluate(records[i], out);
                if (out != expected[i]) ++mismatches[t];
            }
        });
        CHECK(mismatches == std::vector<std::size_t>(thread_count, 0));
    }
    SECTION("C API") {
        stepcare_questionnaire* shared = nullptr;
        REQUIRE(stepcare_compile_file(reference_path.c_str(), &shared, nullptr) == STEPCARE_OK);
        std::vector<std::size_t> mismatches(thread_count, 0);
        on_threads([&](std::size_t t) {
            for (std::size_t k = 0; k < records.size(); ++k) {
                std::size_t const i = (k + t * 7) % records.size();
                char* result = nullptr;
                stepcare_evaluate(shared, records[i].c_str(), i % 2 == 0 ? "en" : "es", &result);
                if (result == nullptr || result != expected[i]) ++mismatches[t];
                stepcare_free(result);
            }
        });
        stepcare_questionnaire_free(shared);
        CHECK(mismatches == std::vector<std::size_t>(thread_count, 0));
    }
}

TEST_CASE("threads running sessions over one questionnaire get the single-threaded results", "[threads]") {
    stepcare::questionnaire const q = compile_reference();
    std::vector<std::vector<std::string>> scripts;
    for (std::uint64_t seed = 100; seed < 100 + 2 * thread_count; ++seed) scripts.push_back(draw_script(seed, q));
    std::vector<std::string> expected;
    for (const std::vector<std::string>& script : scripts) expected.push_back(play(q, script));

    stepcare_questionnaire* shared = nullptr;
    REQUIRE(stepcare_compile_file(reference_path.c_str(), &shared, nullptr) == STEPCARE_OK);
    // Thread t plays scripts t and t + thread_count, one through each API.
    std::vector<std::string> cpp_traces(thread_count);
    std::vector<std::string> c_traces(thread_count);
    on_threads([&](std::size_t t) {
        cpp_traces[t] = play(q, scripts[t]);
        c_traces[t] = play_c(shared, scripts[t + thread_count]);
    });
    stepcare_questionnaire_free(shared);
    for (std::size_t t = 0; t < thread_count; ++t) {
        CHECK(cpp_traces[t] == expected[t]);
        CHECK(c_traces[t] == expected[t + thread_count]);
    }
}
