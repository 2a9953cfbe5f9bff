/// `stepcare import`: a `.sq` file from a FHIR R4 `Questionnaire` (docs/fhir.md,
/// "Questionnaires in"). Whatever the resource says is written into the `.sq` file or named
/// in a diagnostic at its JSON path: nothing is dropped silently.

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "fhir/fhir_names.hpp"
#include "fhir/fhirpath_import.hpp"
#include "fhir/json_place.hpp"
#include "fhir/sq_writing.hpp"
#include "foundation/json_input.hpp"
#include "foundation/limits.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/format.hpp"
#include "stepcare/fhir.hpp"

namespace stepcare {

namespace fhir {

namespace {

using json = nlohmann::json;

constexpr std::string_view structure = "http://hl7.org/fhir/StructureDefinition/";
constexpr std::string_view sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";

std::string core_url(std::string_view name) { return std::string(structure) + std::string(name); }
std::string sdc_url(std::string_view name) { return std::string(sdc) + std::string(name); }

/// Extensions that only change how a form looks, not what it asks or computes: read past
/// without a warning (docs/fhir.md).
bool is_presentation(const std::string& url) {
    static const std::set<std::string> urls = {core_url("rendering-xhtml"),
                                               core_url("rendering-markdown"),
                                               core_url("rendering-style"),
                                               core_url("rendering-styleSensitive"),
                                               core_url("questionnaire-itemControl"),
                                               core_url("questionnaire-choiceOrientation"),
                                               core_url("questionnaire-optionPrefix"),
                                               core_url("entryFormat")};
    return urls.count(url) > 0;
}

constexpr std::size_t none = static_cast<std::size_t>(-1);

/// The elements of a Questionnaire that the import reads, or reads past as metadata that
/// change nothing that is asked or computed (docs/fhir.md).
constexpr std::string_view known_root_elements =
    "resourceType id meta text url identifier version name title derivedFrom status experimental subjectType date "
    "publisher contact description useContext jurisdiction purpose copyright approvalDate lastReviewDate "
    "effectivePeriod code item extension contained language modifierExtension implicitRules";

/// The elements of an item that the import reads, and those of a question besides.
constexpr std::string_view item_elements =
    "id linkId type text item extension enableWhen enableBehavior code prefix definition required repeats readOnly";
constexpr std::string_view question_elements = "answerOption answerValueSet maxLength";

/// Whether `word` is one of the space-separated `words`.
bool is_word_of(std::string_view words, std::string_view word) {
    for (std::size_t start = 0; start < words.size();) {
        std::size_t end = words.find(' ', start);
        if (end == std::string_view::npos) end = words.size();
        if (words.substr(start, end - start) == word) return true;
        start = end + 1;
    }
    return false;
}

/// The most enableWhen one item may have: they make one expression, which must stay of a
/// depth that code walking it recursively can take; far more than any real form has.
constexpr std::size_t max_enable_when = 1000;

/// FHIR's `integer` range, the bounds of an integer question that gives none.
constexpr std::string_view fhir_integer_min = "-2147483648";
constexpr std::string_view fhir_integer_max = "2147483647";

/// A text in the questionnaire's language and its translations, by `.sq` language tag.
struct text_in_languages {
    std::string main;
    std::vector<std::pair<std::string, std::string>> translations;
};

/// The option list of one choice or multi question, shared by the questions whose lists
/// are the same.
struct option_set {
    std::vector<fhir_option> options;
    std::vector<text_in_languages> labels;
    std::vector<std::string> systems;  ///< of each option's Coding ("" for a string or integer)
    std::string name;                  ///< empty: written inline
    std::size_t first_question = none;
    std::size_t questions = 0;
    std::size_t same_as = none;  ///< a set read earlier that is the same
};

enum class question_kind { yesno, choice, multi, integer, decimal, text };

struct require_clause {
    sq_ref condition;
    text_in_languages message;
};

struct question_details {
    question_kind kind = question_kind::yesno;
    std::size_t option_set = none;
    std::string min;
    std::string max;
    std::optional<std::uint64_t> max_length;
    bool optional = true;
    text_in_languages ask;
    std::vector<text_in_languages> help;  ///< paragraphs
    std::optional<text_in_languages> unit;
    std::vector<require_clause> requirements;
};

enum class item_role { group, question, display, help, calculated, outcome, outcome_text, referral };

struct item_record {
    const json* node = nullptr;
    json_path path;
    std::string link_id;
    std::string type;
    std::size_t parent = none;
    std::vector<std::size_t> children;
    item_role role = item_role::display;
    std::string name;             ///< its `.sq` name, where it has one
    fhir_value* value = nullptr;  ///< what expressions reach (groups, questions)
    std::optional<text_in_languages> text;
    sq_ref condition;  ///< its own enableWhen or enableWhenExpression
    std::optional<question_details> question;
    std::vector<std::string> comments;  ///< written above it
    bool shown_as_help = false;         ///< a display item that became a question's help
    std::size_t let = none;             ///< a calculated item: its let
    std::size_t outcome = none;         ///< an outcome item: its outcome
};

enum class translation_state { waiting, translating, done, failed };

struct let_record {
    std::string name;
    /// Where it is written: variables in their order, then lets of calculated items alone.
    std::size_t order = 0;
    std::optional<std::string> expression;  ///< none after an error about it
    json_path expression_path;
    json_path item_path;  ///< where it is defined: an item, or the variable extension
    std::vector<std::string> comments;
    translation_state state = translation_state::waiting;
    fhir_value* value = nullptr;
    sq_ref expr;
};

struct outcome_record {
    std::string name;
    std::string level;
    bool stop = false;
    text_in_languages title;
    std::vector<text_in_languages> says;
    std::vector<std::string> cites;
    std::optional<std::string> expression;  ///< none after an error about it
    json_path expression_path;
    json_path item_path;
    fhir_value* value = nullptr;
    sq_ref when;
};

struct source_record {
    std::string id;
    text_in_languages title;
};

/// What a shown text (an outcome's `.text` item, the referral) holds.
struct shown_text {
    std::optional<text_in_languages> title;
    std::vector<text_in_languages> says;
    std::vector<std::string> cites;
};

std::vector<std::string> paragraphs(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        std::size_t const end = text.find("\n\n", start);
        out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 2;
    }
    return out;
}

std::string comment_text(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return text;
}

/// Line breaks as `.sq` strings write them: CR LF and a lone CR become LF.
std::string plain_line_breaks(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

/// Records the SAX parser's first error, for the place of a JSON syntax error.
struct syntax_error_finder : json::json_sax_t {
    std::size_t position = 0;
    std::string message;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t at, const std::string&, const nlohmann::detail::exception& e) override {
        position = at == 0 ? 0 : at - 1;
        message = e.what();
        // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
        std::size_t const colon = message.find(": ");
        if (colon != std::string::npos) message = message.substr(colon + 2);
        return false;
    }
};

class importer : public fhirpath_names {
public:
    importer(std::string_view json_text, std::string file) : text_(json_text), file_(std::move(file)) {}

    fhir_import run() {
        fhir_import result;
        if (read_document()) {
            read_header();
            index_items(root_.contains("item") ? &root_["item"] : nullptr, root_path_.key("item"), none);
            read_variables();
            name_everything();
            for (std::size_t i = 0; i < items_.size(); ++i) read_item(i);
            share_option_sets();
            read_outcome_items();
            attach_displays(top_items_, {});
            for (let_record& let : lets_) translate_let(let);
            for (outcome_record& o : outcomes_) translate_outcome(o);
            for (std::size_t i = 0; i < items_.size(); ++i) read_conditions(i);
            for (std::size_t i = 0; i < items_.size(); ++i) read_constraints(i);
            report_unread();
            if (errors_ == 0) {
                std::string source = write();
                check_output(source);
                if (errors_ == 0) {
                    // In the canonical layout of `stepcare fmt`, which a file that still
                    // lacks its referral cannot have yet.
                    format_result formatted = format_source(source, file_ + " (as .sq)");
                    result.source = formatted.formatted ? std::move(*formatted.formatted) : std::move(source);
                }
            }
        }
        result.diagnostics = finish_diagnostics();
        return result;
    }

    const fhir_value* item(std::string_view link_id, std::string& why) override {
        auto const found = by_link_id_.find(std::string(link_id));
        if (found == by_link_id_.end()) {
            why = "there is no item with linkId '" + std::string(link_id) + "'";
            return nullptr;
        }
        item_record& rec = items_[found->second];
        if (rec.role == item_role::calculated) return let_value(lets_[rec.let], why);
        if (rec.role == item_role::outcome) return outcomes_[rec.outcome].value;
        if (rec.value != nullptr) return rec.value;
        why = rec.role == item_role::question ? "'" + rec.link_id + "' could not be imported"
                                              : "'" + rec.link_id + "' is a display item, which has no answer";
        return nullptr;
    }

    const fhir_value* variable(std::string_view name, std::string& why) override {
        auto const found = variables_.find(std::string(name));
        if (found == variables_.end()) {
            why = "%" + std::string(name) + " is not a variable of the Questionnaire";
            return nullptr;
        }
        if (found->second.outcome != none) return outcomes_[found->second.outcome].value;
        return let_value(lets_[found->second.let], why);
    }

private:
    // ---- diagnostics ---------------------------------------------------------------------

    struct pending_diagnostic {
        severity level;
        std::string code;
        json_path path;
        std::string message;
        std::vector<diagnostic> notes;
    };

    void report(severity level, std::string code, const json_path& at, std::string message,
                std::vector<diagnostic> notes = {}) {
        if (level == severity::error) ++errors_;
        pending_.push_back({level, std::move(code), at, std::move(message), std::move(notes)});
    }
    void error(const json_path& at, std::string message) {
        report(severity::error, "fhir-invalid", at, std::move(message));
    }
    void unsupported(const json_path& at, std::string message) {
        report(severity::error, "fhir-unsupported", at, std::move(message));
    }
    void changed(const json_path& at, std::string message) {
        report(severity::warning, "fhir-changed", at, std::move(message));
    }
    void not_imported(const json_path& at, std::string message) {
        report(severity::warning, "fhir-not-imported", at, std::move(message));
    }

