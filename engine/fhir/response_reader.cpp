#include "fhir/response_reader.hpp"

#include <charconv>
#include <cstring>
#include <system_error>

#include "diagnostics/quote.hpp"
#include "foundation/json_input.hpp"
#include "foundation/plain_bytes.hpp"
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
    response_reader(const program& p, const fhir_names& names, const fhir_links& links, answer_record& out)
        : p_(p), names_(names), links_(links), out_(out) {}

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
    const fhir_links& links_;
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
        const fhir_links::link* found = links_.find(link_id);
        if (found == nullptr) {
            std::string message = "linkId " + stepcare::quoted(link_id) + " is not an item of " + names_.canonical;
            std::vector<std::string_view> names;
            for (const compiled_question& question : p_.questions) names.push_back(question.id);
            for (const compiled_section& section : p_.sections) names.push_back(section.id);
            std::string_view const best = closest_name(link_id, names);
            if (!best.empty()) message += "; did you mean " + stepcare::quoted(best) + "?";
            error(link_id, path, std::move(message));
            return;
        }
        switch (found->what) {
            case fhir_links::kind::question: read_question(item, found->question, path); return;
            case fhir_links::kind::calculated: return;  // recomputed from the answers: never read
            case fhir_links::kind::group:
            case fhir_links::kind::display:
                if (has_answers) {
                    error(std::nullopt, path,
                          stepcare::quoted(link_id) + " is a " +
                              (found->what == fhir_links::kind::group ? "group" : "display item") +
                              "; it takes no answer");
                    return;
                }
                break;
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
            // The item of a multi or text question without answers: answered, with no
            // option or an empty text (docs/fhir.md).
            if (multi) assign(q, answer_value(answer_value::option_ids{}), path);
            if (question.kind == question_kind::text) assign(q, answer_value(std::string()), path);
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

/// The reader of plain responses (see the header), straight from the text. Every step
/// returns false to give up, whereupon the document reader reads the response again.
class plain_response_reader {
public:
    plain_response_reader(const program& p, const fhir_names& names, const fhir_links& links, answer_record& out,
                          std::vector<std::string>& codes)
        : p_(p), names_(names), links_(links), out_(out), codes_(codes) {}

    /// Reads `text`, one response and nothing else.
    bool read(std::string_view text) {
        at_ = text.data();
        end_ = text.data() + text.size();
        std::string_view k;
        std::string_view type;
        // FHIR writes resourceType first; a response that does not is read as a document.
        if (!open('{') || !key(k) || !named(k, "resourceType") || !string(type) ||
            !named(type, "QuestionnaireResponse")) {
            return false;
        }
        first_ = false;  // the first member is read: the others follow commas
        std::string_view questionnaire, id, identifier;
        bool has_id = false, has_identifier = false;
        while (next_in('}')) {
            if (!key(k)) return false;
            if (named(k, "questionnaire")) {
                if (!string(questionnaire)) return false;
            } else if (named(k, "id")) {
                if (!string(id)) return false;
                has_id = true;
            } else if (named(k, "identifier")) {
                if (!read_identifier(identifier, has_identifier)) return false;
            } else if (named(k, "item")) {
                if (!items()) return false;
            } else if (!skip_value()) {
                return false;
            }
        }
        space();
        if (broken_ || at_ != end_) return false;
        std::string_view url = questionnaire;
        std::string_view version;
        if (auto bar = url.find('|'); bar != std::string_view::npos) {
            version = url.substr(bar + 1);
            url = url.substr(0, bar);
        }
        if (questionnaire.empty() || url != names_.url || (!version.empty() && version != p_.version)) return false;
        // Written as the document reader writes it.
        if (has_identifier) {
            out_.id_json = json(identifier).dump();
        } else if (has_id) {
            out_.id_json = json(id).dump();
        }
        return true;
    }

private:
    const program& p_;
    const fhir_names& names_;
    const fhir_links& links_;
    answer_record& out_;
    std::vector<std::string>& codes_;
    const char* at_ = nullptr;
    const char* end_ = nullptr;
    int depth_ = 0;
    std::uint32_t cursor_ = 0;  ///< for fhir_links::find_next

    // ---- JSON ------------------------------------------------------------------------------

    /// Whether `k` is `literal`: the length first, then the bytes, with the length known to
    /// the compiler.
    template <std::size_t size>
    static bool named(std::string_view k, const char (&literal)[size]) {
        return k.size() == size - 1 && std::memcmp(k.data(), literal, size - 1) == 0;
    }

    [[gnu::always_inline]] void space() {
        while (at_ != end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\t' || *at_ == '\r')) ++at_;
    }

    [[gnu::always_inline]] bool is(char c) {
        space();
        return at_ != end_ && *at_ == c;
    }

    /// Enters an object or array.
    [[gnu::always_inline]] bool open(char c) {
        if (!is(c) || ++depth_ > max_json_nesting) return false;
        ++at_;
        return true;
    }

    /// Whether another member or element follows in the object or array closed by `close`
    /// (after the first, each needs its comma); at the end, leaves it.
    [[gnu::always_inline]] bool next_in(char close) {
        if (is(close)) {
            ++at_;
            --depth_;
            first_ = false;
            return false;
        }
        if (first_) {
            first_ = false;
            return true;
        }
        if (!is(',')) {
            broken_ = true;  // neither a comma nor the end: the document reader says what it is
            return false;
        }
        ++at_;
        return true;
    }
    bool first_ = true;
    bool broken_ = false;

    /// Opens a container whose members `next_in` walks.
    [[gnu::always_inline]] bool enter(char c) {
        if (!open(c)) return false;
        first_ = true;
        return true;
    }

    /// A string without escapes, control characters or non-ASCII bytes.
    [[gnu::always_inline]] bool string(std::string_view& out) {
        if (!is('"')) return false;
        const char* const start = at_ + 1;
        at_ = skip_plain_string_bytes(start, end_);
        if (at_ == end_ || *at_ != '"') return false;
        out = std::string_view(start, static_cast<std::size_t>(at_ - start));
        ++at_;
        return true;
    }

    [[gnu::always_inline]] bool key(std::string_view& out) {
        if (!string(out) || !is(':')) return false;
        ++at_;
        return true;
    }

    bool literal(std::string_view word) {
        space();
        if (static_cast<std::size_t>(end_ - at_) < word.size() || std::string_view(at_, word.size()) != word) {
            return false;
        }
        at_ += word.size();
        return true;
    }

    /// A JSON number's text: `-`, digits, then any fraction and exponent.
    bool number_text(std::string_view& out, bool& whole) {
        space();
        const char* const start = at_;
        if (at_ != end_ && *at_ == '-') ++at_;
        const char* const digits = at_;
        while (at_ != end_ && *at_ >= '0' && *at_ <= '9') ++at_;
        if (at_ == digits || (*digits == '0' && at_ - digits > 1)) return false;
        whole = true;
        if (at_ != end_ && (*at_ == '.' || *at_ == 'e' || *at_ == 'E')) {
            whole = false;
            while (at_ != end_ && ((*at_ >= '0' && *at_ <= '9') || *at_ == '.' || *at_ == 'e' || *at_ == 'E' ||
                                   *at_ == '+' || *at_ == '-')) {
                ++at_;
            }
        }
        out = std::string_view(start, static_cast<std::size_t>(at_ - start));
        return true;
    }

    bool skip_value() {
        space();
        if (at_ == end_) return false;
        std::string_view text;
        switch (*at_) {
            case '"': return string(text);
            case '{':
                if (!enter('{')) return false;
                while (next_in('}')) {
                    if (!key(text) || !skip_value()) return false;
                }
                return true;
            case '[':
                if (!enter('[')) return false;
                while (next_in(']')) {
                    if (!skip_value()) return false;
                }
                return true;
            case 't': return literal("true");
            case 'f': return literal("false");
            case 'n': return literal("null");
            default: {
                bool whole = false;
                return number_text(text, whole);
            }
        }
    }

    // ---- the response -------------------------------------------------------------------------

    bool read_identifier(std::string_view& value, bool& has_value) {
        if (!is('{')) return skip_value();  // not an identifier the document reader reads
        if (!enter('{')) return false;
        std::string_view k;
        while (next_in('}')) {
            if (!key(k)) return false;
            if (named(k, "value") && is('"')) {
                if (!string(value)) return false;
                has_value = true;
            } else if (!skip_value()) {
                return false;
            }
        }
        return true;
    }

    bool items() {
        if (!enter('[')) return false;
        while (next_in(']')) {
            if (!item()) return false;
        }
        return true;
    }

    bool item() {
        if (!enter('{')) return false;
        const fhir_links::link* found = nullptr;
        bool answered = false;
        std::string_view k;
        while (next_in('}')) {
            if (!key(k)) return false;
            if (named(k, "linkId")) {
                std::string_view link_id;
                if (found != nullptr || !string(link_id)) return false;
                found = links_.find_next(link_id, cursor_);
                if (found == nullptr) return false;
                if (found->what == fhir_links::kind::question) {
                    if (out_.given[found->question]) return false;  // a second item for it
                    out_.given[found->question] = true;
                }
            } else if (named(k, "answer") || named(k, "item")) {
                if (found == nullptr) return false;  // linkId after its answers: read as a document
                // A calculated item is never read, nor its items, as in the document reader.
                if (found->what == fhir_links::kind::calculated) {
                    if (!skip_value()) return false;
                } else if (named(k, "item")) {
                    if (!items()) return false;
                } else {
                    if (found->what != fhir_links::kind::question) return false;  // an answer to a group
                    if (!answers(found->question)) return false;
                    answered = true;
                }
            } else if (!skip_value()) {
                return false;
            }
        }
        if (found == nullptr) return false;
        if (answered || found->what != fhir_links::kind::question) return true;
        // The item of a multi or text question without answers: answered, with no option or
        // an empty text (docs/fhir.md).
        switch (p_.questions[found->question].kind) {
            case question_kind::multi: return assign(found->question, answer_value(answer_value::option_ids{}));
            case question_kind::text: return assign(found->question, answer_value(std::string()));
            default: return true;
        }
    }

    bool answers(std::uint32_t q) {
        bool const multi = p_.questions[q].kind == question_kind::multi;
        if (!enter('[')) return false;
        std::size_t count = 0;
        codes_.clear();
        while (next_in(']')) {
            if (++count > 1 && !multi) return false;
            if (!answer(q)) return false;
        }
        if (count == 0) return false;
        if (multi) return assign(q, answer_value(answer_value::option_ids(codes_.begin(), codes_.end())));
        return true;
    }

    bool answer(std::uint32_t q) {
        if (!enter('{')) return false;
        int values = 0;
        std::string_view k;
        while (next_in('}')) {
            if (!key(k)) return false;
            if (k.starts_with(std::string_view("value", 5))) {
                if (++values > 1 || !value(q, k)) return false;
            } else if (named(k, "item")) {
                if (!items()) return false;
            } else if (!skip_value()) {
                return false;
            }
        }
        return values == 1;
    }

    /// The answer's value[x], `k`, if it is of the question's type.
    bool value(std::uint32_t q, std::string_view k) {
        const compiled_question& question = p_.questions[q];
        std::string_view text;
        bool whole = false;
        switch (question.kind) {
            case question_kind::yesno:
                if (!named(k, "valueBoolean")) return false;
                if (literal("true")) return assign(q, answer_value(true));
                return literal("false") && assign(q, answer_value(false));
            case question_kind::integer: {
                std::int64_t n = 0;
                if (!named(k, "valueInteger") || !number_text(text, whole) || !whole || text.size() > 18) return false;
                std::from_chars(text.data(), text.data() + text.size(), n);
                return assign(q, answer_value(n));
            }
            case question_kind::decimal: {
                double d = 0;
                if (!named(k, "valueDecimal") || !number_text(text, whole) || text.size() > 30) return false;
                auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), d);
                if (error != std::errc() || end != text.data() + text.size()) return false;
                return assign(q, answer_value(d));
            }
            case question_kind::text:
                return named(k, "valueString") && string(text) && assign(q, answer_value(std::string(text)));
            case question_kind::choice:
            case question_kind::multi: {
                if (!named(k, "valueCoding") || !enter('{')) return false;
                std::string_view code;
                bool has_code = false;
                while (next_in('}')) {
                    if (!key(k)) return false;
                    if (named(k, "code")) {
                        if (!string(code)) return false;
                        has_code = true;
                    } else if (named(k, "system")) {
                        std::string_view system;
                        if (!string(system) || system != names_.option_systems[question.option_set]) return false;
                    } else if (!skip_value()) {
                        return false;
                    }
                }
                if (!has_code) return false;
                if (question.kind == question_kind::multi) {
                    codes_.emplace_back(code);
                    return true;
                }
                return assign(q, answer_value(std::string(code)));
            }
        }
        return false;
    }

    bool assign(std::uint32_t q, const answer_value& value) { return !assign_answer(p_, q, value, out_.answers); }
};

}  // namespace

