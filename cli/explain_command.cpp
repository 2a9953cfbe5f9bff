// `stepcare explain FILE --answers A.json`: one record's evaluation in words.

#include <iostream>

#include "commands.hpp"
#include "stepcare/fhir.hpp"

namespace stepcare::cli {

namespace {

struct explain_options {
    std::string file;
    std::string answers;
    std::string language;
    std::string base_url;
};

int run_explain(const explain_options& options) {
    auto const q = load_questionnaire(options.file);
    if (!q) return exit_errors;
    if (!check_language(*q, options.language)) return exit_usage;
    std::optional<std::string> const content = read_answers_file(options.answers);
    if (!content) return exit_usage;
    if (!is_fhir_resource(*content)) {
        std::cout << q->explain(*content, options.language);
        return exit_ok;
    }
    std::cout << explain_fhir_response(*q, *content, {options.language, options.base_url});
    return exit_ok;
}

}  // namespace

command add_explain_command(CLI::App& app) {
    auto options = std::make_shared<explain_options>();
    CLI::App* explain =
        app.add_subcommand("explain", "Explain how one answer file is evaluated: every outcome, why, and its sources.");
    explain->add_option("FILE", options->file, "The questionnaire (.sq)")->type_name("")->required();
    explain
        ->add_option("--answers", options->answers,
                     "The answers: one JSON record ({\"answers\": {...}}), a saved intake, or a FHIR "
                     "QuestionnaireResponse")
        ->required();
    explain->add_option("--lang", options->language, "Language of the texts (default: the questionnaire's first)");
    explain->add_option("--base-url", options->base_url,
                        "For a QuestionnaireResponse: the questionnaire's canonical URL, as given to export");
    return [options] { return run_explain(*options); };
}

}  // namespace stepcare::cli
