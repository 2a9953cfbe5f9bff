// The intake's flow and its screens.

#include "intake/intake.hpp"

#include <algorithm>
#include <ctime>

#include "intake/save_file.hpp"
#include "intake/summary.hpp"
#include "intake/wrap.hpp"

namespace stepcare::cli::intake {

namespace {

constexpr std::size_t widest_rule = 72;
/// Undetermined outcomes named at an early end before "and N more".
constexpr std::size_t max_titles = 4;
/// The time a question takes on average, for the estimate on the first screen.
constexpr std::size_t seconds_per_question = 15;
/// How many of the questions that open outcomes wait for are listed at an early end.
constexpr std::size_t max_questions = 6;

std::string spaces(std::size_t n) { return std::string(n, ' '); }

bool early(ending how) { return how == ending::quit || how == ending::interrupted || how == ending::end_of_input; }

}  // namespace

intake::intake(session& s, line_source& in, screen& out, intake_options options)
    : session_(s),
      in_(in),
      out_(out),
      options_(std::move(options)),
      input_(s.language()),
      locale_(s.language()),
      words_(ui_language_for(s.language())) {}

// ---- Layout ----

void intake::paragraph(const std::string& text, style how, const std::string& first_indent, const std::string& indent) {
    for (const std::string& line : wrap(text, out_.width(), locale_, first_indent, indent)) {
        out_.write(line, how);
        out_.write("\n");
    }
}

void intake::blank_line() { out_.write("\n"); }

void intake::rule(char c, style how) {
    out_.write(std::string(std::min(out_.width(), widest_rule), c), how);
    out_.write("\n");
}

void intake::heading(const std::string& text) {
    paragraph(text, style::heading);
    out_.write(std::string(std::min(display_width(text), std::min(out_.width(), widest_rule)), '-'));
    out_.write("\n");
}

// ---- The questions ----

void intake::show_question(const question_view& q) {
    blank_line();
    if (!q.section_title.empty() && q.section_id != shown_section_) {
        heading(q.section_title);
        blank_line();
    }
    shown_section_ = q.section_id;
    session_progress const progress = session_.progress();
    paragraph(text(words_, text_id::progress, {std::to_string(progress.number), std::to_string(progress.total)}),
              style::dim);
    paragraph(q.ask, style::bold);
    if (!q.help.empty()) paragraph(q.help);
    if (q.kind == question_kind::choice || q.kind == question_kind::multi) {
        std::size_t const width = q.options.back().key.size();
        for (const option_view& o : q.options) {
            std::string const first = "  " + spaces(width - o.key.size()) + o.key + ". ";
            paragraph(o.label, style::plain, first, spaces(first.size()));
        }
    }
    paragraph(input_.expected(q), style::dim);
    if (q.optional) {
        paragraph(text(words_, text_id::hint_optional, {quoted(words_, command_words(words_, command::skip).front())}),
                  style::dim);
    }
    if (auto const previous = session_.answer_of(q.id)) {
        paragraph(text(words_, text_id::previous_answer, {input_.describe(q, *previous)}));
    } else if (q.set_aside) {
        paragraph(text(words_, text_id::asked_again, {input_.describe(q, q.set_aside->previous), q.set_aside->message}),
                  style::problem);
    }
}

void intake::prompt() {
    if (in_.takes_prompt()) {
        out_.flush();
        in_.set_prompt("> ");
        return;
    }
    out_.write("> ", style::prompt);
    out_.flush();
}

void intake::show_help() {
    blank_line();
    paragraph(text(words_, text_id::help_heading), style::bold);
    struct row {
        command what;
        text_id meaning;
    };
    std::vector<row> const rows{{command::back, text_id::help_back},
                                {command::skip, text_id::help_skip},
                                {command::help, text_id::help_help},
                                {command::why, text_id::help_why},
                                {command::quit, text_id::help_quit}};
    std::size_t widest = 0;
    for (const row& r : rows) widest = std::max(widest, display_width(command_words(words_, r.what).front()));
    for (const row& r : rows) {
        std::string const word = command_words(words_, r.what).front();
        std::string const first = "  " + word + spaces(widest - display_width(word) + 2);
        paragraph(text(words_, r.meaning), style::plain, first, spaces(widest + 4));
    }
}

void intake::show_why(const question_view& q) {
    blank_line();
    // Only what a person can read: results by their titles, grouped by level, the later
    // questions and the wordings the answer changes, each list kept short so that the whole
    // answer fits one screen. The lets in between are the author's machinery, named in the
    // author's language only, so they are left out.
    std::vector<std::pair<outcome_level, std::string>> decided;
    std::vector<std::string> later_questions;
    std::vector<std::string> wordings;
    auto const add = [](std::vector<std::string>& list, std::string item) {
        if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
    };
    for (const answer_use& use : session_.used_by(q.id)) {
        switch (use.what) {
            case answer_use::kind::let: break;
            case answer_use::kind::outcome: decided.emplace_back(use.level, use.title); break;
            case answer_use::kind::question_shown:
            case answer_use::kind::question_requirement: add(later_questions, quoted(words_, use.title)); break;
            case answer_use::kind::outcome_text:
                if (std::none_of(decided.begin(), decided.end(),
                                 [&](const auto& d) { return d.second == use.title; })) {
                    add(wordings, quoted(words_, use.title));
                }
                break;
            case answer_use::kind::referral_text: add(wordings, text(words_, text_id::why_closing_message)); break;
            case answer_use::kind::question_text: add(wordings, quoted(words_, use.title)); break;
        }
    }
    if (decided.empty() && later_questions.empty() && wordings.empty()) {
        paragraph(text(words_, text_id::why_none));
        return;
    }
    auto const short_list = [&](const std::vector<std::string>& items) {
        std::size_t const shown = items.size() <= max_titles ? items.size() : max_titles - 1;
        std::string line;
        for (std::size_t i = 0; i < shown; ++i) line += (i == 0 ? "" : "; ") + items[i];
        if (shown < items.size())
            line += "; " + text(words_, text_id::and_more, {std::to_string(items.size() - shown)});
        return line;
    };
    paragraph(text(words_, text_id::why_intro));
    for (outcome_level const level :
         {outcome_level::urgent, outcome_level::caution, outcome_level::guidance, outcome_level::info}) {
        std::vector<std::string> titles;
        for (const auto& [at, title] : decided) {
            if (at == level) titles.push_back(title);
        }
        if (titles.empty()) continue;
        std::string name = level_name(words_, level);
        if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
        paragraph(text(words_, text_id::why_level, {name, short_list(titles)}), style::plain, "  - ", "    ");
    }
    if (!later_questions.empty()) {
        paragraph(text(words_, text_id::why_questions, {short_list(later_questions)}), style::plain, "  - ", "    ");
    }
    if (!wordings.empty())
        paragraph(text(words_, text_id::why_wording, {short_list(wordings)}), style::plain, "  - ", "    ");
}

bool intake::save() {
    if (!options_.save_path) return true;
    if (auto const problem = save_atomically(*options_.save_path, session_.save_json())) {
        unsaved_ = true;
        paragraph(text(words_, text_id::save_failed, {options_.save_path->string(), *problem}), style::problem);
        return false;
    }
    unsaved_ = false;
    return true;
}

void intake::after_change(const answer_feedback& step) {
    save();
    std::vector<fired_outcome> fresh;
    for (fired_outcome& o : session_.outcomes()) {
        if (std::find(step.urgent.begin(), step.urgent.end(), o.id) != step.urgent.end()) fresh.push_back(std::move(o));
    }
    show_urgent_now(fresh);
}

// ---- Outcomes ----

void intake::show_urgent_now(const std::vector<fired_outcome>& urgent) {
    if (urgent.empty()) return;
    for (const fired_outcome& o : urgent) {
        show_urgent(o);
        urgent_shown_.insert(o.id);
    }
    // Unless the intake is over, the next question would follow at once and can push the
    // crisis lines off a small screen: on a terminal, wait until the person is ready.
    if (options_.at_terminal && !session_.stopped() && !session_.finished()) {
        paragraph(text(words_, text_id::urgent_pause), style::bold);
        prompt();
        in_.read_line();
    }
}

// The crisis lines alone, without citations: they are listed with the results, at the end.
void intake::show_urgent(const fired_outcome& o) {
    blank_line();
    rule('*', style::urgent);
    paragraph(text(words_, text_id::urgent_banner) + ": " + o.title, style::urgent);
    if (!o.text.empty()) paragraph(o.text, style::bold);
    rule('*', style::urgent);
}

void intake::show_outcome(const fired_outcome& o, std::vector<std::string>& cited) {
    paragraph(o.title, style::bold, "* ", "  ");
    if (!o.text.empty()) paragraph(o.text, style::plain, "  ", "  ");
    if (!o.cites.empty()) {
        paragraph(text(words_, text_id::sources, {reference_numbers(o.cites, cited)}), style::dim, "  ", "  ");
    }
}

void intake::show_ending(ending how) {
    result const r = session_.current_result();

    // A crisis message comes before anything else (unless, at a stop, it was shown when it
    // fired).
    for (const fired_outcome& o : r.outcomes) {
        bool const just_shown = how == ending::stopped && urgent_shown_.count(o.id) != 0;
        if (o.level == outcome_level::urgent && !just_shown) show_urgent(o);
    }

    blank_line();
    switch (how) {
        case ending::finished: paragraph(text(words_, text_id::end_finished), style::bold); break;
        case ending::stopped: paragraph(text(words_, text_id::end_stopped), style::bold); break;
        case ending::quit: paragraph(text(words_, text_id::end_quit), style::bold); break;
        case ending::interrupted: paragraph(text(words_, text_id::end_interrupted), style::bold); break;
        case ending::end_of_input: paragraph(text(words_, text_id::end_of_input), style::bold); break;
    }
    if (options_.save_path) {
        if (!unsaved_) {
            paragraph(text(words_, text_id::saved_in, {options_.save_path->string()}));
            if (early(how) && !options_.resume_command.empty()) {
                paragraph(text(words_, text_id::resume_hint));
                // Not wrapped: a command line is copied whole.
                out_.write("  " + options_.resume_command, style::bold);
                out_.write("\n");
            }
        }
    } else if (early(how)) {
        paragraph(text(words_, text_id::not_saved));
    }
    if (!summary_note_.empty()) paragraph(summary_note_);

    bool const urgent = std::any_of(r.outcomes.begin(), r.outcomes.end(),
                                    [](const fired_outcome& o) { return o.level == outcome_level::urgent; });
    bool const others = std::any_of(r.outcomes.begin(), r.outcomes.end(),
                                    [](const fired_outcome& o) { return o.level != outcome_level::urgent; });
    // The outcomes still open, named once, and the questions they wait for, listed once
    // together. Outcomes that wait for no question (their questions are hidden for now)
    // are left out: there is nothing the person could answer to decide them. So is an
    // urgent outcome while another urgent one has fired: the crisis resources are already
    // shown above, and listing one as "not decided" would read as if they were not.
    std::vector<std::string> open_titles;
    std::vector<std::string> open_questions;
    if (how != ending::stopped) {
        for (const undetermined_outcome& u : r.undetermined) {
            if (u.missing.empty()) continue;
            auto const summary = session_.outcome(u.id);
            if (urgent && summary && summary->level == outcome_level::urgent) continue;
            open_titles.push_back(summary ? summary->title : u.id);
            for (const std::string& question : u.missing) {
                if (std::find(open_questions.begin(), open_questions.end(), question) == open_questions.end()) {
                    open_questions.push_back(question);
                }
            }
        }
    }
    bool const undetermined = !open_titles.empty();

    // In short: the headline (the first result, urgent ones first) and the next step, before
    // the details, so that a long result does not scroll them away.
    if (others) {
        blank_line();
        heading(text(words_, text_id::summary_heading));
        paragraph(r.outcomes.front().title, style::bold, "* ", "  ");
        if (r.outcomes.size() > 1) {
            paragraph(text(words_, text_id::summary_more, {std::to_string(r.outcomes.size() - 1)}), style::plain, "  ",
                      "  ");
        }
        paragraph(text(words_, text_id::summary_next, {r.referral.title}), style::bold, "* ", "  ");
    }

    // The sources of every result, numbered in order of first citation (the urgent messages'
    // first, as they are shown first), listed at the end.
    std::vector<std::string> cited;
    std::vector<std::string> urgent_lines;
    for (const fired_outcome& o : r.outcomes) {
        if (o.level != outcome_level::urgent || o.cites.empty()) continue;
        urgent_lines.push_back(
            text(words_, text_id::urgent_sources, {quoted(words_, o.title), reference_numbers(o.cites, cited)}));
    }
    if (others || undetermined || !urgent) {
        blank_line();
        heading(text(words_, early(how) ? text_id::results_so_far : text_id::results));
    }
    for (const auto& [level, title] : {std::pair{outcome_level::caution, text_id::heading_caution},
                                       std::pair{outcome_level::guidance, text_id::heading_guidance},
                                       std::pair{outcome_level::info, text_id::heading_info}}) {
        bool first = true;
        for (const fired_outcome& o : r.outcomes) {
            if (o.level != level) continue;
            if (first) {
                blank_line();
                paragraph(text(words_, title), style::bold);
                first = false;
            }
            show_outcome(o, cited);
        }
    }
    if (!others && !urgent) {
        blank_line();
        paragraph(text(words_, text_id::nothing_fired));
    }
    if (undetermined) {
        blank_line();
        paragraph(text(words_, text_id::undetermined_heading), style::bold);
        std::string line;
        std::size_t const shown = open_titles.size() <= max_titles ? open_titles.size() : max_titles - 1;
        for (std::size_t i = 0; i < shown; ++i) line += (i == 0 ? "" : "; ") + open_titles[i];
        if (shown < open_titles.size()) {
            line += "; " + text(words_, text_id::and_more, {std::to_string(open_titles.size() - shown)});
        }
        paragraph(line, style::plain, "* ", "  ");
        std::size_t const asked = open_questions.size() <= max_questions ? open_questions.size() : max_questions - 1;
        for (std::size_t i = 0; i < asked; ++i) {
            paragraph(session_.question_text(open_questions[i]).value_or(open_questions[i]), style::plain, "  - ",
                      "    ");
        }
        if (asked < open_questions.size()) {
            paragraph(text(words_, text_id::and_more, {std::to_string(open_questions.size() - asked)}), style::plain,
                      "  - ", "    ");
        }
    }

    // The sources: those of the urgent messages (kept out of their boxes), then the list
    // that every "Sources: 1, 2" above refers to, the referral's included.
    std::string const referral_sources = reference_numbers(r.referral.cites, cited);
    if (!cited.empty()) {
        blank_line();
        paragraph(text(words_, text_id::sources_heading), style::bold);
        for (const std::string& line : urgent_lines) paragraph(line, style::dim);
        for (std::size_t i = 0; i < cited.size(); ++i) {
            std::string const number = std::to_string(i + 1) + ". ";
            paragraph(session_.source_title(cited[i]).value_or(cited[i]), style::dim, number, spaces(number.size()));
        }
    }

    // The referral, last and always.
    blank_line();
    rule('=', style::bold);
    paragraph(r.referral.title, style::bold);
    if (!r.referral.text.empty()) paragraph(r.referral.text);
    if (!r.referral.cites.empty()) paragraph(text(words_, text_id::sources, {referral_sources}), style::dim);
    rule('=', style::bold);
    out_.flush();
}

// ---- The clinician summary ----

namespace {

/// Now, in UTC, to the minute: "2026-12-06 19:10 UTC".
std::string summary_date() {
    std::time_t const now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &parts);
    return date;
}

}  // namespace

