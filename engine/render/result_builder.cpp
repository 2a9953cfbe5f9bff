#include "render/result_builder.hpp"

#include <algorithm>

#include "ast/spelling.hpp"
#include "foundation/json_text.hpp"

namespace stepcare {

namespace {


/// A value as a text shows it, given its static type.
display_value display(const program& p, value v, std::uint32_t option_set) {
    display_value d;
    switch (v.type) {
        case value::kind::unknown: d.words = "unknown"; break;
        case value::kind::boolean: d.words = v.boolean ? "yes" : "no"; break;
        case value::kind::number:
            d.is_number = true;
            d.number = v.number;
            break;
        case value::kind::option: d.words = p.option_sets[option_set].ids[v.option]; break;
        case value::kind::options: {
            const compiled_option_set& set = p.option_sets[option_set];
            for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                if (((v.options >> i) & 1U) == 0) continue;
                if (!d.words.empty()) d.words += ", ";
                d.words += set.ids[i];
            }
            break;
        }
        case value::kind::text: d.words = std::string(v.text()); break;
    }
    return d;
}

}  // namespace

value argument_state(symbol what, const evaluation* state) {
    if (state == nullptr) return value::unknown();
    if (what.kind == symbol_kind::question) return state->counted(what.index) ? state->questions[what.index] : value::unknown();
    return state->lets[what.index];
}

display_value argument_value(const program& p, symbol what, const evaluation* state) {
    std::uint32_t const option_set = what.kind == symbol_kind::question ? p.questions[what.index].option_set
                                                                        : p.lets[what.index].type.option_set;
    return display(p, argument_state(what, state), option_set);
}

std::string render_text(const program& p, std::uint32_t id, std::size_t language,
                        const evaluation* state) {
    if (id == no_text) return {};
    if (!p.texts.has_arguments(id)) return p.texts.render(id, language, {});
    return p.texts.render(id, language, [&](symbol what) { return argument_value(p, what, state); });
}

void append_let_value_json(const program& p, std::uint32_t let, value v, std::string& out) {
    switch (v.type) {
        case value::kind::unknown: out += "null"; return;
        case value::kind::boolean: out += v.boolean ? "true" : "false"; return;
        case value::kind::number: out += ast::number_spelling(v.number); return;
        case value::kind::text: append_json_string(out, v.text()); return;
        case value::kind::option:
            append_json_string(out, p.option_sets[p.lets[let].type.option_set].ids[v.option]);
            return;
        case value::kind::options: {
            const compiled_option_set& set = p.option_sets[p.lets[let].type.option_set];
            out += '[';
            bool first = true;
            for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                if (((v.options >> i) & 1U) == 0) continue;
                if (!first) out += ',';
                first = false;
                append_json_string(out, set.ids[i]);
            }
            out += ']';
            return;
        }
    }
    out += "null";
}

std::string let_value_json(const program& p, std::uint32_t let, value v) {
    std::string out;
    append_let_value_json(p, let, v, out);
    return out;
}

namespace {

std::string paragraphs(const program& p, const std::vector<std::uint32_t>& says, std::size_t language,
                       const evaluation* state) {
    std::string text;
    for (std::uint32_t const say : says) {
        std::string const paragraph = render_text(p, say, language, state);
        // A paragraph that renders to nothing (a `select` branch left empty) leaves no gap.
        if (paragraph.empty()) continue;
        if (!text.empty()) text += "\n\n";
        text += paragraph;
    }
    return text;
}

void fill_common(const program& p, result& r, const std::string& id_json, std::size_t language,
                 const evaluation* state) {
    r.id_json = id_json;
    r.referral.title = render_text(p, p.referral_title, language, state);
    r.referral.text = paragraphs(p, p.referral_says, language, state);
    r.referral.cites = p.referral_cites;
    r.questionnaire = {p.id, p.version, p.sha256};
}

}  // namespace

