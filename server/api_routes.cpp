#include <charconv>
#include <nlohmann/json.hpp>

#include "routes.hpp"
#include "stepcare/batch.hpp"
#include "stepcare/fhir.hpp"

namespace stepcare::server {

namespace {

using json = nlohmann::ordered_json;

/// Arrays and objects a JSON body may nest, as answers may in the engine (docs/limits.md).
constexpr int max_body_nesting = 100;

http_response json_response(int status, const json& body) { return {status, "application/json", body.dump(), {}}; }

http_response problem_response(const intake_problem& problem) {
    return json_error(problem.status, problem.code, problem.message);
}

json identity_json(const stored_intake& stored) {
    return {{"id", stored.questionnaire_id},
            {"version", stored.questionnaire_version},
            {"sha256", stored.questionnaire_sha256}};
}

json nullable(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

/// A question as the API shows it, with the answer it was given before (after `back`).
json question_json(const question_view& q, const std::optional<answer_value>& given) {
    json out = {
        {"id", q.id},
        {"kind", to_string(q.kind)},
        {"optional", q.optional},
        {"section", q.section_id.empty() ? json(nullptr) : json{{"id", q.section_id}, {"title", q.section_title}}},
        {"ask", q.ask},
        {"help", nullable(q.help)},
        {"unit", nullable(q.unit)}};
    if (q.kind == question_kind::choice || q.kind == question_kind::multi) {
        json options = json::array();
        for (const option_view& option : q.options) options.push_back({{"id", option.id}, {"label", option.label}});
        out["options"] = std::move(options);
    }
    if (q.kind == question_kind::integer) {
        out["min"] = static_cast<std::int64_t>(q.min);
        out["max"] = static_cast<std::int64_t>(q.max);
    } else if (q.kind == question_kind::decimal) {
        out["min"] = q.min;
        out["max"] = q.max;
    }
    if (q.kind == question_kind::text) out["max_length"] = q.max_length ? json(*q.max_length) : json(nullptr);
    out["answer"] = given ? json::parse(to_json(*given)) : json(nullptr);
    out["set_aside"] =
        q.set_aside ? json{{"answer", json::parse(to_json(q.set_aside->previous))}, {"message", q.set_aside->message}}
                    : json(nullptr);
    return out;
}

json outcome_json(const session& s, const fired_outcome& outcome) {
    json sources = json::array();
    for (const std::string& cite : outcome.cites) {
        sources.push_back({{"id", cite}, {"title", s.source_title(cite).value_or(cite)}});
    }
    return {{"id", outcome.id},       {"level", to_string(outcome.level)},
            {"title", outcome.title}, {"text", outcome.text},
            {"cites", outcome.cites}, {"sources", std::move(sources)}};
}

json urgent_json(const open_intake& open) {
    json out = json::array();
    for (const fired_outcome& fired : urgent_notice(open)) out.push_back(outcome_json(open.intake, fired));
    return out;
}

json state_json(const open_intake& open) {
    const session& s = open.intake;
    std::optional<question_view> const current = s.current();
    session_progress const progress = s.progress();
    return {{"id", open.stored.id},
            {"questionnaire", identity_json(open.stored)},
            {"language", s.language()},
            {"status", to_string(open.stored.status)},
            {"revision", open.stored.revision},
            {"progress", {{"number", progress.number}, {"total", progress.total}}},
            {"question", current ? question_json(*current, s.answer_of(current->id)) : json(nullptr)},
            {"can_go_back", !s.shown_questions().empty() && (s.shown_questions().size() > 1 || !current)},
            {"urgent", urgent_json(open)}};
}

/// The request's body as a JSON object, or the response that refuses it.
std::variant<json, http_response> json_body(const http_request& request, bool may_be_empty) {
    if (request.body.empty() && may_be_empty) return json::object();
    // Nested values are read and written recursively: refuse them past the engine's own
    // limit for answers (docs/limits.md) before anything walks them.
    bool too_deep = false;
    json body = json::parse(
        request.body,
        [&too_deep](int depth, json::parse_event_t, json&) {
            too_deep = too_deep || depth > max_body_nesting;
            return !too_deep;
        },
        false);
    if (too_deep) {
        return json_error(
            400, "bad_json",
            "the body is nested deeper than " + std::to_string(max_body_nesting) + " levels of arrays and objects");
    }
    if (body.is_discarded()) {
        return json_error(400, "bad_json", "the body is not JSON (or not UTF-8); send a JSON object");
    }
    if (!body.is_object()) return json_error(400, "bad_json", "the body must be a JSON object");
    return body;
}

/// Whether the request's `"question"`, when given, is the intake's current question.
std::optional<http_response> check_current(const json& body, const session& s) {
    std::optional<question_view> const current = s.current();
    if (!current) return json_error(409, "intake_over", "the intake is over: there is no question to answer");
    if (!body.contains("question")) return std::nullopt;
    if (!body.at("question").is_string()) {
        return json_error(400, "bad_request", "\"question\" must be the id of the current question, as a string");
    }
    if (body.at("question").get<std::string>() != current->id) {
        return json_error(
            409, "not_current_question",
            "the intake is at question '" + current->id + "', not '" + body.at("question").get<std::string>() + "'",
            "\"current\":" + json(current->id).dump());
    }
    return std::nullopt;
}

bool bearer_matches(const http_request& request, const std::vector<std::string>& tokens) {
    std::string const header = request.header("authorization");
    std::string_view constexpr scheme = "bearer ";
    // The scheme's name is case-insensitive (RFC 9110, section 11.1).
    bool const bearer = header.size() > scheme.size() &&
                        std::equal(scheme.begin(), scheme.end(), header.begin(),
                                   [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
    if (!bearer) return false;
    std::string_view const given = std::string_view(header).substr(scheme.size());
    bool found = false;
    for (const std::string& token : tokens) {
        // Compare every token in full, so the time taken tells nothing about any of them.
        std::size_t difference = token.size() ^ given.size();
        for (std::size_t i = 0; i < token.size(); ++i) {
            difference |= static_cast<std::size_t>(token[i] ^ (i < given.size() ? given[i] : 0));
        }
        found = found || difference == 0;
    }
    return found;
}

/// Reads digits only, as a whole number that fits.
bool whole_number(const std::string& text, std::size_t& value) {
    auto const [end, problem] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && problem == std::errc() && end == text.data() + text.size();
}

std::string iso_time(std::int64_t unix_seconds) {
    std::time_t const t = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

json summary_json(const intake_summary& summary) {
    return {{"id", summary.id},
            {"questionnaire",
             {{"id", summary.questionnaire_id},
              {"version", summary.questionnaire_version},
              {"sha256", summary.questionnaire_sha256}}},
            {"language", summary.language},
            {"status", to_string(summary.status)},
            {"created_at", iso_time(summary.created_at)},
            {"updated_at", iso_time(summary.updated_at)}};
}

json questionnaire_json(const intake_service& service, const questionnaire& q) {
    return {{"id", q.id()},       {"version", q.version()},     {"sha256", q.sha256()},
            {"title", q.title()}, {"languages", q.languages()}, {"default_language", service.default_language(q)}};
}

/// Reads `json` or `fhir-r4` from a query parameter.
std::optional<record_format> format_named(const http_request& request, std::string_view name) {
    std::string const value = request.query_value(name).value_or("json");
    if (value == "json") return record_format::json;
    if (value == "fhir-r4") return record_format::fhir_r4;
    return std::nullopt;
}

}  // namespace

std::string intake_state_json(const open_intake& open) { return state_json(open).dump(); }

void add_api_routes(router& routes, intake_service& service, std::vector<std::string> staff_tokens) {
    routes.add("GET", "/api/v1/openapi.json", [](http_request&) {
        return http_response{200, "application/json", std::string(openapi_document), {}};
    });
    routes.add("GET", "/api/v1/questionnaires", [&service](http_request&) {
        json list = json::array();
        for (const questionnaire& q : service.questionnaires()) list.push_back(questionnaire_json(service, q));
        return json_response(200, {{"questionnaires", std::move(list)}});
    });
    routes.add("GET", "/api/v1/questionnaires/{questionnaire}", [&service](http_request& request) {
        const questionnaire* q = service.find(request.params.at("questionnaire"));
        if (q == nullptr) return json_error(404, "unknown_questionnaire", "this server has no such questionnaire");
        return json_response(200, questionnaire_json(service, *q));
    });
    routes.add("GET", "/api/v1/questionnaires/{questionnaire}/fhir", [&service](http_request& request) {
        const questionnaire* q = service.find(request.params.at("questionnaire"));
        if (q == nullptr) return json_error(404, "unknown_questionnaire", "this server has no such questionnaire");
        fhir_options options;
        options.language = request.query_value("lang").value_or("");
        if (!options.language.empty() && !q->has_language(options.language)) {
            return json_error(422, "unknown_language", "the questionnaire has no language '" + options.language + "'");
        }
        options.base_url = request.query_value("base-url").value_or("");
        fhir_questionnaire exported = export_fhir_questionnaire(*q, options);
        return http_response{200, "application/fhir+json", std::move(exported.json), {}};
    });
    routes.add("POST", "/api/v1/questionnaires/{questionnaire}/evaluate", [&service](http_request& request) {
        const questionnaire* q = service.find(request.params.at("questionnaire"));
        if (q == nullptr) return json_error(404, "unknown_questionnaire", "this server has no such questionnaire");
        batch_options options;
        options.language = request.query_value("lang").value_or(service.default_language(*q));
        if (!q->has_language(options.language)) {
            return json_error(422, "unknown_language", "the questionnaire has no language '" + options.language + "'");
        }
        std::optional<record_format> const input = format_named(request, "input-format");
        std::optional<record_format> const output = format_named(request, "output-format");
        if (!input || !output) {
            return json_error(400, "bad_request", "input-format and output-format are json or fhir-r4");
        }
        options.input = *input;
        options.output = *output;
        options.with_answers = request.query_value("with-answers").value_or("") == "true";
        options.base_url = request.query_value("base-url").value_or("");
        if (request.body.find('\n') != std::string::npos && options.input == record_format::json) {
            // One record per request: a line break inside JSON is only ever white space.
            json const parsed = json::parse(request.body, nullptr, false);
            if (!parsed.is_discarded()) request.body = parsed.dump();
        }
        batch_evaluator evaluator(*q, options);
        std::string out;
        result_status const status = evaluator.evaluate(request.body, out);
        // A Bundle of responses gives one result per entry, a line each.
        bool const lines = evaluator.last_statuses().size() > 1;
        return http_response{status == result_status::invalid ? 422 : 200,
                             lines                                      ? "application/x-ndjson"
                             : options.output == record_format::fhir_r4 ? "application/fhir+json"
                                                                        : "application/json",
                             std::move(out),
                             {}};
    });

    routes.add("POST", "/api/v1/intakes", [&service](http_request& request) {
        auto body = json_body(request, false);
        if (auto* refusal = std::get_if<http_response>(&body)) return *refusal;
        const json& fields = std::get<json>(body);
        if (!fields.contains("questionnaire") || !fields.at("questionnaire").is_string()) {
            return json_error(400, "bad_request", "give the questionnaire's id: {\"questionnaire\": \"ID\"}");
        }
        const questionnaire* q = service.find(fields.at("questionnaire").get<std::string>());
        if (q == nullptr) return json_error(422, "unknown_questionnaire", "this server has no such questionnaire");
        std::string language = service.default_language(*q);
        if (fields.contains("language")) {
            if (!fields.at("language").is_string() || !q->has_language(fields.at("language").get<std::string>())) {
                return json_error(422, "unknown_language",
                                  "the questionnaire's languages are " + json(q->languages()).dump());
            }
            language = fields.at("language").get<std::string>();
        }
        if (!service.may_create(request.client)) {
            http_response refusal =
                json_error(429, "too_many_intakes", "too many intakes were started from this address; wait a minute");
            refusal.headers.emplace_back("Retry-After", "60");
            return refusal;
        }
        auto created = service.create(*q, language);
        if (auto* problem = std::get_if<intake_problem>(&created)) return problem_response(*problem);
        const stored_intake& intake = std::get<stored_intake>(created);
        http_response response;
        service.with_intake(intake.id, [&](open_intake& open) {
            response = json_response(201, state_json(open));
            return false;
        });
        response.headers.emplace_back("Location", "/api/v1/intakes/" + intake.id);
        return response;
    });

    routes.add("GET", "/api/v1/intakes/{intake}", [&service](http_request& request) {
        http_response response;
        auto const problem = service.with_intake(request.params.at("intake"), [&](open_intake& open) {
            response = json_response(200, state_json(open));
            return false;
        });
        return problem ? problem_response(*problem) : response;
    });

    routes.add("POST", "/api/v1/intakes/{intake}/answer", [&service](http_request& request) {
        auto body = json_body(request, false);
        if (auto* refusal = std::get_if<http_response>(&body)) return *refusal;
        const json& fields = std::get<json>(body);
        if (!fields.contains("answer")) {
            return json_error(400, "bad_request", "give the answer as {\"answer\": VALUE} (docs/serve.md)");
        }
        http_response response;
        auto const problem = service.with_intake(
            request.params.at("intake"),
            [&](open_intake& open) {
                if (auto refusal = check_current(fields, open.intake)) {
                    response = *refusal;
                    return false;
                }
                std::string const question = open.intake.current()->id;
                answer_feedback const feedback = open.intake.answer_json(fields.at("answer").dump());
                if (!feedback.accepted) {
                    response =
                        json_error(422, "invalid_answer", feedback.message, "\"question\":" + json(question).dump());
                    return false;
                }
                set_urgent_notice(open.stored, feedback.urgent);
                return true;
            },
            [&](const open_intake& open) { response = json_response(200, state_json(open)); });
        return problem ? problem_response(*problem) : response;
    });

    auto simple_step = [&service](std::string_view what) {
        return [&service, what](http_request& request) {
            auto body = json_body(request, true);
            if (auto* refusal = std::get_if<http_response>(&body)) return *refusal;
            const json& fields = std::get<json>(body);
            http_response response;
            auto const problem = service.with_intake(
                request.params.at("intake"),
                [&](open_intake& open) {
                    if (what == "back") {
                        if (!open.intake.back()) {
                            response = json_error(409, "no_previous_question", "this is the first question");
                            return false;
                        }
                        set_urgent_notice(open.stored, {});
                    } else {
                        if (auto refusal = check_current(fields, open.intake)) {
                            response = *refusal;
                            return false;
                        }
                        answer_feedback const feedback = open.intake.skip();
                        if (!feedback.accepted) {
                            response = json_error(422, "not_optional", feedback.message);
                            return false;
                        }
                        set_urgent_notice(open.stored, feedback.urgent);
                    }
                    return true;
                },
                [&](const open_intake& open) { response = json_response(200, state_json(open)); });
            return problem ? problem_response(*problem) : response;
        };
    };
    routes.add("POST", "/api/v1/intakes/{intake}/back", simple_step("back"));
    routes.add("POST", "/api/v1/intakes/{intake}/skip", simple_step("skip"));

    routes.add("GET", "/api/v1/intakes/{intake}/result", [&service](http_request& request) {
        std::optional<record_format> const format = format_named(request, "format");
        if (!format) return json_error(400, "bad_request", "format is json or fhir-r4");
        http_response response;
        auto const problem = service.with_intake(request.params.at("intake"), [&](open_intake& open) {
            if (*format == record_format::json) {
                response = {200, "application/json", to_json(open.intake.current_result()), {}};
                return false;
            }
            batch_options options;
            options.language = open.intake.language();
            options.output = record_format::fhir_r4;
            options.base_url = request.query_value("base-url").value_or("");
            batch_evaluator evaluator(open.intake.questionnaire_used(), options);
            std::string out;
            evaluator.evaluate(open.intake.save_json(), out);
            response = {200, "application/fhir+json", std::move(out), {}};
            return false;
        });
        return problem ? problem_response(*problem) : response;
    });

    // Staff routes: a bearer token from --token-file.
    auto staff = [&service, tokens = std::move(staff_tokens)](auto handler) {
        return [&service, tokens, handler](http_request& request) -> http_response {
            if (tokens.empty()) {
                return json_error(403, "staff_routes_off", "staff routes are off: start the server with --token-file");
            }
            if (!bearer_matches(request, tokens)) {
                http_response refusal =
                    json_error(401, "unauthorized", "staff routes need 'Authorization: Bearer TOKEN'");
                refusal.headers.emplace_back("WWW-Authenticate", "Bearer");
                return refusal;
            }
            return handler(service, request);
        };
    };
    routes.add("GET", "/api/v1/staff/intakes", staff([](intake_service& service, http_request& request) {
                   intake_filter filter;
                   std::string const status = request.query_value("status").value_or("ended");
                   if (status != "ended" && status != "all") {
                       return json_error(400, "bad_request", "status is ended or all");
                   }
                   filter.ended_only = status == "ended";
                   if (!whole_number(request.query_value("limit").value_or("100"), filter.limit) ||
                       !whole_number(request.query_value("offset").value_or("0"), filter.offset)) {
                       return json_error(400, "bad_request", "limit and offset are whole numbers");
                   }
                   if (filter.limit == 0 || filter.limit > 1000) {
                       return json_error(400, "bad_request", "limit is from 1 to 1000");
                   }
                   std::optional<std::vector<intake_summary>> const summaries = service.store().list(filter);
                   if (!summaries) {
                       return json_error(503, "storage_failed", "the intakes could not be read; try again later");
                   }
                   json list = json::array();
                   for (const intake_summary& summary : *summaries) list.push_back(summary_json(summary));
                   return json_response(200, {{"intakes", std::move(list)}});
               }));
    routes.add("GET", "/api/v1/staff/intakes/{intake}", staff([](intake_service& service, http_request& request) {
                   http_response response;
                   auto const problem = service.with_intake(request.params.at("intake"), [&](open_intake& open) {
                       intake_summary summary{open.stored.id,
                                              open.stored.questionnaire_id,
                                              open.stored.questionnaire_version,
                                              open.stored.questionnaire_sha256,
                                              open.stored.language,
                                              open.stored.status,
                                              open.stored.created_at,
                                              open.stored.updated_at};
                       json out = summary_json(summary);
                       out["saved"] = json::parse(open.intake.save_json());
                       out["result"] = json::parse(to_json(open.intake.current_result()));
                       response = json_response(200, out);
                       return false;
                   });
                   return problem ? problem_response(*problem) : response;
               }));
    routes.add("DELETE", "/api/v1/staff/intakes/{intake}", staff([](intake_service& service, http_request& request) {
                   const std::string& id = request.params.at("intake");
                   store_outcome const outcome =
                       intake_service::is_intake_id(id) ? service.store().remove(id) : store_outcome::missing;
                   if (outcome == store_outcome::failed) {
                       return json_error(503, "storage_failed", "the intake could not be deleted; try again later");
                   }
                   if (outcome != store_outcome::done) {
                       return json_error(404, "unknown_intake", "there is no intake with this id");
                   }
                   return http_response{204, "", "", {}};
               }));
}

}  // namespace stepcare::server
