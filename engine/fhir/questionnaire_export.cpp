#include "fhir/questionnaire_export.hpp"

#include <nlohmann/json.hpp>
#include <algorithm>
#include <optional>
#include <utility>

#include "diagnostics/diagnostic_sink.hpp"
#include "fhir/fhirpath.hpp"
#include "render/result_emitter.hpp"

namespace stepcare {
namespace {

using json = nlohmann::ordered_json;
using ast::expr_kind;
using ast::op;

constexpr const char* sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/";
constexpr const char* core = "http://hl7.org/fhir/StructureDefinition/";

json extension(const std::string& url, const char* value_key, json value) {
    json e;
    e["url"] = url;
    e[value_key] = std::move(value);
    return e;
}

json fhirpath_expression(const std::string& expression, const std::string& name = {}) {
    json e;
    if (!name.empty()) e["name"] = name;
    e["language"] = "text/fhirpath";
    e["expression"] = expression;
    return e;
}

json hidden() { return extension(std::string(core) + "questionnaire-hidden", "valueBoolean", true); }

json calculated(const std::string& expression) {
    return extension(std::string(sdc) + "sdc-questionnaire-calculatedExpression", "valueExpression",
                     fhirpath_expression(expression));
}

json enable_when_expression(const std::string& expression) {
    return extension(std::string(sdc) + "sdc-questionnaire-enableWhenExpression", "valueExpression",
                     fhirpath_expression(expression));
}

/// One `enableWhen` entry.
struct enable_condition {
    std::uint32_t question = 0;
    const char* oper = "=";
    const char* answer_key = "answerBoolean";
    json answer;
};

/// A `when` as plain `enableWhen`, where that says it exactly (docs/fhir.md's table).
struct enable_when {
    std::vector<enable_condition> conditions;
    const char* behavior = nullptr;  ///< "all" or "any" when there are several
};

class exporter {
public:
    exporter(const program& p, std::size_t language, const fhir_names& names)
        : p_(p), m_(*p.model), tree_(*p.tree), language_(language), names_(names), paths_(p, names) {}

    questionnaire_export run() {
        json q;
        q["resourceType"] = "Questionnaire";
        q["id"] = fhir_resource_id(p_.id);
        q["language"] = p_.languages[language_];
        q["text"] = narrative();
        json variables = json::array();
        for (const flow_step& step : evaluation_order()) variables.push_back(variable(step));
        if (!variables.empty()) q["extension"] = std::move(variables);
        q["url"] = names_.url;
        q["version"] = p_.version;
        q["name"] = fhir_resource_name(p_.id);
        put_text(q, "title", p_.title, &tree_.title);
        q["status"] = "active";
        if (p_.description != no_text) put_text(q, "description", p_.description, &*tree_.description);
        put_sources(q);
        q["item"] = items();
        report_unexported();
        questionnaire_export out;
        out.json = q.dump(2) + "\n";
        out.diagnostics = resolve_all(source_file(p_.source_name, p_.source_text), lossy_);
        // In the order of the file, as a reader goes through it.
        std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(), [](const diagnostic& a, const diagnostic& b) {
            return std::pair(a.line, a.column) < std::pair(b.line, b.column);
        });
        return out;
    }

private:
    // ---- texts --------------------------------------------------------------------------

    /// Whether `text` has a string of its own in language `l` (not the default's).
    bool has_own(const ast::text* text, std::size_t l) const {
        if (text == nullptr) return false;
        for (const ast::translation& t : text->translations) {
            if (t.language.name.empty() ? l == 0 : t.language.name == p_.languages[l]) return true;
        }
        return false;
    }

    void warn_arguments(std::uint32_t id, const ast::text* node) {
        if (id == no_text || node == nullptr || !p_.texts.has_arguments(id)) return;
        lossy_.warning("fhir-lossy", node->range,
                       "this text shows answers or computed values, which a FHIR text cannot; it is exported as "
                       "shown while they are unknown");
    }

    static json translation(const std::string& language, const std::string& content) {
        json e;
        e["url"] = std::string(core) + "translation";
        e["extension"] =
            json::array({extension("lang", "valueCode", language), extension("content", "valueString", content)});
        return e;
    }