    /// Diagnostics with their places, errors before warnings, each by place; no more of each
    /// than the engine lists for a file.
    std::vector<diagnostic> finish_diagnostics() {
        std::stable_sort(pending_.begin(), pending_.end(),
                         [](const pending_diagnostic& a, const pending_diagnostic& b) { return a.level < b.level; });
        std::vector<json_path> paths;
        std::size_t listed[2] = {0, 0};
        std::vector<const pending_diagnostic*> kept;
        for (const pending_diagnostic& p : pending_) {
            std::size_t& count = listed[p.level == severity::error ? 0 : 1];
            if (++count > max_listed_diagnostics) continue;
            kept.push_back(&p);
            paths.push_back(p.path);
        }
        std::vector<json_place> const places =
            syntax_place_ ? std::vector<json_place>{*syntax_place_} : locate(text_, paths);
        std::vector<diagnostic> out;
        for (std::size_t k = 0; k < kept.size(); ++k) {
            const pending_diagnostic& p = *kept[k];
            const json_place& place = places[k];
            diagnostic d;
            d.level = p.level;
            d.code = p.code;
            d.file = file_;
            std::string const where = p.path.text();
            d.message = where.empty() ? p.message : where + ": " + p.message;
            d.line = place.line;
            d.column = place.column;
            d.end_line = place.end_line;
            d.end_column = place.end_column;
            // The whole resource has no line worth showing; a syntax error's place has.
            bool const shown = !p.path.steps().empty() || syntax_place_;
            if (shown && place.line_text.size() <= max_excerpt_bytes) d.source_line = place.line_text;
            d.notes = p.notes;
            out.push_back(std::move(d));
        }
        std::stable_sort(out.begin(), out.end(), [](const diagnostic& a, const diagnostic& b) {
            return std::tie(a.level, a.line, a.column) < std::tie(b.level, b.line, b.column);
        });
        for (int level = 0; level < 2; ++level) {
            if (listed[level] <= max_listed_diagnostics) continue;
            diagnostic d;
            d.level = level == 0 ? severity::error : severity::warning;
            d.code = level == 0 ? "too-many-errors" : "too-many-warnings";
            d.file = file_;
            d.message = std::to_string(listed[level] - max_listed_diagnostics) + " more " +
                        (level == 0 ? "errors" : "warnings") + " not listed";
            out.push_back(std::move(d));
        }
        return out;
    }

    // ---- reading JSON --------------------------------------------------------------------

    bool read_document() {
        switch (read_json(text_, root_)) {
            case json_read::ok: break;
            case json_read::too_deep:
                syntax_place_ = place_of(text_, 0);
                report(severity::error, "invalid-json", {}, "the JSON is " + nesting_too_deep());
                return false;
            case json_read::invalid: {
                syntax_error_finder finder;
                json::sax_parse(text_, &finder);
                syntax_place_ = place_of(text_, finder.position);
                report(severity::error, "invalid-json", {}, "not valid JSON: " + finder.message);
                return false;
            }
        }
        if (auto repeated = first_repeated_key(text_)) {
            report(severity::error, "invalid-json", *repeated,
                   "this key appears twice in its object, so which value counts is unclear; keep one");
            return false;
        }
        if (!root_.is_object()) {
            error({}, "the input is not a JSON object; import takes one FHIR Questionnaire resource");
            return false;
        }
        const json* type = find(root_, "resourceType");
        if (type == nullptr || !type->is_string() || *type != "Questionnaire") {
            std::string const found =
                type != nullptr && type->is_string() ? "a " + type->get<std::string>() : "no resource";
            error(
                type != nullptr ? root_path_.key("resourceType") : root_path_,
                "this is " + found + "; import takes one FHIR Questionnaire resource (resourceType \"Questionnaire\")");
            return false;
        }
        if (root_.contains("modifierExtension")) {
            unsupported(root_path_.key("modifierExtension"),
                        "a modifier extension changes what the Questionnaire means, and none is supported");
        }
        if (root_.contains("implicitRules")) {
            unsupported(root_path_.key("implicitRules"), "implicit rules change what the Questionnaire means");
        }
        return true;
    }

    static const json* find(const json& object, std::string_view key) {
        if (!object.is_object()) return nullptr;
        auto const found = object.find(std::string(key));
        return found == object.end() ? nullptr : &*found;
    }

    /// A string member; an error when it is there but not a string.
    std::optional<std::string> string_member(const json& object, std::string_view key, const json_path& path) {
        const json* value = find(object, key);
        if (value == nullptr) return std::nullopt;
        if (!value->is_string()) {
            error(path.key(key), "must be a string");
            return std::nullopt;
        }
        return value->get<std::string>();
    }

    /// A JSON number as a `.sq` number, with its sign; empty (and an error) otherwise.
    std::string number_text(const json& value, const json_path& at, bool whole) {
        if (!value.is_number()) {
            error(at, "must be a number");
            return {};
        }
        double const v = value.get<double>();
        if (whole && !value.is_number_integer()) {
            unsupported(at, "an integer question needs whole-number bounds");
            return {};
        }
        std::string digits = sq_number(v < 0 ? -v : v);
        if (digits.empty()) {
            unsupported(at, "the number is larger than 1000000000000000, the most a questionnaire may hold");
            return {};
        }
        return v < 0 ? "-" + digits : digits;
    }

    static sq_ref number_expr(const std::string& signed_digits) {
        if (!signed_digits.empty() && signed_digits[0] == '-')
            return sq_negate(sq_number_literal(signed_digits.substr(1)));
        return sq_number_literal(signed_digits);
    }

    /// The `.sq` language tag of a FHIR language code (`en-US` is `en_US`).
    std::string language_tag(const std::string& code) { return sq_name_from(code, "language"); }

    /// Notes a language seen in a translation; false when it is the main one.
    bool use_language(const std::string& tag) {
        if (tag == main_language_) return false;
        if (std::find(languages_.begin(), languages_.end(), tag) == languages_.end()) languages_.push_back(tag);
        return true;
    }

    /// A text's value, checked and with plain line breaks; nullopt (and an error) when it
    /// cannot be a `.sq` text.
    std::optional<std::string> text_value(const std::string& raw, const json_path& at) {
        if (raw.size() > max_text_bytes) {
            unsupported(at, "the text is longer than " + std::to_string(max_text_bytes) +
                                " bytes, the most a questionnaire's text may hold");
            return std::nullopt;
        }
        return plain_line_breaks(raw);
    }

    /// The translations in the extensions of primitive `_key` of `object`.
    void read_translations(const json& object, const std::string& key, const json_path& path, text_in_languages& t) {
        const json* element = find(object, "_" + key);
        if (element == nullptr) return;
        json_path const element_path = path.key("_" + key);
        const json* extensions = find(*element, "extension");
        if (extensions == nullptr || !extensions->is_array()) return;
        for (std::size_t k = 0; k < extensions->size(); ++k) {
            const json& ext = (*extensions)[k];
            json_path const at = element_path.key("extension").index(k);
            std::string const url = extension_url(ext, at);
            if (url != core_url("translation")) {
                if (!url.empty() && !is_presentation(url)) note_unknown_extension(url, at);
                continue;
            }
            std::optional<std::string> language;
            std::optional<std::string> content;
            const json* parts = find(ext, "extension");
            for (std::size_t p = 0; parts != nullptr && parts->is_array() && p < parts->size(); ++p) {
                const json& part = (*parts)[p];
                json_path const part_path = at.key("extension").index(p);
                std::string const part_url = extension_url(part, part_path);
                if (part_url == "lang") {
                    language = string_member(part, "valueCode", part_path);
                } else if (part_url == "content") {
                    content = string_member(part, "valueString", part_path);
                    if (!content) content = string_member(part, "valueMarkdown", part_path);
                }
            }
            if (!language || !content) {
                error(at, "a translation needs a 'lang' and a 'content' extension");
                continue;
            }
            std::string const tag = language_tag(*language);
            if (!use_language(tag)) {
                not_imported(at, "a translation into the Questionnaire's own language (" + *language + ") is ignored");
                continue;
            }
            bool const twice = std::any_of(t.translations.begin(), t.translations.end(),
                                           [&](const auto& tr) { return tr.first == tag; });
            if (twice) {
                error(at, "a second translation into " + *language + "; keep one");
                continue;
            }
            if (auto value = text_value(*content, at)) t.translations.emplace_back(tag, *value);
        }
    }

    /// Text primitive `key` of `object` with its translations; nullopt when absent.
    std::optional<text_in_languages> read_text(const json& object, const std::string& key, const json_path& path) {
        std::optional<std::string> main = string_member(object, key, path);
        if (!main) return std::nullopt;
        auto value = text_value(*main, path.key(key));
        if (!value) return std::nullopt;
        text_in_languages t;
        t.main = *value;
        read_translations(object, key, path, t);
        return t;
    }

    std::string extension_url(const json& ext, const json_path& at) {
        if (!ext.is_object()) {
            error(at, "an extension must be an object");
            return {};
        }
        std::optional<std::string> url = string_member(ext, "url", at);
        if (!url) {
            error(at, "an extension needs a url");
            return {};
        }
        return *url;
    }

    void note_unknown_extension(const std::string& url, const json_path& at) {
        auto [it, added] = unknown_extensions_.try_emplace(url, at, 0);
        ++it->second.second;
        if (added) unknown_extension_order_.push_back(url);
    }

    void note_unknown_element(const std::string& key, const json_path& at) {
        auto [it, added] = unknown_elements_.try_emplace(key, at, 0);
        ++it->second.second;
        if (added) unknown_element_order_.push_back(key);
    }

    /// One warning per extension and element that was not imported, at its first place.
    void report_unread() {
        auto more = [](std::size_t count) {
            return count > 1 ? " (here and at " + std::to_string(count - 1) + " other places)" : std::string();
        };
        for (const std::string& url : unknown_extension_order_) {
            const auto& [at, count] = unknown_extensions_[url];
            not_imported(at, "the extension " + url + " is not imported" + more(count));
        }
        for (const std::string& key : unknown_element_order_) {
            const auto& [at, count] = unknown_elements_[key];
            not_imported(at, "'" + key + "' is not imported" + more(count));
        }
    }

    /// The FHIRPath of an Expression-valued extension; nullopt (and an error) when it has
    /// none or another language. `where` receives the expression's path.
    std::optional<std::string> fhirpath_of(const json& ext, const json_path& at, json_path& where) {
        const json* expression = find(ext, "valueExpression");
        if (expression == nullptr || !expression->is_object()) {
            error(at, "the extension needs a valueExpression");
            return std::nullopt;
        }
        json_path const value_path = at.key("valueExpression");
        std::optional<std::string> language = string_member(*expression, "language", value_path);
        if (language && *language != "text/fhirpath") {
            unsupported(value_path.key("language"),
                        "only FHIRPath (text/fhirpath) expressions are supported, not " + *language);
            return std::nullopt;
        }
        std::optional<std::string> text = string_member(*expression, "expression", value_path);
        if (!text) {
            unsupported(value_path, "the Expression has no 'expression' (a reference alone is not supported)");
            return std::nullopt;
        }
        where = value_path.key("expression");
        return text;
    }

