#include "render/result_writer.hpp"

#include <algorithm>
#include <cstring>

#include "evaluate/answer_reader.hpp"
#include "foundation/json_text.hpp"
#include "render/result_json.hpp"

namespace stepcare {

result_writer::result_writer(const program& p, std::size_t language, bool with_answers)
    : p_(p),
      language_(language),
      with_answers_(with_answers),
      constant_bodies_(p.texts.size()),
      constant_known_(p.texts.size(), false),
      arguments_(p.texts.size(), nullptr),
      rendered_(p.texts.size()) {
    for (const compiled_outcome& o : p.outcomes) {
        std::string head = "{\"id\":";
        append_json_string(head, o.id);
        head += ",\"level\":\"";
        head += to_string(o.level);
        head += "\",\"title\":";
        outcome_heads_.push_back(std::move(head));
        std::string tail = ",\"cites\":";
        append_json_strings(tail, o.cites);
        tail += '}';
        outcome_tails_.push_back(std::move(tail));
    }
    for (const compiled_question& q : p.questions) {
        question_ids_.emplace_back();
        append_json_string(question_ids_.back(), q.id);
    }
    for (const compiled_let& let : p.lets) {
        let_keys_.emplace_back();
        append_json_string(let_keys_.back(), let.id);
        let_keys_.back() += ':';
    }
    referral_cites_ = ",\"cites\":";
    append_json_strings(referral_cites_, p.referral_cites);
    referral_cites_ += '}';
    values_all_null_ = "\"values\":{";
    for (std::size_t l = 0; l < let_keys_.size(); ++l) {
        if (l > 0) values_all_null_ += ',';
        values_all_null_ += let_keys_[l];
        values_all_null_ += "null";
    }
    values_all_null_ += '}';
    questionnaire_tail_ = ',';
    append_questionnaire_json(questionnaire_tail_, {p.id, p.version, p.sha256});
    questionnaire_tail_ += '}';
    invalid_middle_ = ",\"outcomes\":[],\"undetermined\":[],";
    append_referral(nullptr, invalid_middle_);
    invalid_middle_ += ',';
    invalid_middle_ += values_all_null_;
    invalid_middle_ += ",\"missing\":[],\"ignored\":[],\"errors\":[";
}

void result_writer::append_text_body(std::uint32_t id, const evaluation* state, std::string& out) {
    if (id == no_text) return;
    if (arguments_[id] == nullptr) arguments_[id] = &p_.texts.arguments(id, language_);
    const std::vector<symbol>& arguments = *arguments_[id];
    if (arguments.empty()) {
        if (!constant_known_[id]) {
            scratch_.clear();
            append_json_string(scratch_, render_text(p_, id, language_, nullptr));
            constant_bodies_[id].assign(scratch_, 1, scratch_.size() - 2);
            constant_known_[id] = true;
        }
        out += constant_bodies_[id];
        return;
    }
    // A rendering depends only on the arguments' values, so they are the cache key: the
    // values themselves, which are cheaper to compare than the words they show as.
    key_.clear();
    for (symbol const what : arguments) {
        value const v = argument_state(what, state);
        key_ += static_cast<char>(v.type);
        if (v.type == value::kind::text) {
            key_ += std::to_string(v.text().size());
            key_ += ':';
            key_ += v.text();
        } else {
            char bits[sizeof v.bits];
            std::memcpy(bits, &v.bits, sizeof bits);
            key_.append(bits, sizeof bits);
        }
    }
    std::unordered_map<std::string, std::string>& cache = rendered_[id];
    if (auto const found = cache.find(key_); found != cache.end()) {
        out += found->second;
        return;
    }
    scratch_.clear();
    append_json_string(scratch_, render_text(p_, id, language_, state));
    std::size_t const body_size = scratch_.size() - 2;
    out.append(scratch_, 1, body_size);
    // Once the cache is full, further renderings are simply not kept: memory stays bounded.
    if (cached_bytes_ + key_.size() + body_size <= cache_limit) {
        cached_bytes_ += key_.size() + body_size;
        cache.emplace(key_, scratch_.substr(1, body_size));
    }
}

void result_writer::append_text(std::uint32_t id, const evaluation* state, std::string& out) {
    out += '"';
    append_text_body(id, state, out);
    out += '"';
}

void result_writer::append_paragraphs(const std::vector<std::uint32_t>& says, const evaluation* state,
                                      std::string& out) {
    out += '"';
    bool first = true;
    for (std::uint32_t const say : says) {
        std::size_t const before = out.size();
        if (!first) out += "\\n\\n";
        std::size_t const start = out.size();
        append_text_body(say, state, out);
        // A paragraph that renders to nothing leaves no gap (as in build_result).
        if (out.size() == start) {
            out.resize(before);
            continue;
        }
        first = false;
    }
    out += '"';
}

void result_writer::append_referral(const evaluation* state, std::string& out) {
    out += "\"referral\":{\"title\":";
    append_text(p_.referral_title, state, out);
    out += ",\"text\":";
    append_paragraphs(p_.referral_says, state, out);
    out += referral_cites_;
}

void result_writer::append_errors(const std::vector<answer_error>& errors, std::string& out) {
    for (std::size_t i = 0; i < errors.size(); ++i) {
        if (i > 0) out += ',';
        out += "{\"question\":";
        if (errors[i].question) {
            append_json_string(out, *errors[i].question);
        } else {
            out += "null";
        }
        out += ",\"message\":";
        append_json_string(out, errors[i].message);
        out += '}';
    }
    out += ']';
}

void result_writer::append_question_list(const std::vector<std::uint32_t>& questions, std::string& out) {
    out += '[';
    for (std::size_t i = 0; i < questions.size(); ++i) {
        if (i > 0) out += ',';
        out += question_ids_[questions[i]];
    }
    out += ']';
}

namespace {

void append_head(const std::string& id_json, result_status status, std::string& out) {
    out += "{\"id\":";
    out += id_json.empty() ? "null" : id_json;
    out += ",\"status\":\"";
    out += to_string(status);
    out += '"';
}

}  // namespace

result_status result_writer::write(const std::string& id_json, const answer_slots& answers,
                                   const evaluation& state, std::string& out) {
    requirement_errors_.clear();
    for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
        if (!failed_requirement(state, q)) continue;
        const compiled_requirement& failed = p_.questions[q].requirements[state.failed_requirement[q]];
        requirement_errors_.push_back({p_.questions[q].id, render_text(p_, failed.message, language_, &state)});
    }
    if (!requirement_errors_.empty()) {
        // Rejected by a `require`: like any invalid record, but the referral was rendered
        // after the evaluation, so it may use the answers.
        append_head(id_json, result_status::invalid, out);
        out += ",\"outcomes\":[],\"undetermined\":[],";
        append_referral(&state, out);
        out += ',';
        out += values_all_null_;
        out += ",\"missing\":[],\"ignored\":[],\"errors\":[";
        append_errors(requirement_errors_, out);
        append_answers(nullptr, nullptr, out);
        out += questionnaire_tail_;
        return result_status::invalid;
    }