fhir_links::fhir_links(const program& p) {
    auto add = [&](std::string link_id, link what) {
        ordered_.emplace_back(link_id, what);
        links_.emplace(std::move(link_id), entry{what, static_cast<std::uint32_t>(ordered_.size() - 1)});
    };
    std::uint32_t section = no_index;
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (p.questions[q].section != section) {
            section = p.questions[q].section;
            if (section != no_index) add(p.sections[section].id, link{kind::group});
        }
        add(p.questions[q].id, link{kind::question, q});
    }
    for (const compiled_let& l : p.lets) add("let." + l.id, link{kind::calculated});
    for (std::uint32_t const o : p.outcome_order) add("outcome." + p.outcomes[o].id, link{kind::calculated});
    // Display items come last: responses have them rarely.
    for (const compiled_question& q : p.questions) add(q.id + ".help", link{kind::display});
    for (const compiled_outcome& o : p.outcomes) add("outcome." + o.id + ".text", link{kind::display});
    add("referral", link{kind::display});
}

const fhir_links::link* fhir_links::find(std::string_view link_id) const {
    auto found = links_.find(link_id);
    return found == links_.end() ? nullptr : &found->second.what;
}

const fhir_links::link* fhir_links::find_next(std::string_view link_id, std::uint32_t& cursor) const {
    if (cursor < ordered_.size() && ordered_[cursor].first == link_id) return &ordered_[cursor++].second;
    auto found = links_.find(link_id);
    if (found == links_.end()) return nullptr;
    cursor = found->second.position + 1;
    return &found->second.what;
}