    // ---- header --------------------------------------------------------------------------

    void read_header() {
        for (const auto& [key, value] : root_.items()) {
            if (!key.empty() && key[0] != '_' && !is_word_of(known_root_elements, key)) {
                note_unknown_element(key, root_path_.key(key));
            }
        }
        if (auto language = string_member(root_, "language", root_path_)) main_language_ = language_tag(*language);

        std::optional<std::string> id = string_member(root_, "id", root_path_);
        std::optional<std::string> name = string_member(root_, "name", root_path_);
        if (id) {
            raw_id_ = *id;
            id_ = sq_name_from(*id, "q");
        } else if (name) {
            id_ = sq_name_from(*name, "q");
        } else {
            id_ = "imported";
            changed(root_path_, "the Questionnaire has no id or name; its .sq id is 'imported'");
        }
        if (auto title = read_text(root_, "title", root_path_)) {
            title_ = *title;
        } else {
            title_.main = name ? *name : id ? *id : "Imported questionnaire";
            changed(root_path_, "the Questionnaire has no title; the .sq title is \"" + title_.main + "\"");
        }
        if (auto version = string_member(root_, "version", root_path_)) {
            version_ = *version;
        } else {
            version_ = "0.0.0";
            changed(root_path_, "the Questionnaire has no version; the .sq version is \"0.0.0\"");
        }
        url_ = string_member(root_, "url", root_path_).value_or("");
        description_ = read_text(root_, "description", root_path_);
        if (auto publisher = string_member(root_, "publisher", root_path_)) publisher_ = *publisher;
        if (auto copyright = string_member(root_, "copyright", root_path_)) copyright_ = *copyright;
        if (auto purpose = read_text(root_, "purpose", root_path_)) read_purpose(*purpose);
        if (root_.contains("contained")) {
            not_imported(root_path_.key("contained"),
                         "contained resources are not imported (answerValueSet references to them are refused)");
        }
    }

    /// Stepcare's `Sources:` purpose (a paragraph `- ID: title` per source) gives the
    /// sources; any other purpose is kept as a comment.
    void read_purpose(const text_in_languages& purpose) {
        auto entries = [](const std::string& text) {
            std::vector<std::string> parts = paragraphs(text);
            for (std::size_t k = 1; k < parts.size(); ++k) {
                if (parts[k].rfind("- ", 0) == 0) parts[k].erase(0, 2);
            }
            return parts;
        };
        std::vector<std::string> const main = entries(purpose.main);
        std::vector<source_record> sources;
        bool sources_form = main.size() > 1 && main[0] == "Sources:";
        for (std::size_t k = 1; sources_form && k < main.size(); ++k) {
            std::size_t const colon = main[k].find(": ");
            std::string const id = colon == std::string::npos ? "" : main[k].substr(0, colon);
            sources_form = is_sq_name(id);
            if (sources_form) sources.push_back({id, {main[k].substr(colon + 2), {}}});
        }
        if (!sources_form) {
            purpose_ = comment_text(purpose.main);
            return;
        }
        for (const auto& [language, text] : purpose.translations) {
            std::vector<std::string> const translated = entries(text);
            for (std::size_t k = 1; k < translated.size() && k <= sources.size(); ++k) {
                std::string const prefix = sources[k - 1].id + ": ";
                if (translated[k].rfind(prefix, 0) == 0) {
                    sources[k - 1].title.translations.emplace_back(language, translated[k].substr(prefix.size()));
                }
            }
        }
        sources_ = std::move(sources);
    }

    // ---- items ---------------------------------------------------------------------------

    void index_items(const json* list, const json_path& path, std::size_t parent) {
        if (list == nullptr) return;
        if (!list->is_array()) {
            error(path, "must be an array of items");
            return;
        }
        for (std::size_t k = 0; k < list->size(); ++k) {
            const json& node = (*list)[k];
            json_path const at = path.index(k);
            if (!node.is_object()) {
                error(at, "an item must be an object");
                continue;
            }
            std::optional<std::string> link_id = string_member(node, "linkId", at);
            std::optional<std::string> type = string_member(node, "type", at);
            if (!link_id || link_id->empty()) {
                error(at, "the item has no linkId");
                continue;
            }
            if (!type) {
                error(at, "the item has no type");
                continue;
            }
            std::size_t const index = items_.size();
            if (!by_link_id_.emplace(*link_id, index).second) {
                error(at.key("linkId"), "the linkId '" + *link_id + "' is used twice; linkIds must be unique");
                continue;
            }
            item_record rec;
            rec.node = &node;
            rec.path = at;
            rec.link_id = *link_id;
            rec.type = *type;
            rec.parent = parent;
            rec.role = role_of(node, *link_id, *type, parent);
            items_.push_back(std::move(rec));
            (parent == none ? top_items_ : items_[parent].children).push_back(index);
            if (items_[index].role == item_role::display && node.contains("item")) {
                error(at.key("item"), "a display item cannot have items under it");
                continue;
            }
            index_items(find(node, "item"), at.key("item"), index);
        }
    }

    item_role role_of(const json& node, const std::string& link_id, const std::string& type, std::size_t parent) {
        bool const top = parent == none;
        if (type == "group") return item_role::group;
        if (type == "display") {
            if (top && link_id == "referral") return item_role::referral;
            if (top && link_id.rfind("outcome.", 0) == 0 && link_id.size() > 13 &&
                link_id.compare(link_id.size() - 5, 5, ".text") == 0) {
                return item_role::outcome_text;
            }
            if (!top && items_[parent].role == item_role::question) return item_role::help;
            return item_role::display;
        }
        if (has_extension(node, sdc_url("sdc-questionnaire-calculatedExpression"))) {
            return top && link_id.rfind("outcome.", 0) == 0 && has_outcome_code(node) ? item_role::outcome
                                                                                      : item_role::calculated;
        }
        return item_role::question;
    }

    static bool has_extension(const json& node, const std::string& url) {
        const json* extensions = find(node, "extension");
        if (extensions == nullptr || !extensions->is_array()) return false;
        return std::any_of(extensions->begin(), extensions->end(), [&](const json& e) {
            const json* u = find(e, "url");
            return u != nullptr && *u == url;
        });
    }

    static bool has_outcome_code(const json& node) {
        const json* codes = find(node, "code");
        if (codes == nullptr || !codes->is_array()) return false;
        return std::any_of(codes->begin(), codes->end(), [](const json& c) {
            const json* system = find(c, "system");
            return system != nullptr && *system == fhir_outcome_system;
        });
    }

    // ---- variables -----------------------------------------------------------------------

    struct variable_record {
        std::string name;
        std::string expression;
        json_path expression_path;
        json_path path;
        std::size_t let = none;
        std::size_t outcome = none;
    };

    void read_variables() {
        const json* extensions = find(root_, "extension");
        if (extensions == nullptr) return;
        if (!extensions->is_array()) {
            error(root_path_.key("extension"), "must be an array");
            return;
        }
        for (std::size_t k = 0; k < extensions->size(); ++k) {
            const json& ext = (*extensions)[k];
            json_path const at = root_path_.key("extension").index(k);
            std::string const url = extension_url(ext, at);
            if (url != core_url("variable")) {
                if (!url.empty() && !is_presentation(url)) note_unknown_extension(url, at);
                continue;
            }
            json_path where;
            std::optional<std::string> expression = fhirpath_of(ext, at, where);
            if (!expression) continue;
            std::optional<std::string> name =
                string_member(*find(ext, "valueExpression"), "name", at.key("valueExpression"));
            if (!name || name->empty()) {
                error(at.key("valueExpression"), "a variable needs a name");
                continue;
            }
            if (variable_index_.count(*name) > 0) {
                error(at.key("valueExpression").key("name"), "a second variable named '" + *name + "'");
                continue;
            }
            variable_index_[*name] = variable_records_.size();
            variable_records_.push_back({*name, *expression, where, at, none, none});
        }
    }

    // ---- names ---------------------------------------------------------------------------

    /// The `.sq` name each item, let and outcome wants, then every name given in the order
    /// of docs/fhir.md: those that are valid as they are first, then the mapped ones.
    void name_everything() {
        struct wanted_name {
            std::string wanted;
            std::string* target;
        };
        // Sources first: outcomes and the referral cite them by their ids.
        for (const source_record& s : sources_) {
            if (names_.claim(s.id) != s.id) error(root_path_.key("purpose"), "two sources are named '" + s.id + "'");
        }
        std::vector<wanted_name> wanted;
        for (item_record& rec : items_) {
            bool const section = rec.role == item_role::group && rec.node->contains("text");
            if (rec.role == item_role::question || section) {
                wanted.push_back({rec.link_id, &rec.name});
            } else if (rec.role == item_role::outcome) {
                rec.outcome = outcomes_.size();
                outcome_record o;
                o.item_path = rec.path;
                outcomes_.push_back(std::move(o));
                wanted.push_back({rec.link_id.substr(8), &outcomes_.back().name});
            } else if (rec.role == item_role::calculated) {
                rec.let = lets_.size();
                let_record let;
                let.item_path = rec.path;
                let.order = variable_records_.size() + static_cast<std::size_t>(&rec - items_.data());
                std::string name = rec.link_id.rfind("let.", 0) == 0 ? rec.link_id.substr(4) : rec.link_id;
                // An item whose value is a variable `%V` is that variable's let (or outcome).
                json_path where;
                if (auto expression = item_expression(rec, where)) {
                    let.expression = *expression;
                    let.expression_path = where;
                    auto const v = lone_variable(*expression);
                    auto const found = v ? variable_index_.find(*v) : variable_index_.end();
                    if (found != variable_index_.end() && variable_records_[found->second].let == none) {
                        variable_record& var = variable_records_[found->second];
                        var.let = rec.let;
                        let.order = found->second;
                        let.expression = var.expression;
                        let.expression_path = var.expression_path;
                        if (rec.link_id.rfind("let.", 0) != 0) name = var.name;
                    }
                }
                lets_.push_back(std::move(let));
                wanted.push_back({name, &lets_.back().name});
            }
        }
        // Outcome items name their variables' outcomes.
        for (const item_record& rec : items_) {
            if (rec.role != item_role::outcome) continue;
            outcome_record& o = outcomes_[rec.outcome];
            json_path where;
            if (auto expression = item_expression(rec, where)) {
                o.expression = *expression;
                o.expression_path = where;
                auto const v = lone_variable(*expression);
                auto const found = v ? variable_index_.find(*v) : variable_index_.end();
                if (found != variable_index_.end() && variable_records_[found->second].let == none &&
                    variable_records_[found->second].outcome == none) {
                    variable_record& var = variable_records_[found->second];
                    var.outcome = rec.outcome;
                    o.expression = var.expression;
                    o.expression_path = var.expression_path;
                }
            }
        }
        for (variable_record& var : variable_records_) {
            if (var.let != none || var.outcome != none) continue;
            var.let = lets_.size();
            let_record let;
            let.expression = var.expression;
            let.expression_path = var.expression_path;
            let.item_path = var.path;
            let.order = static_cast<std::size_t>(&var - variable_records_.data());
            lets_.push_back(std::move(let));
            wanted.push_back({var.name, &lets_.back().name});
        }
        for (bool valid_first : {true, false}) {
            for (wanted_name& w : wanted) {
                if (is_sq_name(w.wanted) == valid_first)
                    *w.target = names_.claim(valid_first ? w.wanted : sq_name_from(w.wanted, "q"));
            }
        }
        for (let_record& let : lets_) {
            let.value = &new_value(fhir_value::role::let, let.name, sq_type::number);
            let.value->fhirpath = let.expression.value_or("");
        }
        for (outcome_record& o : outcomes_) o.value = &new_value(fhir_value::role::outcome, o.name, sq_type::boolean);
        for (item_record& rec : items_) {
            if (rec.let != none) lets_[rec.let].value->link_ids = link_ids_of(rec);
            if (rec.outcome != none) outcomes_[rec.outcome].value->link_ids = link_ids_of(rec);
            if (rec.role != item_role::group) continue;
            rec.value = &new_value(fhir_value::role::group, rec.name, sq_type::boolean);
            rec.value->link_ids = link_ids_of(rec);
        }
        for (const variable_record& var : variable_records_) {
            variables_[var.name] = {var.let, var.outcome};
        }
    }

