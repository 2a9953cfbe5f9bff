#pragma once
/// HL7 FHIR R4 (4.0.1, with SDC): a questionnaire out as a `Questionnaire` resource, records
/// out as `QuestionnaireResponse` resources and in from them, and a `.sq` file from a FHIR
/// `Questionnaire`. The mapping, both ways, is docs/fhir.md.

#include <string>
#include <string_view>
#include <vector>

#include "stepcare/diagnostic.hpp"
#include "stepcare/export.h"
#include "stepcare/questionnaire.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// What the FHIR forms of one questionnaire depend on.
struct fhir_options {
    /// The language of texts (empty: the questionnaire's default); the others become
    /// `translation` extensions. Must be one the questionnaire declares.
    std::string language;
    /// The questionnaire's canonical URL (a trailing `/` is dropped); empty: `urn:stepcare:` + id.
    std::string base_url;
};

/// The canonical URL of `q`'s FHIR form (docs/fhir.md, Identity).
STEPCARE_API std::string fhir_canonical_url(const questionnaire& q, std::string_view base_url = {});

/// A questionnaire as a FHIR `Questionnaire`.
struct fhir_questionnaire {
    /// The resource as pretty-printed JSON, ending with a newline; empty when `options`
    /// are wrong (an undeclared language; `diagnostics` then say so).
    std::string json;
    /// What FHIR R4 cannot say: `fhir-lossy` warnings at their places in the `.sq` file.
    std::vector<diagnostic> diagnostics;
};

STEPCARE_API fhir_questionnaire export_fhir_questionnaire(const questionnaire& q, const fhir_options& options = {});

// Records are evaluated into QuestionnaireResponses by `batch_evaluator` with output
// `record_format::fhir_r4` (stepcare/batch.hpp), and read from them with input `fhir_r4`.

/// A `QuestionnaireResponse` read as an answers record.
struct fhir_answers {
    /// `{"id": ..., "answers": {...}}`, ready for `questionnaire::evaluate`; empty when the
    /// response could not be read (then `errors` say why, each naming the linkId and the
    /// JSON path where it is one item's).
    std::string record_json;
    std::vector<answer_error> errors;
};

/// Whether `json` is a FHIR resource (a JSON object with a `resourceType`), as opposed to
/// an answers record or a saved intake: how `stepcare explain` tells its inputs apart.
STEPCARE_API bool is_fhir_resource(std::string_view json);

/// Reads one `QuestionnaireResponse` (or a `Bundle` holding exactly one) for `q`.
STEPCARE_API fhir_answers answers_from_fhir_response(const questionnaire& q, std::string_view response_json,
                                                     const fhir_options& options = {});

/// `questionnaire::explain` for a `QuestionnaireResponse` (or a `Bundle` holding exactly
/// one): what does not fit is shown as rejected answers, as for an answers record.
STEPCARE_API std::string explain_fhir_response(const questionnaire& q, std::string_view response_json,
                                               const fhir_options& options = {});

/// A `.sq` file made from a FHIR `Questionnaire`.
struct fhir_import {
    /// The questionnaire source; empty when the resource could not be imported.
    std::string source;
    /// Errors naming the JSON path of what could not be imported, and warnings.
    std::vector<diagnostic> diagnostics;
};

/// Imports a FHIR R4 `Questionnaire` in JSON. `name` is how diagnostics refer to the input.
STEPCARE_API fhir_import import_fhir_questionnaire(std::string_view json, std::string name);

}  // namespace stepcare
