#pragma once
// `stepcare serve`: the questionnaires, the storage and the listener put together.

#include <string>
#include <vector>

#include "stepcare/questionnaire.hpp"

namespace stepcare::server {

struct serve_options {
    std::vector<questionnaire> questionnaires;  ///< distinct ids
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    std::string data_dir = "stepcare-data";
    std::string language;                   ///< the default language of new intakes, when a questionnaire has it
    std::vector<std::string> staff_tokens;  ///< none: staff routes are off
    std::string tls_certificate;
    std::string tls_key;
    int retain_days = 30;
    unsigned creations_per_minute = 30;  ///< intakes a client address may start a minute
};

/// Serves until SIGINT or SIGTERM; prints where it listens on stdout and one access log
/// line per request on stderr. Returns the program's exit code (messages on stderr).
int serve(const serve_options& options);

}  // namespace stepcare::server