    /// A new question, let, outcome or group as expressions reach it.
    fhir_value& new_value(fhir_value::role what, const std::string& name, sq_type type) {
        fhir_value& v = values_.emplace_back();
        v.what = what;
        v.name = name;
        v.type = type;
        return v;
    }

    std::vector<std::string> link_ids_of(const item_record& rec) const {
        std::vector<std::string> ids;
        for (const item_record* at = &rec;; at = &items_[at->parent]) {
            ids.insert(ids.begin(), at->link_id);
            if (at->parent == none) break;
        }
        return ids;
    }

    /// The calculatedExpression of an item; nullopt (and an error) when it cannot be read.
    std::optional<std::string> item_expression(const item_record& rec, json_path& where) {
        auto const found = extensions_of(rec, sdc_url("sdc-questionnaire-calculatedExpression"));
        if (found.empty()) return std::nullopt;
        return fhirpath_of(*found[0].first, found[0].second, where);
    }

    // ---- reading one item ----------------------------------------------------------------

    /// Warns about the item's elements that the import does not read, and refuses a
    /// modifier extension.
    void check_elements(const item_record& rec) {
        bool const question = rec.role == item_role::question;
        for (const auto& [key, value] : rec.node->items()) {
            if (key == "modifierExtension") {
                unsupported(rec.path.key(key),
                            "a modifier extension changes what the item means, and none is supported");
            } else if (key == "initial") {
                not_imported(rec.path.key(key),
                             "initial answers are not imported: Stepcare questions start unanswered");
            } else if (key == "readOnly" && question && value == true) {
                not_imported(rec.path.key(key), "readOnly is not imported: people can answer this question");
            } else if (!key.empty() && key[0] != '_' && !is_word_of(item_elements, key) &&
                       !(question && is_word_of(question_elements, key))) {
                note_unknown_element(key, rec.path.key(key));
            }
        }
    }

    void read_item(std::size_t index) {
        item_record& rec = items_[index];
        const json& node = *rec.node;
        check_elements(rec);
        rec.text = read_text(node, "text", rec.path);
        if (rec.role != item_role::outcome) add_code_comments(rec);
        if (auto prefix = string_member(node, "prefix", rec.path))
            rec.comments.push_back("prefix: " + comment_text(*prefix));
        if (auto definition = string_member(node, "definition", rec.path)) {
            rec.comments.push_back("definition: " + comment_text(*definition));
        }
        if (!rec.name.empty() && rec.name != rec.link_id) {
            rec.comments.insert(rec.comments.begin(), "linkId: " + comment_text(rec.link_id));
        }
        read_item_extensions(rec);
        switch (rec.role) {
            case item_role::question: read_question(rec); break;
            case item_role::group:
                if (node.contains("repeats") && node["repeats"] == true) {
                    unsupported(rec.path.key("repeats"), "repeating groups are not supported");
                }
                if (node.contains("required") && node["required"] == true) {
                    not_imported(rec.path.key("required"),
                                 "a required group is not imported: its questions say "
                                 "themselves whether they are required");
                }
                break;
            case item_role::calculated: read_calculated(rec); break;
            case item_role::outcome: check_not_disabled(rec); break;
            default: break;
        }
    }

    void add_code_comments(item_record& rec) {
        const json* codes = find(*rec.node, "code");
        if (codes == nullptr || !codes->is_array()) return;
        for (const json& c : *codes) {
            std::string line = "code: ";
            if (const json* s = find(c, "system"); s != nullptr && s->is_string()) line += s->get<std::string>() + "|";
            if (const json* v = find(c, "code"); v != nullptr && v->is_string()) line += v->get<std::string>();
            if (const json* d = find(c, "display"); d != nullptr && d->is_string()) line += " " + d->get<std::string>();
            rec.comments.push_back(comment_text(line));
        }
    }

    /// The extensions of an item that are not expressions (those are read where they are
    /// translated): hidden, unit, range, help control; the rest are warned about.
    void read_item_extensions(item_record& rec) {
        const json* extensions = find(*rec.node, "extension");
        if (extensions == nullptr) return;
        if (!extensions->is_array()) {
            error(rec.path.key("extension"), "must be an array");
            return;
        }
        static const std::set<std::string> read_elsewhere = {core_url("minValue"),
                                                             core_url("maxValue"),
                                                             core_url("questionnaire-unit"),
                                                             core_url("questionnaire-constraint"),
                                                             core_url("questionnaire-hidden"),
                                                             sdc_url("sdc-questionnaire-enableWhenExpression"),
                                                             sdc_url("sdc-questionnaire-calculatedExpression")};
        for (std::size_t k = 0; k < extensions->size(); ++k) {
            json_path const at = rec.path.key("extension").index(k);
            std::string const url = extension_url((*extensions)[k], at);
            if (url.empty() || read_elsewhere.count(url) > 0 || is_presentation(url)) continue;
            if (url == core_url("variable")) {
                unsupported(at, "variables on items are not supported; declare it on the Questionnaire");
            } else if (url == sdc_url("sdc-questionnaire-initialExpression")) {
                not_imported(at, "initialExpression is not imported: Stepcare questions start unanswered");
            } else if (url == sdc_url("sdc-questionnaire-answerExpression")) {
                unsupported(at, "answerExpression (options computed while answering) is not supported");
            } else {
                note_unknown_extension(url, at);
            }
        }
    }

    /// The item's extensions with `url`, with their paths.
    std::vector<std::pair<const json*, json_path>> extensions_of(const item_record& rec, const std::string& url) const {
        std::vector<std::pair<const json*, json_path>> out;
        const json* extensions = find(*rec.node, "extension");
        for (std::size_t k = 0; extensions != nullptr && extensions->is_array() && k < extensions->size(); ++k) {
            const json* u = find((*extensions)[k], "url");
            if (u != nullptr && *u == url) out.emplace_back(&(*extensions)[k], rec.path.key("extension").index(k));
        }
        return out;
    }

    bool hidden(const item_record& rec) const {
        auto const found = extensions_of(rec, core_url("questionnaire-hidden"));
        return !found.empty() && find(*found[0].first, "valueBoolean") != nullptr &&
               (*found[0].first)["valueBoolean"] == true;
    }

    void read_question(item_record& rec) {
        const json& node = *rec.node;
        question_details q;
        const std::string& type = rec.type;
        bool const repeats = node.contains("repeats") && node["repeats"] == true;
        if (type == "boolean") {
            q.kind = question_kind::yesno;
        } else if (type == "choice") {
            q.kind = repeats ? question_kind::multi : question_kind::choice;
        } else if (type == "integer") {
            q.kind = question_kind::integer;
        } else if (type == "decimal") {
            q.kind = question_kind::decimal;
        } else if (type == "string" || type == "text") {
            q.kind = question_kind::text;
        } else if (type == "open-choice") {
            unsupported(rec.path.key("type"),
                        "open-choice (an option or free text) is not supported; make it a choice, or a choice and a "
                        "text question");
            return;
        } else {
            unsupported(rec.path.key("type"), "the item type '" + type +
                                                  "' is not supported; Stepcare asks boolean (yesno), choice, "
                                                  "integer, decimal and string or text questions");
            return;
        }
        if (repeats && q.kind != question_kind::multi) {
            unsupported(rec.path.key("repeats"), "only choice questions may repeat (a multi question)");
        }
        if (hidden(rec)) {
            unsupported(rec.path,
                        "a hidden question without a calculatedExpression is not supported: nobody could "
                        "answer it");
        }
        if (!rec.text) {
            unsupported(rec.path, "the question has no text; a .sq question needs one to ask");
            return;
        }
        q.ask = *rec.text;
        if (const json* required = find(node, "required")) q.optional = !(*required == true);
        if (q.kind == question_kind::choice || q.kind == question_kind::multi) {
            if (node.contains("answerValueSet")) {
                unsupported(rec.path.key("answerValueSet"),
                            "answerValueSet is not supported: list the options in answerOption");
                return;
            }
            if (!read_options(rec, q)) return;
        } else if (node.contains("answerOption")) {
            unsupported(rec.path.key("answerOption"), "answerOption is supported on choice questions only");
        }
        if (q.kind == question_kind::integer || q.kind == question_kind::decimal) read_range(rec, q);
        if (node.contains("maxLength")) {
            json_path const at = rec.path.key("maxLength");
            if (q.kind != question_kind::text) {
                not_imported(at, "maxLength is imported for string and text questions only");
            } else if (!node["maxLength"].is_number_unsigned() || node["maxLength"] == 0) {
                error(at, "must be a whole number of at least 1");
            } else if (node["maxLength"].get<std::uint64_t>() > max_text_answer_length) {
                changed(at, "a text answer may be at most " + std::to_string(max_text_answer_length) +
                                " characters in Stepcare; that is its maximum");
                q.max_length = max_text_answer_length;
            } else {
                q.max_length = node["maxLength"].get<std::uint64_t>();
            }
        }
        for (const auto& [ext, at] : extensions_of(rec, core_url("questionnaire-unit"))) {
            const json* coding = find(*ext, "valueCoding");
            if (coding == nullptr || !coding->is_object()) {
                error(at, "questionnaire-unit needs a valueCoding");
                continue;
            }
            json_path const coding_path = at.key("valueCoding");
            q.unit = read_text(*coding, "display", coding_path);
            if (!q.unit) {
                if (auto code = string_member(*coding, "code", coding_path)) q.unit = text_in_languages{*code, {}};
            }
        }
        rec.question = std::move(q);
        sq_type const type_of[] = {sq_type::boolean, sq_type::choice, sq_type::multi,
                                   sq_type::number,  sq_type::number, sq_type::text};
        rec.value = &new_value(fhir_value::role::question, rec.name, type_of[static_cast<int>(rec.question->kind)]);
        rec.value->link_ids = link_ids_of(rec);
        rec.value->known_when_answered = rec.value;
    }