    /// `object[key]` in the chosen language and `object["_" + key]` with the translations,
    /// each made by `render(language)`; `texts` are the parts, to see which languages have
    /// strings of their own.
    template <typename Render>
    void put_rendered(json& object, const std::string& key, const std::vector<const ast::text*>& texts, Render render) {
        object[key] = render(language_);
        json translations = json::array();
        for (std::size_t l = 0; l < p_.languages.size(); ++l) {
            if (l == language_) continue;
            bool own = false;
            for (const ast::text* t : texts) own = own || has_own(t, l);
            if (own) translations.push_back(translation(p_.languages[l], render(l)));
        }
        if (!translations.empty()) object["_" + key]["extension"] = std::move(translations);
    }

    void put_text(json& object, const std::string& key, std::uint32_t id, const ast::text* node) {
        warn_arguments(id, node);
        put_rendered(object, key, {node}, [&](std::size_t l) { return render_text(p_, id, l, nullptr); });
    }

    std::string source_line(std::size_t source, std::size_t l) const {
        return p_.sources[source].id + ": " + render_text(p_, p_.sources[source].title, l, nullptr);
    }

    void put_sources(json& q) {
        if (p_.sources.empty()) return;
        std::vector<const ast::text*> texts;
        for (const source_info& s : m_.sources) texts.push_back(&s.node->title);
        put_rendered(q, "purpose", texts, [&](std::size_t l) {
            std::string out = "Sources:";
            for (std::size_t s = 0; s < p_.sources.size(); ++s) out += "\n\n- " + source_line(s, l);
            return out;
        });
    }

    /// Title, paragraphs and cited sources as one display text, as docs/fhir.md says.
    void put_statement(json& item, std::uint32_t title, const ast::text* title_node,
                       const std::vector<std::uint32_t>& says, const std::vector<const ast::text*>& say_nodes,
                       const std::vector<std::string>& cites) {
        std::vector<const ast::text*> texts{title_node};
        texts.insert(texts.end(), say_nodes.begin(), say_nodes.end());
        warn_arguments(title, title_node);
        for (std::size_t i = 0; i < says.size(); ++i) warn_arguments(says[i], say_nodes[i]);
        put_rendered(item, "text", texts, [&](std::size_t l) {
            std::string out = render_text(p_, title, l, nullptr);
            join_paragraphs(says, "\n\n", out.append("\n\n"),
                            [&](std::uint32_t say, std::string& o) { o += render_text(p_, say, l, nullptr); });
            if (!cites.empty()) {
                out += "\n\nSources: ";
                for (std::size_t c = 0; c < cites.size(); ++c) {
                    if (c > 0) out += "; ";
                    std::uint32_t const s = m_.find(cites[c]).index;
                    out += source_line(s, l);
                }
            }
            while (out.ends_with('\n')) out.pop_back();
            return out;
        });
    }

    /// The human-readable summary every resource should have (dom-6): the title.
    json narrative() const {
        std::string div = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>";
        for (char const c : render_text(p_, p_.title, language_, nullptr)) {
            switch (c) {
                case '<': div += "&lt;"; break;
                case '>': div += "&gt;"; break;
                case '&': div += "&amp;"; break;
                default: div += c;
            }
        }
        div += "</p></div>";
        json text;
        text["status"] = "generated";
        text["div"] = std::move(div);
        return text;
    }

    // ---- variables ----------------------------------------------------------------------

    std::vector<flow_step> evaluation_order() const {
        std::vector<flow_step> order;
        for (symbol const s : m_.evaluation_order) {
            order.push_back({s.kind == symbol_kind::let ? flow_step::kind::let : flow_step::kind::outcome, s.index});
        }
        return order;
    }

    json variable(const flow_step& step) {
        bool const is_let = step.what == flow_step::kind::let;
        std::string const& name = is_let ? names_.let_variables[step.index] : names_.outcome_variables[step.index];
        ast::expr_ref const value = is_let ? m_.lets[step.index].value : m_.outcomes[step.index].when;
        return extension(std::string(core) + "variable", "valueExpression",
                         fhirpath_expression(paths_.expression(value), name));
    }

    // ---- items --------------------------------------------------------------------------

