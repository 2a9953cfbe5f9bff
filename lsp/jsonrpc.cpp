#include "jsonrpc.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

namespace stepcare::lsp {

namespace {

bool same_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

}  // namespace

incoming read_message(std::istream& in, std::size_t max_bytes) {
    incoming out;
    bool any_header = false;
    bool has_length = false;
    std::size_t length = 0;
    std::string problem;
    for (std::string line; std::getline(in, line);) {
        std::string_view const header = trimmed(line);
        if (header.empty()) {
            if (!any_header) continue;  // blank lines between messages are tolerated
            if (!has_length) {
                out.what = incoming::kind::malformed;
                out.problem = problem.empty() ? "a message without a Content-Length header" : problem;
                return out;
            }
            // A body of known length is passed over whatever else is wrong, so that the next
            // message is read from its start.
            if (length > max_bytes || !problem.empty()) {
                in.ignore(static_cast<std::streamsize>(length));
                out.what = incoming::kind::malformed;
                out.problem = !problem.empty()
                                  ? problem
                                  : "a message of " + std::to_string(length) + " bytes; messages may be at most " +
                                        std::to_string(max_bytes) + " bytes";
                return out;
            }
            std::string body(length, '\0');
            in.read(body.data(), static_cast<std::streamsize>(length));
            if (static_cast<std::size_t>(in.gcount()) != length) return out;  // the stream ended inside it
            out.body = nlohmann::json::parse(body, nullptr, false);
            if (out.body.is_discarded() || !out.body.is_object()) {
                out.what = incoming::kind::malformed;
                out.problem = out.body.is_discarded() ? "a message body that is not JSON (or not UTF-8)"
                                                      : "a message body that is not a JSON object";
                out.body = nullptr;
                return out;
            }
            out.what = incoming::kind::message;
            return out;
        }
        any_header = true;
        std::size_t const colon = header.find(':');
        if (colon == std::string_view::npos) {
            problem = "a header line without ':'";
            continue;
        }
        std::string_view const name = trimmed(header.substr(0, colon));
        std::string_view const value = trimmed(header.substr(colon + 1));
        if (!same_ignoring_case(name, "Content-Length")) continue;  // Content-Type and others
        auto const [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
        if (error != std::errc{} || end != value.data() + value.size()) {
            problem = "a Content-Length that is not a whole number";
            continue;
        }
        has_length = true;
    }
    return out;  // the stream ended
}

void write_message(std::ostream& out, const nlohmann::json& body) {
    std::string const text = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out << "Content-Length: " << text.size() << "\r\n\r\n" << text;
    out.flush();
}

nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

}  // namespace stepcare::lsp