    bool read_options(item_record& rec, question_details& q) {
        const json* list = find(*rec.node, "answerOption");
        json_path const list_path = rec.path.key("answerOption");
        if (list == nullptr || !list->is_array() || list->empty()) {
            unsupported(rec.path, "a choice question needs its options in answerOption");
            return false;
        }
        option_set set;
        bool ok = true;
        for (std::size_t k = 0; k < list->size(); ++k) {
            const json& option = (*list)[k];
            json_path const at = list_path.index(k);
            for (const auto& [key, value] : option.items()) {
                if (key == "initialSelected") {
                    not_imported(at.key(key), "initialSelected is not imported: Stepcare questions start unanswered");
                } else if (key == "modifierExtension") {
                    unsupported(at.key(key), "a modifier extension changes what the option means");
                    ok = false;
                } else if (key != "extension" && key.rfind("value", 0) != 0 && key.rfind("_value", 0) != 0 &&
                           key != "id") {
                    note_unknown_element(key, at.key(key));
                }
            }
            fhir_option o;
            text_in_languages label;
            std::string system;
            std::optional<std::string> score = score_of(option, at);
            if (const json* coding = find(option, "valueCoding")) {
                json_path const coding_path = at.key("valueCoding");
                std::optional<std::string> code = string_member(*coding, "code", coding_path);
                if (!code) {
                    unsupported(coding_path, "an option's Coding needs a code");
                    ok = false;
                    continue;
                }
                o.code = *code;
                system = string_member(*coding, "system", coding_path).value_or("");
                auto display = read_text(*coding, "display", coding_path);
                label = display ? *display : text_in_languages{*code, {}};
                if (!score) score = score_of(*coding, coding_path);
            } else if (const json* text = find(option, "valueString")) {
                if (!text->is_string()) {
                    error(at.key("valueString"), "must be a string");
                    ok = false;
                    continue;
                }
                o.code = text->get<std::string>();
                auto read = read_text(option, "valueString", at);
                if (!read) {
                    ok = false;
                    continue;
                }
                label = *read;
            } else if (const json* number = find(option, "valueInteger")) {
                if (!number->is_number_integer()) {
                    error(at.key("valueInteger"), "must be an integer");
                    ok = false;
                    continue;
                }
                o.code = std::to_string(number->get<std::int64_t>());
                label.main = o.code;
            } else {
                unsupported(at, "an option must be a valueCoding, valueString or valueInteger");
                ok = false;
                continue;
            }
            if (std::any_of(set.options.begin(), set.options.end(),
                            [&](const fhir_option& other) { return other.code == o.code; })) {
                error(at, "the code '" + o.code + "' is given to two options of this question");
                ok = false;
                continue;
            }
            o.score = score;
            set.options.push_back(std::move(o));
            set.labels.push_back(std::move(label));
            set.systems.push_back(system);
        }
        if (!ok) return false;
        if (set.options.size() > max_options_per_set) {
            unsupported(list_path, "a question may have at most " + std::to_string(max_options_per_set) + " options");
            return false;
        }
        // Option ids: codes that are valid ids as they are, then the others mapped.
        name_table ids;
        auto valid_id = [](const std::string& code) { return is_sq_name(code) || code == "yes" || code == "no"; };
        for (bool valid_first : {true, false}) {
            for (fhir_option& o : set.options) {
                if (valid_id(o.code) == valid_first) o.id = ids.claim(valid_first ? o.code : sq_name_from(o.code, "o"));
            }
        }
        set.first_question = static_cast<std::size_t>(&rec - items_.data());
        q.option_set = option_sets_.size();
        option_sets_.push_back(std::move(set));
        return true;
    }

    /// The ordinalValue (or itemWeight) extension of an option or its Coding, as a `.sq` number.
    std::optional<std::string> score_of(const json& object, const json_path& path) {
        const json* extensions = find(object, "extension");
        for (std::size_t k = 0; extensions != nullptr && extensions->is_array() && k < extensions->size(); ++k) {
            const json& ext = (*extensions)[k];
            json_path const at = path.key("extension").index(k);
            std::string const url = extension_url(ext, at);
            if (url == core_url("ordinalValue") || url == core_url("itemWeight")) {
                const json* value = find(ext, "valueDecimal");
                if (value == nullptr) value = find(ext, "valueInteger");
                if (value == nullptr) {
                    error(at, "ordinalValue needs a valueDecimal");
                    return std::nullopt;
                }
                std::string score = number_text(*value, at, false);
                if (score.empty()) return std::nullopt;
                return score;
            }
            if (!url.empty() && !is_presentation(url)) note_unknown_extension(url, at);
        }
        return std::nullopt;
    }

    void read_range(item_record& rec, question_details& q) {
        bool const whole = q.kind == question_kind::integer;
        for (bool lower : {true, false}) {
            auto const found = extensions_of(rec, core_url(lower ? "minValue" : "maxValue"));
            std::string& bound = lower ? q.min : q.max;
            if (!found.empty()) {
                const json* value = find(*found[0].first, whole ? "valueInteger" : "valueDecimal");
                if (value == nullptr) value = find(*found[0].first, "valueInteger");
                if (value == nullptr) value = find(*found[0].first, "valueDecimal");
                if (value == nullptr) {
                    error(found[0].second, "the bound needs a valueInteger or valueDecimal");
                    continue;
                }
                bound = number_text(*value, found[0].second, whole);
            } else if (whole) {
                bound = lower ? fhir_integer_min : fhir_integer_max;
            } else {
                bound = lower ? "-1000000000000000" : "1000000000000000";
            }
        }
        bool const no_min = extensions_of(rec, core_url("minValue")).empty();
        bool const no_max = extensions_of(rec, core_url("maxValue")).empty();
        if (no_min || no_max) {
            changed(rec.path, std::string("the question has no ") +
                                  (no_min && no_max ? "minValue or maxValue"
                                   : no_min         ? "minValue"
                                                    : "maxValue") +
                                  "; its range is " + q.min + ".." + q.max + ", so set its real bounds");
        }
        if (!q.min.empty() && !q.max.empty() &&
            std::strtod(q.min.c_str(), nullptr) > std::strtod(q.max.c_str(), nullptr)) {
            unsupported(rec.path, "the minValue " + q.min + " is larger than the maxValue " + q.max);
        }
    }

    void read_calculated(item_record& rec) {
        let_record& let = lets_[rec.let];
        if (let.name != rec.link_id && rec.link_id != "let." + let.name) {
            let.comments.push_back("linkId: " + comment_text(rec.link_id));
        }
        let.comments.insert(let.comments.end(), rec.comments.begin(), rec.comments.end());
        if (!hidden(rec) && rec.text) {
            let.comments.push_back("shown in FHIR, read-only: " + comment_text(rec.text->main));
        }
        if (!hidden(rec) && !(rec.node->contains("readOnly") && (*rec.node)["readOnly"] == true)) {
            changed(rec.path, "the calculated item can also be answered in FHIR; it becomes the let '" + let.name +
                                  "', which nobody answers");
        }
        check_not_disabled(rec);
        if (rec.node->contains("repeats") && (*rec.node)["repeats"] == true && rec.link_id.rfind("let.", 0) != 0) {
            unsupported(rec.path.key("repeats"), "a repeating calculated item is not supported");
        }
    }

    /// A let or outcome has a value whatever is shown, so its item must not be disabled.
    void check_not_disabled(const item_record& rec) {
        for (std::size_t at = static_cast<std::size_t>(&rec - items_.data()); at != none; at = items_[at].parent) {
            const json& node = *items_[at].node;
            if (node.contains("enableWhen") || has_extension(node, sdc_url("sdc-questionnaire-enableWhenExpression"))) {
                unsupported(rec.path,
                            "a calculated item that can be disabled (by its own enableWhen or that of a "
                            "group it is in) is not supported: a let has a value whatever is shown");
                return;
            }
        }
    }

    /// Questions whose option lists are the same share one named option set.
    void share_option_sets() {
        auto key_of = [](const option_set& s) {
            json k = json::array();
            for (std::size_t i = 0; i < s.options.size(); ++i) {
                json labels = json::array({s.labels[i].main});
                for (const auto& [language, text] : s.labels[i].translations) labels.push_back({language, text});
                k.push_back(
                    {s.options[i].id, s.options[i].code, s.options[i].score.value_or("-"), s.systems[i], labels});
            }
            return k.dump();
        };
        std::map<std::string, std::size_t> seen;
        for (item_record& rec : items_) {
            if (!rec.question || rec.question->option_set == none) continue;
            std::size_t& set = rec.question->option_set;
            auto [found, added] = seen.emplace(key_of(option_sets_[set]), set);
            if (!added) {
                option_sets_[set].same_as = found->second;
                set = found->second;
            }
            ++option_sets_[set].questions;
            rec.value->options = &option_sets_[set].options;
        }
        for (option_set& set : option_sets_) {
            if (set.same_as != none || set.questions == 0) continue;
            // Stepcare's own export names a set's code system `.../options/NAME`.
            std::string common = set.systems.empty() ? "" : set.systems[0];
            for (const std::string& s : set.systems) {
                if (s != common) common.clear();
            }
            std::size_t const slash = common.rfind("/options/");
            std::string const exported = slash == std::string::npos ? "" : common.substr(slash + 9);
            const std::string& question = items_[set.first_question].name;
            if (is_sq_name(exported) && exported != question) {
                set.name = names_.claim(exported);
            } else if (set.questions > 1) {
                set.name = names_.claim(question + "_options");
            }
        }
    }

    // ---- outcomes and the referral -------------------------------------------------------

