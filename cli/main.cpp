// The `stepcare` program: parses the command line and runs one subcommand.

#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "stepcare/version.hpp"

int main(int argc, char** argv) {
    CLI::App app{"Stepcare: screening questionnaires that always end with a clinician.", "stepcare"};
    app.set_version_flag("--version", std::string("stepcare ") + stepcare::version());
    app.require_subcommand(1);
    app.footer("Run 'stepcare SUBCOMMAND --help' for a subcommand's options. Documentation: docs/cli.md");

    auto run = stepcare::cli::add_run_command(app);
    auto check = stepcare::cli::add_check_command(app);
    auto eval = stepcare::cli::add_eval_command(app);
    auto explain = stepcare::cli::add_explain_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int const code = app.exit(e);
        return code == 0 ? stepcare::cli::exit_ok : stepcare::cli::exit_usage;
    }
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("check")) return check();
    if (app.got_subcommand("eval")) return eval();
    if (app.got_subcommand("explain")) return explain();
    return stepcare::cli::exit_usage;
}
