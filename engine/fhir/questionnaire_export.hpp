#pragma once
/// A compiled questionnaire as a FHIR R4 `Questionnaire` (docs/fhir.md).

#include <cstddef>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "fhir/fhir_names.hpp"
#include "stepcare/diagnostic.hpp"

namespace stepcare {

struct questionnaire_export {
    std::string json;                     ///< pretty-printed, ending with a newline
    std::vector<diagnostic> diagnostics;  ///< `fhir-lossy` warnings
};

/// Texts in language `language` (an index into p.languages), the others as translations.
questionnaire_export export_questionnaire(const program& p, std::size_t language, const fhir_names& names);

}  // namespace stepcare
