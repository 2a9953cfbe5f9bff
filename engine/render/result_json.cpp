// Results to and from the JSON of interfaces.md section 3.

#include <nlohmann/json.hpp>
#include <utility>

#include "render/result_json.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

const char* to_string(result_status status) {
    switch (status) {
        case result_status::complete: return "complete";
        case result_status::incomplete: return "incomplete";
        case result_status::stopped: return "stopped";
        case result_status::invalid: return "invalid";
    }
    return "invalid";
}

const char* to_string(outcome_level level) {
    switch (level) {
        case outcome_level::urgent: return "urgent";
        case outcome_level::caution: return "caution";
        case outcome_level::guidance: return "guidance";
        case outcome_level::info: return "info";
    }
    return "info";
}

const fired_outcome* result::find_outcome(std::string_view id) const {
    for (const fired_outcome& o : outcomes) {
        if (o.id == id) return &o;
    }
    return nullptr;
}

void append_piece(std::string& out, const questionnaire_identity& q) {
    out += "{\"id\":";
    append_json_string(out, q.id);
    out += ",\"version\":";
    append_json_string(out, q.version);
    out += ",\"sha256\":";
    append_json_string(out, q.sha256);
    out += '}';
}

std::string to_json(const result& r, result_texts texts) {
    std::string out;
    out.reserve(512);
    result_json_writer json(out, texts);
    json.open(r.id_json, r.status);
    for (const fired_outcome& o : r.outcomes) {
        json.outcome([&](std::string& out) { result_json_writer::outcome_head(out, o.id, o.level); }, o.title, o.text,
                     [&](std::string& out) { result_json_writer::cites_tail(out, o.cites); });
    }
    for (const undetermined_outcome& u : r.undetermined) json.undetermined(u.id, u.missing);
    json.referral(r.referral.title, r.referral.text, r.referral.cites);
    for (const std::pair<std::string, std::string>& let : r.values) {
        json.let_value([&](std::string& out) { result_json_writer::let_key(out, let.first); }, json_raw{let.second});
    }
    json.missing(r.missing);
    json.ignored(r.ignored);
    for (const answer_error& e : r.errors) json.error(e);
    json.close(r.questionnaire);
    return out;
}

namespace {

using ordered = nlohmann::ordered_json;

std::vector<std::string> strings_of(const ordered& array) {
    std::vector<std::string> out;
    for (const ordered& item : array) out.push_back(item.get<std::string>());
    return out;
}

/// An outcome's or the referral's title and text: both, or neither (a result written with
/// `result_texts::none`), which reads as empty ones.
std::pair<std::string, std::string> texts_of(const ordered& item) {
    if (!item.contains("title") && !item.contains("text")) return {};
    return {item.at("title").get<std::string>(), item.at("text").get<std::string>()};
}

template <typename Enum>
Enum enum_of(const std::string& text, std::initializer_list<Enum> all) {
    for (Enum const e : all) {
        if (text == to_string(e)) return e;
    }
    throw std::invalid_argument("'" + text + "' is not a known value");
}

}  // namespace

std::optional<result> result_from_json(std::string_view text, std::string* error) {
    try {
        ordered const j = ordered::parse(text);
        result r;
        if (!j.at("id").is_null()) r.id_json = j.at("id").dump();
        r.status = enum_of(j.at("status").get<std::string>(), {result_status::complete, result_status::incomplete,
                                                               result_status::stopped, result_status::invalid});
        for (const ordered& o : j.at("outcomes")) {
            auto [title, text] = texts_of(o);
            r.outcomes.push_back(
                {o.at("id").get<std::string>(),
                 enum_of(o.at("level").get<std::string>(),
                         {outcome_level::urgent, outcome_level::caution, outcome_level::guidance, outcome_level::info}),
                 std::move(title), std::move(text), strings_of(o.at("cites"))});
        }
        for (const ordered& u : j.at("undetermined")) {
            r.undetermined.push_back({u.at("id").get<std::string>(), strings_of(u.at("missing"))});
        }
        const ordered& referral = j.at("referral");
        auto [title, text] = texts_of(referral);
        r.referral = {std::move(title), std::move(text), strings_of(referral.at("cites"))};
        for (const auto& [key, v] : j.at("values").items()) r.values.emplace_back(key, v.dump());
        r.missing = strings_of(j.at("missing"));
        r.ignored = strings_of(j.at("ignored"));
        for (const ordered& e : j.at("errors")) {
            answer_error ae;
            if (!e.at("question").is_null()) ae.question = e.at("question").get<std::string>();
            ae.message = e.at("message").get<std::string>();
            r.errors.push_back(std::move(ae));
        }
        const ordered& q = j.at("questionnaire");
        r.questionnaire = {q.at("id").get<std::string>(), q.at("version").get<std::string>(),
                           q.at("sha256").get<std::string>()};
        return r;
    } catch (const std::exception& e) {
        if (error != nullptr) *error = e.what();
        return std::nullopt;
    }
}

}  // namespace stepcare
