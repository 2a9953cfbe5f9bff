// The public FHIR functions (stepcare/fhir.hpp) over the fhir/ layer.

#include "stepcare/fhir.hpp"

#include "fhir/fhir_names.hpp"
#include "fhir/response_reader.hpp"
#include "foundation/json_input.hpp"
#include "foundation/json_text.hpp"
#include "fhir/questionnaire_export.hpp"
#include "pipeline/explain.hpp"
#include "pipeline/program_access.hpp"
#include "pipeline/record_evaluator.hpp"

namespace stepcare {

std::string fhir_canonical_url(const questionnaire& q, std::string_view base_url) { return fhir_url(q.id(), base_url); }

fhir_questionnaire export_fhir_questionnaire(const questionnaire& q, const fhir_options& options) {
    const program& p = program_access::of(q);
    fhir_questionnaire out;
    std::size_t language = 0;
    if (auto error = choose_language(p, options.language, language)) {
        diagnostic d;
        d.code = "unknown-language";
        d.message = error->message;
        d.file = p.source_name;
        out.diagnostics.push_back(std::move(d));
        return out;
    }
    questionnaire_export exported = export_questionnaire(p, language, make_fhir_names(p, options.base_url));
    out.json = std::move(exported.json);
    out.diagnostics = std::move(exported.diagnostics);
    return out;
}

bool is_fhir_resource(std::string_view json) {
    nlohmann::json document;  // small: a file explain reads
    return read_json(json, document) == json_read::ok && document.is_object() && document.contains("resourceType");
}

namespace {

/// The one response of `response_json` for `q`, read into `record`: its errors say what
/// does not fit, or why the text holds no single response.
void read_one_response(const program& p, std::string_view response_json, const fhir_options& options,
                       answer_record& record) {
    fhir_names const names = make_fhir_names(p, options.base_url);
    fhir_response_reader responses(p, names);
    start_record(p, record);
    if (!responses.read(response_json)) {
        record.errors.push_back({std::nullopt, responses.error()});
    } else if (responses.count() != 1) {
        record.errors.push_back({std::nullopt, "the Bundle holds " + std::to_string(responses.count()) +
                                                   " entries; one response is expected here"});
    } else {
        std::swap(record, responses.record(0));
    }
}

}  // namespace

std::string explain_fhir_response(const questionnaire& q, std::string_view response_json, const fhir_options& options) {
    const program& p = program_access::of(q);
    answer_record record;
    read_one_response(p, response_json, options, record);
    return explain_answers(p, std::move(record), options.language);
}

fhir_answers answers_from_fhir_response(const questionnaire& q, std::string_view response_json,
                                        const fhir_options& options) {
    const program& p = program_access::of(q);
    fhir_answers out;
    answer_record record;
    read_one_response(p, response_json, options, record);
    if (!record.errors.empty()) {
        out.errors = std::move(record.errors);
        return out;
    }
    std::string& json = out.record_json;
    json = "{";
    if (!record.id_json.empty()) json += "\"id\":" + record.id_json + ",";
    json += "\"answers\":{";
    bool first = true;
    for (std::uint32_t question = 0; question < p.questions.size(); ++question) {
        if (!record.answers.answered(question)) continue;
        if (!first) json += ',';
        first = false;
        append_json_string(json, p.questions[question].id);
        json += ':';
        json += answer_to_json(p, question, record.answers.get(question));
    }
    json += "}}";
    return out;
}

}  // namespace stepcare
