#pragma once
// The HTTP(S) listener: Boost.Beast over Boost.Asio, sealed in http_server.cpp.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "http.hpp"

namespace stepcare::server {

struct listener_options {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    std::string tls_certificate;  ///< PEM files; both empty: plain HTTP
    std::string tls_key;
    std::size_t header_limit = 16 * 1024;   ///< bytes of the request line and headers: 431 past it
    std::size_t body_limit = 1024 * 1024;   ///< bytes of a body: 413 past it
    std::chrono::seconds read_timeout{10};  ///< a whole request, once its first byte came
    std::chrono::seconds idle_timeout{30};  ///< between requests on a kept-alive connection
    std::chrono::seconds write_timeout{10};
    std::size_t max_connections = 1000;  ///< more are answered 503 and closed
    unsigned workers = 0;                ///< threads that run handlers; 0: a number from the cores
};

/// What the access log gets of each request: no query, no body, no answers.
struct access_entry {
    std::string method;
    std::string route;  ///< the route template
    int status = 0;
    double milliseconds = 0;
};

/// Handles one request; `route` is set to the template that matched (for the log).
using request_dispatcher = std::function<http_response(http_request&, std::string& route)>;

/// Listens and serves until SIGINT or SIGTERM. Returns false, with the reason in `error`,
/// when it cannot start (address in use, unreadable certificate); `on_listening` is called
/// with the bound address once it accepts connections.
bool serve_http(const listener_options& options, const request_dispatcher& dispatch,
                const std::function<void(const access_entry&)>& log,
                const std::function<void(const std::string& address)>& on_listening, std::string& error);

}  // namespace stepcare::server
