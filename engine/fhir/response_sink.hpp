#pragma once
/// The result emitter's sink that writes a result as a FHIR `QuestionnaireResponse`, or an
/// `OperationOutcome` when it is invalid (docs/fhir.md, Responses out): one line of JSON.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compile/program.hpp"
#include "fhir/fhir_names.hpp"
#include "render/result_emitter.hpp"

namespace stepcare {

/// Emit with answers (`result_emitter(p, language, true)`): the counted answers are what
/// the response holds. Use one per thread; `p` must outlive it.
class fhir_response_sink {
public:
    using output = std::string;
    static constexpr bool holds_answers = true;

    fhir_response_sink(const program& p, std::size_t language, const fhir_names& names);

    void open(std::string& out, std::string_view id_json, result_status status);
    void outcome(std::string&, std::uint32_t o, text_ref, paragraphs_ref) { outcomes_[o] = fired; }
    void undetermined(std::string&, std::uint32_t o, const std::vector<std::uint32_t>&) { outcomes_[o] = unknown; }
    void referral(std::string&, text_ref, paragraphs_ref) {}
    void let_value(std::string&, std::uint32_t let, value v) { lets_[let] = v; }
    void missing(std::string&, const std::vector<std::uint32_t>&) {}
    void ignored(std::string&, const std::vector<std::uint32_t>&) {}
    void errors(std::string&, const std::vector<answer_error>& errors) { errors_ = &errors; }
    void open_answers(std::string&) {}
    void answer(std::string&, std::uint32_t q, text_ref, value answer, const std::vector<std::uint32_t>*);
    void close(std::string& out);

private:
    enum outcome_state : std::uint8_t { not_fired, fired, unknown };

    void write_response(std::string& out);
    void write_operation_outcome(std::string& out);
    void write_question(std::string& out, std::uint32_t q, value v);

    const program& p_;
    std::string language_;
    // Written once: `{"linkId":"NAME"` of every question and section, each option's
    // valueCoding, the questionnaire's canonical URL, the calculated items' heads.
    std::vector<std::string> question_heads_;
    std::vector<std::string> section_heads_;
    std::vector<std::vector<std::string>> codings_;  ///< per option set, per option
    std::vector<std::string> let_heads_;
    std::vector<std::string> outcome_heads_;
    std::string canonical_;

    // The record being written.
    std::string id_json_;
    result_status status_ = result_status::complete;
    std::vector<outcome_state> outcomes_;
    std::vector<value> lets_;
    const std::vector<answer_error>* errors_ = nullptr;
    std::vector<std::pair<std::uint32_t, value>> answers_;
};

}  // namespace stepcare
