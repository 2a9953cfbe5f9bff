// The C API over the public C++ API. Every entry point runs its body inside `guarded`, so
// no exception crosses into C; strings go out as malloc'd copies so that one
// `stepcare_free` (plain `free`) releases any of them.

#include "stepcare/stepcare.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepcare/batch.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/diagnostic.hpp"
#include "stepcare/fhir.hpp"
#include "stepcare/questionnaire.hpp"
#include "stepcare/result.hpp"
#include "stepcare/session.hpp"
#include "stepcare/version.hpp"

struct stepcare_questionnaire {
    stepcare::questionnaire compiled;
};

struct stepcare_session {
    stepcare::session intake;
    /// What the last answer or skip did, for stepcare_session_feedback; none before the first.
    std::optional<stepcare::answer_feedback> last_step;
};

namespace {

using ordered_json = nlohmann::ordered_json;

// The message of the last failed call on this thread. When even storing the message runs
// out of memory, `last_error_fallback` points at a static text instead.
thread_local std::string last_error;
thread_local const char* last_error_fallback = nullptr;

void set_error(std::string_view message) noexcept {
    try {
        last_error.assign(message);
        last_error_fallback = nullptr;
    } catch (...) {
        last_error_fallback = "out of memory";
    }
}

void clear_error() noexcept {
    last_error.clear();
    last_error_fallback = nullptr;
}

int fail(int status, std::string_view message) {
    set_error(message);
    return status;
}

int null_argument(const char* name) { return fail(STEPCARE_ERROR_ARGUMENT, std::string(name) + " is NULL"); }

/// Runs one entry point's body: a status it returns stands, and any exception becomes a
/// status with its message.
template <class Body>
int guarded(Body&& body) noexcept {
    try {
        int const status = body();
        if (status == STEPCARE_OK) clear_error();
        return status;
    } catch (const std::bad_alloc&) {
        return fail(STEPCARE_ERROR_NO_MEMORY, "out of memory");
    } catch (const std::exception& e) {
        set_error(std::string("internal error: ") + e.what());
    } catch (...) {
        set_error("internal error: unknown exception");
    }
    return STEPCARE_ERROR_INTERNAL;
}

/// A string on its way out to the caller: freed unless released into an out-parameter, so a
/// failure after it was made leaks nothing.
using c_string = std::unique_ptr<char, decltype(&std::free)>;

c_string copy_out(std::string_view text) {
    auto* p = static_cast<char*>(std::malloc(text.size() + 1));
    if (p == nullptr) throw std::bad_alloc();
    std::memcpy(p, text.data(), text.size());
    p[text.size()] = '\0';
    return c_string(p, &std::free);
}

std::string dump(const ordered_json& j) {
    // Texts come from validated sources and answers; replace rather than throw if one is not UTF-8.
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string_view language_of(const char* language) { return language == nullptr ? std::string_view{} : language; }

/// Hands out what a compile produced: the tail shared by both compile functions.
int hand_out(const stepcare::compile_result& compiled, stepcare_questionnaire** out, char** diagnostics_json) {
    c_string diagnostics =
        diagnostics_json != nullptr ? copy_out(stepcare::to_json(compiled.diagnostics)) : c_string(nullptr, &std::free);
    if (!compiled.compiled) {
        std::string first;
        for (const stepcare::diagnostic& d : compiled.diagnostics) {
            if (d.level != stepcare::severity::error) continue;
            std::string const text = stepcare::render_text(d);
            first = text.substr(0, text.find('\n'));  // the message line, without the excerpt
            break;
        }
        if (diagnostics_json != nullptr) *diagnostics_json = diagnostics.release();
        return fail(compiled.readable ? STEPCARE_ERROR_COMPILE : STEPCARE_ERROR_UNREADABLE, first);
    }
    *out = new stepcare_questionnaire{*compiled.compiled};
    if (diagnostics_json != nullptr) *diagnostics_json = diagnostics.release();
    return STEPCARE_OK;
}

ordered_json question_to_json(const stepcare::question_view& q, const stepcare::session_progress& progress) {
    ordered_json options = ordered_json::array();
    for (const stepcare::option_view& o : q.options)
        options.push_back({{"id", o.id}, {"label", o.label}, {"key", o.key}});
    ordered_json min;  // null unless the question takes a number
    ordered_json max;
    if (q.kind == stepcare::question_kind::integer) {
        min = static_cast<std::int64_t>(q.min);
        max = static_cast<std::int64_t>(q.max);
    } else if (q.kind == stepcare::question_kind::decimal) {
        min = q.min;
        max = q.max;
    }
    ordered_json j;
    j["index"] = q.index;
    j["id"] = q.id;
    j["kind"] = stepcare::to_string(q.kind);
    j["optional"] = q.optional;
    j["section_id"] = q.section_id;
    j["section_title"] = q.section_title;
    j["ask"] = q.ask;
    j["help"] = q.help;
    j["unit"] = q.unit;
    j["options"] = std::move(options);
    j["min"] = std::move(min);
    j["max"] = std::move(max);
    j["max_length"] = q.max_length ? ordered_json(*q.max_length) : ordered_json();
    j["progress"] = {{"number", progress.number}, {"total", progress.total}};
    j["set_aside"] = q.set_aside
                         ? ordered_json{{"answer", ordered_json::parse(stepcare::to_json(q.set_aside->previous))},
                                        {"message", q.set_aside->message}}
                         : ordered_json();
    return j;
}

ordered_json errors_to_json(const std::vector<stepcare::answer_error>& errors) {
    ordered_json list = ordered_json::array();
    for (const stepcare::answer_error& e : errors) {
        list.push_back({{"question", e.question ? ordered_json(*e.question) : ordered_json()}, {"message", e.message}});
    }
    return list;
}

ordered_json feedback_to_json(const stepcare::answer_feedback& f) {
    ordered_json set_aside = ordered_json::array();
    for (const stepcare::set_aside_answer& aside : f.set_aside) {
        set_aside.push_back({{"question", aside.question},
                             {"answer", ordered_json::parse(stepcare::to_json(aside.previous))},
                             {"message", aside.message}});
    }
    return {
        {"accepted", f.accepted}, {"message", f.message}, {"set_aside", std::move(set_aside)}, {"urgent", f.urgent}};
}

/// Keeps what a step did for stepcare_session_feedback and turns it into a status.
int step_status(stepcare_session* s, stepcare::answer_feedback feedback) {
    s->last_step = std::move(feedback);
    return s->last_step->accepted ? STEPCARE_OK : fail(STEPCARE_ERROR_REFUSED, s->last_step->message);
}

const stepcare::answer_feedback refused_as_over{false, "the intake is over", {}, {}};

ordered_json parsed_to_json(const stepcare::parsed_answer& parsed) {
    if (parsed.value) {
        return {{"answer", ordered_json::parse(stepcare::to_json(*parsed.value))}, {"problem", nullptr}};
    }
    const stepcare::answer_problem& p = *parsed.problem;
    return {{"answer", nullptr},
            {"problem",
             {{"kind", stepcare::to_string(p.what)},
              {"message", p.message},
              {"text", p.text},
              {"options", p.options},
              {"number", p.number},
              {"suggestion", p.suggestion},
              {"length", p.length}}}};
}

ordered_json uses_to_json(const std::vector<stepcare::answer_use>& uses) {
    ordered_json list = ordered_json::array();
    for (const stepcare::answer_use& use : uses) {
        bool const outcome =
            use.what == stepcare::answer_use::kind::outcome || use.what == stepcare::answer_use::kind::outcome_text;
        list.push_back({{"kind", stepcare::to_string(use.what)},
                        {"id", use.id.empty() ? ordered_json() : ordered_json(use.id)},
                        {"title", use.title.empty() ? ordered_json() : ordered_json(use.title)},
                        {"level", outcome ? ordered_json(stepcare::to_string(use.level)) : ordered_json()}});
    }
    return list;
}

/// The pattern of the session functions that hand out one string: `make` gives it.
template <class Make>
int hand_out_string(const stepcare_session* s, char** out, const char* out_name, Make make) {
    if (out != nullptr) *out = nullptr;
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (out == nullptr) return null_argument(out_name);
        *out = copy_out(make(s->intake)).release();
        return STEPCARE_OK;
    });
}

}  // namespace

