#include "render/result_emitter.hpp"

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
    if (what.kind == symbol_kind::question)
        return state->counted(what.index) ? state->questions[what.index] : value::unknown();
    return state->lets[what.index];
}

display_value argument_value(const program& p, symbol what, const evaluation* state) {
    std::uint32_t const option_set =
        what.kind == symbol_kind::question ? p.questions[what.index].option_set : p.lets[what.index].type.option_set;
    return display(p, argument_state(what, state), option_set);
}

std::string render_text(const program& p, std::uint32_t id, std::size_t language, const evaluation* state) {
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

}  // namespace stepcare
