// The public batch path: a questionnaire kept alive beside the record evaluator that
// reads its program.

#include "stepcare/batch.hpp"

#include "pipeline/program_access.hpp"
#include "pipeline/record_evaluator.hpp"

namespace stepcare {

struct batch_evaluator::state {
    questionnaire owner;
    record_evaluator records;

    state(questionnaire q, std::string_view language, bool with_answers)
        : owner(std::move(q)), records(program_access::of(owner), language, with_answers) {}
};

batch_evaluator::batch_evaluator(questionnaire q, std::string_view language, bool with_answers)
    : state_(std::make_unique<state>(std::move(q), language, with_answers)) {}

batch_evaluator::~batch_evaluator() = default;
batch_evaluator::batch_evaluator(batch_evaluator&&) noexcept = default;
batch_evaluator& batch_evaluator::operator=(batch_evaluator&&) noexcept = default;

result_status batch_evaluator::evaluate(std::string_view record_json, std::string& out) {
    return state_->records.evaluate(record_json, out);
}

void batch_evaluator::reject(std::string_view message, std::string& out) { state_->records.reject(message, out); }

const std::vector<answer_error>& batch_evaluator::last_errors() const { return state_->records.last_errors(); }

}  // namespace stepcare
