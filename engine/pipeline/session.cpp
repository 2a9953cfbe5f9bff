// The intake session: the flow of language.md section 7, one answer at a time.

#include "stepcare/session.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "compile/program.hpp"
#include "pipeline/program_access.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "foundation/json_input.hpp"
#include "pipeline/typed_answer.hpp"
#include "render/result_object_sink.hpp"

namespace stepcare {

namespace {

answer_feedback rejected(std::string why) { return {false, std::move(why), {}, {}}; }

/// Now, in UTC, as ISO 8601 to the second: "2026-12-06T19:10:04Z".
std::string utc_now() {
    std::time_t const now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

/// A JSON value as an answer; empty for a value no answer takes (null, an object, a list
/// holding something other than option ids).
answer_value answer_from_json(const nlohmann::json& j) {
    if (j.is_boolean()) return answer_value(j.get<bool>());
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        return answer_value(j.get<double>());
    }
    if (j.is_number_integer()) return answer_value(j.get<std::int64_t>());
    if (j.is_number()) return answer_value(j.get<double>());
    if (j.is_string()) return answer_value(j.get<std::string>());
    if (j.is_array()) {
        answer_value::option_ids ids;
        for (const nlohmann::json& item : j) {
            if (!item.is_string()) return {};
            ids.push_back(item.get<std::string>());
        }
        return answer_value(std::move(ids));
    }
    return {};
}

}  // namespace

const char* to_string(answer_use::kind what) {
    switch (what) {
        case answer_use::kind::let: return "let";
        case answer_use::kind::outcome: return "outcome";
        case answer_use::kind::question_shown: return "question_shown";
        case answer_use::kind::question_requirement: return "question_requirement";
        case answer_use::kind::outcome_text: return "outcome_text";
        case answer_use::kind::referral_text: return "referral_text";
        case answer_use::kind::question_text: return "question_text";
    }
    return "";
}

struct session::state {
    const program& p;
    std::size_t language = 0;
    answer_slots answers;
    evaluation current;
    std::uint32_t position = 0;          ///< the question to show, or the question count when over
    std::vector<std::uint32_t> history;  ///< the questions shown before it, oldest first
    std::vector<std::pair<std::uint32_t, set_aside_answer>> set_aside;  ///< not answered again yet
    std::vector<answer_change> changes;
    /// The urgent outcomes fired when they were last reported (or when the answers were
    /// set or restored): a step reports those that fire and are not among them.
    std::vector<std::uint32_t> urgent_known;
    /// Made on first use: most sessions take answers as values, not typed text.
    mutable std::unique_ptr<typed_answer_reader> reader;

    const typed_answer_reader& typed_reader() const {
        if (!reader) reader = std::make_unique<typed_answer_reader>(p.languages[language]);
        return *reader;
    }

    /// Records a change of question `q`'s answer from `from` to what it holds now, if any.
    void note_change(std::uint32_t q, const answer_value& from) {
        if (from.empty()) return;
        answer_value to = answers.answered(q) ? answer_from_slot(p, q, answers.get(q)) : answer_value();
        if (to.data() == from.data()) return;
        changes.push_back({p.questions[q].id, from, std::move(to), utc_now()});
    }

    state(const program& compiled, std::size_t lang) : p(compiled), language(lang) {
        answers.reset(p.questions.size());
        refresh();
        position = next_shown(0);
        urgent_known = urgent_firing();
    }

    std::uint32_t count() const { return static_cast<std::uint32_t>(p.questions.size()); }

    void refresh() { evaluate(p, answers, current); }

    /// The urgent outcomes that fire now, in result order; none while a failed `require`
    /// makes the result invalid, as results show them.
    std::vector<std::uint32_t> urgent_firing() const {
        std::vector<std::uint32_t> firing;
        for (std::uint32_t q = 0; q < count(); ++q) {
            if (current.fails_requirement(q)) return firing;
        }
        for (std::uint32_t const o : p.outcome_order) {
            if (p.outcomes[o].level == outcome_level::urgent && current.outcomes[o].is_true()) firing.push_back(o);
        }
        return firing;
    }