void waiting_for(const program& p, std::uint32_t outcome, const evaluation& state, waiting_scratch& scratch,
                 std::vector<std::uint32_t>& missing) {
    // A shown, unanswered question is waited for itself; one whose visibility is still
    // undecided, or hidden by a condition that more answers can undo (`answered`, `??`),
    // waits in turn for the questions that decide whether it is shown. Each call marks
    // what it reached with a new number, so nothing is cleared per question.
    if (scratch.reached.size() != p.questions.size() || ++scratch.call == 0) {
        scratch.reached.assign(p.questions.size(), 0);
        scratch.call = 1;
    }
    std::vector<std::uint32_t>& pending = scratch.pending;
    pending.assign(p.outcomes[outcome].depends_on.rbegin(), p.outcomes[outcome].depends_on.rend());
    missing.clear();
    while (!pending.empty()) {
        std::uint32_t const q = pending.back();
        pending.pop_back();
        if (scratch.reached[q] == scratch.call) continue;
        scratch.reached[q] = scratch.call;
        if (q >= state.limit || state.counted(q)) continue;
        if (state.visible[q] == visibility::hidden && !p.questions[q].hidden_can_be_undone) continue;
        if (state.visible[q] == visibility::shown) {
            missing.push_back(q);
            continue;
        }
        const std::vector<std::uint32_t>& deciders = p.questions[q].visibility_depends_on;
        pending.insert(pending.end(), deciders.rbegin(), deciders.rend());
    }
    std::sort(missing.begin(), missing.end());
}

std::vector<std::uint32_t> waiting_for(const program& p, std::uint32_t outcome, const evaluation& state) {
    waiting_scratch scratch;
    std::vector<std::uint32_t> missing;
    waiting_for(p, outcome, state, scratch, missing);
    return missing;
}

result_status evaluated_status(const program& p, const evaluation& state) {
    if (state.stopped) return result_status::stopped;
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (missing_answer(p, state, q)) return result_status::incomplete;
    }
    return result_status::complete;
}

result build_result(const program& p, const std::string& id_json, const answer_slots& answers,
                    const evaluation& state, std::size_t language) {
    result r;
    fill_common(p, r, id_json, language, &state);
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (failed_requirement(state, q)) {
            const compiled_requirement& failed = p.questions[q].requirements[state.failed_requirement[q]];
            r.errors.push_back({p.questions[q].id, render_text(p, failed.message, language, &state)});
        }
    }
    if (!r.errors.empty()) {
        r.status = result_status::invalid;
        for (const compiled_let& let : p.lets) r.values.emplace_back(let.id, "null");
        return r;
    }
    for (std::uint32_t const o : p.outcome_order) {
        if (!state.outcomes[o].is_true()) continue;
        const compiled_outcome& outcome = p.outcomes[o];
        r.outcomes.push_back({outcome.id, outcome.level, render_text(p, outcome.title, language, &state),
                              paragraphs(p, outcome.says, language, &state), outcome.cites});
    }
    waiting_scratch scratch;
    std::vector<std::uint32_t> waiting;
    for (std::uint32_t o = 0; o < p.outcomes.size(); ++o) {
        if (!state.outcomes[o].is_unknown()) continue;
        undetermined_outcome u{p.outcomes[o].id, {}};
        waiting_for(p, o, state, scratch, waiting);
        for (std::uint32_t const q : waiting) u.missing.push_back(p.questions[q].id);
        r.undetermined.push_back(std::move(u));
    }
    for (std::uint32_t l = 0; l < p.lets.size(); ++l) {
        r.values.emplace_back(p.lets[l].id, let_value_json(p, l, state.lets[l]));
    }
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (missing_answer(p, state, q)) r.missing.push_back(p.questions[q].id);
        if (ignored_answer(answers, state, q)) r.ignored.push_back(p.questions[q].id);
    }
    r.status = evaluated_status(p, state);
    return r;
}

result build_invalid_result(const program& p, const std::string& id_json, std::vector<answer_error> errors,
                            std::size_t language) {
    result r;
    fill_common(p, r, id_json, language, nullptr);
    r.status = result_status::invalid;
    r.errors = std::move(errors);
    for (const compiled_let& let : p.lets) r.values.emplace_back(let.id, "null");
    return r;
}

}  // namespace stepcare
