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

record_evaluator::record_evaluator(const program& p, std::string_view language, bool with_answers)
    : p_(p),
      // Sets language_index_ too, which is declared (and so initialized) before it.
      language_error_(choose_language(p, language, language_index_)),
      emitter_(p, language_index_, with_answers) {}

result_status record_evaluator::evaluate(std::string_view record_json, std::string& out) {
    read_record(p_, record_json, record_);
    if (language_error_) record_.errors.insert(record_.errors.begin(), *language_error_);
    result_json_writer json(out);
    if (!record_.errors.empty()) {
        emitter_.emit_invalid(json, record_.id_json, record_.errors);
        return result_status::invalid;
    }
    stepcare::evaluate(p_, record_.answers, state_);
    return emitter_.emit(json, record_.id_json, record_.answers, state_);
}

void record_evaluator::reject(std::string_view message, std::string& out) {
    record_.id_json.clear();
    record_.errors.assign(1, answer_error{std::nullopt, std::string(message)});
    result_json_writer json(out);
    emitter_.emit_invalid(json, record_.id_json, record_.errors);
}

}  // namespace stepcare
