// The only translation unit that sees Boost.Beast and Boost.Asio: they are heavy to
// compile, and the routes need none of them (docs/architecture.md, "The server").

#include "http_server.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <csignal>
#include <thread>
#include <vector>

namespace stepcare::server {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto with_error = asio::as_tuple(asio::use_awaitable);

beast::tcp_stream& transport(beast::tcp_stream& stream) { return stream; }
beast::tcp_stream& transport(tls_stream& stream) { return beast::get_lowest_layer(stream); }

/// What every response carries, whatever route made it (docs/serve.md, "Security").
void add_standard_headers(http::response<http::string_body>& res, bool secure) {
    res.set(http::field::server, "stepcare");
    res.set("Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    res.set("Referrer-Policy", "no-referrer");
    if (secure) res.set("Strict-Transport-Security", "max-age=31536000");
    if (res.find(http::field::cache_control) == res.end()) res.set(http::field::cache_control, "no-store");
}

http::response<http::string_body> to_wire(const http_response& out, unsigned version, bool keep_alive, bool head,
                                          bool secure) {
    http::response<http::string_body> res;
    res.version(version);
    res.result(static_cast<unsigned>(out.status));
    if (!out.content_type.empty()) res.set(http::field::content_type, out.content_type);
    for (const auto& [name, value] : out.headers) res.set(name, value);
    add_standard_headers(res, secure);
    res.keep_alive(keep_alive);
    if (head) {
        res.content_length(out.body.size());
    } else {
        res.body() = out.body;
        res.prepare_payload();
    }
    return res;
}

/// A refusal before any route saw the request: the request could not be read whole.
http_response transport_refusal(int status, std::string_view message) {
    return {status, "text/plain; charset=utf-8", std::string(message) + "\n", {}};
}

struct server_state {
    const listener_options& options;
    const request_dispatcher& dispatch;
    const std::function<void(const access_entry&)>& log;
    std::atomic<std::size_t> connections{0};
    /// Requests read whose response is not yet sent: a stop waits for them.
    std::atomic<std::size_t> in_flight{0};
};

/// Reads one request into the form the routes take; nothing when its target is no path.
std::optional<http_request> to_request(const http::request<http::string_body>& req, const std::string& client,
                                       bool secure) {
    auto const target = boost::urls::parse_origin_form(std::string_view(req.target().data(), req.target().size()));
    if (!target) return std::nullopt;
    http_request request;
    request.method = std::string(req.method_string());
    request.path = std::string(target->path());
    auto query = parse_form(target->encoded_query());
    if (!query || !is_utf8(request.path)) return std::nullopt;
    request.query = std::move(*query);
    for (const auto& field : req) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string const value(field.value());
        auto [place, added] = request.headers.emplace(name, value);
        if (!added) place->second += ", " + value;
    }
    request.body = req.body();
    request.client = client;
    request.secure = secure;
    return request;
}

template <class Stream>
asio::awaitable<bool> send(Stream& stream, server_state& state, const http_response& out, unsigned version,
                           bool keep_alive, bool head, bool secure) {
    auto res = to_wire(out, version, keep_alive, head, secure);
    transport(stream).expires_after(state.options.write_timeout);
    auto [error, written] = co_await http::async_write(stream, res, with_error);
    co_return !error;
}

template <class Stream>
asio::awaitable<void> serve_requests(Stream& stream, server_state& state, const std::string& client, bool secure) {
    beast::flat_buffer buffer;
    for (bool first = true;; first = false) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(state.options.header_limit));
        parser.body_limit(state.options.body_limit);
        // A kept-alive connection may wait for its next request longer than a request may take.
        transport(stream).expires_after(first ? state.options.read_timeout : state.options.idle_timeout);
        auto [header_error, header_bytes] = co_await http::async_read_header(stream, buffer, parser, with_error);
        auto const started = std::chrono::steady_clock::now();
        beast::error_code error = header_error;
        if (!error) {
            transport(stream).expires_after(state.options.read_timeout);
            auto [body_error, body_bytes] = co_await http::async_read(stream, buffer, parser, with_error);
            error = body_error;
        }
        if (error) {
            int status = 0;
            std::string_view message;
            if (error == http::error::header_limit) {
                status = 431;
                message = "The request's headers are too large.";
            } else if (error == http::error::body_limit) {
                status = 413;
                message = "The request's body is too large.";
            } else if (error != http::error::end_of_stream && error != beast::error::timeout &&
                       error != asio::error::eof && error != asio::error::connection_reset &&
                       error != asio::ssl::error::stream_truncated && error != asio::error::operation_aborted) {
                status = 400;
                message = "The request is not well-formed HTTP.";
            }
            if (status != 0) {
                co_await send(stream, state, transport_refusal(status, message), 11, false, false, secure);
                state.log({"-", "(unread request)", status, 0});
            }
            co_return;
        }
        ++state.in_flight;
        struct finished {
            std::atomic<std::size_t>& count;
            ~finished() { --count; }
        } const finishing{state.in_flight};
        http::request<http::string_body> req = parser.release();
        bool const keep_alive = req.keep_alive();
        bool const head = req.method() == http::verb::head;
        std::string route = "(unreadable target)";
        http_response out;
        if (std::optional<http_request> request = to_request(req, client, secure)) {
            try {
                out = state.dispatch(*request, route);
            } catch (const std::exception&) {
                out = transport_refusal(500, "Something went wrong on the server.");
            }
        } else {
            out = transport_refusal(400, "The request's target is not a well-formed path.");
        }
        double const milliseconds =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
        state.log({std::string(req.method_string()), route, out.status, milliseconds});
        bool const sent = co_await send(stream, state, out, req.version(), keep_alive, head, secure);
        if (!sent || !keep_alive) co_return;
    }
}