    void read_outcome_items() {
        for (item_record& rec : items_) {
            if (rec.role == item_role::outcome) read_outcome(rec);
        }
        for (item_record& rec : items_) {
            if (rec.role == item_role::outcome_text) {
                std::string const link_id = rec.link_id.substr(0, rec.link_id.size() - 5);
                auto const found = by_link_id_.find(link_id);
                if (found == by_link_id_.end() || items_[found->second].outcome == none) {
                    changed(rec.path, "there is no outcome item '" + link_id +
                                          "' for this text; it is read as a "
                                          "display item");
                    rec.role = item_role::display;
                    continue;
                }
                if (!rec.text) continue;
                outcome_record& o = outcomes_[items_[found->second].outcome];
                shown_text shown = read_shown_text(*rec.text, &o.title, rec.path);
                o.says = shown.says;
                o.cites = shown.cites;
            } else if (rec.role == item_role::referral) {
                if (!rec.text) {
                    error(rec.path, "the referral item has no text");
                    continue;
                }
                shown_text shown = read_shown_text(*rec.text, nullptr, rec.path);
                referral_ = std::move(shown);
            }
        }
    }

    void read_outcome(item_record& rec) {
        outcome_record& o = outcomes_[rec.outcome];
        for (const json& c : *find(*rec.node, "code")) {
            const json* system = find(c, "system");
            const json* code = find(c, "code");
            if (system == nullptr || *system != fhir_outcome_system || code == nullptr || !code->is_string()) continue;
            std::string const value = code->get<std::string>();
            if (value == "stop") {
                o.stop = true;
            } else if (value == "urgent" || value == "caution" || value == "guidance" || value == "info") {
                o.level = value;
            }
        }
        if (o.level.empty()) {
            unsupported(rec.path.key("code"),
                        "an outcome needs a level: a code urgent, caution, guidance or info of system " +
                            std::string(fhir_outcome_system));
        }
        if (o.stop && o.level != "urgent" && !o.level.empty()) {
            unsupported(rec.path.key("code"), "only urgent outcomes may stop");
        }
        if (!rec.text) {
            unsupported(rec.path, "the outcome has no text, which is its title");
        } else {
            o.title = *rec.text;
        }
    }

    /// An outcome's `.text` item or the referral: a title (the referral's own; an outcome's
    /// title repeated), `say` paragraphs, and the cited sources' paragraph.
    shown_text read_shown_text(const text_in_languages& text, const text_in_languages* title, const json_path& at) {
        shown_text out;
        std::vector<std::string> const main = paragraphs(text.main);
        std::size_t first = 0;
        if (title == nullptr || main[0] == title->main) {
            if (title == nullptr) out.title = text_in_languages{main[0], {}};
            first = 1;
        }
        std::size_t last = main.size();
        if (last > first && main[last - 1].rfind("Sources: ", 0) == 0) {
            if (auto cites = cited_sources(main[last - 1].substr(9))) {
                out.cites = *cites;
                --last;
            }
        }
        for (std::size_t k = first; k < last; ++k) out.says.push_back({main[k], {}});
        for (const auto& [language, translated] : text.translations) {
            std::vector<std::string> const parts = paragraphs(translated);
            if (parts.size() != main.size()) {
                not_imported(at, "the " + language +
                                     " text is not made of the same paragraphs as the main text, so its translation "
                                     "is not imported");
                continue;
            }
            if (out.title) out.title->translations.emplace_back(language, parts[0]);
            for (std::size_t k = first; k < last; ++k)
                out.says[k - first].translations.emplace_back(language, parts[k]);
        }
        return out;
    }

    /// The sources named in `ID: title; ID: title`, when every one is a source of the header.
    std::optional<std::vector<std::string>> cited_sources(std::string rest) {
        std::vector<std::string> cites;
        while (!rest.empty()) {
            auto const found = std::find_if(sources_.begin(), sources_.end(), [&](const source_record& s) {
                return rest.rfind(s.id + ": " + s.title.main, 0) == 0;
            });
            if (found == sources_.end()) return std::nullopt;
            cites.push_back(found->id);
            rest = rest.substr(found->id.size() + 2 + found->title.main.size());
            if (rest.rfind("; ", 0) == 0) {
                rest = rest.substr(2);
            } else if (!rest.empty()) {
                return std::nullopt;
            }
        }
        return cites;
    }

    // ---- display items -------------------------------------------------------------------

    /// Display items that are not a question's help become the help of the next question
    /// among the items after them (inside groups too); those with none after them are kept
    /// as comments.
    void attach_displays(const std::vector<std::size_t>& siblings, std::vector<std::size_t> pending) {
        for (std::size_t i : siblings) {
            item_record& rec = items_[i];
            if (rec.role == item_role::display) {
                if (rec.text) pending.push_back(i);
                continue;
            }
            if (rec.role == item_role::question && rec.question) {
                for (std::size_t d : pending) {
                    items_[d].shown_as_help = true;
                    rec.question->help.push_back(*items_[d].text);
                    changed(items_[d].path, "the display item becomes the help of the question '" + rec.name +
                                                "', as Stepcare shows text only with questions");
                }
                pending.clear();
                for (std::size_t c : rec.children) {
                    if (items_[c].role == item_role::help && items_[c].text)
                        rec.question->help.push_back(*items_[c].text);
                }
                attach_displays(rec.children, {});
            } else if (rec.role == item_role::group) {
                attach_displays(rec.children, std::move(pending));
                pending.clear();
            }
        }
        for (std::size_t d : pending) {
            items_[d].comments.push_back("display: " + comment_text(items_[d].text->main));
            not_imported(items_[d].path,
                         "the display item has no question after it to be the help of; its text is "
                         "kept as a comment only");
        }
    }

    // ---- expressions ---------------------------------------------------------------------

    const fhir_value* let_value(let_record& let, std::string& why) {
        switch (let.state) {
            case translation_state::done: return let.value;
            case translation_state::failed: why = "the let '" + let.name + "' could not be imported"; return nullptr;
            case translation_state::translating: why = "the let '" + let.name + "' depends on itself"; return nullptr;
            case translation_state::waiting: translate_let(let); return let_value(let, why);
        }
        return nullptr;
    }

    void translate_let(let_record& let) {
        if (let.state != translation_state::waiting) return;
        if (!let.expression) {
            let.state = translation_state::failed;
            return;
        }
        let.state = translation_state::translating;
        fhirpath_translation t = translate_fhirpath(*let.expression, *this);
        if (!t.expr) {
            let.state = translation_state::failed;
            unsupported(let.expression_path, t.error);
            return;
        }
        let.expr = t.expr;
        let.value->type = t.type;
        let.value->options = t.options;
        let.value->known_when_answered = t.known_when_answered;
        let.state = translation_state::done;
    }

    void translate_outcome(outcome_record& o) {
        if (!o.expression) return;
        fhirpath_translation t = translate_fhirpath(*o.expression, *this);
        if (!t.expr) {
            unsupported(o.expression_path, t.error);
        } else if (t.type != sq_type::boolean) {
            unsupported(o.expression_path, "an outcome's expression must be true/false");
        } else {
            o.when = t.expr;
        }
    }

    /// The item's enableWhen or enableWhenExpression as its condition.
    void read_conditions(std::size_t index) {
        item_record& rec = items_[index];
        const json& node = *rec.node;
        auto const expressions = extensions_of(rec, sdc_url("sdc-questionnaire-enableWhenExpression"));
        bool const listed = node.contains("enableWhen");
        if (!listed && expressions.empty()) return;
        if (rec.role == item_role::outcome_text) return;  // shown with its outcome
        if (rec.role == item_role::help || rec.role == item_role::display || rec.role == item_role::referral) {
            not_imported(rec.path,
                         "the condition of a display item is not imported: its text is shown with its "
                         "question");
            return;
        }
        if (rec.role != item_role::question && rec.role != item_role::group) return;  // reported as calculated
        if (listed && !expressions.empty()) {
            error(rec.path, "enableWhen and enableWhenExpression together; FHIR allows one of them");
            return;
        }
        if (!expressions.empty()) {
            json_path where;
            std::optional<std::string> text = fhirpath_of(*expressions[0].first, expressions[0].second, where);
            if (!text) return;
            fhirpath_translation t = translate_fhirpath(*text, *this);
            if (!t.expr) {
                unsupported(where, t.error);
            } else if (t.type != sq_type::boolean) {
                unsupported(where, "an enableWhenExpression must be true/false");
            } else {
                rec.condition = t.expr;
            }
            return;
        }
        const json& list = node["enableWhen"];
        json_path const list_path = rec.path.key("enableWhen");
        if (!list.is_array() || list.empty()) {
            error(list_path, "must be a non-empty array");
            return;
        }
        if (list.size() > max_enable_when) {
            unsupported(list_path, "an item may have at most " + std::to_string(max_enable_when) + " enableWhen");
            return;
        }
        std::string behavior = "all";
        if (auto b = string_member(node, "enableBehavior", rec.path)) {
            behavior = *b;
            if (behavior != "all" && behavior != "any") {
                error(rec.path.key("enableBehavior"), "must be all or any, not '" + behavior + "'");
                return;
            }
        } else if (list.size() > 1) {
            error(rec.path, "with more than one enableWhen, enableBehavior (all or any) must say how they combine");
            return;
        }
        sq_ref combined;
        // Stepcare's export writes `Q in {a, b}` as one `=` per option, any of them.
        bool one_choice = behavior == "any" && list.size() > 1;
        std::vector<std::string> options;
        for (std::size_t k = 0; k < list.size(); ++k) {
            sq_ref c = enable_when(index, list[k], list_path.index(k));
            if (!c) return;
            one_choice = one_choice && c->what == sq_expr::kind::binary && c->text == "==" &&
                         list[k]["question"] == list[0]["question"] && c->operands[1]->what == sq_expr::kind::name;
            if (one_choice) options.push_back(c->operands[1]->text);
            combined = combined ? sq_binary(behavior == "all" ? "and" : "or", combined, c) : c;
        }
        if (one_choice) {
            combined = sq_binary("in", sq_name(items_[by_link_id_[list[0]["question"]]].name), sq_set(options));
        }
        rec.condition = combined;
    }