void intake::write_summary() {
    if (!options_.summary_path) return;
    std::string const path = options_.summary_path->string();
    std::string const summary = clinician_summary(session_, summary_format_for(path), summary_date());
    if (auto const problem = save_atomically(*options_.summary_path, summary)) {
        summary_note_ = text(words_, text_id::summary_not_written, {path, *problem});
        unsaved_ = true;
    } else {
        summary_note_ = text(words_, text_id::summary_written, {path});
    }
}

void intake::offer_summary(ending how) {
    if (!options_.at_terminal || (how != ending::finished && how != ending::stopped)) return;
    blank_line();
    paragraph(text(words_, text_id::summary_offer), style::bold);
    prompt();
    std::optional<std::string> const reply = in_.read_line();
    if (!reply) return;
    question_view yes_no;
    yes_no.kind = question_kind::yesno;
    read_answer const read = input_.read(session_, yes_no, *reply);
    if (!read.value || !std::get<bool>(read.value->data())) return;
    blank_line();
    // Line by line, wrapped to the screen with the hanging indent of its list mark.
    std::string const summary = clinician_summary(session_, summary_format::text, summary_date());
    std::size_t start = 0;
    while (start < summary.size()) {
        std::size_t const end = std::min(summary.find('\n', start), summary.size());
        std::string const line = summary.substr(start, end - start);
        start = end + 1;
        std::size_t mark = line.find_first_not_of(' ');
        if (mark == std::string::npos) {
            blank_line();
            continue;
        }
        std::size_t const digits = line.find_first_not_of("0123456789", mark);
        if (digits > mark && digits + 1 < line.size() && line.compare(digits, 2, ". ") == 0) {
            mark = digits + 2;
        } else if (line.compare(mark, 2, "- ") == 0) {
            mark += 2;
        }
        paragraph(line.substr(mark), style::plain, line.substr(0, mark), spaces(mark));
    }
    out_.flush();
}

