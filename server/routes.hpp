#pragma once
// The server's routes: the JSON API under /api/v1 and the web intake.

#include <string>
#include <string_view>
#include <vector>

#include "http.hpp"
#include "intake_service.hpp"

namespace stepcare::server {

/// The JSON API (docs/serve.md, "API"; server/openapi.json). Staff routes accept a bearer
/// token from `staff_tokens`; with none, they are switched off (403).
void add_api_routes(router& routes, intake_service& service, std::vector<std::string> staff_tokens);

/// The web intake's pages and forms, and its stylesheet.
void add_web_routes(router& routes, intake_service& service);

/// server/openapi.json, which `GET /api/v1/openapi.json` serves.
extern const std::string_view openapi_document;

/// The JSON of an intake's state as the API gives it (also used by tests).
std::string intake_state_json(const open_intake& open);

}  // namespace stepcare::server