    /// One enableWhen with FHIR's meaning: each is true or false, never unknown, so `!=`
    /// and `exists` are written out with answered() (docs/fhir.md).
    sq_ref enable_when(std::size_t index, const json& when, const json_path& at) {
        if (!when.is_object()) {
            error(at, "an enableWhen must be an object");
            return nullptr;
        }
        std::optional<std::string> link_id = string_member(when, "question", at);
        std::optional<std::string> op = string_member(when, "operator", at);
        if (!link_id || !op) {
            error(at, "an enableWhen needs a question and an operator");
            return nullptr;
        }
        auto const found = by_link_id_.find(*link_id);
        if (found == by_link_id_.end()) {
            error(at.key("question"), "there is no item with linkId '" + *link_id + "'");
            return nullptr;
        }
        const item_record& target = items_[found->second];
        if (target.role != item_role::question) {
            unsupported(at.key("question"), "'" + *link_id +
                                                "' is not a question; an enableWhen on a group, display or calculated "
                                                "item is not supported (use an enableWhenExpression)");
            return nullptr;
        }
        if (!target.question) return nullptr;  // reported where it is
        if (found->second >= index) {
            unsupported(at.key("question"), "'" + *link_id +
                                                "' comes after this item (or is this item); a condition may only look "
                                                "at earlier questions");
            return nullptr;
        }
        std::string answer_key;
        for (const auto& [key, value] : when.items()) {
            if (key.rfind("answer", 0) == 0) {
                if (!answer_key.empty()) {
                    error(at, "an enableWhen has one answer[x], not two");
                    return nullptr;
                }
                answer_key = key;
            }
        }
        if (answer_key.empty()) {
            error(at, "the enableWhen has no answer[x]");
            return nullptr;
        }
        const json& answer = when[answer_key];
        json_path const answer_path = at.key(answer_key);
        question_kind const kind = target.question->kind;
        sq_ref const q = sq_name(target.name);
        sq_ref const answered = sq_call("answered", {q});
        bool const multi = kind == question_kind::multi;
        if (*op == "exists") {
            if (answer_key != "answerBoolean" || !answer.is_boolean()) {
                error(answer_path, "the operator exists takes answerBoolean");
                return nullptr;
            }
            bool const exists = answer.get<bool>();
            if (!multi) return exists ? answered : sq_not(answered);
            // FHIR has no answer for a multi answered with none chosen.
            sq_ref const count = sq_call("count", {q});
            if (exists) return sq_binary("and", answered, sq_binary(">", count, sq_number_literal("0")));
            return sq_binary("or", sq_not(answered), sq_binary("==", count, sq_number_literal("0")));
        }
        static const std::set<std::string> operators = {"=", "!=", ">", "<", ">=", "<="};
        if (operators.count(*op) == 0) {
            unsupported(at.key("operator"), "the operator '" + *op + "' is not one of exists, =, !=, >, <, >=, <=");
            return nullptr;
        }
        sq_ref const value = answer_value(target, answer_key, answer, answer_path);
        if (!value) return nullptr;
        bool const ordering = *op != "=" && *op != "!=";
        if (ordering && kind != question_kind::integer && kind != question_kind::decimal) {
            unsupported(at.key("operator"), "'" + *op + "' is supported for integer and decimal questions only");
            return nullptr;
        }
        if (ordering) return sq_binary(*op, q, value);
        sq_ref equal;
        if (kind == question_kind::yesno) {
            equal = value->text == "true" ? q : sq_not(q);
        } else if (multi) {
            equal = sq_binary("has", q, value);
        } else {
            equal = sq_binary("==", q, value);
        }
        if (*op == "=") return equal;
        // FHIR's != is true for an unanswered question; Stepcare's would be unknown.
        sq_ref differs = kind == question_kind::yesno ? (value->text == "true" ? sq_not(q) : q)
                         : multi                      ? sq_not(equal)
                                                      : sq_binary("!=", q, value);
        return sq_binary("or", sq_not(answered), differs);
    }

    /// The answer[x] of an enableWhen as a `.sq` value for the question it names.
    sq_ref answer_value(const item_record& target, const std::string& key, const json& answer, const json_path& at) {
        question_kind const kind = target.question->kind;
        auto mismatch = [&]() {
            static const char* const kinds[] = {"yesno (boolean)", "choice", "multi", "integer", "decimal", "text"};
            unsupported(
                at, key + " does not fit '" + target.link_id + "', a " + kinds[static_cast<int>(kind)] + " question");
            return nullptr;
        };
        switch (kind) {
            case question_kind::yesno:
                if (key != "answerBoolean" || !answer.is_boolean()) return mismatch();
                return sq_boolean(answer.get<bool>());
            case question_kind::integer:
            case question_kind::decimal: {
                if ((key != "answerInteger" && key != "answerDecimal") || !answer.is_number()) return mismatch();
                std::string const n = number_text(answer, at, false);
                return n.empty() ? nullptr : number_expr(n);
            }
            case question_kind::text:
                if (key != "answerString" || !answer.is_string()) return mismatch();
                return sq_string(answer.get<std::string>());
            case question_kind::choice:
            case question_kind::multi: {
                const option_set& set = option_sets_[target.question->option_set];
                std::string code;
                std::string system;
                if (key == "answerCoding" && answer.is_object()) {
                    code = string_member(answer, "code", at).value_or("");
                    system = string_member(answer, "system", at).value_or("");
                } else if (key == "answerString" && answer.is_string()) {
                    code = answer.get<std::string>();
                } else if (key == "answerInteger" && answer.is_number_integer()) {
                    code = std::to_string(answer.get<std::int64_t>());
                } else {
                    return mismatch();
                }
                for (std::size_t k = 0; k < set.options.size(); ++k) {
                    bool const same_system = system.empty() || set.systems[k].empty() || system == set.systems[k];
                    if (set.options[k].code == code && same_system) return sq_name(set.options[k].id);
                }
                unsupported(at, "'" + target.link_id + "' has no option with the code '" + code + "'" +
                                    (system.empty() ? "" : " of " + system));
                return nullptr;
            }
        }
        return nullptr;
    }

    /// questionnaire-constraint extensions of a question as `require ... else ...`.
    void read_constraints(std::size_t index) {
        item_record& rec = items_[index];
        for (const auto& [ext, at] : extensions_of(rec, core_url("questionnaire-constraint"))) {
            if (rec.role != item_role::question) {
                unsupported(at, "a questionnaire-constraint is supported on questions only");
                continue;
            }
            if (!rec.question) continue;
            std::optional<std::string> expression;
            json_path expression_path;
            std::optional<text_in_languages> human;
            std::string severity_code = "error";
            const json* parts = find(*ext, "extension");
            for (std::size_t p = 0; parts != nullptr && parts->is_array() && p < parts->size(); ++p) {
                const json& part = (*parts)[p];
                json_path const part_path = at.key("extension").index(p);
                std::string const url = extension_url(part, part_path);
                if (url == "expression") {
                    expression = string_member(part, "valueString", part_path);
                    expression_path = part_path.key("valueString");
                } else if (url == "human") {
                    human = read_text(part, "valueString", part_path);
                } else if (url == "severity") {
                    severity_code = string_member(part, "valueCode", part_path).value_or("error");
                } else if (url == "location") {
                    unsupported(part_path, "a constraint with a location is not supported; put it on the question");
                } else if (url != "key" && url != "requirements") {
                    note_unknown_extension(url, part_path);
                }
            }
            if (severity_code != "error") {
                unsupported(at, "a constraint of severity '" + severity_code +
                                    "' is not supported: a require always refuses the answer");
                continue;
            }
            if (!expression || !human) {
                error(at, "a questionnaire-constraint needs an expression and a human text");
                continue;
            }
            fhirpath_translation t = translate_fhirpath(*expression, *this, fhirpath_use::constraint);
            if (!t.expr) {
                unsupported(expression_path, t.error);
            } else if (t.type != sq_type::boolean) {
                unsupported(expression_path, "a constraint's expression must be true/false");
            } else {
                rec.question->requirements.push_back({t.expr, *human});
            }
        }
    }

    // ---- writing -------------------------------------------------------------------------

    struct writer {
        std::string text;
        std::size_t lines = 0;
        /// (first line, JSON path) of every block written, so a problem found in the `.sq`
        /// text can be traced to what it was made from.
        std::vector<std::pair<std::size_t, json_path>> blocks;

        void line(int indent, const std::string& content) {
            text.append(static_cast<std::size_t>(indent) * 2, ' ');
            text += content;
            text += '\n';
            ++lines;
        }
        void blank() {
            text += '\n';
            ++lines;
        }
        void block(const json_path& from) { blocks.emplace_back(lines + 1, from); }
    };

    /// Translations in the order of the `languages` line.
    std::vector<std::pair<std::string, std::string>> ordered(const text_in_languages& t) const {
        std::vector<std::pair<std::string, std::string>> out;
        for (const std::string& language : languages_) {
            for (const auto& tr : t.translations) {
                if (tr.first == language) out.push_back(tr);
            }
        }
        return out;
    }

    std::string inline_text(const text_in_languages& t) const {
        if (t.translations.empty()) return sq_text_literal(t.main);
        std::string s = "{ " + main_language_ + " " + sq_text_literal(t.main);
        for (const auto& [language, text] : ordered(t)) s += " " + language + " " + sq_text_literal(text);
        return s + " }";
    }

    void block_text(writer& w, int indent, const std::string& keyword, const text_in_languages& t) const {
        if (t.translations.empty()) {
            w.line(indent, keyword + " " + sq_text_literal(t.main));
            return;
        }
        w.line(indent, keyword + " {");
        w.line(indent + 1, main_language_ + " " + sq_text_literal(t.main));
        for (const auto& [language, text] : ordered(t)) w.line(indent + 1, language + " " + sq_text_literal(text));
        w.line(indent, "}");
    }

    /// The titled group a question is shown under (`none` for none): its innermost one.
    std::size_t section_of(std::size_t index) const {
        for (std::size_t at = items_[index].parent; at != none; at = items_[at].parent) {
            if (items_[at].role == item_role::group && !items_[at].name.empty()) return at;
        }
        return none;
    }

    /// Conditions of the items from `from` (inclusive) up to `stop` (exclusive), outermost first.
    std::vector<sq_ref> conditions_between(std::size_t from, std::size_t stop) const {
        std::vector<sq_ref> out;
        for (std::size_t at = from; at != stop && at != none; at = items_[at].parent) {
            if (items_[at].condition) out.insert(out.begin(), items_[at].condition);
        }
        return out;
    }

    void write_options(writer& w, int indent, const option_set& set) const {
        for (std::size_t k = 0; k < set.options.size(); ++k) {
            const fhir_option& o = set.options[k];
            std::string line = o.id;
            if (o.score) line += " = " + *o.score;
            line += " " + inline_text(set.labels[k]);
            if (o.id != o.code) line += "  # code: " + comment_text(o.code);
            w.line(indent, line);
        }
    }

