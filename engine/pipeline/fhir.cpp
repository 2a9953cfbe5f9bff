// The public FHIR functions (stepcare/fhir.hpp) over the fhir/ layer.

#include "stepcare/fhir.hpp"

#include "fhir/fhir_names.hpp"
#include "fhir/questionnaire_export.hpp"
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

}  // namespace stepcare