asio::awaitable<void> serve_connection(tcp::socket socket, server_state& state, asio::ssl::context* tls) {
    struct counted {
        std::atomic<std::size_t>& count;
        explicit counted(std::atomic<std::size_t>& c) : count(c) { ++count; }
        ~counted() { --count; }
    } const counter(state.connections);
    beast::error_code error;
    auto const peer = socket.remote_endpoint(error);
    std::string const client = error ? std::string("unknown") : peer.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    if (state.connections > state.options.max_connections) {
        co_await send(stream, state, transport_refusal(503, "The server is busy; try again in a moment."), 11, false,
                      false, tls != nullptr);
        co_return;
    }
    if (tls == nullptr) {
        co_await serve_requests(stream, state, client, false);
        stream.socket().shutdown(tcp::socket::shutdown_send, error);
        co_return;
    }
    tls_stream secured(std::move(stream), *tls);
    transport(secured).expires_after(state.options.read_timeout);
    auto [handshake_error] = co_await secured.async_handshake(asio::ssl::stream_base::server, with_error);
    if (handshake_error) co_return;
    co_await serve_requests(secured, state, client, true);
    transport(secured).expires_after(state.options.write_timeout);
    co_await secured.async_shutdown(with_error);
}

asio::awaitable<void> accept_connections(tcp::acceptor& acceptor, asio::io_context& io, server_state& state,
                                         asio::ssl::context* tls) {
    for (;;) {
        // Each connection runs on its own strand, so its handlers never overlap.
        auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io), with_error);
        if (error == asio::error::operation_aborted) co_return;
        if (error) {
            // Out of file descriptors and the like: wait a little rather than spin.
            asio::steady_timer pause(io, std::chrono::milliseconds(50));
            co_await pause.async_wait(with_error);
            continue;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto const executor = socket.get_executor();
        asio::co_spawn(executor, serve_connection(std::move(socket), state, tls), asio::detached);
    }
}

/// Stops once every request already read has its response sent (at most 10 seconds), so that
/// a stopped server leaves no answer saved but unacknowledged.
asio::awaitable<void> finish_in_flight(asio::io_context& io, server_state& state) {
    auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    asio::steady_timer pause(io);
    while (state.in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
        pause.expires_after(std::chrono::milliseconds(20));
        co_await pause.async_wait(with_error);
    }
    io.stop();
}

}  // namespace

bool serve_http(const listener_options& options, const request_dispatcher& dispatch,
                const std::function<void(const access_entry&)>& log,
                const std::function<void(const std::string& address)>& on_listening, std::string& error) {
    // Before the io_context: destroying it destroys the coroutines of the connections still
    // open, and they count themselves out of `state`, which must still be there.
    server_state state{options, dispatch, log, {}, {}};
    asio::io_context io;
    std::optional<asio::ssl::context> tls;
    if (!options.tls_certificate.empty() || !options.tls_key.empty()) {
        tls.emplace(asio::ssl::context::tls_server);
        tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                         asio::ssl::context::single_dh_use);
        beast::error_code tls_error;
        tls->use_certificate_chain_file(options.tls_certificate, tls_error);
        if (tls_error) {
            error = "cannot use the certificate '" + options.tls_certificate + "': " + tls_error.message() +
                    "; give a PEM certificate chain with --tls-cert";
            return false;
        }
        tls->use_private_key_file(options.tls_key, asio::ssl::context::pem, tls_error);
        if (tls_error) {
            error = "cannot use the private key '" + options.tls_key + "': " + tls_error.message() +
                    "; give the certificate's PEM private key with --tls-key";
            return false;
        }
    }
    beast::error_code net_error;
    auto const address = asio::ip::make_address(options.host, net_error);
    if (net_error) {
        error = "'" + options.host + "' is not an IP address; give --listen HOST:PORT with an IPv4 or IPv6 address";
        return false;
    }
    tcp::endpoint const endpoint(address, options.port);
    tcp::acceptor acceptor(io);
    acceptor.open(endpoint.protocol(), net_error);
    if (!net_error) acceptor.set_option(asio::socket_base::reuse_address(true), net_error);
    if (!net_error) acceptor.bind(endpoint, net_error);
    if (!net_error) acceptor.listen(asio::socket_base::max_listen_connections, net_error);
    if (net_error) {
        error = "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + net_error.message() +
                "; choose another --listen address or port";
        return false;
    }
    asio::co_spawn(io, accept_connections(acceptor, io, state, tls ? &*tls : nullptr), asio::detached);
    asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const beast::error_code&, int) {
        acceptor.close(net_error);
        asio::co_spawn(io, finish_in_flight(io, state), asio::detached);
    });
    auto const bound = acceptor.local_endpoint(net_error);
    std::string const shown_host =
        bound.address().is_v6() ? "[" + bound.address().to_string() + "]" : bound.address().to_string();
    on_listening(shown_host + ":" + std::to_string(bound.port()));
    // Handlers wait for storage commits, so there are more threads than cores.
    unsigned const threads =
        options.workers != 0 ? options.workers : std::max(8u, 4 * std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
    io.run();
    for (std::thread& thread : pool) thread.join();
    return true;
}

}  // namespace stepcare::server
