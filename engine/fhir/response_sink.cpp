#include "fhir/response_sink.hpp"

#include "ast/spelling.hpp"
#include "foundation/json_text.hpp"

namespace stepcare {
namespace {

std::string link_head(std::string_view link_id) {
    std::string head = "{\"linkId\":";
    append_json_string(head, link_id);
    return head;
}

void append_number(std::string& out, double v) { out += ast::number_spelling(v); }

}  // namespace

fhir_response_sink::fhir_response_sink(const program& p, std::size_t language, const fhir_names& names)
    : p_(p), language_(p.languages[language]), outcomes_(p.outcomes.size()), lets_(p.lets.size()) {
    for (const compiled_question& q : p.questions) question_heads_.push_back(link_head(q.id));
    for (const compiled_section& s : p.sections) section_heads_.push_back(link_head(s.id));
    for (std::size_t set = 0; set < p.option_sets.size(); ++set) {
        std::vector<std::string>& codings = codings_.emplace_back();
        const compiled_option_set& options = p.option_sets[set];
        for (std::size_t i = 0; i < options.ids.size(); ++i) {
            std::string coding = "{\"valueCoding\":{\"system\":";
            append_json_string(coding, names.option_systems[set]);
            coding += ",\"code\":";
            append_json_string(coding, options.ids[i]);
            // No display: labels are long, and repeated on every record they would make
            // responses several times larger; readers find them in the Questionnaire.
            coding += "}}";
            codings.push_back(std::move(coding));
        }
    }
    for (const compiled_let& l : p.lets) let_heads_.push_back(link_head("let." + l.id));
    for (const compiled_outcome& o : p.outcomes) outcome_heads_.push_back(link_head("outcome." + o.id));
    append_json_string(canonical_, names.canonical);
}

void fhir_response_sink::open(std::string&, std::string_view id_json, result_status status) {
    id_json_.assign(id_json);
    status_ = status;
    std::fill(outcomes_.begin(), outcomes_.end(), not_fired);
    errors_ = nullptr;
    answers_.clear();
}

void fhir_response_sink::answer(std::string&, std::uint32_t q, text_ref, value answer,
                                const std::vector<std::uint32_t>*) {
    if (!answer.is_unknown()) answers_.emplace_back(q, answer);
}

void fhir_response_sink::close(std::string& out) {
    if (status_ == result_status::invalid) {
        write_operation_outcome(out);
    } else {
        write_response(out);
    }
}

void fhir_response_sink::write_response(std::string& out) {
    out += "{\"resourceType\":\"QuestionnaireResponse\"";
    if (!id_json_.empty()) {
        out += ",\"identifier\":{\"value\":";
        if (id_json_.front() == '"') {
            out += id_json_;
        } else {
            append_json_string(out, id_json_);  // a number, as its digits
        }
        out += '}';
    }
    out += ",\"questionnaire\":";
    out += canonical_;
    out += ",\"status\":";
    out += status_ == result_status::complete  ? "\"completed\""
           : status_ == result_status::stopped ? "\"stopped\""
                                               : "\"in-progress\"";
    out += ",\"language\":";
    append_json_string(out, language_);
    out += ",\"item\":[";
    bool first = true;
    auto separate = [&] {
        if (!first) out += ',';
        first = false;
    };
    // Answers in file order, each question inside its section's group.
    std::uint32_t open_section = no_index;
    for (const auto& [q, v] : answers_) {
        std::uint32_t const section = p_.questions[q].section;
        if (section != open_section) {
            if (open_section != no_index) out += "]}";
            open_section = section;
            separate();
            if (section != no_index) {
                out += section_heads_[section];
                out += ",\"item\":[";
                write_question(out, q, v);
                continue;
            }
        } else if (section != no_index) {
            out += ',';
        } else {
            separate();
        }
        write_question(out, q, v);
    }
    if (open_section != no_index) out += "]}";
    for (std::uint32_t l = 0; l < p_.lets.size(); ++l) {
        value const v = lets_[l];
        if (v.is_unknown()) continue;
        separate();
        out += let_heads_[l];
        out += ",\"answer\":[";
        switch (v.type) {
            case value::kind::boolean: out += v.boolean ? "{\"valueBoolean\":true}" : "{\"valueBoolean\":false}"; break;
            case value::kind::number:
                out += "{\"valueDecimal\":";
                append_number(out, v.number);
                out += '}';
                break;
            case value::kind::text:
                out += "{\"valueString\":";
                append_json_string(out, v.text());
                out += '}';
                break;
            case value::kind::option:
            case value::kind::options: {
                const compiled_option_set& set = p_.option_sets[p_.lets[l].type.option_set];
                bool any = false;
                for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                    bool const chosen = v.type == value::kind::option ? v.option == i : ((v.options >> i) & 1U) != 0;
                    if (!chosen) continue;
                    if (any) out += ',';
                    any = true;
                    out += "{\"valueString\":";
                    append_json_string(out, set.ids[i]);
                    out += '}';
                }
                break;
            }
            case value::kind::unknown: break;
        }
        out += "]}";
    }
    for (std::uint32_t const o : p_.outcome_order) {
        if (outcomes_[o] == unknown) continue;
        separate();
        out += outcome_heads_[o];
        out += outcomes_[o] == fired ? ",\"answer\":[{\"valueBoolean\":true}]}"
                                     : ",\"answer\":[{\"valueBoolean\":false}]}";
    }
    out += "]}";
}