fhir_response_reader::fhir_response_reader(const program& p, const fhir_names& names)
    : p_(p), names_(names), links_(p) {}

answer_record& fhir_response_reader::next_record() {
    if (count_ == records_.size()) records_.emplace_back();
    answer_record& record = records_[count_++];
    start_record(p_, record);
    return record;
}

bool fhir_response_reader::read(std::string_view text) {
    count_ = 0;
    error_.clear();
    {
        answer_record& record = next_record();
        if (plain_response_reader(p_, names_, links_, record, codes_).read(text)) return true;
    }
    count_ = 0;
    read_document(text);
    return error_.empty();
}

void fhir_response_reader::read_document(std::string_view text) {
    switch (read_json(text, document_)) {
        case json_read::ok: break;
        case json_read::too_deep: error_ = "the line is " + nesting_too_deep(); return;
        case json_read::invalid: error_ = "not valid JSON: " + json_problem(text); return;
    }
    if (!document_.is_object()) {
        error_ = "not a FHIR resource: a JSON object with a resourceType is expected";
        return;
    }
    auto type = document_.find("resourceType");
    if (type == document_.end() || *type != "Bundle") {
        response_reader(p_, names_, links_, next_record()).read(document_, {});
        return;
    }
    auto entries = document_.find("entry");
    if (entries == document_.end() || !entries->is_array() || entries->empty()) {
        error_ = "the Bundle has no entry";
        return;
    }
    for (std::size_t i = 0; i < entries->size(); ++i) {
        std::string const path = "entry[" + std::to_string(i) + "]";
        const json& entry = (*entries)[i];
        auto resource = entry.is_object() ? entry.find("resource") : entry.end();
        bool const has_resource = entry.is_object() && resource != entry.end();
        // An entry without a resource is read as one, so that its record says what is wrong there.
        response_reader(p_, names_, links_, next_record())
            .read(has_resource ? *resource : entry, has_resource ? path + ".resource" : path);
    }
}

}  // namespace stepcare
