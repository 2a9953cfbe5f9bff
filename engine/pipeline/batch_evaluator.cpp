// The public batch path: a questionnaire kept alive beside the record evaluator that
// reads its program.

#include "stepcare/batch.hpp"

#include "pipeline/program_access.hpp"
#include "pipeline/record_evaluator.hpp"

namespace stepcare {

struct batch_evaluator::state {
    questionnaire owner;
    record_evaluator records;

    state(questionnaire q, const batch_options& options)
        : owner(std::move(q)), records(program_access::of(owner), options) {}
};

batch_evaluator::batch_evaluator(questionnaire q, const batch_options& options)
    : state_(std::make_unique<state>(std::move(q), options)) {}

batch_evaluator::~batch_evaluator() = default;
batch_evaluator::batch_evaluator(batch_evaluator&&) noexcept = default;
batch_evaluator& batch_evaluator::operator=(batch_evaluator&&) noexcept = default;

result_status batch_evaluator::evaluate(std::string_view record_json, std::string& out) {
    return state_->records.evaluate(record_json, out);
}

void batch_evaluator::reject(std::string_view message, std::string& out) { state_->records.reject(message, out); }

const std::vector<answer_error>& batch_evaluator::last_errors() const { return state_->records.last_errors(); }

const std::vector<result_status>& batch_evaluator::last_statuses() const { return state_->records.last_statuses(); }

}  // namespace stepcare
