// The `stepcare` program: parses the command line and runs one subcommand.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iostream>
#include <string_view>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "stepcare/names.hpp"
#include "stepcare/version.hpp"

namespace {

/// A usage error, in the form every subcommand uses: `stepcare: error: ...`, then where to
/// read what the command takes.
int usage_error(const std::string& message, const std::string& command) {
    std::cerr << "stepcare: error: " << message << "\n"
              << "Run 'stepcare " << (command.empty() ? "" : command + " ") << "--help' to see what it takes.\n";
    return stepcare::cli::exit_usage;
}

/// A CLI11 message in plain words, to follow "error: ": "FILE is required" becomes "FILE
/// is missing", and a capital that only starts the sentence is lowered.
std::string plain(std::string message) {
    std::string_view constexpr required = " is required";
    if (message.size() > required.size() && message.ends_with(required)) {
        message.replace(message.size() - required.size(), required.size(), " is missing");
    }
    bool const sentence = message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) &&
                          !std::isupper(static_cast<unsigned char>(message[1]));
    if (sentence) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    return message;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Stepcare: screening questionnaires that always end with a clinician.", "stepcare"};
    app.set_version_flag("--version", std::string("stepcare ") + stepcare::version());
    app.require_subcommand(1);
    app.footer(
        "Run 'stepcare help COMMAND' or 'stepcare COMMAND --help' for a command's options. "
        "Documentation: docs/cli.md");

    // Every subcommand, in the order `help` lists them.
    std::vector<std::pair<std::string_view, stepcare::cli::command>> const commands{
        {"run", stepcare::cli::add_run_command(app)},       {"check", stepcare::cli::add_check_command(app)},
        {"eval", stepcare::cli::add_eval_command(app)},     {"explain", stepcare::cli::add_explain_command(app)},
        {"export", stepcare::cli::add_export_command(app)}, {"import", stepcare::cli::add_import_command(app)},
        {"serve", stepcare::cli::add_serve_command(app)},   {"fmt", stepcare::cli::add_fmt_command(app)},
        {"lsp", stepcare::cli::add_lsp_command(app)},
    };
    std::vector<std::string_view> names{"help"};
    std::string listed;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        names.push_back(commands[i].first);
        listed += (i == 0 ? "" : i + 1 == commands.size() ? " and " : ", ") + std::string(commands[i].first);
    }
    std::string const the_commands = "; the commands are " + listed;

    // `stepcare help [COMMAND]`, and a first word that is no command, before CLI11 sees them.
    std::string_view const first = argc > 1 ? std::string_view(argv[1]) : std::string_view();
    if (first == "help") {
        if (argc == 2) {
            std::cout << app.help();
            return stepcare::cli::exit_ok;
        }
        std::string const topic = argv[2];
        for (const CLI::App* sub : app.get_subcommands({})) {
            if (sub->get_name() == topic && argc == 3) {
                std::cout << sub->help("stepcare");
                return stepcare::cli::exit_ok;
            }
        }
        return usage_error("there is no command '" + topic + "'" + the_commands, "");
    }
    if (argc == 1) return usage_error("no command given" + the_commands, "");
    if (!first.empty() && first[0] != '-' && std::find(names.begin(), names.end(), first) == names.end()) {
        std::string_view const near = stepcare::closest_name(first, names);
        return usage_error("'" + std::string(first) + "' is not a command" +
                               (near.empty() ? the_commands : "; did you mean '" + std::string(near) + "'?"),
                           "");
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
        std::string command;
        for (const CLI::App* sub : app.get_subcommands()) command = sub->get_name();
        return usage_error(plain(e.what()), command);
    }
    for (const auto& [name, command] : commands) {
        if (app.got_subcommand(std::string(name))) return command();
    }
    return stepcare::cli::exit_usage;
}
