// `stepcare export FILE --format fhir-r4`: the questionnaire as a FHIR R4 Questionnaire.

#include <unistd.h>

#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "stepcare/fhir.hpp"

namespace stepcare::cli {

namespace {

struct export_options {
    std::string file;
    std::string format;
    std::string language;
    std::string base_url;
    std::string output;
    bool werror = false;
};

int run_export(const export_options& options) {
    auto const q = load_questionnaire(options.file);
    if (!q) return exit_errors;
    if (!check_language(*q, options.language)) return exit_usage;
    fhir_questionnaire const exported = export_fhir_questionnaire(*q, {options.language, options.base_url});
    render_options const style{color_allowed(STDERR_FILENO)};
    for (const diagnostic& d : exported.diagnostics) std::cerr << render_text(d, style);
    std::size_t const warnings = count(exported.diagnostics, severity::warning);
    if (exported.json.empty()) return exit_errors;
    if (options.werror && warnings > 0) {
        std::cerr << "stepcare: error: " << warnings << (warnings == 1 ? " loss" : " losses")
                  << " in FHIR with --werror; nothing was written\n";
        return exit_errors;
    }
    if (options.output.empty() || options.output == "-") {
        std::cout << exported.json;
        return exit_ok;
    }
    std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
    out << exported.json;
    out.close();
    if (!out) {
        std::cerr << "stepcare: error: cannot write " << options.output
                  << "; check that its folder exists and can be written to\n";
        return exit_errors;
    }
    return exit_ok;
}

}  // namespace

command add_export_command(CLI::App& app) {
    auto options = std::make_shared<export_options>();
    CLI::App* command = app.add_subcommand(
        "export", "Write the questionnaire in another format: a FHIR R4 Questionnaire (docs/fhir.md).");
    command->add_option("FILE", options->file, "The questionnaire (.sq)")->type_name("")->required();
    command->add_option("--format", options->format, "The format: fhir-r4")
        ->required()
        ->check(CLI::IsMember({"fhir-r4"}));
    command->add_option("--lang", options->language,
                        "Language of the texts (default: the questionnaire's first); the others become translations");
    command->add_option("--base-url", options->base_url,
                        "The questionnaire's canonical URL (default: urn:stepcare: and its id)");
    command->add_option("--output", options->output, "Where to write it (default, or -: standard output)");
    command->add_flag("--werror", options->werror, "Fail, writing nothing, when anything cannot be said in FHIR");
    return [options] { return run_export(*options); };
}

}  // namespace stepcare::cli