    result_status const status = evaluated_status(p_, state);
    append_head(id_json, status, out);
    out += ",\"outcomes\":[";
    bool first = true;
    for (std::uint32_t const o : p_.outcome_order) {
        if (!state.outcomes[o].is_true()) continue;
        if (!first) out += ',';
        first = false;
        out += outcome_heads_[o];
        append_text(p_.outcomes[o].title, &state, out);
        out += ",\"text\":";
        append_paragraphs(p_.outcomes[o].says, &state, out);
        out += outcome_tails_[o];
    }
    out += "],\"undetermined\":[";
    first = true;
    for (std::uint32_t o = 0; o < p_.outcomes.size(); ++o) {
        if (!state.outcomes[o].is_unknown()) continue;
        if (!first) out += ',';
        first = false;
        out += "{\"id\":";
        append_json_string(out, p_.outcomes[o].id);
        out += ",\"missing\":";
        waiting_for(p_, o, state, waiting_, missing_);
        append_question_list(missing_, out);
        out += '}';
    }
    out += "],";
    append_referral(&state, out);
    out += ",\"values\":{";
    for (std::uint32_t l = 0; l < p_.lets.size(); ++l) {
        if (l > 0) out += ',';
        out += let_keys_[l];
        append_let_value_json(p_, l, state.lets[l], out);
    }
    out += "},\"missing\":";
    append_questions_if(out, [&](std::uint32_t q) { return missing_answer(p_, state, q); });
    out += ",\"ignored\":";
    append_questions_if(out, [&](std::uint32_t q) { return ignored_answer(answers, state, q); });
    out += ",\"errors\":[]";
    append_answers(&answers, &state, out);
    out += questionnaire_tail_;
    return status;
}

void result_writer::write_invalid(const std::string& id_json, const std::vector<answer_error>& errors,
                                  std::string& out) {
    append_head(id_json, result_status::invalid, out);
    out += invalid_middle_;
    append_errors(errors, out);
    append_answers(nullptr, nullptr, out);
    out += questionnaire_tail_;
}

void result_writer::append_answers(const answer_slots* answers, const evaluation* state, std::string& out) {
    if (!with_answers_) return;
    out += ",\"answers\":[";
    bool first = true;
    for (std::uint32_t q = 0; state != nullptr && q < p_.questions.size(); ++q) {
        if (q >= state->limit || state->visible[q] != visibility::shown) continue;
        const compiled_question& question = p_.questions[q];
        if (!first) out += ',';
        first = false;
        out += "{\"question\":";
        out += question_ids_[q];
        out += ",\"ask\":";
        append_text(question.ask, state, out);
        out += ",\"answer\":";
        bool const answered = answers->answered(q);
        out += answered ? answer_to_json(p_, q, answers->get(q)) : std::string("null");
        out += ",\"labels\":";
        if (!answered || question.option_set == no_index) {
            out += "null";
        } else {
            const compiled_option_set& set = p_.option_sets[question.option_set];
            answer_value const chosen = answer_from_slot(p_, q, answers->get(q));
            std::vector<std::string> ids;
            if (const auto* one = std::get_if<std::string>(&chosen.data())) ids.push_back(*one);
            if (const auto* many = std::get_if<answer_value::option_ids>(&chosen.data())) ids = *many;
            out += '[';
            for (std::size_t i = 0; i < ids.size(); ++i) {
                if (i > 0) out += ',';
                auto const at = std::find(set.ids.begin(), set.ids.end(), ids[i]);
                append_text(set.labels[static_cast<std::size_t>(at - set.ids.begin())], state, out);
            }
            out += ']';
        }
        out += '}';
    }
    out += ']';
}

}  // namespace stepcare
