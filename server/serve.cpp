#include "serve.hpp"

#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "http_server.hpp"
#include "routes.hpp"
#include "sqlite_store.hpp"

namespace stepcare::server {

namespace {

std::string utc_now() {
    std::time_t const t = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

/// Deletes expired intakes at start and then every hour, until stopped.
class retention_sweeper {
public:
    explicit retention_sweeper(intake_service& service)
        : thread_([this, &service] {
              std::unique_lock lock(mutex_);
              do {
                  lock.unlock();
                  std::optional<std::size_t> const removed = service.remove_expired();
                  if (!removed) {
                      std::cerr << utc_now() << " could not delete expired intakes: " << service.store().last_error()
                                << "\n";
                  } else if (*removed > 0) {
                      std::cerr << utc_now() << " deleted " << *removed << " intakes older than "
                                << service.retain_days() << " days\n";
                  }
                  lock.lock();
              } while (!wake_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; }));
          }) {}
    ~retention_sweeper() {
        {
            std::lock_guard const guard(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

/// The route's response, or the refusal when no route takes the request.
http_response route_request(const router& routes, http_request& request, std::string& route) {
    router::match const found = routes.find(request);
    route = found.route;
    if (found.handler != nullptr) return (*found.handler)(request);
    bool const api = request.path.starts_with("/api/");
    if (!found.allowed.empty()) {
        http_response refusal = api ? json_error(405, "method_not_allowed", "this route takes " + found.allowed)
                                    : http_response{405, "text/plain; charset=utf-8", "Method not allowed.\n", {}};
        refusal.headers.emplace_back("Allow", found.allowed);
        return refusal;
    }
    return api ? json_error(404, "no_such_route", "there is no such route; see /api/v1/openapi.json")
               : http_response{404, "text/plain; charset=utf-8", "Not found.\n", {}};
}

bool is_loopback(const std::string& address) {
    return address == "::1" || address.starts_with("127.") || address.starts_with("::ffff:127.");
}

}  // namespace

int serve(const serve_options& options) {
    std::string error;
    std::unique_ptr<intake_store> store = open_sqlite_store(options.data_dir, error);
    if (!store) {
        std::cerr << "stepcare: error: " << error << "\n";
        return 1;
    }
    intake_service service(options.questionnaires, *store, options.language, options.retain_days,
                           options.creations_per_minute);
    router routes;
    add_api_routes(routes, service, options.staff_tokens);
    add_web_routes(routes, service);

    request_dispatcher const dispatch = [&routes](http_request& request, std::string& route) {
        // A TLS proxy on this machine says the request came over HTTPS: resume links, the
        // form cookie and HSTS then follow (docs/serve.md, "Behind a reverse proxy").
        bool const forwarded_https =
            !request.secure && is_loopback(request.client) && request.header("x-forwarded-proto") == "https";
        if (forwarded_https) request.secure = true;
        http_response response = route_request(routes, request, route);
        if (forwarded_https) response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
        return response;
    };
    std::mutex log_lock;
    auto const log = [&log_lock](const access_entry& entry) {
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.2fms", entry.milliseconds);
        std::lock_guard const guard(log_lock);
        std::cerr << utc_now() << ' ' << entry.method << ' ' << entry.route << ' ' << entry.status << ' ' << duration
                  << '\n';
    };
    listener_options listener;
    listener.host = options.host;
    listener.port = options.port;
    listener.tls_certificate = options.tls_certificate;
    listener.tls_key = options.tls_key;
    bool const secure = !options.tls_certificate.empty();
    retention_sweeper const sweeper(service);
    bool const served = serve_http(
        listener, dispatch, log,
        [&](const std::string& address) {
            std::cout << "stepcare: serving " << options.questionnaires.size() << " questionnaire"
                      << (options.questionnaires.size() == 1 ? "" : "s") << " at " << (secure ? "https" : "http")
                      << "://" << address << "/ (saved intakes in " << options.data_dir << ")" << std::endl;
        },
        error);
    if (!served) {
        std::cerr << "stepcare: error: " << error << "\n";
        return 1;
    }
    return 0;
}

}  // namespace stepcare::server
