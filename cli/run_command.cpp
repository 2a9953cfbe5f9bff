// `stepcare run [FILE]`: the interactive intake at a terminal, or scripted through a pipe.

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "foundation/json_input.hpp"
#include "intake/intake.hpp"
#include "intake/line_editor.hpp"
#include "intake/save_file.hpp"
#include "intake/terminal.hpp"
#include "stepcare/session.hpp"

namespace stepcare::cli {

namespace {

/// `run` ended before the last question: `quit` or the end of the input (docs/cli.md).
constexpr int exit_ended_early = 3;

struct run_options {
    std::string file;
    std::string language;
    std::string answers;
    std::string save;
    std::string resume;
    std::string summary;
    bool plain = false;
    bool force = false;
};

/// A word for a shell command line, quoted when it needs to be.
std::string shell_word(const std::string& word) {
    if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                "_-./=:,+@%") == std::string::npos) {
        return word;
    }
    std::string quoted = "'";
    for (char const c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

void report_dropped(const std::string& path, const std::vector<answer_error>& errors) {
    for (const answer_error& e : errors) {
        std::cerr << "stepcare: warning: " << path << ": " << e.message << "; the question will be asked again\n";
    }
}

/// Restores a file written by --save. Returns an exit code on failure.
std::optional<int> resume_from(session& s, const run_options& options) {
    std::optional<std::string> const content = read_answers_file(options.resume);
    if (!content) return exit_usage;
    nlohmann::json saved;
    json_read const read = read_json(*content, saved);
    if (read != json_read::ok || !saved.is_object() || !saved.contains("answers")) {
        std::cerr << "stepcare: error: '" << options.resume << "' is not a saved intake (written by 'stepcare run --save')"
                  << (read == json_read::too_deep ? ": it is " + nesting_too_deep() : std::string()) << "\n";
        return exit_usage;
    }
    std::string saved_sha;
    if (saved.contains("questionnaire") && saved["questionnaire"].is_object() &&
        saved["questionnaire"].contains("sha256") && saved["questionnaire"]["sha256"].is_string()) {
        saved_sha = saved["questionnaire"]["sha256"].get<std::string>();
    }
    const std::string& sha = s.questionnaire_used().sha256();
    if (saved_sha != sha && !options.force) {
        std::cerr << "stepcare: error: '" << options.resume << "' was saved with a different version of the questionnaire ("
                  << (saved_sha.empty() ? std::string("no sha256 recorded") : "sha256 " + saved_sha.substr(0, 12))
                  << "; this one is sha256 " << sha.substr(0, 12)
                  << "), so its answers may no longer fit. Start again without --resume, or add --force "
                     "to continue with the answers that still fit.\n";
        return exit_usage;
    }
    if (saved_sha != sha) {
        // Another version: its position and history may name questions that are gone or
        // hidden now, so keep only the answers and continue from the first question left.
        nlohmann::json const answers_only = {{"answers", saved["answers"]}};
        report_dropped(options.resume, s.restore_json(answers_only.dump()));
    } else {
        report_dropped(options.resume, s.restore_json(*content));
    }
    return std::nullopt;
}

/// Prefills answers from a file in the answers format. Returns an exit code on failure.
std::optional<int> prefill_from(session& s, const std::string& path, bool& prefilled) {
    std::optional<std::string> const content = read_answers_file(path);
    if (!content) return exit_usage;
    nlohmann::json record;
    json_read const read = read_json(*content, record);
    if (read != json_read::ok || !record.is_object()) {
        std::cerr << "stepcare: error: '" << path << "' is not an answers record ({\"answers\": {...}})"
                  << (read == json_read::too_deep ? ": it is " + nesting_too_deep() : std::string()) << "\n";
        return exit_usage;
    }
    for (const auto& item : record.items()) {
        if (item.key() != "id" && item.key() != "answers" && !is_saved_intake_field(item.key())) {
            std::cerr << "stepcare: error: '" << path << "': unknown key '" << item.key()
                      << "'; an answers record has only \"id\" and \"answers\" (and a saved intake's fields)\n";
            return exit_usage;
        }
    }
    if (!record.contains("answers") || record["answers"].is_null()) return std::nullopt;
    if (!record["answers"].is_object()) {
        std::cerr << "stepcare: error: '" << path << "': \"answers\" must be an object\n";
        return exit_usage;
    }
    // Only the answers: the intake continues from the first unanswered question shown.
    nlohmann::json const answers_only = {{"answers", record["answers"]}};
    std::vector<answer_error> const errors = s.restore_json(answers_only.dump());
    report_dropped(path, errors);
    prefilled = record["answers"].size() > errors.size();
    return std::nullopt;
}

// The reference questionnaire: an installed program looks beside its own place first,
// so that an installed tree still finds it after being moved.
std::string bundled_questionnaire() {
#ifdef STEPCARE_BUNDLED_FROM_PROGRAM
    std::error_code error;
    std::filesystem::path const program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        std::filesystem::path const beside =
            (program.parent_path() / STEPCARE_BUNDLED_FROM_PROGRAM / "ketamine-trd.sq").lexically_normal();
        if (std::filesystem::is_regular_file(beside, error)) return beside.string();
    }
#endif
    return std::string(STEPCARE_BUNDLED_DIR) + "/ketamine-trd.sq";
}

int run_run(const run_options& options) {
    bool const bundled = options.file.empty();
    std::string const file = bundled ? bundled_questionnaire() : options.file;
    if (bundled && !std::filesystem::exists(file)) {
        std::cerr << "stepcare: error: the bundled questionnaire is missing (" << file
                  << "); give one: stepcare run FILE\n";
        return exit_errors;
    }
    std::optional<questionnaire> const q = load_questionnaire(file);
    if (!q) return exit_errors;
    if (!check_language(*q, options.language)) return exit_usage;

    session s(*q, options.language);
    bool prefilled = false;
    if (!options.resume.empty()) {
        if (auto const failed = resume_from(s, options)) return *failed;
    }
    if (!options.answers.empty()) {
        if (auto const failed = prefill_from(s, options.answers, prefilled)) return *failed;
    }

    intake::intake_options intake_options;
    std::string const save = options.save.empty() ? options.resume : options.save;
    if (!save.empty()) {
        std::error_code ignored;
        bool const replacing = options.save == save && save != options.resume && std::filesystem::exists(save, ignored);
        if (replacing && !options.force) {
            std::cerr << "stepcare: error: '" << save << "' already exists; continue it with --resume " << shell_word(save)
                      << ", or add --force to replace it\n";
            return exit_usage;
        }
        // Save before the first question, so that a save file that cannot be written is
        // known before anyone answers anything.
        if (auto const problem = intake::save_atomically(save, s.save_json())) {
            std::cerr << "stepcare: error: cannot save the answers: " << *problem << '\n';
            return exit_errors;
        }
        intake_options.save_path = save;
        std::string command = "stepcare run";
        if (!bundled) command += " " + shell_word(options.file);
        if (!options.language.empty()) command += " --lang " + shell_word(options.language);
        intake_options.resume_command = command + " --resume " + shell_word(save);
    }
    intake_options.echo_input = isatty(STDIN_FILENO) != 1;
    intake_options.at_terminal = !intake_options.echo_input;
    if (!options.summary.empty()) intake_options.summary_path = options.summary;
    intake_options.resumed = !options.resume.empty();
    intake_options.prefilled = prefilled;

    bool const color = !options.plain && color_allowed(STDOUT_FILENO);
    intake::terminal_screen screen(std::cout, STDOUT_FILENO, color);
    intake::stop_signals signals;
    // A person at a terminal edits the line (arrow keys, no history); anything else is read
    // line by line.
    std::unique_ptr<intake::line_source> input;
    if (!intake_options.echo_input && isatty(STDOUT_FILENO) == 1) input = intake::edit_line_source::open(STDIN_FILENO, signals);
    if (!input) input = std::make_unique<intake::fd_line_source>(STDIN_FILENO, signals);
    intake::intake runner(s, *input, screen, std::move(intake_options));
    intake::intake_report const report = runner.run();
    std::cout.flush();

    if (report.how == intake::ending::interrupted) return 128 + signals.received();
    if (report.unsaved || !std::cout) return exit_errors;
    if (report.how == intake::ending::quit || report.how == intake::ending::end_of_input) return exit_ended_early;
    return exit_ok;
}

}  // namespace

