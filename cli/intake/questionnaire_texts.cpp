// Reads titles and question texts from the compiled program (engine internals).

#include "intake/questionnaire_texts.hpp"

#include <nlohmann/json.hpp>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "render/result_builder.hpp"

namespace stepcare::cli::intake {

struct questionnaire_texts::state {
    const program& p;
    std::size_t language = 0;
    answer_record answers;
    evaluation current;
    bool evaluated = false;

    state(const program& compiled, std::size_t lang) : p(compiled), language(lang) {}

    const evaluation* rendering_state() const { return evaluated ? &current : nullptr; }
};

questionnaire_texts::questionnaire_texts(const questionnaire& q, std::string_view language)
    : state_(std::make_unique<state>(q.compiled(), q.compiled().find_language(language).value_or(0))) {}

questionnaire_texts::~questionnaire_texts() = default;

void questionnaire_texts::update(const session& s) {
    nlohmann::json const saved = nlohmann::json::parse(s.save_json(), nullptr, false);
    if (saved.is_discarded() || !saved.contains("answers")) return;
    read_answers_object(state_->p, saved.at("answers").dump(), state_->answers);
    evaluate(state_->p, state_->answers.answers, state_->current);
    state_->evaluated = true;
}

std::string questionnaire_texts::source_title(std::string_view id) const {
    for (const program::source& s : state_->p.sources) {
        if (s.id == id) return render_text(state_->p, s.title, state_->language, state_->rendering_state());
    }
    return std::string(id);
}

std::optional<outcome_summary> questionnaire_texts::outcome(std::string_view id) const {
    for (const compiled_outcome& o : state_->p.outcomes) {
        if (o.id == id) {
            return outcome_summary{render_text(state_->p, o.title, state_->language, state_->rendering_state()),
                                   o.level};
        }
    }
    return std::nullopt;
}

std::string questionnaire_texts::question_ask(std::string_view id) const {
    std::uint32_t const q = state_->p.find_question(id);
    if (q == no_index) return std::string(id);
    return render_text(state_->p, state_->p.questions[q].ask, state_->language, state_->rendering_state());
}

}  // namespace stepcare::cli::intake
