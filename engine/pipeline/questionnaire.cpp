// The public questionnaire: one-call evaluation over the shared program.

#include "stepcare/questionnaire.hpp"

#include "ast/question_kinds.hpp"
#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "pipeline/explain.hpp"
#include "pipeline/record_evaluator.hpp"
#include "render/result_object_sink.hpp"

namespace stepcare {

const char* to_string(question_kind kind) { return traits_of(kind).keyword; }

questionnaire::questionnaire(std::shared_ptr<const program> compiled) : program_(std::move(compiled)) {}

const std::string& questionnaire::id() const { return program_->id; }
const std::string& questionnaire::version() const { return program_->version; }
const std::string& questionnaire::sha256() const { return program_->sha256; }
const std::vector<std::string>& questionnaire::languages() const { return program_->languages; }

bool questionnaire::has_language(std::string_view language) const {
    return program_->find_language(language).has_value();
}

std::string questionnaire::title(std::string_view language) const {
    return render_text(*program_, program_->title, program_->find_language(language).value_or(0), nullptr);
}

std::string questionnaire::description(std::string_view language) const {
    if (program_->description == no_text) return {};
    return render_text(*program_, program_->description, program_->find_language(language).value_or(0), nullptr);
}

std::size_t questionnaire::question_count() const { return program_->questions.size(); }

std::vector<std::string> questionnaire::question_ids() const {
    std::vector<std::string> ids;
    ids.reserve(program_->questions.size());
    for (const auto& question : program_->questions) ids.push_back(question.id);
    return ids;
}

namespace {

/// Per thread, reused storage so that evaluating many records allocates little.
struct scratch {
    answer_record record;
    evaluation state;
};

scratch& thread_scratch() {
    thread_local scratch s;
    return s;
}

/// The result of the answers read into `record`, in `language`.
result evaluate_record(const program& p, answer_record& record, evaluation& state, std::string_view language) {
    std::size_t index = 0;
    if (auto language_error = choose_language(p, language, index)) {
        record.errors.insert(record.errors.begin(), *language_error);
    }
    if (!record.errors.empty()) return build_invalid_result(p, record.id_json, record.errors, index);
    stepcare::evaluate(p, record.answers, state);
    return build_result(p, record.id_json, record.answers, state, index);
}

}  // namespace

result questionnaire::evaluate(std::string_view record_json, std::string_view language) const {
    scratch& s = thread_scratch();
    read_record(*program_, record_json, s.record);
    return evaluate_record(*program_, s.record, s.state, language);
}

result questionnaire::evaluate(const std::vector<std::pair<std::string, answer_value>>& answers,
                               std::string_view language) const {
    scratch& s = thread_scratch();
    read_typed_answers(*program_, answers, s.record);
    return evaluate_record(*program_, s.record, s.state, language);
}

result_status questionnaire::evaluate_json(std::string_view record_json, std::string& out, std::string_view language,
                                           std::vector<answer_error>* errors, result_texts texts) const {
    // The batch path's writer prepares per-questionnaire parts once; keep the last one per
    // thread. The weak pointer tells whether it still belongs to this program: an expired
    // one never compares equal, even if a new program is made at the same address.
    struct last_writer {
        std::weak_ptr<const program> owner;
        std::string language;
        result_texts texts = result_texts::full;
        std::optional<record_evaluator> records;
    };
    thread_local last_writer last;
    if (!last.records || last.language != language || last.texts != texts || last.owner.lock() != program_) {
        last.records.reset();
        batch_options options;
        options.language = std::string(language);
        options.texts = texts;
        last.records.emplace(*program_, options);
        last.owner = program_;
        last.language = std::string(language);
        last.texts = texts;
    }
    result_status const status = last.records->evaluate(record_json, out);
    if (errors != nullptr) *errors = last.records->last_errors();
    return status;
}

std::string questionnaire::explain(std::string_view record_json, std::string_view language) const {
    return explain_record(*program_, record_json, language);
}

}  // namespace stepcare
