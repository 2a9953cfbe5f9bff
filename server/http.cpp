#include "http.hpp"

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>
// Boost.URL's own sources, header-only, in this one translation unit.
#include <boost/url/src.hpp>
#include <nlohmann/json.hpp>

namespace stepcare::server {

std::string http_request::header(const std::string& lower_case_name) const {
    auto const found = headers.find(lower_case_name);
    return found == headers.end() ? std::string() : found->second;
}

std::optional<std::string> http_request::query_value(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) return value;
    }
    return std::nullopt;
}

http_response json_error(int status, std::string_view code, std::string_view message, std::string_view extra) {
    std::string body =
        "{\"error\":{\"code\":" + nlohmann::json(code).dump() + ",\"message\":" + nlohmann::json(message).dump();
    if (!extra.empty()) body += "," + std::string(extra);
    body += "}}";
    return {status, "application/json", std::move(body), {}};
}

namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = path.starts_with('/') ? 1 : 0;
    while (start <= path.size()) {
        std::size_t const end = std::min(path.find('/', start), path.size());
        segments.emplace_back(path.substr(start, end - start));
        start = end + 1;
    }
    return segments;
}

}  // namespace

void router::add(std::string method, std::string path_template, route_handler handler) {
    routes_.push_back({std::move(method), split_path(path_template), path_template, std::move(handler)});
}

router::match router::find(http_request& request) const {
    match found;
    found.route = "(no route)";
    std::vector<std::string> const segments = split_path(request.path);
    for (const route& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        std::map<std::string, std::string> params;
        bool fits = true;
        for (std::size_t i = 0; i < segments.size() && fits; ++i) {
            const std::string& pattern = r.segments[i];
            if (pattern.size() > 2 && pattern.front() == '{' && pattern.back() == '}') {
                fits = !segments[i].empty();
                params[pattern.substr(1, pattern.size() - 2)] = segments[i];
            } else {
                fits = pattern == segments[i];
            }
        }
        if (!fits) continue;
        if (r.method != request.method && !(r.method == "GET" && request.method == "HEAD")) {
            found.allowed += (found.allowed.empty() ? "" : ", ") + r.method;
            found.route = r.path_template;
            continue;
        }
        request.params = std::move(params);
        found.handler = &r.handler;
        found.route = r.path_template;
        return found;
    }
    return found;
}

namespace {

/// One percent-encoded form component decoded, `+` being a space; nothing on a bad escape
/// or when it decodes to something other than UTF-8.
std::optional<std::string> decode_component(std::string_view encoded) {
    std::string spaced(encoded);
    for (std::size_t at = spaced.find('+'); at != std::string::npos; at = spaced.find('+', at + 3)) {
        spaced.replace(at, 1, "%20");
    }
    auto const checked = boost::urls::make_pct_string_view(spaced);
    if (!checked) return std::nullopt;
    boost::urls::decode_view const decoded = **checked;
    std::string text(decoded.begin(), decoded.end());
    if (!is_utf8(text)) return std::nullopt;
    return text;
}

}  // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (std::size_t start = 0; start < body.size();) {
        std::size_t const end = std::min(body.find('&', start), body.size());
        std::string_view const pair = body.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        std::size_t const equals = pair.find('=');
        auto key = decode_component(pair.substr(0, equals));
        auto value = decode_component(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1));
        if (!key || !value) return std::nullopt;
        fields.emplace_back(std::move(*key), std::move(*value));
    }
    return fields;
}

bool is_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto const byte = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t code = 0;
        if (byte < 0x80) {
            ++i;
            continue;
        } else if (byte >= 0xC2 && byte <= 0xDF) {
            length = 2;
            code = byte & 0x1F;
        } else if (byte >= 0xE0 && byte <= 0xEF) {
            length = 3;
            code = byte & 0x0F;
        } else if (byte >= 0xF0 && byte <= 0xF4) {
            length = 4;
            code = byte & 0x07;
        } else {
            return false;
        }
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            auto const next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        bool const overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
        if (overlong || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return false;
        i += length;
    }
    return true;
}

}  // namespace stepcare::server
