#include <openssl/rand.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "routes.hpp"
#include "web_pages.hpp"

namespace stepcare::server {

namespace {

/// `text` with `{1}`, `{2}`... replaced by the values.
std::string with_arguments(std::string text, const std::vector<std::string>& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::string const mark = "{" + std::to_string(i + 1) + "}";
        const std::string& value = values[i];
        for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size())) {
            text.replace(at, mark.size(), value);
        }
    }
    return text;
}

std::string number_text(double number, const std::string& language) {
    std::string text = nlohmann::json(number).dump();
    if (std::floor(number) == number && std::abs(number) < 1e15) text = std::to_string(static_cast<long long>(number));
    if (language.starts_with("es")) std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

http_response html(int status, std::string body) { return {status, "text/html; charset=utf-8", std::move(body), {}}; }

http_response redirect(const std::string& location) {
    return {303, "text/html; charset=utf-8", "", {{"Location", location}}};
}

http_response error_html(int status, const std::string& language, const std::string& message_key,
                         const std::string& next_url) {
    web::error_page page;
    page.frame.language = language;
    page.status = status;
    page.message = web::text(language, message_key);
    page.next_url = next_url;
    return html(status, web::render(page));
}

http_response problem_html(const intake_problem& problem, const std::string& language) {
    std::string key = "error_storage";
    if (problem.code == "unknown_intake") key = "error_unknown_intake";
    if (problem.code == "questionnaire_changed") key = "error_questionnaire_changed";
    if (problem.code == "changed_meanwhile") key = "error_stale";
    return error_html(problem.status, language, key, "/");
}

std::vector<web::language_choice> language_choices(const questionnaire& q) {
    std::vector<web::language_choice> choices;
    for (const std::string& code : q.languages()) choices.push_back({code, web::text(code, "language_name")});
    return choices;
}

std::vector<web::shown_outcome> shown(const session& s, const std::vector<fired_outcome>& outcomes) {
    std::vector<web::shown_outcome> out;
    for (const fired_outcome& outcome : outcomes) {
        web::shown_outcome entry{outcome, {}};
        for (const std::string& cite : outcome.cites)
            entry.source_titles.push_back(s.source_title(cite).value_or(cite));
        out.push_back(std::move(entry));
    }
    return out;
}

/// The values of a form's `answer` fields, in order.
std::vector<std::string> answer_fields(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::vector<std::string> values;
    for (const auto& [key, value] : fields) {
        if (key == "answer") values.push_back(value);
    }
    return values;
}

/// The form fields of an answer given before, as the question's form shows them.
std::vector<std::string> fields_of(const session& s, const answer_value& answer) {
    std::vector<std::string> fields;
    std::visit(
        [&](const auto& value) {
            using type = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<type, bool>) {
                fields.push_back(value ? "yes" : "no");
            } else if constexpr (std::is_same_v<type, std::int64_t>) {
                fields.push_back(std::to_string(value));
            } else if constexpr (std::is_same_v<type, double>) {
                fields.push_back(number_text(value, s.language()));
            } else if constexpr (std::is_same_v<type, std::string>) {
                fields.push_back(value);
            } else if constexpr (std::is_same_v<type, answer_value::option_ids>) {
                fields = value;
            }
        },
        answer.data());
    return fields;
}

/// Why typed text is not an answer, in the page's language.
std::string problem_text(const std::string& language, const answer_problem& problem, const question_view& q) {
    using kind = answer_problem::kind;
    std::vector<std::string> const range{number_text(q.min, language), number_text(q.max, language)};
    switch (problem.what) {
        case kind::empty: return web::text(language, "problem_empty");
        case kind::not_a_number: return with_arguments(web::text(language, "problem_not_a_number"), range);
        case kind::decimal_separator:
            return with_arguments(web::text(language, "problem_decimal_separator"), {problem.suggestion});
        case kind::grouping: return with_arguments(web::text(language, "problem_grouping"), {problem.suggestion});
        case kind::not_whole: return with_arguments(web::text(language, "problem_not_whole"), range);
        case kind::out_of_range: return with_arguments(web::text(language, "problem_out_of_range"), range);
        case kind::too_long:
            return with_arguments(web::text(language, "problem_too_long"), {std::to_string(q.max_length.value_or(0))});
        default: return web::text(language, "problem_choose");
    }
}