    /// The ids of the urgent outcomes that fire now and were not known to fire; all that
    /// fire become known.
    std::vector<std::string> report_urgent() {
        std::vector<std::uint32_t> firing = urgent_firing();
        std::vector<std::string> fresh;
        for (std::uint32_t const o : firing) {
            if (std::find(urgent_known.begin(), urgent_known.end(), o) == urgent_known.end()) {
                fresh.push_back(p.outcomes[o].id);
            }
        }
        urgent_known = std::move(firing);
        return fresh;
    }

    /// The first question from `from` on that is shown now, or the count when none.
    std::uint32_t next_shown(std::uint32_t from) const {
        if (current.stopped) return count();
        for (std::uint32_t q = from; q < count(); ++q) {
            if (current.visible[q] == visibility::shown) return q;
        }
        return count();
    }

    /// Clears, one at a time, the answers after question `changed` whose requirements fail
    /// now, and returns them: an evaluation stops at a failed requirement, so an edit must
    /// never leave one behind it.
    std::vector<set_aside_answer> set_aside_broken_after(std::uint32_t changed) {
        std::vector<set_aside_answer> cleared;
        for (std::uint32_t q = changed + 1; q < current.limit; ++q) {
            if (current.failed_requirement[q] == no_index) continue;
            const compiled_requirement& failed = p.questions[q].requirements[current.failed_requirement[q]];
            set_aside_answer aside{p.questions[q].id, answer_from_slot(p, q, answers.get(q)),
                                   render_text(p, failed.message, language, &current)};
            answers.clear(q);
            refresh();
            note_change(q, aside.previous);
            std::erase_if(set_aside, [q](const auto& entry) { return entry.first == q; });
            set_aside.emplace_back(q, aside);
            cleared.push_back(std::move(aside));
        }
        return cleared;
    }

    /// Question `q` with its texts in language `lang`, rendered with the answers so far.
    question_view view_of(std::uint32_t q, std::size_t lang) const {
        const compiled_question& question = p.questions[q];
        question_view view;
        view.index = q;
        view.id = question.id;
        view.kind = question.kind;
        view.optional = question.optional;
        if (question.section != no_index) {
            view.section_id = p.sections[question.section].id;
            view.section_title = render_text(p, p.sections[question.section].title, lang, &current);
        }
        view.ask = render_text(p, question.ask, lang, &current);
        view.help = render_text(p, question.help, lang, &current);
        view.unit = render_text(p, question.unit, lang, &current);
        if (question.option_set != no_index) {
            const compiled_option_set& set = p.option_sets[question.option_set];
            for (std::size_t i = 0; i < set.ids.size(); ++i) {
                view.options.push_back({set.ids[i], render_text(p, set.labels[i], lang, &current), {}});
            }
            assign_option_keys(view.options);
        }
        view.min = question.min;
        view.max = question.max;
        if (question.max_length) view.max_length = *question.max_length;
        for (const auto& [aside, why] : set_aside) {
            if (aside == q) view.set_aside = why;
        }
        return view;
    }