    json items() {
        json list = json::array();
        json* group = nullptr;
        std::uint32_t open_section = no_index;
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            std::uint32_t const section = m_.questions[q].section;
            if (section != open_section) {
                open_section = section;
                group = nullptr;
                if (section != no_index) {
                    list.push_back(section_item(section));
                    group = &list.back()["item"];
                }
            }
            (group != nullptr ? *group : list).push_back(question_item(q));
        }
        for (std::uint32_t l = 0; l < p_.lets.size(); ++l) list.push_back(let_item(l));
        for (std::uint32_t const o : p_.outcome_order) {
            list.push_back(outcome_item(o));
            list.push_back(outcome_text_item(o));
        }
        list.push_back(referral_item());
        return list;
    }

    json section_item(std::uint32_t s) {
        const section_info& info = m_.sections[s];
        json item;
        item["linkId"] = info.name;
        put_text(item, "text", p_.sections[s].title, &info.node->title);
        item["type"] = "group";
        put_condition(item, info.node->when);
        item["item"] = json::array();
        return item;
    }

    static const char* item_type(question_kind kind) {
        switch (kind) {
            case question_kind::yesno: return "boolean";
            case question_kind::choice:
            case question_kind::multi: return "choice";
            case question_kind::integer: return "integer";
            case question_kind::decimal: return "decimal";
            case question_kind::text: return "string";
        }
        return "string";
    }

    json question_item(std::uint32_t q) {
        const compiled_question& cq = p_.questions[q];
        const question_info& info = m_.questions[q];
        json extensions = json::array();
        if (cq.kind == question_kind::integer || cq.kind == question_kind::decimal) {
            const char* key = cq.kind == question_kind::integer ? "valueInteger" : "valueDecimal";
            auto bound = [&](double v) {
                return cq.kind == question_kind::integer ? json(static_cast<long long>(v)) : json(v);
            };
            extensions.push_back(extension(std::string(core) + "minValue", key, bound(cq.min)));
            extensions.push_back(extension(std::string(core) + "maxValue", key, bound(cq.max)));
        }
        if (cq.unit != no_text) {
            json coding = json::object();
            put_text(coding, "display", cq.unit, info.unit);
            extensions.push_back(extension(std::string(core) + "questionnaire-unit", "valueCoding", coding));
        }
        for (std::size_t r = 0; r < info.requirements.size(); ++r) {
            extensions.push_back(constraint(q, r));
        }
        json item;
        item["linkId"] = cq.id;
        put_text(item, "text", cq.ask, info.ask);
        item["type"] = item_type(cq.kind);
        if (info.node->when != ast::no_expr) put_condition(item, info.node->when, &extensions);
        item["required"] = !cq.optional;
        if (cq.kind == question_kind::multi) {
            item["repeats"] = true;
            lossy_.warning("fhir-lossy", info.node->name.range,
                           "a FHIR response cannot tell a multi answered with no option from one not answered; "
                           "Stepcare's responses keep the item without answers for the first (docs/fhir.md)");
        }
        if (cq.kind == question_kind::text) {
            item["maxLength"] = cq.max_length.value_or(static_cast<std::uint32_t>(max_text_answer_length));
        }
        if (cq.option_set != no_index) item["answerOption"] = answer_options(cq.option_set);
        if (cq.help != no_text) {
            json help;
            help["extension"] = json::array({item_control_help()});
            help["linkId"] = cq.id + ".help";
            put_text(help, "text", cq.help, info.help);
            help["type"] = "display";
            item["item"] = json::array({std::move(help)});
        }
        if (!extensions.empty()) item = with_extensions_first(std::move(item), std::move(extensions));
        return item;
    }

    /// FHIR writes `extension` first in an element; items are built before their extensions are known.
    static json with_extensions_first(json item, json extensions) {
        if (item.contains("extension")) {
            for (json& e : item["extension"]) extensions.push_back(std::move(e));
            item.erase("extension");
        }
        json out;
        out["extension"] = std::move(extensions);
        for (auto& [key, value] : item.items()) out[key] = std::move(value);
        return out;
    }

    static json item_control_help() {
        json coding;
        coding["system"] = "http://hl7.org/fhir/questionnaire-item-control";
        coding["code"] = "help";
        coding["display"] = "Help-Button";
        json concept_;
        concept_["coding"] = json::array({std::move(coding)});
        return extension(std::string(core) + "questionnaire-itemControl", "valueCodeableConcept", std::move(concept_));
    }