void fhir_response_sink::write_question(std::string& out, std::uint32_t q, value v) {
    out += question_heads_[q];
    switch (v.type) {
        case value::kind::boolean:
            out += v.boolean ? ",\"answer\":[{\"valueBoolean\":true}]}" : ",\"answer\":[{\"valueBoolean\":false}]}";
            return;
        case value::kind::number:
            out += p_.questions[q].kind == question_kind::integer ? ",\"answer\":[{\"valueInteger\":"
                                                                  : ",\"answer\":[{\"valueDecimal\":";
            append_number(out, v.number);
            out += "}]}";
            return;
        case value::kind::text:
            out += ",\"answer\":[{\"valueString\":";
            append_json_string(out, v.text());
            out += "}]}";
            return;
        case value::kind::option:
            out += ",\"answer\":[";
            out += codings_[p_.questions[q].option_set][v.option];
            out += "]}";
            return;
        case value::kind::options: {
            // A multi answered with no option keeps its item, without answers (docs/fhir.md).
            if (v.options == 0) {
                out += '}';
                return;
            }
            const std::vector<std::string>& codings = codings_[p_.questions[q].option_set];
            out += ",\"answer\":[";
            bool any = false;
            for (std::uint32_t i = 0; i < codings.size(); ++i) {
                if (((v.options >> i) & 1U) == 0) continue;
                if (any) out += ',';
                any = true;
                out += codings[i];
            }
            out += "]}";
            return;
        }
        case value::kind::unknown: break;
    }
    out += '}';
}

void fhir_response_sink::write_operation_outcome(std::string& out) {
    out += "{\"resourceType\":\"OperationOutcome\"";
    if (!id_json_.empty()) {
        out += ",\"extension\":[{\"url\":\"urn:stepcare:record-id\",\"valueString\":";
        if (id_json_.front() == '"') {
            out += id_json_;
        } else {
            append_json_string(out, id_json_);
        }
        out += "}]";
    }
    out += ",\"issue\":[";
    bool first = true;
    if (errors_ != nullptr) {
        for (const answer_error& e : *errors_) {
            if (!first) out += ',';
            first = false;
            out += "{\"severity\":\"error\",\"code\":\"invalid\",\"diagnostics\":";
            append_json_string(out, e.message);
            if (e.question) {
                out += ",\"expression\":[";
                append_json_string(out, "QuestionnaireResponse.repeat(item).where(linkId='" + *e.question + "')");
                out += ']';
            }
            out += '}';
        }
    }
    out += "]}";
}

}  // namespace stepcare
