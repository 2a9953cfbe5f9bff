#include "pipeline/record_evaluator.hpp"

#include <utility>

namespace stepcare {

std::optional<answer_error> choose_language(const program& p, std::string_view language, std::size_t& index) {
    index = 0;
    if (language.empty()) return std::nullopt;
    if (auto found = p.find_language(language)) {
        index = *found;
        return std::nullopt;
    }
    std::string list;
    for (const std::string& l : p.languages) {
        if (!list.empty()) list += ", ";
        list += l;
    }
    return answer_error{std::nullopt,
                        "the questionnaire has no language '" + std::string(language) + "'; it has " + list};
}

record_evaluator::record_evaluator(const program& p, const batch_options& options)
    : p_(p),
      // Sets language_index_ too, which is declared (and so initialized) before it.
      language_error_(choose_language(p, options.language, language_index_)),
      input_(options.input),
      texts_(options.texts),
      names_(make_fhir_names(p, options.base_url)) {
    if (input_ == record_format::fhir_r4) responses_.emplace(p, names_);
    if (options.output == record_format::fhir_r4) {
        // A response holds the answers, which the emitter hands over with its answers block.
        fhir_.emplace(p, language_index_, true, names_);
    } else {
        json_.emplace(p, language_index_, options.with_answers);
    }
}

result_status record_evaluator::evaluate(std::string_view input, std::string& out) {
    statuses_.clear();
    last_errors_.clear();
    if (input_ == record_format::json) {
        read_record(p_, input, record_);
        return evaluate_record(out);
    }
    if (!responses_->read(input)) {
        reject(responses_->error(), out);
        return result_status::invalid;
    }
    result_status status = result_status::complete;
    for (std::size_t i = 0; i < responses_->count(); ++i) {
        if (i > 0) out += '\n';
        std::swap(record_, responses_->record(i));
        result_status const one = evaluate_record(out);
        std::swap(record_, responses_->record(i));
        if (status != result_status::invalid) status = one;
    }
    return status;
}

result_status record_evaluator::evaluate_record(std::string& out) {
    if (language_error_) record_.errors.insert(record_.errors.begin(), *language_error_);
    if (!record_.errors.empty()) {
        write_invalid(record_.errors, out);
        return result_status::invalid;
    }
    stepcare::evaluate(p_, record_.answers, state_);
    result_status status;
    const std::vector<answer_error>* failed = nullptr;
    if (json_) {
        result_json_writer json(out, texts_);
        status = json_->emit(json, record_.id_json, record_.answers, state_);
        failed = &json_->requirement_errors();
    } else {
        status = fhir_->emit(out, record_.id_json, record_.answers, state_);
        failed = &fhir_->requirement_errors();
    }
    // A record whose answers were read without error can only have failed a `require`.
    if (status == result_status::invalid && last_errors_.empty()) last_errors_ = *failed;
    statuses_.push_back(status);
    return status;
}

void record_evaluator::write_invalid(const std::vector<answer_error>& errors, std::string& out) {
    if (json_) {
        result_json_writer json(out, texts_);
        json_->emit_invalid(json, record_.id_json, errors);
    } else {
        fhir_->emit_invalid(out, record_.id_json, errors);
    }
    if (last_errors_.empty()) last_errors_ = errors;
    statuses_.push_back(result_status::invalid);
}

void record_evaluator::reject(std::string_view message, std::string& out) {
    statuses_.clear();
    last_errors_.clear();
    record_.id_json.clear();
    record_.errors.assign(1, answer_error{std::nullopt, std::string(message)});
    write_invalid(record_.errors, out);
}

}  // namespace stepcare