// ---- Answers that end the intake ----

bool intake::took_back_ending() {
    if (session_.stopped()) {
        // The crisis resources were shown when they fired; then the way back for a mistyped answer.
        paragraph(text(words_, text_id::stop_mistake, {quoted(words_, command_words(words_, command::back).front())}));
    } else {
        blank_line();
        paragraph(text(words_, text_id::confirm_ending, {quoted(words_, command_words(words_, command::back).front())}),
                  style::bold);
    }
    prompt();
    std::optional<std::string> const reply = in_.read_line();
    if (!reply || input_.command_of(trim(*reply)) != command::back || !session_.back()) return false;
    save();
    return true;
}

void intake::offer_review() {
    if (!options_.at_terminal) return;
    blank_line();
    paragraph(
        text(words_, text_id::resume_ended,
             {quoted(words_, text(words_, text_id::review_word)), quoted(words_, text(words_, text_id::restart_word))}),
        style::bold);
    prompt();
    std::optional<std::string> const reply = in_.read_line();
    if (!reply) return;
    if (input_.same_words(trim(*reply), text(words_, text_id::review_word))) {
        session_.back();
    } else if (input_.same_words(trim(*reply), text(words_, text_id::restart_word))) {
        session_.restore_json("{\"answers\":{}}");
        save();
    }
}