command add_run_command(CLI::App& app) {
    auto options = std::make_shared<run_options>();
    CLI::App* run = app.add_subcommand(
        "run", "Take one person through a questionnaire, one question at a time, ending with the referral.");
    run->add_option("FILE", options->file,
                    "The questionnaire (.sq); default: the bundled ketamine-trd.sq")
        ->type_name("");
    run->add_option("--lang", options->language,
                    "Language of the questions and messages (default: the questionnaire's first)")
        ->type_name("L");
    CLI::Option* answers =
        run->add_option("--answers", options->answers,
                        "Answers given beforehand ({\"answers\": {...}}); the intake continues from the first "
                        "question left")
            ->type_name("A.json");
    run->add_option("--save", options->save,
                    "Save the answers to this file after every answer (default with --resume: the resumed file)")
        ->type_name("S.json");
    CLI::Option* resume =
        run->add_option("--resume", options->resume, "Continue an intake saved with --save")->type_name("S.json");
    run->add_option("--summary", options->summary,
                    "When the intake ends, write a summary for the clinician: every answer, the changes, the results "
                    "(Markdown for a .md file, plain text otherwise)")
        ->type_name("OUT.txt|OUT.md");
    run->add_flag("--plain", options->plain, "No colour or bold, even on a terminal");
    run->add_flag("--force", options->force,
                  "Resume a file saved with another version of the questionnaire, or replace an existing --save file");
    answers->excludes(resume);
    return [options] { return run_run(*options); };
}

}  // namespace stepcare::cli