    json answer_options(std::uint32_t set) {
        const compiled_option_set& options = p_.option_sets[set];
        const option_set_info& info = m_.option_sets[set];
        json list = json::array();
        for (std::size_t i = 0; i < options.ids.size(); ++i) {
            json coding;
            if (info.options[i].score) {
                coding["extension"] = json::array(
                    {extension(std::string(core) + "ordinalValue", "valueDecimal", *info.options[i].score)});
            }
            coding["system"] = names_.option_systems[set];
            coding["code"] = options.ids[i];
            put_text(coding, "display", options.labels[i], info.options[i].label);
            json option;
            option["valueCoding"] = std::move(coding);
            list.push_back(std::move(option));
        }
        return list;
    }

    json constraint(std::uint32_t q, std::size_t r) {
        const requirement& req = m_.questions[q].requirements[r];
        std::string const e = paths_.expression(req.condition);
        json human;
        human["url"] = "human";
        put_text(human, "valueString", p_.questions[q].requirements[r].message, req.message);
        json c;
        c["url"] = std::string(core) + "questionnaire-constraint";
        c["extension"] = json::array({
            extension("key", "valueId", fhir_resource_id(p_.questions[q].id) + "-require-" + std::to_string(r + 1)),
            extension("severity", "valueCode", "error"),
            // Unknown passes a `require`: only a false value rejects the answer.
            extension("expression", "valueString", "((" + e + ").empty() or (" + e + "))"),
            std::move(human),
        });
        return c;
    }

    json let_item(std::uint32_t l) {
        json item;
        item["extension"] = json::array({hidden(), calculated(paths_.let_variable(l))});
        item["linkId"] = "let." + p_.lets[l].id;
        item["text"] = p_.lets[l].id;
        switch (p_.lets[l].type.type) {
            case expr_type::kind::boolean: item["type"] = "boolean"; break;
            case expr_type::kind::number: item["type"] = "decimal"; break;
            default: item["type"] = "string";
        }
        if (p_.lets[l].type.type == expr_type::kind::multi) item["repeats"] = true;
        item["readOnly"] = true;
        return item;
    }

    json outcome_item(std::uint32_t o) {
        const compiled_outcome& co = p_.outcomes[o];
        const outcome_info& info = m_.outcomes[o];
        json item;
        item["extension"] = json::array({hidden(), calculated(paths_.outcome_variable(o))});
        item["linkId"] = "outcome." + co.id;
        json codes = json::array();
        auto code = [&](const char* value) {
            json c;
            c["system"] = fhir_outcome_system;
            c["code"] = value;
            codes.push_back(std::move(c));
        };
        code(to_string(co.level));
        if (co.stop) {
            code("stop");
            for (const ast::outcome_part& part : info.node->parts) {
                if (part.kind != ast::outcome_part_kind::stop) continue;
                lossy_.warning("fhir-lossy", part.range,
                               "FHIR R4 cannot end a form at an answer: the outcome is exported with the code "
                               "'stop', but a form filler will go on to the later questions");
            }
        }
        item["code"] = std::move(codes);
        put_text(item, "text", co.title, info.title);
        item["type"] = "boolean";
        item["readOnly"] = true;
        return item;
    }

    json outcome_text_item(std::uint32_t o) {
        const compiled_outcome& co = p_.outcomes[o];
        const outcome_info& info = m_.outcomes[o];
        json item;
        item["extension"] = json::array({enable_when_expression(paths_.outcome_variable(o))});
        item["linkId"] = "outcome." + co.id + ".text";
        put_statement(item, co.title, info.title, co.says, info.says, co.cites);
        item["type"] = "display";
        return item;
    }

    json referral_item() {
        const referral_info& info = *m_.referral;
        json item;
        item["linkId"] = "referral";
        put_statement(item, p_.referral_title, info.title, p_.referral_says, info.says, p_.referral_cites);
        item["type"] = "display";
        return item;
    }

    // ---- conditions ---------------------------------------------------------------------