extern "C" {

const char* stepcare_version(void) { return stepcare::version(); }

const char* stepcare_last_error(void) {
    return last_error_fallback != nullptr ? last_error_fallback : last_error.c_str();
}

const char* stepcare_status_name(int status) {
    switch (status) {
        case STEPCARE_OK: return "STEPCARE_OK";
        case STEPCARE_ERROR_ARGUMENT: return "STEPCARE_ERROR_ARGUMENT";
        case STEPCARE_ERROR_UNREADABLE: return "STEPCARE_ERROR_UNREADABLE";
        case STEPCARE_ERROR_COMPILE: return "STEPCARE_ERROR_COMPILE";
        case STEPCARE_ERROR_INVALID_ANSWERS: return "STEPCARE_ERROR_INVALID_ANSWERS";
        case STEPCARE_ERROR_REFUSED: return "STEPCARE_ERROR_REFUSED";
        case STEPCARE_ERROR_NO_MEMORY: return "STEPCARE_ERROR_NO_MEMORY";
        case STEPCARE_ERROR_INTERNAL: return "STEPCARE_ERROR_INTERNAL";
        default: return "unknown status";
    }
}

void stepcare_free(void* p) { std::free(p); }

int stepcare_compile_file(const char* path, stepcare_questionnaire** out, char** diagnostics_json) {
    if (diagnostics_json != nullptr) *diagnostics_json = nullptr;
    if (out != nullptr) *out = nullptr;
    return guarded([&]() -> int {
        if (path == nullptr) return null_argument("path");
        if (out == nullptr) return null_argument("out");
        return hand_out(stepcare::compile_file(path), out, diagnostics_json);
    });
}

int stepcare_compile_string(const char* source, const char* name, stepcare_questionnaire** out,
                            char** diagnostics_json) {
    if (diagnostics_json != nullptr) *diagnostics_json = nullptr;
    if (out != nullptr) *out = nullptr;
    return guarded([&]() -> int {
        if (source == nullptr) return null_argument("source");
        if (out == nullptr) return null_argument("out");
        return hand_out(stepcare::compile_source(source, name != nullptr ? name : "<string>"), out, diagnostics_json);
    });
}

int stepcare_evaluate(const stepcare_questionnaire* q, const char* answers_json, const char* language,
                      char** result_json) {
    return stepcare_evaluate_texts(q, answers_json, language, STEPCARE_TEXTS_FULL, result_json);
}

int stepcare_evaluate_texts(const stepcare_questionnaire* q, const char* answers_json, const char* language, int texts,
                            char** result_json) {
    if (result_json != nullptr) *result_json = nullptr;
    return guarded([&]() -> int {
        if (q == nullptr) return null_argument("q");
        if (answers_json == nullptr) return null_argument("answers_json");
        if (result_json == nullptr) return null_argument("result_json");
        if (texts != STEPCARE_TEXTS_FULL && texts != STEPCARE_TEXTS_NONE) {
            return fail(STEPCARE_ERROR_ARGUMENT, "texts is " + std::to_string(texts) +
                                                     ", not STEPCARE_TEXTS_FULL (0) or STEPCARE_TEXTS_NONE (1)");
        }
        std::string json;
        std::vector<stepcare::answer_error> errors;
        stepcare::result_status const status = q->compiled.evaluate_json(
            answers_json, json, language_of(language), &errors,
            texts == STEPCARE_TEXTS_NONE ? stepcare::result_texts::none : stepcare::result_texts::full);
        *result_json = copy_out(json).release();
        if (status == stepcare::result_status::invalid) {
            return fail(STEPCARE_ERROR_INVALID_ANSWERS, errors.empty() ? "invalid" : errors.front().message);
        }
        return STEPCARE_OK;
    });
}

int stepcare_export_fhir(const stepcare_questionnaire* q, const char* language, const char* base_url,
                         char** questionnaire_json, char** diagnostics_json) {
    if (questionnaire_json != nullptr) *questionnaire_json = nullptr;
    if (diagnostics_json != nullptr) *diagnostics_json = nullptr;
    return guarded([&]() -> int {
        if (q == nullptr) return null_argument("q");
        if (questionnaire_json == nullptr) return null_argument("questionnaire_json");
        stepcare::fhir_questionnaire const exported = stepcare::export_fhir_questionnaire(
            q->compiled, {std::string(language_of(language)), std::string(language_of(base_url))});
        if (diagnostics_json != nullptr)
            *diagnostics_json = copy_out(stepcare::to_json(exported.diagnostics)).release();
        if (exported.json.empty()) {
            return fail(STEPCARE_ERROR_INVALID_ANSWERS,
                        exported.diagnostics.empty() ? "not exported" : exported.diagnostics.front().message);
        }
        *questionnaire_json = copy_out(exported.json).release();
        return STEPCARE_OK;
    });
}

int stepcare_evaluate_fhir(const stepcare_questionnaire* q, const char* answers_json, const char* language,
                           const char* base_url, char** response_json) {
    if (response_json != nullptr) *response_json = nullptr;
    return guarded([&]() -> int {
        if (q == nullptr) return null_argument("q");
        if (answers_json == nullptr) return null_argument("answers_json");
        if (response_json == nullptr) return null_argument("response_json");
        stepcare::batch_options options;
        options.language = language_of(language);
        options.output = stepcare::record_format::fhir_r4;
        options.base_url = language_of(base_url);
        stepcare::batch_evaluator evaluator(q->compiled, options);
        std::string response;
        stepcare::result_status const status = evaluator.evaluate(answers_json, response);
        *response_json = copy_out(response).release();
        if (status == stepcare::result_status::invalid) {
            const std::vector<stepcare::answer_error>& errors = evaluator.last_errors();
            return fail(STEPCARE_ERROR_INVALID_ANSWERS, errors.empty() ? "invalid" : errors.front().message);
        }
        return STEPCARE_OK;
    });
}

int stepcare_answers_from_fhir(const stepcare_questionnaire* q, const char* response_json, const char* base_url,
                               char** answers_json, char** errors_json) {
    if (answers_json != nullptr) *answers_json = nullptr;
    if (errors_json != nullptr) *errors_json = nullptr;
    return guarded([&]() -> int {
        if (q == nullptr) return null_argument("q");
        if (response_json == nullptr) return null_argument("response_json");
        if (answers_json == nullptr) return null_argument("answers_json");
        stepcare::fhir_answers const read =
            stepcare::answers_from_fhir_response(q->compiled, response_json, {{}, std::string(language_of(base_url))});
        if (errors_json != nullptr) *errors_json = copy_out(dump(errors_to_json(read.errors))).release();
        if (!read.errors.empty()) return fail(STEPCARE_ERROR_INVALID_ANSWERS, read.errors.front().message);
        *answers_json = copy_out(read.record_json).release();
        return STEPCARE_OK;
    });
}

int stepcare_import_fhir(const char* fhir_json, const char* name, char** source, char** diagnostics_json) {
    if (source != nullptr) *source = nullptr;
    if (diagnostics_json != nullptr) *diagnostics_json = nullptr;
    return guarded([&]() -> int {
        if (fhir_json == nullptr) return null_argument("fhir_json");
        if (source == nullptr) return null_argument("source");
        stepcare::fhir_import const imported =
            stepcare::import_fhir_questionnaire(fhir_json, name == nullptr ? "questionnaire.json" : name);
        if (diagnostics_json != nullptr)
            *diagnostics_json = copy_out(stepcare::to_json(imported.diagnostics)).release();
        if (imported.source.empty()) {
            auto const first =
                std::find_if(imported.diagnostics.begin(), imported.diagnostics.end(),
                             [](const stepcare::diagnostic& d) { return d.level == stepcare::severity::error; });
            return fail(STEPCARE_ERROR_COMPILE, first == imported.diagnostics.end() ? "not imported" : first->message);
        }
        *source = copy_out(imported.source).release();
        return STEPCARE_OK;
    });
}

int stepcare_questionnaire_info(const stepcare_questionnaire* q, const char* language, char** info_json) {
    if (info_json != nullptr) *info_json = nullptr;
    return guarded([&]() -> int {
        if (q == nullptr) return null_argument("q");
        if (info_json == nullptr) return null_argument("info_json");
        const stepcare::questionnaire& c = q->compiled;
        ordered_json const info = {{"id", c.id()},
                                   {"version", c.version()},
                                   {"sha256", c.sha256()},
                                   {"languages", c.languages()},
                                   {"title", c.title(language_of(language))},
                                   {"description", c.description(language_of(language))},
                                   {"question_count", c.question_count()}};
        *info_json = copy_out(dump(info)).release();
        return STEPCARE_OK;
    });
}

void stepcare_questionnaire_free(stepcare_questionnaire* q) { delete q; }

int stepcare_session_create(const stepcare_questionnaire* q, const char* language, stepcare_session** out) {
    if (out != nullptr) *out = nullptr;
    return guarded([&]() -> int {
        if (q == nullptr) return null_argument("q");
        if (out == nullptr) return null_argument("out");
        *out = new stepcare_session{stepcare::session(q->compiled, language_of(language)), std::nullopt};
        return STEPCARE_OK;
    });
}

int stepcare_session_question(const stepcare_session* s, char** question_json) {
    return hand_out_string(s, question_json, "question_json", [](const stepcare::session& intake) {
        std::optional<stepcare::question_view> const q = intake.current();
        return q ? dump(question_to_json(*q, intake.progress())) : std::string("null");
    });
}

int stepcare_session_answer(stepcare_session* s, const char* answer_json) {
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (answer_json == nullptr) return null_argument("answer_json");
        if (s->intake.finished()) return step_status(s, refused_as_over);
        return step_status(s, s->intake.answer_json(answer_json));
    });
}

