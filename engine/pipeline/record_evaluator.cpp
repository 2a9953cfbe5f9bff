#include "pipeline/record_evaluator.hpp"

#include <utility>

namespace stepcare {

record_evaluator::record_evaluator(const program& p, std::size_t language, bool with_answers)
    : p_(p), writer_(p, language, with_answers) {}

result_status record_evaluator::evaluate(std::string_view record_json, std::string& out) {
    read_record(p_, record_json, record_);
    if (!record_.errors.empty()) {
        writer_.write_invalid(record_.id_json, record_.errors, out);
        return result_status::invalid;
    }
    stepcare::evaluate(p_, record_.answers, state_);
    return writer_.write(record_.id_json, record_.answers, state_, out);
}

void record_evaluator::reject(std::string message, std::string& out) {
    record_.id_json.clear();
    record_.errors.assign(1, answer_error{std::nullopt, std::move(message)});
    writer_.write_invalid(record_.id_json, record_.errors, out);
}

}  // namespace stepcare
