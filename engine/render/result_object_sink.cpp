#include "render/result_object_sink.hpp"

namespace stepcare {

std::string result_object_sink::rendered(text_ref text) const {
    return render_text(p_, text.id, language_, text.state);
}

std::string result_object_sink::rendered(paragraphs_ref text) const {
    std::string out;
    join_paragraphs(*text.says, "\n\n", out,
                    [&](std::uint32_t say, std::string& into) { into += render_text(p_, say, language_, text.state); });
    return out;
}

std::vector<std::string> result_object_sink::question_ids(const std::vector<std::uint32_t>& questions) const {
    std::vector<std::string> ids;
    ids.reserve(questions.size());
    for (std::uint32_t const q : questions) ids.push_back(p_.questions[q].id);
    return ids;
}

void result_object_sink::open(result& r, std::string_view id_json, result_status status) {
    r.id_json = id_json;
    r.status = status;
}

void result_object_sink::outcome(result& r, std::uint32_t o, text_ref title, paragraphs_ref text) {
    const compiled_outcome& outcome = p_.outcomes[o];
    r.outcomes.push_back({outcome.id, outcome.level, rendered(title), rendered(text), outcome.cites});
}

void result_object_sink::undetermined(result& r, std::uint32_t o, const std::vector<std::uint32_t>& waiting) {
    r.undetermined.push_back({p_.outcomes[o].id, question_ids(waiting)});
}

void result_object_sink::referral(result& r, text_ref title, paragraphs_ref text) {
    r.referral = {rendered(title), rendered(text), p_.referral_cites};
}

void result_object_sink::let_value(result& r, std::uint32_t let, value v) {
    r.values.emplace_back(p_.lets[let].id, let_value_json(p_, let, v));
}

void result_object_sink::missing(result& r, const std::vector<std::uint32_t>& questions) {
    r.missing = question_ids(questions);
}

void result_object_sink::ignored(result& r, const std::vector<std::uint32_t>& questions) {
    r.ignored = question_ids(questions);
}

void result_object_sink::errors(result& r, const std::vector<answer_error>& errors) { r.errors = errors; }

void result_object_sink::close(result& r) { r.questionnaire = {p_.id, p_.version, p_.sha256}; }

result build_result(const program& p, std::string_view id_json, const answer_slots& answers, const evaluation& state,
                    std::size_t language) {
    result r;
    result_emitter<result_object_sink>(p, language, false).emit(r, id_json, answers, state);
    return r;
}

result build_invalid_result(const program& p, std::string_view id_json, const std::vector<answer_error>& errors,
                            std::size_t language) {
    result r;
    result_emitter<result_object_sink>(p, language, false).emit_invalid(r, id_json, errors);
    return r;
}

}  // namespace stepcare
