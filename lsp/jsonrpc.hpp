#pragma once
/// JSON-RPC 2.0 messages over a byte stream, framed as the Language Server Protocol frames
/// them: `Content-Length: N` (and optionally `Content-Type`) header lines ending in CRLF,
/// an empty line, then N bytes of JSON.

#include <cstddef>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

namespace stepcare::lsp {

/// The largest message read: far above any real document, so that a client sending a
/// bogus length cannot make the server allocate without bound.
inline constexpr std::size_t max_message_bytes = 64u * 1024u * 1024u;

/// What reading one message gave.
struct incoming {
    enum class kind {
        message,    ///< `body` holds the JSON
        malformed,  ///< a frame that is not one, or a body that is not JSON; `problem` says why
        end,        ///< the stream ended (the client went away)
    };
    kind what = kind::end;
    nlohmann::json body;
    std::string problem;
};

/// Reads the next message. After a malformed frame the reader skips to the next header
/// block, so one bad message does not end the session.
incoming read_message(std::istream& in, std::size_t max_bytes = max_message_bytes);

/// Writes one message with its header, and flushes.
void write_message(std::ostream& out, const nlohmann::json& body);

/// JSON-RPC's error codes, and the protocol's own.
enum error_code : int {
    parse_error = -32700,
    invalid_request = -32600,
    method_not_found = -32601,
    invalid_params = -32602,
    internal_error = -32603,
    server_not_initialized = -32002,
    request_failed = -32803,
};

/// A response carrying an error, for the request `id` (null when it could not be read).
nlohmann::json error_response(const nlohmann::json& id, int code, const std::string& message);

}  // namespace stepcare::lsp
