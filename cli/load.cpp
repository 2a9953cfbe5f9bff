// Loading the questionnaire and the answers a subcommand works with.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"

namespace stepcare::cli {

std::optional<questionnaire> load_questionnaire(const std::string& path) {
    compile_result result = compile_file(path);
    bool const color = color_allowed(STDERR_FILENO);
    for (const diagnostic& d : result.diagnostics) {
        if (d.level == severity::error) std::cerr << render_text(d, {color});
    }
    // A file that could not be read has no errors to fix: its diagnostic says it all.
    if (!result.compiled && result.readable) {
        std::cerr << "stepcare: error: '" << path << "' cannot be used until its errors are fixed "
                  << "(run 'stepcare check " << path << "' for the whole report)\n";
    }
    return result.compiled;
}

std::optional<std::string> read_limited_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        std::cerr << "stepcare: error: cannot read '" << path << "': it is a folder, not a file\n";
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "stepcare: error: cannot read '" << path << "': " << std::strerror(errno) << '\n';
        return std::nullopt;
    }
    std::string content;
    char buffer[65536];
    while (in && content.size() <= max_bytes) {
        in.read(buffer, sizeof buffer);
        content.append(buffer, static_cast<std::size_t>(in.gcount()));
    }
    if (content.size() > max_bytes) {
        std::cerr << "stepcare: error: '" << path << "' is larger than " << max_bytes << " bytes, the most " << what
                  << " may hold\n";
        return std::nullopt;
    }
    if (in.bad() || (!in.eof() && !in)) {
        std::cerr << "stepcare: error: cannot read '" << path << "'\n";
        return std::nullopt;
    }
    return content;
}

/// The questionnaire files under the given paths, folders searched recursively for
/// `*.sq`, each folder's files sorted by path so the report order is stable.
std::vector<std::filesystem::path> collect_files(const std::vector<std::string>& paths,
                                                 std::vector<std::string>& unreadable) {
    std::vector<std::filesystem::path> files;
    for (const auto& path : paths) {
        std::error_code error;
        auto const status = std::filesystem::status(path, error);
        if (error || !std::filesystem::exists(status)) {
            unreadable.push_back("cannot read '" + path + "': no such file or folder");
            continue;
        }
        if (!std::filesystem::is_directory(status)) {
            files.emplace_back(path);
            continue;
        }
        std::vector<std::filesystem::path> found;
        std::filesystem::recursive_directory_iterator it(
            path, std::filesystem::directory_options::skip_permission_denied, error);
        if (error) {
            unreadable.push_back("cannot read folder '" + path + "': " + error.message());
            continue;
        }
        for (; it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
            if (error) {
                unreadable.push_back("cannot read inside '" + path + "': " + error.message());
                break;
            }
            std::error_code type_error;
            if (it->path().extension() == ".sq" && !it->is_directory(type_error)) found.push_back(it->path());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

std::optional<std::string> read_answers_file(const std::string& path) {
    return read_limited_file(path, max_answers_file_bytes, "an answers file");
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
