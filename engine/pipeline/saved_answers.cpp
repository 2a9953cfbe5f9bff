#include "stepcare/saved_answers.hpp"

#include <nlohmann/json.hpp>

#include "foundation/json_input.hpp"
#include "stepcare/answer.hpp"

namespace stepcare {

namespace {

/// Parses `text` as a JSON object into `out`; otherwise `result` says why.
bool read_object(std::string_view text, nlohmann::json& out, saved_answers& result) {
    switch (read_json(text, out)) {
        case json_read::ok: break;
        case json_read::invalid: result.problem = saved_answers_problem::not_json; return false;
        case json_read::too_deep:
            result.problem = saved_answers_problem::too_deep;
            result.detail = nesting_too_deep();
            return false;
    }
    if (out.is_object()) return true;
    result.problem = saved_answers_problem::not_an_object;
    return false;
}

void keep_answers(const nlohmann::json& answers, saved_answers& result) {
    result.answers_only = nlohmann::json{{"answers", answers}}.dump();
    result.answer_count = answers.is_object() ? answers.size() : 0;
}

}  // namespace

saved_answers read_saved_intake(std::string_view json) {
    saved_answers result;
    nlohmann::json saved;
    if (!read_object(json, saved, result)) return result;
    if (!saved.contains("answers")) {
        result.problem = saved_answers_problem::no_answers;
        return result;
    }
    keep_answers(saved["answers"], result);
    auto const identity = saved.find("questionnaire");
    if (identity != saved.end() && identity->is_object()) {
        auto const sha = identity->find("sha256");
        if (sha != identity->end() && sha->is_string()) result.questionnaire_sha256 = sha->get<std::string>();
    }
    return result;
}

saved_answers read_answers_record(std::string_view json) {
    saved_answers result;
    nlohmann::json record;
    if (!read_object(json, record, result)) return result;
    for (const auto& item : record.items()) {
        if (item.key() != "id" && item.key() != "answers" && !is_saved_intake_field(item.key())) {
            result.problem = saved_answers_problem::unknown_key;
            result.detail = item.key();
            return result;
        }
    }
    auto const answers = record.find("answers");
    if (answers == record.end() || answers->is_null()) return result;
    if (!answers->is_object()) {
        result.problem = saved_answers_problem::answers_not_object;
        return result;
    }
    keep_answers(*answers, result);
    return result;
}

}  // namespace stepcare
