#pragma once
/// `QuestionnaireResponse` resources read as answers records (docs/fhir.md, Responses in).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "fhir/fhir_names.hpp"

namespace stepcare {

/// The responses one input text holds: a `QuestionnaireResponse`, or each entry of a
/// `Bundle`, with the JSON path each is at (empty, or `entry[N].resource`).
struct fhir_input {
    nlohmann::json document;
    std::vector<std::pair<const nlohmann::json*, std::string>> responses;
    /// Why the text holds no response (not JSON, not a resource, a Bundle without entries).
    std::string error;
};

/// Parses `text` (with the engine's nesting limit) into `out`.
void parse_fhir_input(std::string_view text, fhir_input& out);

/// Reads one `QuestionnaireResponse` into `out` (started afresh): its id, each question's
/// answer, and an error for everything that does not fit, naming the linkId and the JSON
/// path below `path` (the response's own place in its input).
void read_fhir_response(const program& p, const fhir_names& names, const nlohmann::json& response,
                        std::string_view path, answer_record& out);

}  // namespace stepcare