class web_routes : public std::enable_shared_from_this<web_routes> {
public:
    explicit web_routes(intake_service& service) : service_(service) {}

    void add(router& routes) {
        // Each route keeps the table alive: it lives as long as the router.
        auto self = shared_from_this();
        routes.add("GET", "/", [self](http_request& r) { return self->home(r); });
        routes.add("POST", "/intakes", [self](http_request& r) { return self->start(r); });
        routes.add("GET", "/intake/{intake}", [self](http_request& r) { return self->page(r, false); });
        routes.add("GET", "/intake/{intake}/print", [self](http_request& r) { return self->page(r, true); });
        for (const char* action : {"answer", "back", "skip", "leave", "language"}) {
            std::string const what = action;
            routes.add("POST", "/intake/{intake}/" + what,
                       [self, what](http_request& r) { return self->act(r, what); });
        }
        routes.add("GET", "/static/stepcare.css", [](http_request&) {
            return http_response{
                200, "text/css; charset=utf-8", web::stylesheet(), {{"Cache-Control", "public, max-age=3600"}}};
        });
    }

private:
    std::string home_language(const http_request& request) const {
        if (auto asked = request.query_value("lang")) {
            for (const questionnaire& q : service_.questionnaires()) {
                if (q.has_language(*asked)) return *asked;
            }
        }
        return service_.questionnaires().empty() ? "en" : service_.default_language(service_.questionnaires().front());
    }

    static std::string cookie(const http_request& request, std::string_view name) {
        std::string const header = request.header("cookie");
        std::string const key = std::string(name) + "=";
        for (std::size_t at = 0; at < header.size();) {
            std::size_t const end = std::min(header.find(';', at), header.size());
            std::string_view part = std::string_view(header).substr(at, end - at);
            while (part.starts_with(' ')) part.remove_prefix(1);
            if (part.starts_with(key)) return std::string(part.substr(key.size()));
            at = end + 1;
        }
        return {};
    }

    http_response home(http_request& request) {
        std::string language = home_language(request);
        std::string browser = cookie(request, "stepcare_form");
        bool const fresh = !intake_service::is_intake_id(browser);
        if (fresh) {
            unsigned char bytes[16];
            RAND_bytes(bytes, sizeof bytes);
            browser.clear();
            for (unsigned char const b : bytes) {
                browser += "0123456789abcdef"[b >> 4];
                browser += "0123456789abcdef"[b & 0x0F];
            }
        }
        web::home_page page;
        page.frame.language = language;
        page.frame.csrf_token = service_.form_token("start:" + browser);
        for (const questionnaire& q : service_.questionnaires()) {
            std::string const shown_in = q.has_language(language) ? language : service_.default_language(q);
            page.questionnaires.push_back(
                {q.id(), q.title(shown_in), q.description(shown_in), language_choices(q), shown_in});
        }
        http_response response = html(200, web::render(page));
        if (fresh) {
            response.headers.emplace_back("Set-Cookie", "stepcare_form=" + browser +
                                                            "; Path=/; HttpOnly; SameSite=Strict" +
                                                            (request.secure ? "; Secure" : ""));
        }
        return response;
    }

    /// The form's fields, or the page that refuses them.
    std::variant<std::vector<std::pair<std::string, std::string>>, http_response> form(const http_request& request,
                                                                                       const std::string& language) {
        auto fields = parse_form(request.body);
        if (!fields || fields->size() > 1000) return error_html(400, language, "error_bad_form", "/");
        return std::move(*fields);
    }

