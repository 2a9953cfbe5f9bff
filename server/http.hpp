#pragma once
// Requests and responses as the server's routes see them, apart from the HTTP library
// (only http_server.cpp knows Boost.Beast), and the table that routes them.

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stepcare::server {

struct http_request {
    std::string method;                                      ///< "GET", "POST", ...
    std::string path;                                        ///< percent-decoded, without the query
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded, in order
    std::map<std::string, std::string> headers;              ///< names in lower case
    std::string body;
    std::string client;   ///< the peer's address
    bool secure = false;  ///< arrived over TLS
    /// Filled by the router: the values of the route's `{name}` segments.
    std::map<std::string, std::string> params;

    /// The header's value, or empty.
    std::string header(const std::string& lower_case_name) const;
    /// The first query parameter with this name.
    std::optional<std::string> query_value(std::string_view name) const;
};

struct http_response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  ///< beyond the security headers
};

/// A JSON response: `{"error": {"code": CODE, "message": MESSAGE}}` plus `extra` fields of
/// the error object, if any (JSON text of an object's members, without braces).
http_response json_error(int status, std::string_view code, std::string_view message, std::string_view extra = {});

using route_handler = std::function<http_response(http_request&)>;

/// Routes by method and path template: literal segments and `{name}` segments (one whole
/// segment each). The template, not the path, is what the access log records.
class router {
public:
    void add(std::string method, std::string path_template, route_handler handler);

    struct match {
        const route_handler* handler = nullptr;  ///< nullptr: no route
        std::string route;                       ///< the template matched, or the path's kind
        /// When no route takes this method for the path: the methods that do ("GET, POST"), for 405.
        std::string allowed;
    };
    match find(http_request& request) const;

private:
    struct route {
        std::string method;
        std::vector<std::string> segments;
        std::string path_template;
        route_handler handler;
    };
    std::vector<route> routes_;
};

/// Percent-decoded `application/x-www-form-urlencoded` fields, in order; nothing when the
/// text is not such a body (a bad escape) or a name or value is not UTF-8.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view body);

/// Whether `text` is well-formed UTF-8.
bool is_utf8(std::string_view text);

}  // namespace stepcare::server