// ---- The loop ----

intake_report intake::run() {
    // The first screen: what this is, how long it takes, where the answers go, and what to
    // do in danger, before the first question (which may be about danger itself).
    const questionnaire& used = session_.questionnaire_used();
    paragraph(used.title(session_.language()), style::heading);
    if (std::string const description = used.description(session_.language()); !description.empty()) {
        paragraph(description);
    }
    std::size_t const questions = used.question_count();
    std::size_t const minutes = std::max<std::size_t>(2, (questions * seconds_per_question + 30) / 60);
    paragraph(text(words_, text_id::intro_length, {std::to_string(questions), std::to_string(minutes)}));
    paragraph(options_.save_path ? text(words_, text_id::intro_saved, {options_.save_path->string()})
                                 : text(words_, text_id::intro_not_saved));
    paragraph(text(words_, text_id::intro_danger), style::bold);
    paragraph(text(words_, text_id::intro));
    if (options_.resumed) paragraph(text(words_, text_id::resumed));
    if (options_.prefilled) paragraph(text(words_, text_id::prefilled));
    // Urgent outcomes that already fire (answers restored or prefilled) come first.
    if (!session_.stopped()) {
        std::vector<fired_outcome> firing = session_.outcomes();
        std::erase_if(firing, [](const fired_outcome& o) { return o.level != outcome_level::urgent; });
        show_urgent_now(firing);
    }
    if (options_.resumed && session_.finished()) offer_review();

    auto const finish = [&](ending how) {
        if (early(how)) save();
        write_summary();
        show_ending(how);
        offer_summary(how);
        return intake_report{how, unsaved_};
    };

    std::string shown_id;
    bool show_again = true;
    while (true) {
        std::optional<question_view> const q = session_.current();
        if (!q) return finish(session_.stopped() ? ending::stopped : ending::finished);
        if (show_again || q->id != shown_id) show_question(*q);
        shown_id = q->id;
        show_again = false;
        prompt();

        std::optional<std::string> const line = in_.read_line();
        if (!line) {
            out_.write("\n");
            return finish(in_.interrupted() ? ending::interrupted : ending::end_of_input);
        }
        if (in_.last_line_cut()) {
            // Neither echoed nor taken as an answer: no answer is this long (docs/limits.md).
            if (options_.echo_input) out_.write("\n");
            paragraph(text(words_, text_id::err_line_too_long, {std::to_string(max_input_line_bytes)}), style::problem);
            continue;
        }
        std::string const typed = valid_utf8(*line);
        if (options_.echo_input) {
            out_.write(typed);
            out_.write("\n");
        }
        std::string const answer(trim(typed));

        if (auto const c = input_.command_of(answer)) {
            switch (*c) {
                case command::back:
                    if (session_.back()) {
                        save();
                    } else {
                        paragraph(text(words_, text_id::at_first), style::problem);
                    }
                    break;
                case command::skip:
                    if (answer_feedback const skipped = session_.skip(); skipped.accepted) {
                        paragraph(text(words_, text_id::skipped), style::dim);
                        after_change(skipped);
                    } else {
                        paragraph(text(words_, text_id::cannot_skip), style::problem);
                    }
                    break;
                case command::help:
                    show_help();
                    show_again = true;
                    break;
                case command::why:
                    show_why(*q);
                    show_again = true;
                    break;
                case command::quit: return finish(ending::quit);
            }
            continue;
        }

        std::optional<answer_value> value;
        if (answer.empty()) {
            value = session_.answer_of(q->id);  // Enter keeps an earlier answer
            if (!value) {
                std::string const skip_word = command_words(words_, command::skip).front();
                paragraph(q->optional ? text(words_, text_id::err_empty_optional, {quoted(words_, skip_word)})
                                      : text(words_, text_id::err_empty),
                          style::problem);
                continue;
            }
        } else {
            read_answer read = input_.read(session_, *q, answer);
            if (!read.value) {
                paragraph(read.problem, style::problem);
                continue;
            }
            value = std::move(read.value);
        }
        // Whether more questions were to come: an answer that leaves none ends the intake.
        session_progress const before = session_.progress();
        answer_feedback const feedback = session_.answer(*value);
        if (!feedback.accepted) {
            paragraph(feedback.message, style::problem);
            continue;
        }
        for (const set_aside_answer& aside : feedback.set_aside) {
            std::string const ask = session_.question_text(aside.question).value_or(aside.question);
            paragraph(text(words_, text_id::set_aside_notice, {quoted(words_, ask), aside.message}), style::problem);
        }
        after_change(feedback);
        bool const ended_early = session_.stopped() || (session_.finished() && before.total > before.number);
        if (options_.at_terminal && ended_early && took_back_ending()) show_again = true;
    }
}

}  // namespace stepcare::cli::intake