    static std::string field(const std::vector<std::pair<std::string, std::string>>& fields, std::string_view name) {
        for (const auto& [key, value] : fields) {
            if (key == name) return value;
        }
        return {};
    }

    http_response start(http_request& request) {
        std::string const language = home_language(request);
        auto parsed = form(request, language);
        if (auto* refusal = std::get_if<http_response>(&parsed)) return *refusal;
        const auto& fields = std::get<0>(parsed);
        std::string const browser = cookie(request, "stepcare_form");
        if (!intake_service::is_intake_id(browser) ||
            !service_.token_matches(field(fields, "csrf"), "start:" + browser)) {
            return error_html(403, language, "error_forged", "/");
        }
        const questionnaire* q = service_.find(field(fields, "questionnaire"));
        if (q == nullptr) return error_html(404, language, "error_not_found", "/");
        std::string chosen = field(fields, "lang");
        if (!q->has_language(chosen)) chosen = service_.default_language(*q);
        if (!service_.may_create(request.client)) {
            http_response refusal = error_html(429, chosen, "error_too_many", "/");
            refusal.headers.emplace_back("Retry-After", "60");
            return refusal;
        }
        auto created = service_.create(*q, chosen);
        if (auto* problem = std::get_if<intake_problem>(&created)) return problem_html(*problem, chosen);
        return redirect("/intake/" + std::get<stored_intake>(created).id);
    }

    /// A form token for the intake as it stands: "REVISION.HMAC", so that a form from an
    /// earlier step can be told from a forged one.
    std::string intake_token(const stored_intake& stored) const {
        std::string const revision = std::to_string(stored.revision);
        return revision + "." + service_.form_token("intake:" + stored.id + ":" + revision);
    }

    web::page_frame frame(const open_intake& open) const {
        return {open.intake.language(), open.intake.questionnaire_used().title(open.intake.language()),
                intake_token(open.stored)};
    }

    http_response question_html(const open_intake& open, const question_view& q, std::vector<std::string> kept,
                                std::optional<std::string> error) const {
        web::question_page page;
        page.frame = frame(open);
        page.intake_id = open.stored.id;
        page.languages = language_choices(open.intake.questionnaire_used());
        page.urgent = shown(open.intake, urgent_notice(open));
        page.question = q;
        page.progress = open.intake.progress();
        page.can_go_back = open.intake.shown_questions().size() > 1;
        page.kept = std::move(kept);
        int const status = error ? 422 : 200;
        page.error = std::move(error);
        return html(status, web::render(page));
    }

    http_response render_intake(const open_intake& open, bool print) const {
        std::optional<question_view> const current = open.intake.current();
        if (current && !print) {
            std::vector<std::string> kept;
            if (auto given = open.intake.answer_of(current->id)) kept = fields_of(open.intake, *given);
            return question_html(open, *current, std::move(kept), std::nullopt);
        }
        if (current) return redirect("/intake/" + open.stored.id);
        web::ended_page page;
        page.frame = frame(open);
        page.intake_id = open.stored.id;
        page.languages = language_choices(open.intake.questionnaire_used());
        page.print = print;
        page.stopped = open.intake.stopped();
        if (!print) page.urgent = shown(open.intake, urgent_notice(open));
        result const now = open.intake.current_result();
        page.outcomes = shown(open.intake, now.outcomes);
        page.referral = now.referral;
        for (const std::string& cite : now.referral.cites) {
            page.referral_source_titles.push_back(open.intake.source_title(cite).value_or(cite));
        }
        page.can_go_back = !open.intake.shown_questions().empty();
        return html(200, web::render(page));
    }

    http_response page(http_request& request, bool print) {
        http_response response;
        auto const problem = service_.with_intake(request.params.at("intake"), [&](open_intake& open) {
            response = render_intake(open, print);
            return false;
        });
        return problem ? problem_html(*problem, home_language(request)) : response;
    }

