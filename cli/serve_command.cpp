// `stepcare serve [FILE|FOLDER...]`: the web intake and the JSON API (docs/serve.md).

#include <charconv>
#include <iostream>
#include <set>

#include "commands.hpp"
#include "serve.hpp"

namespace stepcare::cli {

namespace {

struct serve_command_options {
    std::vector<std::string> paths;
    std::string listen = "127.0.0.1:8080";
    std::string data = "stepcare-data";
    std::string language;
    std::string token_file;
    std::string tls_certificate;
    std::string tls_key;
    int retain_days = 30;
    unsigned rate_limit = 30;
};

/// Splits `HOST:PORT` (`[V6]:PORT` for IPv6); says what is wrong on stderr.
bool split_listen(const std::string& listen, server::serve_options& options) {
    std::size_t const colon = listen.rfind(':');
    std::string host = colon == std::string::npos ? "" : listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    std::string const port = colon == std::string::npos ? "" : listen.substr(colon + 1);
    unsigned value = 0;
    auto const [end, problem] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (host.empty() || port.empty() || problem != std::errc() || end != port.data() + port.size() || value > 65535) {
        std::cerr << "stepcare: error: --listen '" << listen
                  << "' is not HOST:PORT; give for example 127.0.0.1:8080 or [::1]:8080\n";
        return false;
    }
    options.host = host;
    options.port = static_cast<unsigned short>(value);
    return true;
}

/// The staff tokens: one per line; blank lines and lines starting with # are skipped.
bool read_tokens(const std::string& path, std::vector<std::string>& tokens) {
    std::optional<std::string> const content = read_limited_file(path, 1024 * 1024, "a token file");
    if (!content) return false;
    std::size_t line_number = 0;
    for (std::size_t at = 0; at < content->size();) {
        std::size_t const end = std::min(content->find('\n', at), content->size());
        std::string line = content->substr(at, end - at);
        at = end + 1;
        ++line_number;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (line.empty() || line.front() == '#') continue;
        if (line.size() < 32) {
            std::cerr << "stepcare: error: " << path << ":" << line_number
                      << ": a staff token must be at least 32 characters (for example: openssl rand -hex 32)\n";
            return false;
        }
        tokens.push_back(line);
    }
    if (tokens.empty()) {
        std::cerr << "stepcare: error: '" << path << "' holds no token; put one per line (openssl rand -hex 32)\n";
        return false;
    }
    return true;
}

int run_serve(const serve_command_options& command) {
    server::serve_options options;
    if (!split_listen(command.listen, options)) return exit_usage;
    if (command.tls_certificate.empty() != command.tls_key.empty()) {
        std::cerr << "stepcare: error: --tls-cert and --tls-key go together; give both or neither\n";
        return exit_usage;
    }
    if (command.retain_days < 1) {
        std::cerr << "stepcare: error: --retain-days must be at least 1\n";
        return exit_usage;
    }
    if (command.rate_limit < 1) {
        std::cerr << "stepcare: error: --rate-limit must be at least 1\n";
        return exit_usage;
    }
    if (!command.token_file.empty() && !read_tokens(command.token_file, options.staff_tokens)) return exit_errors;
    std::vector<std::string> unreadable;
    std::vector<std::string> const paths =
        command.paths.empty() ? std::vector<std::string>{bundled_questionnaire_folder()} : command.paths;
    auto const files = collect_files(paths, unreadable);
    for (const std::string& message : unreadable) std::cerr << "stepcare: error: " << message << "\n";
    if (!unreadable.empty()) return exit_errors;
    if (files.empty()) {
        std::cerr << "stepcare: error: no questionnaire (*.sq) was found in " << paths.front() << "\n";
        return exit_errors;
    }
    std::set<std::string> ids;
    for (const auto& file : files) {
        std::optional<questionnaire> q = load_questionnaire(file.string());
        if (!q) return exit_errors;
        if (!ids.insert(q->id()).second) {
            std::cerr << "stepcare: error: two questionnaires have the id '" << q->id() << "' (the second is "
                      << file.string() << "); serve one of them\n";
            return exit_errors;
        }
        options.questionnaires.push_back(std::move(*q));
    }
    if (!command.language.empty()) {
        bool const anyone = std::any_of(options.questionnaires.begin(), options.questionnaires.end(),
                                        [&](const questionnaire& q) { return q.has_language(command.language); });
        if (!anyone) {
            std::cerr << "stepcare: error: no questionnaire served has the language '" << command.language << "'\n";
            return exit_usage;
        }
    }
    options.data_dir = command.data;
    options.language = command.language;
    options.tls_certificate = command.tls_certificate;
    options.tls_key = command.tls_key;
    options.retain_days = command.retain_days;
    options.creations_per_minute = command.rate_limit;
    return server::serve(options);
}

}  // namespace

command add_serve_command(CLI::App& app) {
    auto options = std::make_shared<serve_command_options>();
    CLI::App* serve =
        app.add_subcommand("serve", "Serve the web intake and the JSON API, saving intakes in a database file.");
    serve->add_option("PATH", options->paths, "Questionnaires, or folders searched for *.sq; default: the bundled ones")
        ->type_name("");
    serve->add_option("--listen", options->listen, "Address and port to listen on (default 127.0.0.1:8080)")
        ->type_name("HOST:PORT");
    serve->add_option("--data", options->data, "Folder of the database of saved intakes (default ./stepcare-data)")
        ->type_name("DIR");
    serve->add_option("--lang", options->language, "Language new intakes start in, where a questionnaire has it")
        ->type_name("L");
    serve
        ->add_option("--token-file", options->token_file,
                     "File of bearer tokens for the staff routes, one per line (without it they are off)")
        ->type_name("F");
    serve->add_option("--tls-cert", options->tls_certificate, "Serve HTTPS with this PEM certificate chain")
        ->type_name("F");
    serve->add_option("--tls-key", options->tls_key, "The PEM private key of --tls-cert")->type_name("F");
    serve
        ->add_option("--retain-days", options->retain_days,
                     "Delete intakes this many days after their last change (default 30)")
        ->type_name("N");
    serve
        ->add_option("--rate-limit", options->rate_limit,
                     "Intakes one client address may start per minute (default 30)")
        ->type_name("N");
    return [options] { return run_serve(*options); };
}

}  // namespace stepcare::cli
