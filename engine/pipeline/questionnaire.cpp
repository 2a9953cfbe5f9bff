// The public questionnaire: one-call evaluation over the shared program.

#include "stepcare/questionnaire.hpp"

#include "ast/question_kinds.hpp"
#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "pipeline/explain.hpp"
#include "render/result_builder.hpp"

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

namespace {

/// The language's index, or an error for the result when the questionnaire lacks it.
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
    return answer_error{std::nullopt, "the questionnaire has no language '" + std::string(language) +
                                          "'; it has " + list};
}

/// Per thread, reused storage so that evaluating many records allocates little.
struct scratch {
    answer_record record;
    evaluation state;
};

scratch& thread_scratch() {
    thread_local scratch s;
    return s;
}

}  // namespace

result questionnaire::evaluate(std::string_view record_json, std::string_view language) const {
    const program& p = *program_;
    scratch& s = thread_scratch();
    std::size_t index = 0;
    auto language_error = choose_language(p, language, index);
    read_record(p, record_json, s.record);
    if (language_error) s.record.errors.insert(s.record.errors.begin(), *language_error);
    if (!s.record.errors.empty()) return build_invalid_result(p, s.record.id_json, s.record.errors, index);
    stepcare::evaluate(p, s.record.answers, s.state);
    return build_result(p, s.record.id_json, s.record.answers, s.state, index);
}

result questionnaire::evaluate(const std::vector<std::pair<std::string, answer_value>>& answers,
                               std::string_view language) const {
    const program& p = *program_;
    std::size_t index = 0;
    std::vector<answer_error> errors;
    if (auto language_error = choose_language(p, language, index)) errors.push_back(*language_error);
    answer_slots slots;
    slots.reset(p.questions.size());
    std::vector<bool> given(p.questions.size(), false);
    for (const auto& [id, answer] : answers) {
        std::uint32_t const q = p.find_question(id);
        if (q == no_index) {
            errors.push_back({id, "'" + id + "' is not a question of this questionnaire"});
            continue;
        }
        if (given[q]) {
            errors.push_back({id, "'" + id + "' is answered twice"});
            continue;
        }
        given[q] = true;
        if (auto problem = assign_answer(p, q, answer, slots)) errors.push_back({id, std::move(*problem)});
    }
    if (!errors.empty()) return build_invalid_result(p, {}, std::move(errors), index);
    evaluation state;
    stepcare::evaluate(p, slots, state);
    return build_result(p, {}, slots, state, index);
}

std::string questionnaire::explain(std::string_view record_json, std::string_view language) const {
    return explain_record(*program_, record_json, language);
}

}  // namespace stepcare