int stepcare_session_back(stepcare_session* s) {
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (s->intake.back()) return STEPCARE_OK;
        return fail(STEPCARE_ERROR_REFUSED, "this is the first question");
    });
}

int stepcare_session_skip(stepcare_session* s) {
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (s->intake.finished()) return step_status(s, refused_as_over);
        return step_status(s, s->intake.skip());
    });
}

int stepcare_session_feedback(const stepcare_session* s, char** feedback_json) {
    return hand_out_string(s, feedback_json, "feedback_json", [s](const stepcare::session&) {
        return s->last_step ? dump(feedback_to_json(*s->last_step)) : std::string("null");
    });
}

int stepcare_session_result(const stepcare_session* s, char** result_json) {
    return hand_out_string(s, result_json, "result_json",
                           [](const stepcare::session& intake) { return stepcare::to_json(intake.current_result()); });
}

int stepcare_session_parse_answer(const stepcare_session* s, const char* question_id, const char* text,
                                  char** parsed_json) {
    if (parsed_json != nullptr) *parsed_json = nullptr;
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (question_id == nullptr) return null_argument("question_id");
        if (text == nullptr) return null_argument("text");
        if (parsed_json == nullptr) return null_argument("parsed_json");
        std::optional<stepcare::question_view> const q = s->intake.question(question_id);
        if (!q) return fail(STEPCARE_ERROR_REFUSED, std::string("there is no question '") + question_id + "'");
        stepcare::parsed_answer const parsed = s->intake.parse_answer(*q, text);
        *parsed_json = copy_out(dump(parsed_to_json(parsed))).release();
        return parsed.value ? STEPCARE_OK : fail(STEPCARE_ERROR_REFUSED, parsed.problem->message);
    });
}

