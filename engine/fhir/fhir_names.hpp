#pragma once
/// The names a questionnaire has in FHIR (docs/fhir.md, Identity and Variables): its
/// canonical URL, code systems, resource id and name, and the FHIRPath variable names of its
/// lets and outcomes. Export, responses out and responses in all take them from here.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"

namespace stepcare {

struct fhir_names {
    std::string url;                             ///< the canonical URL
    std::string canonical;                       ///< url|version, as responses name it
    std::vector<std::string> option_systems;     ///< per option set of the program
    std::vector<std::string> let_variables;      ///< per let
    std::vector<std::string> outcome_variables;  ///< per outcome
};

/// `base_url` empty: `urn:stepcare:` + id.
fhir_names make_fhir_names(const program& p, std::string_view base_url);

/// The canonical URL alone: `base_url` without a trailing `/`, or `urn:stepcare:` + id.
std::string fhir_url(std::string_view id, std::string_view base_url);

/// A FHIR resource id for a `.sq` id: `_` written `-`.
std::string fhir_resource_id(std::string_view id);

/// A computable name as que-0 wants it: the id in upper camel case.
std::string fhir_resource_name(std::string_view id);

/// The system of Stepcare's own codes on outcome items: levels and `stop`.
inline constexpr std::string_view fhir_outcome_system = "urn:stepcare:outcome";

/// A string as a FHIRPath string literal, quotes included.
std::string fhirpath_string(std::string_view text);

}  // namespace stepcare
