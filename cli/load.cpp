// Loading the questionnaire a subcommand works with.

#include <unistd.h>

#include <iostream>

#include "commands.hpp"

namespace stepcare::cli {

std::optional<questionnaire> load_questionnaire(const std::string& path) {
    compile_result result = compile_file(path);
    bool const color = color_allowed(STDERR_FILENO);
    for (const diagnostic& d : result.diagnostics) {
        if (d.level == severity::error) std::cerr << render_text(d, {color});
    }
    if (!result.compiled) {
        std::cerr << "stepcare: error: '" << path << "' cannot be used until its errors are fixed "
                  << "(run 'stepcare check " << path << "' for the whole report)\n";
    }
    return result.compiled;
}

bool check_language(const questionnaire& q, const std::string& language) {
    if (language.empty() || q.has_language(language)) return true;
    std::string list;
    for (const std::string& l : q.languages()) list += (list.empty() ? "" : ", ") + l;
    std::cerr << "stepcare: error: the questionnaire has no language '" << language << "'; use one of: " << list
              << '\n';
    return false;
}

}  // namespace stepcare::cli