int stepcare_session_used_by(const stepcare_session* s, const char* question_id, char** uses_json) {
    if (uses_json != nullptr) *uses_json = nullptr;
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (question_id == nullptr) return null_argument("question_id");
        if (uses_json == nullptr) return null_argument("uses_json");
        *uses_json = copy_out(dump(uses_to_json(s->intake.used_by(question_id)))).release();
        return STEPCARE_OK;
    });
}

int stepcare_session_save(const stepcare_session* s, char** saved_json) {
    return hand_out_string(s, saved_json, "saved_json",
                           [](const stepcare::session& intake) { return intake.save_json(); });
}

int stepcare_session_restore(stepcare_session* s, const char* saved_json, char** errors_json) {
    if (errors_json != nullptr) *errors_json = nullptr;
    return guarded([&]() -> int {
        if (s == nullptr) return null_argument("s");
        if (saved_json == nullptr) return null_argument("saved_json");
        std::vector<stepcare::answer_error> const errors = s->intake.restore_json(saved_json);
        if (errors_json != nullptr) *errors_json = copy_out(dump(errors_to_json(errors))).release();
        return errors.empty() ? STEPCARE_OK : fail(STEPCARE_ERROR_INVALID_ANSWERS, errors.front().message);
    });
}

void stepcare_session_free(stepcare_session* s) { delete s; }

}  // extern "C"