    void put_condition(json& item, ast::expr_ref when, json* extensions = nullptr) {
        if (when == ast::no_expr) return;
        if (std::optional<enable_when> fit = fit_enable_when(when)) {
            json list = json::array();
            for (const enable_condition& c : fit->conditions) {
                json entry;
                entry["question"] = p_.questions[c.question].id;
                entry["operator"] = c.oper;
                entry[c.answer_key] = c.answer;
                list.push_back(std::move(entry));
            }
            item["enableWhen"] = std::move(list);
            if (fit->behavior != nullptr) item["enableBehavior"] = fit->behavior;
            return;
        }
        json e = enable_when_expression(paths_.expression(when));
        if (extensions != nullptr) {
            extensions->push_back(std::move(e));
        } else {
            item = with_extensions_first(std::move(item), json::array({std::move(e)}));
        }
    }

    const ast::expr_node& node(ast::expr_ref r) const { return tree_.expr(r); }

    std::optional<std::uint32_t> question_of(ast::expr_ref r) const {
        symbol const s = m_.info(r).binding;
        if (node(r).kind != expr_kind::name || s.kind != symbol_kind::question) return std::nullopt;
        return s.index;
    }

    std::optional<double> number_of(ast::expr_ref r) const {
        const ast::expr_node& n = node(r);
        if (n.kind == expr_kind::number) return n.number;
        if (n.kind == expr_kind::unary && n.oper == op::negate && node(n.operands[0]).kind == expr_kind::number) {
            return -node(n.operands[0]).number;
        }
        return std::nullopt;
    }

    std::optional<bool> boolean_of(ast::expr_ref r) const {
        const ast::expr_node& n = node(r);
        bool const literal = n.kind == expr_kind::boolean ||
                             (n.kind == expr_kind::yes_no && m_.info(r).binding.kind != symbol_kind::option);
        if (!literal) return std::nullopt;
        return n.boolean;
    }

    json coding_of(std::uint32_t question, ast::expr_ref option) const {
        std::uint32_t const set = p_.questions[question].option_set;
        json c;
        c["system"] = names_.option_systems[set];
        c["code"] = m_.option_sets[set].options[m_.info(option).binding.index].id;
        return c;
    }

    bool is_option_of(std::uint32_t question, ast::expr_ref r) const {
        symbol const s = m_.info(r).binding;
        return s.kind == symbol_kind::option && s.option_set == p_.questions[question].option_set;
    }

    /// One condition that `enableWhen` says exactly; `in` gives several, to be joined by `any`.
    std::optional<std::vector<enable_condition>> atom(ast::expr_ref r) const {
        const ast::expr_node& n = node(r);
        using result = std::vector<enable_condition>;
        if (auto q = question_of(r); q && p_.questions[*q].kind == question_kind::yesno) {
            return result{{*q, "=", "answerBoolean", true}};
        }
        if (n.kind == expr_kind::unary && n.oper == op::not_) {
            ast::expr_ref const inner = n.operands[0];
            if (auto q = question_of(inner); q && p_.questions[*q].kind == question_kind::yesno) {
                return result{{*q, "=", "answerBoolean", false}};
            }
            if (auto q = answered_question(inner)) return result{{*q, "exists", "answerBoolean", false}};
            return std::nullopt;
        }
        if (auto q = answered_question(r)) return result{{*q, "exists", "answerBoolean", true}};
        if (n.kind != expr_kind::binary) return std::nullopt;
        ast::expr_ref left = n.operands[0];
        ast::expr_ref right = n.operands[1];
        if (n.oper == op::has) {
            auto q = question_of(left);
            if (!q || p_.questions[*q].kind != question_kind::multi || !is_option_of(*q, right)) return std::nullopt;
            return result{{*q, "=", "answerCoding", coding_of(*q, right)}};
        }
        if (n.oper == op::in) {
            auto q = question_of(left);
            if (!q || p_.questions[*q].kind != question_kind::choice) return std::nullopt;
            result out;
            for (ast::expr_ref const member : node(right).operands) {
                out.push_back({*q, "=", "answerCoding", coding_of(*q, member)});
            }
            return out;
        }
        const char* oper = nullptr;
        bool flipped = false;
        if (!question_of(left) && question_of(right)) {
            std::swap(left, right);
            flipped = true;
        }
        switch (n.oper) {
            case op::eq: oper = "="; break;
            case op::lt: oper = flipped ? ">" : "<"; break;
            case op::le: oper = flipped ? ">=" : "<="; break;
            case op::gt: oper = flipped ? "<" : ">"; break;
            case op::ge: oper = flipped ? "<=" : ">="; break;
            default: return std::nullopt;
        }
        auto q = question_of(left);
        if (!q) return std::nullopt;
        question_kind const kind = p_.questions[*q].kind;
        bool const equality = n.oper == op::eq;
        if (kind == question_kind::yesno && equality) {
            if (auto b = boolean_of(right)) return result{{*q, "=", "answerBoolean", *b}};
        }
        if (kind == question_kind::choice && equality && is_option_of(*q, right)) {
            return result{{*q, "=", "answerCoding", coding_of(*q, right)}};
        }
        if (kind == question_kind::text && equality && node(right).kind == expr_kind::string) {
            return result{{*q, "=", "answerString", node(right).text}};
        }
        if (auto v = number_of(right)) {
            if (kind == question_kind::integer && *v == std::floor(*v)) {
                return result{{*q, oper, "answerInteger", static_cast<long long>(*v)}};
            }
            if (kind == question_kind::decimal) return result{{*q, oper, "answerDecimal", *v}};
        }
        return std::nullopt;
    }

