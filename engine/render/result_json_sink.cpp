#include "render/result_json_sink.hpp"

#include <cstring>

#include "foundation/json_text.hpp"

namespace stepcare {

result_json_sink::result_json_sink(const program& p, std::size_t language)
    : p_(p),
      language_(language),
      constant_bodies_(p.texts.size()),
      constant_known_(p.texts.size(), false),
      arguments_(p.texts.size(), nullptr),
      rendered_(p.texts.size()) {
    for (const compiled_outcome& o : p.outcomes) {
        result_json_writer::outcome_head(outcome_heads_.emplace_back(), o.id, o.level);
        result_json_writer::cites_tail(outcome_tails_.emplace_back(), o.cites);
        append_json_string(outcome_ids_.emplace_back(), o.id);
    }
    for (const compiled_question& q : p.questions) append_json_string(question_ids_.emplace_back(), q.id);
    for (const compiled_let& let : p.lets) {
        result_json_writer::let_key(let_keys_.emplace_back(), let.id);
        for (const char* common : {"null", "false", "true"}) let_entries_.push_back(let_keys_.back() + common);
    }
    append_json_strings(referral_cites_, p.referral_cites);
    append_piece(questionnaire_, questionnaire_identity{p.id, p.version, p.sha256});
}

void result_json_sink::append_text_body(std::uint32_t id, const evaluation* state, std::string& out) {
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

void result_json_sink::answer(result_json_writer& json, std::uint32_t q, text_ref ask, value answer,
                              const std::vector<std::uint32_t>* label_texts) {
    auto const labels = [&](std::string& out) {
        if (label_texts == nullptr) {
            out += "null";
            return;
        }
        out += '[';
        for (std::size_t i = 0; i < label_texts->size(); ++i) {
            if (i > 0) out += ',';
            piece(text_ref{(*label_texts)[i], ask.state})(out);
        }
        out += ']';
    };
    answer_json_ = answer.is_unknown() ? std::string("null") : answer_to_json(p_, q, answer);
    json.answer(json_raw{question_ids_[q]}, piece(ask), json_raw{answer_json_}, labels);
}

}  // namespace stepcare
