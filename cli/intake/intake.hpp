#pragma once
// The interactive intake: asks a session's questions one at a time, reads answers and
// commands from a line source, writes to a screen, saves after every change, and ends
// with the results and the referral however it ends. Nothing here touches the terminal,
// so tests drive it with strings.

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "intake/answer_input.hpp"
#include "intake/line_source.hpp"
#include "intake/screen.hpp"
#include "stepcare/session.hpp"

namespace stepcare::cli::intake {

/// How an intake ended.
enum class ending {
    finished,      ///< no question left to ask
    stopped,       ///< an urgent outcome with `stop` fired
    quit,          ///< the person typed `quit`
    interrupted,   ///< Ctrl-C (or another stop signal)
    end_of_input,  ///< the input ran out
};

struct intake_options {
    /// Where to save the answers after every change; none: not saved.
    std::optional<std::filesystem::path> save_path;
    /// Write each line read after the prompt, as a terminal's echo would (input not from a terminal).
    bool echo_input = false;
    /// Say "welcome back" at the start (the session was restored from a save file).
    bool resumed = false;
    /// Say that some answers were given beforehand (the session was prefilled).
    bool prefilled = false;
    /// How to continue later, shown when the intake ends early and the answers are saved.
    std::string resume_command;
    /// Where to write the clinician summary when the intake ends (Markdown for `.md`).
    std::optional<std::filesystem::path> summary_path;
    /// A person types at a terminal (not a script through a pipe): wait for Enter after an
    /// urgent message so that the next question cannot push it off the screen, confirm an
    /// answer that ends the intake (offering `back`), offer to review or restart an intake
    /// resumed after its end, and offer the clinician summary at the end.
    bool at_terminal = false;
};

struct intake_report {
    ending how = ending::finished;
    /// The last attempt to save failed, so the save file may lack the latest answers.
    bool unsaved = false;
};

class intake {
public:
    intake(session& s, line_source& in, screen& out, intake_options options);

    /// Runs the intake to its end.
    intake_report run();

    /// Saves the answers now (when saving); returns false and says so on failure.
    bool save();

private:
    session& session_;
    line_source& in_;
    screen& out_;
    intake_options options_;
    answer_input input_;
    std::string locale_;
    ui_language words_;
    std::string shown_section_;           ///< the section whose title was shown last
    std::set<std::string> urgent_shown_;  ///< urgent outcomes shown in a box in this intake
    bool unsaved_ = false;
    std::string summary_note_;  ///< where the summary was written, or why it was not

    // Layout.
    void paragraph(const std::string& text, style how = style::plain, const std::string& first_indent = {},
                   const std::string& indent = {});
    void blank_line();
    void rule(char c, style how);
    void heading(const std::string& text);

    // The steps.
    void show_question(const question_view& q);
    void prompt();
    void show_help();
    void show_why(const question_view& q);
    /// After an accepted answer or skip: saves, and shows the urgent outcomes it made fire.
    void after_change(const answer_feedback& step);
    /// Shows urgent outcomes at once (crisis first), then, on a terminal, waits for Enter.
    void show_urgent_now(const std::vector<fired_outcome>& urgent);
    void show_urgent(const fired_outcome& o);
    void show_outcome(const fired_outcome& o, std::vector<std::string>& cited);
    void show_ending(ending how);
    void write_summary();
    void offer_summary(ending how);
    /// At a terminal, after an answer that ended the intake: whether the person took it
    /// back (`back`), in which case the intake goes on from that question.
    bool took_back_ending();
    /// At a terminal, for an intake resumed after its end: review (go back to its last
    /// question), start again, or see the results.
    void offer_review();
};

}  // namespace stepcare::cli::intake