    /// `answered(Q)` of a question that is not a multi (FHIR's `exists` cannot see a multi
    /// answered with no option).
    std::optional<std::uint32_t> answered_question(ast::expr_ref r) const {
        const ast::expr_node& n = node(r);
        if (n.kind != expr_kind::call || m_.info(r).function != builtin::answered) return std::nullopt;
        auto q = question_of(n.operands[0]);
        if (!q || p_.questions[*q].kind == question_kind::multi) return std::nullopt;
        return q;
    }

    void flatten(ast::expr_ref r, op joiner, std::vector<ast::expr_ref>& out) const {
        const ast::expr_node& n = node(r);
        if (n.kind == expr_kind::binary && n.oper == joiner) {
            flatten(n.operands[0], joiner, out);
            flatten(n.operands[1], joiner, out);
            return;
        }
        out.push_back(r);
    }

    std::optional<enable_when> fit_enable_when(ast::expr_ref when) const {
        for (op const joiner : {op::and_, op::or_}) {
            std::vector<ast::expr_ref> parts;
            flatten(when, joiner, parts);
            if (parts.size() == 1 && joiner == op::and_) continue;
            enable_when fit;
            for (ast::expr_ref const part : parts) {
                auto conditions = atom(part);
                // `in` is an `or` of its options: it fits only where the conditions are joined by `any`.
                if (!conditions || (conditions->size() > 1 && joiner == op::and_)) return std::nullopt;
                fit.conditions.insert(fit.conditions.end(), conditions->begin(), conditions->end());
            }
            if (fit.conditions.size() > 1) fit.behavior = joiner == op::and_ ? "all" : "any";
            return fit;
        }
        return std::nullopt;
    }

    static std::string count_of(std::size_t n, std::string_view one, std::string_view many) {
        return std::to_string(n) + " " + std::string(n == 1 ? one : many);
    }

    // ---- what is not exported -----------------------------------------------------------

    void report_unexported() {
        if (!m_.tests.empty()) {
            lossy_.warning("fhir-lossy", m_.tests.front().node->range,
                           count_of(m_.tests.size(), "test is", "tests are") +
                               " not exported (FHIR has no place for tests or invariants; they stay in the .sq file)");
        }
        if (!m_.invariants.empty()) {
            lossy_.warning("fhir-lossy", m_.invariants.front()->range,
                           count_of(m_.invariants.size(), "invariant is", "invariants are") +
                               " not exported (FHIR has no place for tests or invariants; they stay in the .sq file)");
        }
    }

    const program& p_;
    const checked_questionnaire& m_;
    const ast::questionnaire& tree_;
    std::size_t language_;
    const fhir_names& names_;
    fhirpath_writer paths_;
    diagnostic_sink lossy_;
};

}  // namespace

questionnaire_export export_questionnaire(const program& p, std::size_t language, const fhir_names& names) {
    return exporter(p, language, names).run();
}

}  // namespace stepcare
