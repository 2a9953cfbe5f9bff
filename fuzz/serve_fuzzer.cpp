// Fuzz target: one HTTP request, as the server's routes get it once Boost.Beast has read it
// (a method, a target, headers, a body), dispatched to the API and web routes of a server
// on a real database file. Every answer must be a status the routes give on purpose (never
// 500: a handler that throws ends the run), a JSON body must be JSON, and a refused request
// (4xx) must not change the intake it names.
//
// Input: "METHOD TARGET\n", header lines "name: value\n", an empty line, then the body.
// "{intake}" stands for a live intake's id and "{token}" for its current form token, so
// that inputs reach the steps of a real intake.

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "http.hpp"
#include "intake_service.hpp"
#include "routes.hpp"
#include "sqlite_store.hpp"

namespace {

using namespace stepcare;
using namespace stepcare::server;

struct server_under_test {
    std::unique_ptr<intake_store> store;
    std::unique_ptr<intake_service> service;
    router routes;
    std::string intake;

    server_under_test() {
        char folder[] = "/tmp/stepcare-serve-fuzz-XXXXXX";
        fuzz::require(mkdtemp(folder) != nullptr, "cannot make a data folder");
        std::string error;
        store = open_sqlite_store(folder, error);
        if (!store) fuzz::fail("cannot open the store: " + error);
        service = std::make_unique<intake_service>(std::vector<questionnaire>{fuzz::load(STEPCARE_FUZZ_REFERENCE)},
                                                   *store, "", 30, 1000000);
        add_api_routes(routes, *service, {std::string(40, 't')});
        add_web_routes(routes, *service);
    }

    /// The live intake, started afresh when the last one ended or was deleted.
    stored_intake live() {
        std::optional<stored_intake> current = intake.empty() ? std::nullopt : store->load(intake).intake;
        if (!current || current->status != intake_status::in_progress) {
            auto created = service->create(service->questionnaires().front(), "en");
            fuzz::require(std::holds_alternative<stored_intake>(created), "cannot start an intake");
            current = std::get<stored_intake>(created);
            intake = current->id;
        }
        return *current;
    }
};

void replace_all(std::string& text, std::string_view mark, const std::string& value) {
    for (std::size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + value.size())) {
        text.replace(at, mark.size(), value);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static server_under_test server;
    stored_intake const before = server.live();
    std::string input(reinterpret_cast<const char*>(data), size);
    std::string const revision = std::to_string(before.revision);
    replace_all(input, "{intake}", before.id);
    replace_all(input, "{token}", revision + "." + server.service->form_token("intake:" + before.id + ":" + revision));

    http_request request;
    std::size_t const line_end = std::min(input.find('\n'), input.size());
    std::string_view const first_line = std::string_view(input).substr(0, line_end);
    std::size_t const space = first_line.find(' ');
    if (space == std::string_view::npos) return 0;
    request.method = std::string(first_line.substr(0, space));
    std::string_view const target = first_line.substr(space + 1);
    std::size_t const question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos) {
        auto query = parse_form(target.substr(question + 1));
        if (!query) return 0;  // Beast's side refuses such a target with 400
        request.query = std::move(*query);
    }
    if (!is_utf8(request.path)) return 0;
    std::size_t at = line_end + 1;
    while (at < input.size()) {
        std::size_t const end = std::min(input.find('\n', at), input.size());
        std::string_view const line = std::string_view(input).substr(at, end - at);
        at = end + 1;
        if (line.empty()) break;
        std::size_t const colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view value = line.substr(colon + 1);
        while (value.starts_with(' ')) value.remove_prefix(1);
        request.headers[std::string(line.substr(0, colon))] = std::string(value);
    }
    if (at < input.size()) request.body = input.substr(at);
    request.client = "127.0.0.1";

    router::match const found = server.routes.find(request);
    if (found.handler == nullptr) return 0;
    http_response const response = (*found.handler)(request);
    fuzz::require(response.status >= 200 && response.status < 500 && response.status != 500,
                  "a status the routes never give on purpose");
    if (response.content_type == "application/json" && !response.body.empty()) {
        fuzz::require(!nlohmann::json::parse(response.body, nullptr, false).is_discarded(),
                      "a JSON body that is not JSON");
    }
    if (response.status >= 400) {
        std::optional<stored_intake> const after = server.store->load(before.id).intake;
        fuzz::require(after && after->revision == before.revision && after->state_json == before.state_json,
                      "a refused request changed the intake");
    }
    return 0;
}
