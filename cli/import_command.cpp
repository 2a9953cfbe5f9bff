// `stepcare import FILE.json --from fhir-r4 [--output OUT.sq]`: a `.sq` file from a FHIR R4
// Questionnaire (docs/fhir.md, "Questionnaires in").

#include <unistd.h>

#include <iostream>

#include "batch/output_file.hpp"
#include "commands.hpp"
#include "stepcare/fhir.hpp"

namespace stepcare::cli {

namespace {

/// A Questionnaire may be at most as large as a questionnaire source (docs/limits.md):
/// reading stops there, so a device such as /dev/zero cannot fill the memory.
constexpr std::size_t max_import_bytes = 32u * 1024u * 1024u;

struct import_options {
    std::string file;
    std::string from;
    std::string output;
};

int run_import(const import_options& options) {
    if (options.from != "fhir-r4") {
        std::cerr << "stepcare: error: --from takes fhir-r4 (the only format import reads), not '" << options.from
                  << "'\nRun 'stepcare import --help' to see what it takes.\n";
        return exit_usage;
    }
    std::optional<std::string> const content =
        read_limited_file(options.file, max_import_bytes, "a Questionnaire to import");
    if (!content) return exit_usage;
    fhir_import const imported = import_fhir_questionnaire(*content, options.file);
    bool const color = color_allowed(STDERR_FILENO);
    for (const diagnostic& d : imported.diagnostics) std::cerr << render_text(d, {color});
    if (imported.source.empty()) return exit_errors;

    output_file output;
    std::string error;
    bool const written = output.open(options.output.empty() ? "-" : options.output, error) &&
                         output.write(imported.source, error) && output.commit(error);
    if (!written) {
        std::cerr << "stepcare: error: " << error << '\n';
        return exit_errors;
    }
    return exit_ok;
}

}  // namespace

command add_import_command(CLI::App& app) {
    auto options = std::make_shared<import_options>();
    CLI::App* import_app =
        app.add_subcommand("import", "Make a .sq questionnaire from a FHIR R4 Questionnaire (JSON).");
    import_app->add_option("FILE", options->file, "The Questionnaire resource (.json)")->type_name("")->required();
    import_app->add_option("--from", options->from, "The input's format: fhir-r4")->required();
    import_app->add_option("--output", options->output,
                           "Where the .sq file goes ('-': standard output, the default); written only when the import "
                           "succeeds");
    return [options] { return run_import(*options); };
}

}  // namespace stepcare::cli