    void advance() {
        history.push_back(position);
        position = next_shown(position + 1);
    }
};

session::session(stepcare::questionnaire q, std::string_view language)
    : questionnaire_(std::move(q)),
      state_(std::make_unique<state>(program_access::of(questionnaire_),
                                     program_access::of(questionnaire_).find_language(language).value_or(0))) {}

session::~session() = default;
session::session(session&&) noexcept = default;
session& session::operator=(session&&) noexcept = default;

const std::string& session::language() const { return state_->p.languages[state_->language]; }

bool session::finished() const { return state_->position >= state_->count(); }
bool session::stopped() const { return state_->current.stopped; }

std::optional<question_view> session::current() const {
    if (finished()) return std::nullopt;
    return state_->view_of(state_->position, state_->language);
}

std::optional<question_view> session::question(std::string_view id, std::string_view language) const {
    const state& s = *state_;
    std::uint32_t const q = s.p.find_question(id);
    if (q == no_index) return std::nullopt;
    return s.view_of(q, language.empty() ? s.language : s.p.find_language(language).value_or(s.language));
}

answer_feedback session::answer(const answer_value& value) {
    state& s = *state_;
    if (finished()) return rejected("the intake is over; there is no question to answer");
    if (value.empty()) return rejected("an answer is needed; optional questions can be skipped");
    std::uint32_t const q = s.position;
    answer_value const previous = answer_from_slot(s.p, q, s.answers.get(q));
    if (auto problem = assign_answer(s.p, q, value, s.answers)) return rejected(std::move(*problem));
    s.refresh();
    if (q < s.current.limit && s.current.failed_requirement[q] != no_index) {
        const compiled_requirement& failed = s.p.questions[q].requirements[s.current.failed_requirement[q]];
        std::string message = render_text(s.p, failed.message, s.language, &s.current);
        // Put the earlier answer back: a rejected answer changes nothing.
        if (previous.empty()) {
            s.answers.clear(q);
        } else {
            assign_answer(s.p, q, previous, s.answers);
        }
        s.refresh();
        return rejected(std::move(message));
    }
    std::erase_if(s.set_aside, [q](const auto& entry) { return entry.first == q; });
    s.note_change(q, previous);
    answer_feedback accepted{true, {}, s.set_aside_broken_after(q), {}};
    accepted.urgent = s.report_urgent();
    s.advance();
    return accepted;
}

answer_feedback session::answer_json(std::string_view json) {
    nlohmann::json parsed;
    switch (read_json(json, parsed)) {
        case json_read::ok: break;
        case json_read::invalid: return rejected("the answer is not valid JSON");
        case json_read::too_deep: return rejected("the answer is " + nesting_too_deep());
    }
    answer_value const value = answer_from_json(parsed);
    if (!value.empty()) return answer(value);
    if (parsed.is_array()) return rejected("a list of options must hold option ids in quotes");
    return rejected("an answer is true, false, a number, text in quotes or a list of option ids");
}

parsed_answer session::parse_answer(const question_view& q, std::string_view text) const {
    return state_->typed_reader().read(q, text);
}

bool session::back() {
    state& s = *state_;
    if (s.history.empty()) return false;
    if (finished()) s.urgent_known.clear();
    s.position = s.history.back();
    s.history.pop_back();
    return true;
}

answer_feedback session::skip() {
    state& s = *state_;
    if (finished()) return rejected("the intake is over; there is no question to skip");
    if (!s.p.questions[s.position].optional) return rejected("only an optional question can be skipped");
    answer_value const previous = answer_from_slot(s.p, s.position, s.answers.get(s.position));
    s.answers.clear(s.position);
    s.refresh();
    s.note_change(s.position, previous);
    std::erase_if(s.set_aside, [&s](const auto& entry) { return entry.first == s.position; });
    answer_feedback skipped{true, {}, s.set_aside_broken_after(s.position), {}};
    skipped.urgent = s.report_urgent();
    s.advance();
    return skipped;
}

session_progress session::progress() const {
    const state& s = *state_;
    session_progress progress;
    progress.number = s.history.size() + (finished() ? 0 : 1);
    progress.total = s.history.size();
    if (s.current.stopped) {
        progress.total = progress.number;  // back at the answer that stopped it: nothing follows
    } else {
        for (std::uint32_t q = s.position; q < s.count(); ++q) {
            if (s.current.visible[q] != visibility::hidden) ++progress.total;
        }
    }
    return progress;
}

std::optional<answer_value> session::answer_of(std::string_view id) const {
    std::uint32_t const q = state_->p.find_question(id);
    if (q == no_index || !state_->answers.answered(q)) return std::nullopt;
    return answer_from_slot(state_->p, q, state_->answers.get(q));
}

std::vector<std::string> session::shown_questions() const {
    const state& s = *state_;
    std::vector<std::string> ids;
    for (std::uint32_t const q : s.history) ids.push_back(s.p.questions[q].id);
    if (!finished()) ids.push_back(s.p.questions[s.position].id);
    return ids;
}

const std::vector<answer_change>& session::changes() const { return state_->changes; }

std::vector<fired_outcome> session::outcomes() const { return current_result().outcomes; }

result session::current_result() const {
    const state& s = *state_;
    return build_result(s.p, {}, s.answers, s.current, s.language);
}

std::string session::save_json() const {
    const state& s = *state_;
    std::string out = "{\"answers\":{";
    bool first = true;
    for (std::uint32_t q = 0; q < s.count(); ++q) {
        if (!s.answers.answered(q)) continue;
        if (!first) out += ',';
        first = false;
        out += nlohmann::json(s.p.questions[q].id).dump() + ":" + answer_to_json(s.p, q, s.answers.get(q));
    }
    out += "}";
    if (!finished()) out += ",\"position\":" + nlohmann::json(s.p.questions[s.position].id).dump();
    nlohmann::json history = nlohmann::json::array();
    for (std::uint32_t const q : s.history) history.push_back(s.p.questions[q].id);
    out += ",\"history\":" + history.dump();
    if (!s.changes.empty()) {
        nlohmann::ordered_json changes = nlohmann::ordered_json::array();
        for (const answer_change& c : s.changes) {
            changes.push_back({{"question", c.question},
                               {"from", nlohmann::ordered_json::parse(to_json(c.from))},
                               {"to", nlohmann::ordered_json::parse(to_json(c.to))},
                               {"at", c.at}});
        }
        out += ",\"changes\":" + changes.dump();
    }
    out += ",\"questionnaire\":{\"id\":" + nlohmann::json(s.p.id).dump() +
           ",\"version\":" + nlohmann::json(s.p.version).dump() + ",\"sha256\":\"" + s.p.sha256 + "\"}}";
    return out;
}

std::vector<answer_error> session::restore_json(std::string_view json) {
    state& s = *state_;
    nlohmann::json saved;
    json_read const read = read_json(json, saved);
    if (read == json_read::too_deep) return {{std::nullopt, "the saved answers are " + nesting_too_deep()}};
    if (read == json_read::invalid || !saved.is_object()) {
        return {{std::nullopt, "the saved answers are not a JSON object"}};
    }
    answer_record record;
    std::vector<answer_error> errors;
    if (saved.contains("answers")) {
        read_answers_object(s.p, saved.at("answers").dump(), record);
        errors = record.errors;
        s.answers = record.answers;
    }
    s.refresh();
    s.urgent_known = s.urgent_firing();
    s.history.clear();
    s.changes.clear();
    if (saved.contains("changes") && saved.at("changes").is_array()) {
        for (const nlohmann::json& c : saved.at("changes")) {
            if (!c.is_object() || !c.contains("question") || !c.at("question").is_string()) continue;
            s.changes.push_back(
                {c.at("question").get<std::string>(), answer_from_json(c.value("from", nlohmann::json())),
                 answer_from_json(c.value("to", nlohmann::json())),
                 c.contains("at") && c.at("at").is_string() ? c.at("at").get<std::string>() : std::string()});
        }
    }
    auto const question_named = [&](const nlohmann::json& name) {
        return name.is_string() ? s.p.find_question(name.get<std::string>()) : no_index;
    };
    if (saved.contains("history") && saved.at("history").is_array()) {
        for (const nlohmann::json& name : saved.at("history")) {
            std::uint32_t const q = question_named(name);
            if (q != no_index) s.history.push_back(q);
        }
    }
    std::uint32_t const position = saved.contains("position") ? question_named(saved.at("position")) : no_index;
    // A stopped intake may have been saved back at the answer that stopped it: before the stop.
    bool const before_stop = !s.current.stopped || (position != no_index && position < s.current.limit);
    if (position != no_index && s.current.visible[position] == visibility::shown && before_stop) {
        s.position = position;
    } else if (!saved.contains("position") && !s.history.empty()) {
        // save_json leaves the position out when the intake is over: over again, or, if the
        // answers now show more questions, at the first one after those already shown.
        s.position = s.next_shown(s.history.back() + 1);
    } else {
        // No usable position: the first shown question still unanswered (or the end),
        // with the questions before it as the history.
        s.history.clear();
        s.position = s.next_shown(0);
        while (s.position < s.count() && s.answers.answered(s.position)) {
            s.history.push_back(s.position);
            s.position = s.next_shown(s.position + 1);
        }
    }
    return errors;
}

std::vector<answer_use> session::used_by(std::string_view id) const {
    const state& s = *state_;
    const program& p = s.p;
    std::uint32_t const q = p.find_question(id);
    if (q == no_index) return {};
    const checked_questionnaire& model = *p.model;
    std::vector<bool> let_uses(model.lets.size(), false);
    std::vector<bool> outcome_uses(model.outcomes.size(), false);
    for (symbol const what : model.evaluation_order) {
        const std::vector<symbol>& uses =
            what.kind == symbol_kind::let ? model.lets[what.index].uses : model.outcomes[what.index].uses;
        bool found = false;
        for (symbol const used : uses) {
            found = found || (used.kind == symbol_kind::question && used.index == q) ||
                    (used.kind == symbol_kind::let && let_uses[used.index]) ||
                    (used.kind == symbol_kind::outcome && outcome_uses[used.index]);
        }
        (what.kind == symbol_kind::let ? let_uses : outcome_uses)[what.index] = found;
    }
    // Whether code reads the answer, itself or through a let or outcome that does.
    auto const reads_answer = [&](code_span code) {
        for (std::uint32_t pc = code.begin; pc < code.end; ++pc) {
            instruction const in = p.code[pc];
            if ((reads_question(in.code) || in.code == opcode::answered) && in.operand == q) return true;
            if (in.code == opcode::let && let_uses[in.operand]) return true;
            if (in.code == opcode::outcome && outcome_uses[in.operand]) return true;
        }
        return false;
    };
    std::vector<answer_use> uses;
    auto const outcome_use = [&](answer_use::kind what, std::size_t o) {
        const compiled_outcome& outcome = p.outcomes[o];
        return answer_use{what, outcome.id, render_text(p, outcome.title, s.language, &s.current), outcome.level};
    };
    auto const question_use = [&](answer_use::kind what, std::uint32_t other) {
        const compiled_question& question = p.questions[other];
        return answer_use{what, question.id, render_text(p, question.ask, s.language, &s.current), {}};
    };
    for (std::size_t i = 0; i < let_uses.size(); ++i) {
        if (let_uses[i]) uses.push_back({answer_use::kind::let, p.lets[i].id, {}, {}});
    }
    for (std::size_t i = 0; i < outcome_uses.size(); ++i) {
        if (outcome_uses[i]) uses.push_back(outcome_use(answer_use::kind::outcome, i));
    }
    for (std::uint32_t other = 0; other < p.questions.size(); ++other) {
        if (other == q) continue;
        const compiled_question& question = p.questions[other];
        if (std::any_of(question.visibility.begin(), question.visibility.end(), reads_answer)) {
            uses.push_back(question_use(answer_use::kind::question_shown, other));
        }
        if (std::any_of(question.requirements.begin(), question.requirements.end(),
                        [&](const compiled_requirement& r) { return reads_answer(r.condition); })) {
            uses.push_back(question_use(answer_use::kind::question_requirement, other));
        }
    }
    // Texts show answers and lets as MessageFormat arguments: the answer changes their
    // wording, which is worth saying even where no condition reads it.
    auto const shows_answer = [&](const std::vector<symbol>& text_uses) {
        return std::any_of(text_uses.begin(), text_uses.end(), [&](symbol used) {
            return (used.kind == symbol_kind::question && used.index == q) ||
                   (used.kind == symbol_kind::let && let_uses[used.index]);
        });
    };
    for (std::size_t i = 0; i < model.outcomes.size(); ++i) {
        if (shows_answer(model.outcomes[i].text_uses)) uses.push_back(outcome_use(answer_use::kind::outcome_text, i));
    }
    if (model.referral && shows_answer(model.referral->text_uses)) {
        uses.push_back({answer_use::kind::referral_text, {}, {}, {}});
    }
    // Earlier questions' texts are left out: they are shown before this answer is given.
    for (std::uint32_t other = q + 1; other < model.questions.size(); ++other) {
        if (shows_answer(model.questions[other].text_uses)) {
            uses.push_back(question_use(answer_use::kind::question_text, other));
        }
    }
    return uses;
}

std::optional<outcome_view> session::outcome(std::string_view id) const {
    const program& p = state_->p;
    for (const compiled_outcome& o : p.outcomes) {
        if (o.id == id)
            return outcome_view{o.id, o.level, render_text(p, o.title, state_->language, &state_->current), o.stop};
    }
    return std::nullopt;
}

std::optional<std::string> session::source_title(std::string_view id) const {
    const program& p = state_->p;
    for (const program::source& s : p.sources) {
        if (s.id == id) return render_text(p, s.title, state_->language, &state_->current);
    }
    return std::nullopt;
}

std::optional<std::string> session::question_text(std::string_view id) const {
    const program& p = state_->p;
    std::uint32_t const q = p.find_question(id);
    if (q == no_index) return std::nullopt;
    return render_text(p, p.questions[q].ask, state_->language, &state_->current);
}

}  // namespace stepcare