    /// Reads the answer fields of `q`'s form: the value, or the message for the person.
    std::variant<answer_value, std::string> read_answer(
        const session& s, const question_view& q, const std::vector<std::pair<std::string, std::string>>& fields) {
        std::vector<std::string> const given = answer_fields(fields);
        const std::string& language = s.language();
        auto is_option = [&](const std::string& id) {
            return std::any_of(q.options.begin(), q.options.end(), [&](const option_view& o) { return o.id == id; });
        };
        switch (q.kind) {
            case question_kind::yesno:
                if (given.size() == 1 && (given[0] == "yes" || given[0] == "no"))
                    return answer_value(given[0] == "yes");
                return web::text(language, "problem_choose");
            case question_kind::choice:
                if (given.size() == 1 && is_option(given[0])) return answer_value(given[0]);
                return web::text(language, "problem_choose");
            case question_kind::multi:
                if (!std::all_of(given.begin(), given.end(), is_option)) return web::text(language, "problem_choose");
                return answer_value(answer_value::option_ids(given));
            default: break;
        }
        if (given.size() != 1) return web::text(language, "problem_empty");
        parsed_answer const parsed = s.parse_answer(q, given[0]);
        if (parsed.value) return *parsed.value;
        return problem_text(language, *parsed.problem, q);
    }

    http_response act(http_request& request, const std::string& what) {
        std::string const fallback_language = home_language(request);
        auto parsed = form(request, fallback_language);
        if (auto* refusal = std::get_if<http_response>(&parsed)) return *refusal;
        const auto& fields = std::get<0>(parsed);
        std::string const id = request.params.at("intake");
        http_response response;
        auto const problem = service_.with_intake(id, [&](open_intake& open) {
            std::string const token = field(fields, "csrf");
            std::string const revision = token.substr(0, token.find('.'));
            std::string const mac = token.find('.') == std::string::npos ? "" : token.substr(token.find('.') + 1);
            if (!service_.token_matches(mac, "intake:" + open.stored.id + ":" + revision)) {
                response = error_html(403, open.intake.language(), "error_forged", "/intake/" + id);
                return false;
            }
            if (revision != std::to_string(open.stored.revision)) {
                response = error_html(409, open.intake.language(), "error_stale", "/intake/" + id);
                return false;
            }
            response = redirect("/intake/" + id);
            if (what == "leave") {
                web::saved_page page;
                page.frame = frame(open);
                std::string const host = request.header("host");
                page.resume_url = (request.secure ? "https://" : "http://") + host + "/intake/" + id;
                page.retain_days = service_.retain_days();
                response = html(200, web::render(page));
                return false;
            }
            if (what == "language") {
                std::string const chosen = field(fields, "lang");
                const questionnaire& q = open.intake.questionnaire_used();
                if (!q.has_language(chosen)) return false;
                open.intake = session(q, chosen);
                open.intake.restore_json(open.stored.state_json);
                return true;
            }
            if (what == "back") {
                set_urgent_notice(open.stored, {});
                return open.intake.back();
            }
            std::optional<question_view> const current = open.intake.current();
            if (!current) return false;
            answer_feedback feedback;
            if (what == "skip") {
                feedback = open.intake.skip();
            } else {
                auto read = read_answer(open.intake, *current, fields);
                if (auto* message = std::get_if<std::string>(&read)) {
                    response = question_html(open, *current, answer_fields(fields), *message);
                    return false;
                }
                feedback = open.intake.answer(std::get<answer_value>(read));
            }
            if (!feedback.accepted) {
                response = question_html(open, *current, answer_fields(fields), feedback.message);
                return false;
            }
            set_urgent_notice(open.stored, feedback.urgent);
            return true;
        });
        return problem ? problem_html(*problem, fallback_language) : response;
    }

    intake_service& service_;
};

}  // namespace

void add_web_routes(router& routes, intake_service& service) { std::make_shared<web_routes>(service)->add(routes); }

}  // namespace stepcare::server
