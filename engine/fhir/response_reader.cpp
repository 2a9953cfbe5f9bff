#include "fhir/response_reader.hpp"

#include "diagnostics/quote.hpp"
#include "foundation/json_input.hpp"
#include "stepcare/names.hpp"

namespace stepcare {
namespace {

using json = nlohmann::json;

std::string joined(std::string_view path, std::string_view step) {
    if (path.empty()) return std::string(step);
    return std::string(path) + "." + std::string(step);
}

/// The `value[x]` of an answer: its key and value, or an empty key when there is not exactly one.
std::pair<std::string_view, const json*> answer_value_of(const json& answer) {
    std::pair<std::string_view, const json*> found{{}, nullptr};
    int count = 0;
    for (auto it = answer.begin(); it != answer.end(); ++it) {
        if (!it.key().starts_with("value")) continue;
        ++count;
        found = {it.key(), &it.value()};
    }
    if (count != 1) return {{}, nullptr};
    return found;
}

/// What nlohmann's parser says is wrong with `text`, which is not JSON.
std::string json_problem(std::string_view text) {
    try {
        json const parsed = json::parse(text);
    } catch (const json::exception& e) {
        std::string what = e.what();
        // "[json.exception.parse_error.101] parse error at ...": keep the readable part.
        if (auto const close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
        return what;
    }
    return "it could not be read";
}

class response_reader {
public:
    response_reader(const program& p, const fhir_names& names, answer_record& out) : p_(p), names_(names), out_(out) {}

    void read(const json& response, std::string_view path) {
        if (!response.is_object()) {
            error(std::nullopt, path, "a QuestionnaireResponse (a JSON object) is expected here");
            return;
        }
        auto type = response.find("resourceType");
        if (type == response.end() || !type->is_string() || *type != "QuestionnaireResponse") {
            error(std::nullopt, joined(path, "resourceType"),
                  (type != response.end() && type->is_string() ? "\"" + type->get<std::string>() + "\" is not"
                                                               : std::string("missing; it must be")) +
                      " \"QuestionnaireResponse\"");
            return;
        }
        read_id(response, path);
        if (!read_questionnaire(response, path)) return;
        auto items = response.find("item");
        if (items != response.end()) read_items(*items, joined(path, "item"));
    }

private:
    const program& p_;
    const fhir_names& names_;
    answer_record& out_;

    void error(std::optional<std::string> question, std::string_view path, std::string message) {
        std::string text = path.empty() ? std::move(message) : std::string(path) + ": " + message;
        out_.errors.push_back({std::move(question), std::move(text)});
    }

    void read_id(const json& response, std::string_view path) {
        auto identifier = response.find("identifier");
        if (identifier != response.end() && identifier->is_object()) {
            auto value = identifier->find("value");
            if (value != identifier->end() && value->is_string()) {
                out_.id_json = value->dump();
                return;
            }
        }
        auto id = response.find("id");
        if (id != response.end()) {
            if (id->is_string()) {
                out_.id_json = id->dump();
            } else {
                error(std::nullopt, joined(path, "id"), "an id must be a string");
            }
        }
    }

    bool read_questionnaire(const json& response, std::string_view path) {
        std::string const where = joined(path, "questionnaire");
        auto found = response.find("questionnaire");
        if (found == response.end() || !found->is_string()) {
            error(std::nullopt, where, "missing; a response must name its questionnaire: \"" + names_.canonical + "\"");
            return false;
        }
        std::string const& canonical = found->get_ref<const std::string&>();
        std::string_view url = canonical;
        std::string_view version;
        if (auto bar = url.find('|'); bar != std::string_view::npos) {
            version = url.substr(bar + 1);
            url = url.substr(0, bar);
        }
        if (url != names_.url) {
            error(std::nullopt, where,
                  "\"" + canonical + "\" is another questionnaire than " + names_.url +
                      " (for a questionnaire exported with --base-url, give the same --base-url here)");
            return false;
        }
        if (!version.empty() && version != p_.version) {
            error(std::nullopt, where,
                  "\"" + canonical + "\" is version " + std::string(version) + " of this questionnaire, not " +
                      p_.version + "; answers are never moved from one version to another");
            return false;
        }
        return true;
    }

    void read_items(const json& items, const std::string& path) {
        if (!items.is_array()) {
            error(std::nullopt, path, "an array of items is expected here");
            return;
        }
        for (std::size_t i = 0; i < items.size(); ++i) read_item(items[i], path + "[" + std::to_string(i) + "]");
    }

    enum class item_kind { question, group, calculated, display, unknown };

    item_kind kind_of(std::string_view link_id, std::uint32_t& index) const {
        index = p_.find_question(link_id);
        if (index != no_index) return item_kind::question;
        for (std::uint32_t s = 0; s < p_.sections.size(); ++s) {
            if (p_.sections[s].id == link_id) return item_kind::group;
        }
        if (link_id == "referral") return item_kind::display;
        auto named = [&](std::string_view prefix, std::string_view suffix, auto& list) {
            if (!link_id.starts_with(prefix) || !link_id.ends_with(suffix)) return false;
            std::string_view const name = link_id.substr(prefix.size(), link_id.size() - prefix.size() - suffix.size());
            for (const auto& entry : list) {
                if (entry.id == name) return true;
            }
            return false;
        };
        if (named("let.", "", p_.lets) || named("outcome.", "", p_.outcomes)) return item_kind::calculated;
        if (named("outcome.", ".text", p_.outcomes) || named("", ".help", p_.questions)) return item_kind::display;
        return item_kind::unknown;
    }

    void read_item(const json& item, const std::string& path) {
        if (!item.is_object()) {
            error(std::nullopt, path, "an item (a JSON object with a linkId) is expected here");
            return;
        }
        auto link = item.find("linkId");
        if (link == item.end() || !link->is_string()) {
            error(std::nullopt, path, "the item has no linkId (a string)");
            return;
        }
        std::string const& link_id = link->get_ref<const std::string&>();
        auto answers = item.find("answer");
        bool const has_answers = answers != item.end();
        std::uint32_t q = no_index;
        item_kind const kind = kind_of(link_id, q);
        switch (kind) {
            case item_kind::question: read_question(item, q, path); return;
            case item_kind::group:
            case item_kind::display:
                if (has_answers) {
                    error(std::nullopt, path,
                          stepcare::quoted(link_id) + " is a " + (kind == item_kind::group ? "group" : "display item") +
                              "; it takes no answer");
                    return;
                }
                break;
            case item_kind::calculated: return;  // recomputed from the answers: never read
            case item_kind::unknown: {
                std::string message = "linkId " + stepcare::quoted(link_id) + " is not an item of " + names_.canonical;
                std::vector<std::string_view> names;
                for (const compiled_question& question : p_.questions) names.push_back(question.id);
                for (const compiled_section& section : p_.sections) names.push_back(section.id);
                std::string_view const best = closest_name(link_id, names);
                if (!best.empty()) message += "; did you mean " + stepcare::quoted(best) + "?";
                error(link_id, path, std::move(message));
                return;
            }
        }
        auto children = item.find("item");
        if (children != item.end()) read_items(*children, path + ".item");
    }

    void read_question(const json& item, std::uint32_t q, const std::string& path) {
        const compiled_question& question = p_.questions[q];
        std::string const& id = question.id;
        if (out_.given[q]) {
            error(id, path, "a second item for " + stepcare::quoted(id) + "; a question has one");
            return;
        }
        out_.given[q] = true;
        auto answers = item.find("answer");
        bool const multi = question.kind == question_kind::multi;
        if (answers == item.end()) {
            // The item of a multi without answers: answered, none chosen (docs/fhir.md).
            if (multi) assign(q, answer_value(answer_value::option_ids{}), path);
            return;
        }
        std::string const answers_path = path + ".answer";
        if (!answers->is_array() || answers->empty()) {
            error(id, answers_path, "an array of one answer or more is expected here");
            return;
        }
        if (!multi && answers->size() > 1) {
            error(id, answers_path, stepcare::quoted(id) + " takes one answer, not " + std::to_string(answers->size()));
            return;
        }
        answer_value::option_ids chosen;
        for (std::size_t a = 0; a < answers->size(); ++a) {
            std::string const answer_path = answers_path + "[" + std::to_string(a) + "]";
            const json& answer = (*answers)[a];
            if (!answer.is_object()) {
                error(id, answer_path, "an answer (a JSON object with one value[x]) is expected here");
                return;
            }
            auto [key, value] = answer_value_of(answer);
            if (value == nullptr) {
                error(id, answer_path, "an answer has exactly one value[x] (valueBoolean, valueCoding, ...)");
                return;
            }
            std::string const value_path = answer_path + "." + std::string(key);
            std::optional<answer_value> typed = convert(q, key, *value, value_path);
            if (!typed) return;
            if (multi) {
                chosen.push_back(std::get<std::string>(typed->data()));
            } else {
                if (!assign(q, std::move(*typed), value_path)) return;
            }
            auto nested = answer.find("item");
            if (nested != answer.end()) read_items(*nested, answer_path + ".item");
        }
        if (multi) assign(q, answer_value(std::move(chosen)), answers_path);
        auto children = item.find("item");
        if (children != item.end()) read_items(*children, path + ".item");
    }

    bool assign(std::uint32_t q, answer_value value, const std::string& path) {
        if (auto problem = assign_answer(p_, q, value, out_.answers)) {
            error(p_.questions[q].id, path, std::move(*problem));
            return false;
        }
        return true;
    }

    /// The answer `value` (at `key`) as the answers format has it, or nothing after an error.
    std::optional<answer_value> convert(std::uint32_t q, std::string_view key, const json& value,
                                        const std::string& path) {
        const compiled_question& question = p_.questions[q];
        auto wrong = [&](std::string_view wanted) -> std::optional<answer_value> {
            error(question.id, path,
                  stepcare::quoted(question.id) + (question.kind == question_kind::integer ? " is an " : " is a ") +
                      to_string(question.kind) + " question; it takes " + std::string(wanted));
            return std::nullopt;
        };
        switch (question.kind) {
            case question_kind::yesno:
                if (key != "valueBoolean" || !value.is_boolean()) return wrong("valueBoolean");
                return answer_value(value.get<bool>());
            case question_kind::integer:
                if (key != "valueInteger" || !value.is_number_integer()) return wrong("valueInteger");
                return answer_value(value.get<std::int64_t>());
            case question_kind::decimal:
                if (key != "valueDecimal" || !value.is_number()) return wrong("valueDecimal");
                return answer_value(value.get<double>());
            case question_kind::text:
                if (key != "valueString" || !value.is_string()) return wrong("valueString");
                return answer_value(value.get<std::string>());
            case question_kind::choice:
            case question_kind::multi: {
                if (key != "valueCoding" || !value.is_object()) return wrong("valueCoding");
                auto code = value.find("code");
                if (code == value.end() || !code->is_string()) {
                    error(question.id, path, "the coding has no code (a string)");
                    return std::nullopt;
                }
                auto system = value.find("system");
                std::string const& expected = names_.option_systems[question.option_set];
                if (system != value.end() && (!system->is_string() || *system != expected)) {
                    error(question.id, path + ".system",
                          system->dump() + " is not the code system of the options of " +
                              stepcare::quoted(question.id) + ", " + expected);
                    return std::nullopt;
                }
                return answer_value(code->get<std::string>());
            }
        }
        return std::nullopt;
    }
};

}  // namespace

void parse_fhir_input(std::string_view text, fhir_input& out) {
    out.responses.clear();
    out.error.clear();
    switch (read_json(text, out.document)) {
        case json_read::ok: break;
        case json_read::too_deep: out.error = "the line is " + nesting_too_deep(); return;
        case json_read::invalid: out.error = "not valid JSON: " + json_problem(text); return;
    }
    const json& doc = out.document;
    if (!doc.is_object()) {
        out.error = "not a FHIR resource: a JSON object with a resourceType is expected";
        return;
    }
    auto type = doc.find("resourceType");
    if (type != doc.end() && *type == "Bundle") {
        auto entries = doc.find("entry");
        if (entries == doc.end() || !entries->is_array() || entries->empty()) {
            out.error = "the Bundle has no entry";
            return;
        }
        for (std::size_t i = 0; i < entries->size(); ++i) {
            std::string path = "entry[" + std::to_string(i) + "]";
            const json& entry = (*entries)[i];
            auto resource = entry.is_object() ? entry.find("resource") : entry.end();
            if (!entry.is_object() || resource == entry.end()) {
                // Read as a response, so that the record is invalid with this path.
                out.responses.emplace_back(&entry, std::move(path));
                continue;
            }
            out.responses.emplace_back(&*resource, path + ".resource");
        }
        return;
    }
    out.responses.emplace_back(&doc, std::string());
}

void read_fhir_response(const program& p, const fhir_names& names, const nlohmann::json& response,
                        std::string_view path, answer_record& out) {
    start_record(p, out);
    response_reader(p, names, out).read(response, path);
}

}  // namespace stepcare