    void write_question(writer& w, int indent, const item_record& rec, std::size_t section) const {
        const question_details& q = *rec.question;
        w.block(rec.path);
        for (const std::string& c : rec.comments) w.line(indent, "# " + c);
        std::string head = "question " + rec.name + ": ";
        bool inline_set = false;
        switch (q.kind) {
            case question_kind::yesno: head += "yesno"; break;
            case question_kind::choice:
            case question_kind::multi: {
                const option_set& set = option_sets_[q.option_set];
                head += q.kind == question_kind::choice ? "choice " : "multi ";
                inline_set = set.name.empty();
                head += inline_set ? "{" : set.name;
                break;
            }
            case question_kind::integer: head += "integer " + q.min + ".." + q.max; break;
            case question_kind::decimal: head += "decimal " + q.min + ".." + q.max; break;
            case question_kind::text:
                head += "text";
                if (q.max_length) head += " max " + std::to_string(*q.max_length);
                break;
        }
        std::string tail;
        if (q.optional) tail += " optional";
        if (sq_ref when = sq_all_of(conditions_between(static_cast<std::size_t>(&rec - items_.data()), section))) {
            tail += " when " + print(*when);
        }
        tail += " {";
        if (inline_set) {
            w.line(indent, head);
            write_options(w, indent + 1, option_sets_[q.option_set]);
            w.line(indent, "}" + tail);
        } else {
            w.line(indent, head + tail);
        }
        block_text(w, indent + 1, "ask", q.ask);
        if (!q.help.empty()) {
            text_in_languages help = q.help[0];
            for (std::size_t k = 1; k < q.help.size(); ++k) join_paragraph(help, q.help[k]);
            block_text(w, indent + 1, "help", help);
        }
        if (q.unit) block_text(w, indent + 1, "unit", *q.unit);
        for (const require_clause& r : q.requirements) {
            if (r.message.translations.empty()) {
                w.line(indent + 1, "require " + print(*r.condition) + " else " + sq_text_literal(r.message.main));
            } else {
                w.line(indent + 1, "require " + print(*r.condition) + " else {");
                w.line(indent + 2, main_language_ + " " + sq_text_literal(r.message.main));
                for (const auto& [language, text] : ordered(r.message))
                    w.line(indent + 2, language + " " + sq_text_literal(text));
                w.line(indent + 1, "}");
            }
        }
        w.line(indent, "}");
    }

    /// `more` as a further paragraph of `text`, in every language either has.
    static void join_paragraph(text_in_languages& text, const text_in_languages& more) {
        // Named pairs, not structured bindings: clang 14 cannot capture those in a lambda.
        for (auto& entry : text.translations) {
            const std::string& language = entry.first;
            auto const found = std::find_if(more.translations.begin(), more.translations.end(),
                                            [&](const auto& t) { return t.first == language; });
            entry.second += "\n\n" + (found != more.translations.end() ? found->second : more.main);
        }
        for (const auto& entry : more.translations) {
            const std::string& language = entry.first;
            bool const known = std::any_of(text.translations.begin(), text.translations.end(),
                                           [&](const auto& t) { return t.first == language; });
            if (!known) text.translations.emplace_back(language, text.main + "\n\n" + entry.second);
        }
        text.main += "\n\n" + more.main;
    }

    std::string write() {
        writer w;
        w.block(root_path_);
        w.line(0, "# Imported from the FHIR R4 Questionnaire " + comment_text(url_.empty() ? raw_id_ : url_) + "|" +
                      comment_text(version_) + " by `stepcare import`.");
        if (!publisher_.empty()) w.line(0, "# Publisher: " + comment_text(publisher_));
        if (!copyright_.empty()) w.line(0, "# Copyright: " + comment_text(copyright_));
        w.line(0, "questionnaire " + id_ + " " + inline_text(title_) + " {");
        w.line(1, "version " + sq_string_literal(version_));
        if (!languages_.empty() || main_language_ != "en") {
            std::string line = "languages " + main_language_;
            for (const std::string& language : languages_) line += ", " + language;
            w.line(1, line);
        }
        if (description_) block_text(w, 1, "description", *description_);
        for (const source_record& s : sources_) w.line(1, "source " + s.id + " " + inline_text(s.title));
        if (!purpose_.empty()) w.line(1, "# Purpose: " + purpose_);

        for (const option_set& set : option_sets_) {
            if (set.name.empty() || set.same_as != none) continue;
            w.blank();
            w.block(items_[set.first_question].path);
            w.line(1, "options " + set.name + " {");
            write_options(w, 2, set);
            w.line(1, "}");
        }

        // Questions in file order; consecutive ones under one titled group form a section.
        std::size_t open = none;
        int uses_of_open = 0;
        std::map<std::size_t, int> sections_written;
        for (std::size_t i = 0; i < items_.size(); ++i) {
            const item_record& rec = items_[i];
            bool const question = rec.role == item_role::question && rec.question;
            bool const leftover = rec.role == item_role::display && !rec.comments.empty() && !rec.shown_as_help;
            if (!question && !leftover) continue;
            std::size_t const section = question ? section_of(i) : open;
            if (section != open || open == none) {
                if (open != none) w.line(1, "}");
                w.blank();
                open = section;
                uses_of_open = 0;
                if (section != none) {
                    const item_record& group = items_[section];
                    int const written = sections_written[section]++;
                    std::string const name = written == 0 ? group.name : names_.claim(group.name);
                    w.block(group.path);
                    if (written == 0) {
                        for (const std::string& c : group.comments) w.line(1, "# " + c);
                    }
                    std::string head = "section " + name + " " + inline_text(*group.text);
                    if (sq_ref when = sq_all_of(conditions_between(section, none))) head += " when " + print(*when);
                    w.line(1, head + " {");
                }
            }
            int const indent = open == none ? 1 : 2;
            if (uses_of_open++ > 0 && open != none) w.blank();
            if (question) {
                write_question(w, indent, rec, open);
            } else {
                w.block(rec.path);
                for (const std::string& c : rec.comments) w.line(indent, "# " + c);
            }
        }
        if (open != none) w.line(1, "}");

        if (!lets_.empty()) w.blank();
        std::vector<const let_record*> lets;
        for (const let_record& let : lets_) lets.push_back(&let);
        std::sort(lets.begin(), lets.end(),
                  [](const let_record* a, const let_record* b) { return a->order < b->order; });
        for (const let_record* l : lets) {
            const let_record& let = *l;
            w.block(let.item_path);
            for (const std::string& c : let.comments) w.line(1, "# " + c);
            w.line(1, "let " + let.name + " = " + print(*let.expr));
        }
        for (const outcome_record& o : outcomes_) {
            w.blank();
            w.block(o.item_path);
            w.line(1, "outcome " + o.name + " " + o.level + " " + inline_text(o.title) + " {");
            w.line(2, "when " + print(*o.when));
            for (const text_in_languages& say : o.says) block_text(w, 2, "say", say);
            if (!o.cites.empty()) w.line(2, "cite " + join(o.cites));
            if (o.stop) w.line(2, "stop");
            w.line(1, "}");
        }
        w.blank();
        if (referral_ && referral_->title) {
            w.block(items_[by_link_id_["referral"]].path);
            w.line(1, "referral " + inline_text(*referral_->title) + " {");
            for (const text_in_languages& say : referral_->says) block_text(w, 2, "say", say);
            if (!referral_->cites.empty()) w.line(2, "cite " + join(referral_->cites));
            w.line(1, "}");
        } else {
            placeholder_ = true;
            w.line(1, "# TODO referral: FHIR has no referral, and every Stepcare result shows one. Write who the");
            w.line(1, "# person should see and why, then remove this comment; `stepcare check` refuses the file");
            w.line(1, "# until then. For example:");
            w.line(1, "# referral \"Talk with a clinician\" {");
            w.line(1, "#   say \"Only a qualified clinician can decide what is right for you.\"");
            w.line(1, "# }");
            report(severity::warning, "fhir-no-referral", root_path_,
                   "FHIR has no referral, so the .sq file has a TODO where it belongs; `stepcare check` refuses the "
                   "file until a clinician's referral is written there");
        }
        w.line(0, "}");
        blocks_ = std::move(w.blocks);
        return std::move(w.text);
    }

    static std::string join(const std::vector<std::string>& words) {
        std::string out;
        for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
        return out;
    }

    /// Compiles what was written: a problem the import could not see is reported at the
    /// item it came from, with the `.sq` line as a note, and nothing is written.
    void check_output(const std::string& source) {
        compile_options options;
        options.run_tests = false;
        compile_result const compiled = compile_source(source, file_ + " (as .sq)", options);
        for (const diagnostic& d : compiled.diagnostics) {
            if (d.level != severity::error || (placeholder_ && d.code == "missing-referral")) continue;
            json_path from = root_path_;
            for (const auto& [line, path] : blocks_) {
                if (line <= d.line) from = path;
            }
            diagnostic note = d;
            note.level = severity::note;
            std::string line = d.source_line.value_or("");
            line.erase(0, line.find_first_not_of(' '));
            note.message = "in the .sq text made from it: " + line;
            note.notes.clear();
            report(severity::error, "fhir-import-check", from,
                   "the .sq text made from this does not pass the checks (" + d.code + "): " + d.message, {note});
        }
    }

    // ---- state ---------------------------------------------------------------------------

    std::string_view text_;
    std::string file_;
    json root_;
    json_path root_path_;
    std::vector<pending_diagnostic> pending_;
    std::size_t errors_ = 0;
    std::optional<json_place> syntax_place_;

    std::string id_;
    std::string raw_id_;  ///< as the resource gives it
    text_in_languages title_;
    std::string version_;
    std::string url_;
    std::string publisher_;
    std::string copyright_;
    std::string purpose_;
    std::optional<text_in_languages> description_;
    std::string main_language_ = "en";
    std::vector<std::string> languages_;  ///< the others, in the order first met
    std::vector<source_record> sources_;

    std::vector<item_record> items_;  ///< every item, in document order
    std::vector<std::size_t> top_items_;
    std::map<std::string, std::size_t> by_link_id_;
    std::deque<option_set> option_sets_;
    std::deque<let_record> lets_;
    std::deque<outcome_record> outcomes_;
    std::deque<fhir_value> values_;
    std::optional<shown_text> referral_;
    bool placeholder_ = false;

    std::vector<variable_record> variable_records_;
    std::map<std::string, std::size_t> variable_index_;
    struct variable_target {
        std::size_t let = none;
        std::size_t outcome = none;
    };
    std::map<std::string, variable_target> variables_;

    name_table names_;
    std::map<std::string, std::pair<json_path, std::size_t>> unknown_extensions_;
    std::vector<std::string> unknown_extension_order_;
    std::map<std::string, std::pair<json_path, std::size_t>> unknown_elements_;
    std::vector<std::string> unknown_element_order_;
    std::vector<std::pair<std::size_t, json_path>> blocks_;
};

}  // namespace

}  // namespace fhir

fhir_import import_fhir_questionnaire(std::string_view json, std::string name) {
    return fhir::importer(json, std::move(name)).run();
}

}  // namespace stepcare
