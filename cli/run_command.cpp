// `stepcare run [FILE]`: the interactive intake at a terminal, or scripted through a pipe.

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "intake/intake.hpp"
#include "intake/line_editor.hpp"
#include "intake/save_file.hpp"
#include "intake/terminal.hpp"
#include "stepcare/batch.hpp"
#include "stepcare/saved_answers.hpp"
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
    std::string export_response;
    std::string base_url;
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

/// ": it is nested deeper than ..." when that is what is wrong with a file of answers.
std::string too_deep_tail(const saved_answers& read) {
    return read.problem == saved_answers_problem::too_deep ? ": it is " + read.detail : std::string();
}

/// Restores a file written by --save. Returns an exit code on failure.
std::optional<int> resume_from(session& s, const run_options& options) {
    std::optional<std::string> const content = read_answers_file(options.resume);
    if (!content) return exit_usage;
    saved_answers const saved = read_saved_intake(*content);
    if (saved.problem != saved_answers_problem::none) {
        std::cerr << "stepcare: error: '" << options.resume
                  << "' is not a saved intake (written by 'stepcare run --save')" << too_deep_tail(saved) << "\n";
        return exit_usage;
    }
    const std::string& saved_sha = saved.questionnaire_sha256;
    const std::string& sha = s.questionnaire_used().sha256();
    if (saved_sha != sha && !options.force) {
        std::cerr << "stepcare: error: '" << options.resume
                  << "' was saved with a different version of the questionnaire ("
                  << (saved_sha.empty() ? std::string("no sha256 recorded") : "sha256 " + saved_sha.substr(0, 12))
                  << "; this one is sha256 " << sha.substr(0, 12)
                  << "), so its answers may no longer fit. Start again without --resume, or add --force "
                     "to continue with the answers that still fit.\n";
        return exit_usage;
    }
    // Another version: its position and history may name questions that are gone or
    // hidden now, so keep only the answers and continue from the first question left.
    report_dropped(options.resume, s.restore_json(saved_sha != sha ? saved.answers_only : *content));
    return std::nullopt;
}

/// Prefills answers from a file in the answers format. Returns an exit code on failure.
std::optional<int> prefill_from(session& s, const std::string& path, bool& prefilled) {
    std::optional<std::string> const content = read_answers_file(path);
    if (!content) return exit_usage;
    saved_answers const record = read_answers_record(*content);
    switch (record.problem) {
        case saved_answers_problem::none: break;
        case saved_answers_problem::unknown_key:
            std::cerr << "stepcare: error: '" << path << "': unknown key '" << record.detail
                      << "'; an answers record has only \"id\" and \"answers\" (and a saved intake's fields)\n";
            return exit_usage;
        case saved_answers_problem::answers_not_object:
            std::cerr << "stepcare: error: '" << path << "': \"answers\" must be an object\n";
            return exit_usage;
        case saved_answers_problem::not_json:
        case saved_answers_problem::too_deep:
        case saved_answers_problem::not_an_object:
        case saved_answers_problem::no_answers:
            std::cerr << "stepcare: error: '" << path << "' is not an answers record ({\"answers\": {...}})"
                      << too_deep_tail(record) << "\n";
            return exit_usage;
    }
    if (record.answers_only.empty()) return std::nullopt;
    // Only the answers: the intake continues from the first unanswered question shown.
    std::vector<answer_error> const errors = s.restore_json(record.answers_only);
    report_dropped(path, errors);
    prefilled = record.answer_count > errors.size();
    return std::nullopt;
}

// The reference questionnaire.
std::string bundled_questionnaire() { return bundled_questionnaire_folder() + "/ketamine-trd.sq"; }

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

    if (!options.export_response.empty()) {
        std::error_code error;
        std::filesystem::path const folder = std::filesystem::absolute(options.export_response, error).parent_path();
        if (error || !std::filesystem::is_directory(folder, error)) {
            std::cerr << "stepcare: error: --export-response " << options.export_response
                      << ": its folder does not exist; create it or choose another path\n";
            return exit_usage;
        }
    }

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
            std::cerr << "stepcare: error: '" << save << "' already exists; continue it with --resume "
                      << shell_word(save) << ", or add --force to replace it\n";
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
    if (!intake_options.echo_input && isatty(STDOUT_FILENO) == 1)
        input = intake::edit_line_source::open(STDIN_FILENO, signals);
    if (!input) input = std::make_unique<intake::fd_line_source>(STDIN_FILENO, signals);
    intake::intake runner(s, *input, screen, std::move(intake_options));
    intake::intake_report const report = runner.run();
    std::cout.flush();
    if (!options.export_response.empty()) {
        // However the intake ended: the response's status says how far it got.
        batch_options as_response;
        as_response.language = options.language;
        as_response.output = record_format::fhir_r4;
        as_response.base_url = options.base_url;
        std::string response;
        batch_evaluator(*q, as_response).evaluate(s.save_json(), response);
        response += '\n';
        if (auto const problem = intake::save_atomically(options.export_response, response)) {
            std::cerr << "stepcare: error: cannot write the QuestionnaireResponse: " << *problem << '\n';
            return exit_errors;
        }
    }

    if (report.how == intake::ending::interrupted) return 128 + signals.received();
    if (report.unsaved || !std::cout) return exit_errors;
    if (report.how == intake::ending::quit || report.how == intake::ending::end_of_input) return exit_ended_early;
    return exit_ok;
}

}  // namespace

// An installed program looks beside its own place first, so that an installed tree still
// finds its questionnaires after being moved.
std::string bundled_questionnaire_folder() {
#ifdef STEPCARE_BUNDLED_FROM_PROGRAM
    std::error_code error;
    std::filesystem::path const program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (!error) {
        std::filesystem::path const beside = (program.parent_path() / STEPCARE_BUNDLED_FROM_PROGRAM).lexically_normal();
        if (std::filesystem::is_regular_file(beside / "ketamine-trd.sq", error)) return beside.string();
    }
#endif
    return STEPCARE_BUNDLED_DIR;
}

command add_run_command(CLI::App& app) {
    auto options = std::make_shared<run_options>();
    CLI::App* run = app.add_subcommand(
        "run", "Take one person through a questionnaire, one question at a time, ending with the referral.");
    run->add_option("FILE", options->file, "The questionnaire (.sq); default: the bundled ketamine-trd.sq")
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
    run->add_option("--export-response", options->export_response,
                    "When the intake ends, write it as a FHIR R4 QuestionnaireResponse (docs/fhir.md)")
        ->type_name("OUT.json");
    run->add_option("--base-url", options->base_url,
                    "For --export-response: the questionnaire's canonical URL, as given to export")
        ->type_name("URL");
    run->add_flag("--plain", options->plain, "No colour or bold, even on a terminal");
    run->add_flag("--force", options->force,
                  "Resume a file saved with another version of the questionnaire, or replace an existing --save file");
    answers->excludes(resume);
    return [options] { return run_run(*options); };
}

}  // namespace stepcare::cli
