// The language server's parts: message framing, positions in open documents, the engine's
// source index it reads, and the server loop on bad input (tests/lsp/ drives the program).

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "jsonrpc.hpp"
#include "server.hpp"
#include "stepcare/source_index.hpp"
#include "text_document.hpp"

using nlohmann::json;
using namespace stepcare;
using namespace stepcare::lsp;

namespace {

std::string framed(const std::string& body) {
    return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// The messages the server wrote, in order.
std::vector<json> messages_in(const std::string& output) {
    std::istringstream in(output);
    std::vector<json> out;
    for (incoming m = read_message(in); m.what == incoming::kind::message; m = read_message(in)) out.push_back(m.body);
    return out;
}

/// The text between the markers `[` and `]` of `marked`, as offsets into the text without them.
struct marked_text {
    std::string text;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

marked_text unmark(std::string marked) {
    marked_text out;
    out.begin = static_cast<std::uint32_t>(marked.find('['));
    marked.erase(out.begin, 1);
    out.end = static_cast<std::uint32_t>(marked.find(']'));
    marked.erase(out.end, 1);
    out.text = marked;
    return out;
}

}  // namespace

TEST_CASE("lsp framing: messages are read by their Content-Length", "[lsp]") {
    std::istringstream in(framed(R"({"jsonrpc":"2.0","method":"a"})") +
                          "content-length: 30\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n"
                          R"({"jsonrpc":"2.0","method":"b"})");
    incoming first = read_message(in);
    REQUIRE(first.what == incoming::kind::message);
    CHECK(first.body["method"] == "a");
    incoming second = read_message(in);
    REQUIRE(second.what == incoming::kind::message);
    CHECK(second.body["method"] == "b");
    CHECK(read_message(in).what == incoming::kind::end);
}

TEST_CASE("lsp framing: a bad frame is reported and the next one is read", "[lsp]") {
    auto const first_problem = [](const std::string& stream) {
        std::istringstream in(stream + framed(R"({"method":"next"})"));
        incoming bad = read_message(in);
        incoming next = read_message(in);
        CHECK(next.what == incoming::kind::message);
        CHECK(next.body.value("method", "") == "next");
        return bad.what == incoming::kind::malformed ? bad.problem : std::string("(not malformed)");
    };
    CHECK(first_problem("Content-Type: x\r\n\r\n") == "a message without a Content-Length header");
    CHECK(first_problem("Content-Length: ten\r\n\r\n") == "a Content-Length that is not a whole number");
    CHECK(first_problem("Content-Length: -3\r\n\r\n") == "a Content-Length that is not a whole number");
    CHECK(first_problem("no colon here\r\nContent-Length: 2\r\n\r\n{}") == "a header line without ':'");
    CHECK(first_problem(framed("{\"a\":")) == "a message body that is not JSON (or not UTF-8)");
    CHECK(first_problem(framed("{\"a\":\"\xC3\x28\"}")) == "a message body that is not JSON (or not UTF-8)");
    CHECK(first_problem(framed("[1,2]")) == "a message body that is not a JSON object");
}

TEST_CASE("lsp framing: a message above the limit is skipped without being held", "[lsp]") {
    std::string const big = framed(std::string(100, ' ') + "{}");
    std::istringstream in(big + framed(R"({"method":"next"})"));
    incoming bad = read_message(in, 50);
    REQUIRE(bad.what == incoming::kind::malformed);
    CHECK(bad.problem == "a message of 102 bytes; messages may be at most 50 bytes");
    CHECK(read_message(in, 50).body["method"] == "next");
}

TEST_CASE("lsp framing: a stream that ends inside a message ends the session", "[lsp]") {
    std::istringstream cut("Content-Length: 40\r\n\r\n{\"jsonrpc\":");
    CHECK(read_message(cut).what == incoming::kind::end);
    std::istringstream headers_only("Content-Length: 4\r\n");
    CHECK(read_message(headers_only).what == incoming::kind::end);
}

TEST_CASE("lsp framing: written messages carry their length in bytes, invalid UTF-8 replaced", "[lsp]") {
    std::ostringstream out;
    write_message(out, json{{"text", "caf\xC3\xA9"}});
    CHECK(out.str() == "Content-Length: 16\r\n\r\n{\"text\":\"caf\xC3\xA9\"}");
    std::ostringstream replaced;
    write_message(replaced, json{{"text", "a\xFF"}});
    CHECK(replaced.str() == "Content-Length: 15\r\n\r\n{\"text\":\"a\xEF\xBF\xBD\"}");
}

TEST_CASE("lsp documents: positions count UTF-16 units, or bytes when agreed", "[lsp]") {
    // "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units (a surrogate pair).
    text_document const doc("a\xC3\xA9\xF0\x9F\x98\x80z\nsecond", 1);
    CHECK(doc.offset_of({0, 2}, position_encoding::utf16) == 3);  // after é
    CHECK(doc.offset_of({0, 4}, position_encoding::utf16) == 7);  // after 😀
    CHECK(doc.offset_of({0, 3}, position_encoding::utf16) == 3);  // inside the pair: its start
    CHECK(doc.offset_of({0, 7}, position_encoding::utf8) == 7);
    CHECK(doc.position_of(7, position_encoding::utf16).character == 4);
    CHECK(doc.position_of(7, position_encoding::utf8).character == 7);
    position const second = doc.position_of(9, position_encoding::utf16);
    CHECK(second.line == 1);
    CHECK(second.character == 0);
}

TEST_CASE("lsp documents: positions past a line's end or the last line are clamped", "[lsp]") {
    text_document const doc("ab\ncd", 1);
    CHECK(doc.offset_of({0, 99}, position_encoding::utf16) == 2);
    CHECK(doc.offset_of({1, 99}, position_encoding::utf16) == 5);
    CHECK(doc.offset_of({7, 0}, position_encoding::utf16) == 5);
    CHECK(doc.position_of(1000, position_encoding::utf16).line == 1);
    CHECK(doc.position_of(1000, position_encoding::utf16).character == 2);
}

TEST_CASE("lsp documents: lines end at \\n, \\r\\n or a lone \\r", "[lsp]") {
    text_document const doc("a\r\nb\rc\nd", 1);
    CHECK(doc.offset_of({1, 0}, position_encoding::utf16) == 3);
    CHECK(doc.offset_of({2, 0}, position_encoding::utf16) == 5);
    CHECK(doc.offset_of({3, 0}, position_encoding::utf16) == 7);
    CHECK(doc.offset_of({0, 5}, position_encoding::utf16) == 1);  // "\r\n" is not part of the line
    CHECK(doc.offset_of_code_points(1, 4) == 4);
}

TEST_CASE("lsp documents: edits replace a range and keep the lines right", "[lsp]") {
    text_document doc("one\ntwo\nthree", 1);
    doc.replace(doc.offset_of({1, 0}, position_encoding::utf16), doc.offset_of({1, 3}, position_encoding::utf16),
                "2\n2b", 2);
    CHECK(doc.text() == "one\n2\n2b\nthree");
    CHECK(doc.version() == 2);
    CHECK(doc.offset_of({3, 1}, position_encoding::utf16) == 10);
    doc.replace(100, 50, "!", 3);  // out of range: clamped to the end
    CHECK(doc.text() == "one\n2\n2b\nthree!");
    doc.reset("new", 4);
    CHECK(doc.position_of(3, position_encoding::utf16).character == 3);
}

namespace {

const char* const indexed_source = R"(questionnaire q "Q" {
  version "1"
  source guide "A guide"

  options often {
    never = 0 "Never"
    often = 2 "Often"
  }

  section habits "Habits" {
    question smokes: choice often {
      ask "Smoke?"
    }
    question count_a_day: integer 0..100 optional when smokes == often {
      ask "How many a day?"
    }
  }

  let heavy = count_a_day >= 20

  outcome warning caution "Warning" {
    when heavy and smokes in {often}
    say "You smoke {count_a_day, plural, one {# cigarette} other {# cigarettes}} a day; caf\u{E9} {heavy}."
        "Again: {count_a_day}" # a comment between pieces
        " and {  heavy }."
    cite guide
  }

  referral "See a clinician" {
    say "Talk with one."
  }

  test "heavy smokers are warned" {
    given { smokes = often  count_a_day = 30 }
    expect warning
  }
}
)";

/// The places that name the definition called `name` of `kind`, as the text they cover.
std::vector<std::string> uses_of(const source_index& index, std::string_view text, definition_kind kind,
                                 const std::string& name) {
    std::vector<std::string> found;
    for (const name_use& use : index.uses) {
        const definition& d = index.definitions[use.definition];
        if (d.kind != kind || d.name != name) continue;
        found.push_back(std::string(text.substr(use.span.begin, use.span.end - use.span.begin)) + "@" +
                        std::to_string(use.span.begin));
    }
    return found;
}

std::uint32_t nth(std::string_view text, std::string_view what, int n) {
    std::size_t at = text.find(what);
    while (n-- > 0) at = text.find(what, at + 1);
    return static_cast<std::uint32_t>(at);
}

}  // namespace

TEST_CASE("source index: every use of a name, in expressions, cites, answers and texts", "[lsp]") {
    std::string_view const text = indexed_source;
    source_index const index = index_source(text, "q.sq");
    REQUIRE(index.diagnostics.empty());
    auto const at = [&](std::string_view name, std::string_view context, int n = 0) {
        return std::string(name) + "@" + std::to_string(nth(text, context, n) + context.find(name));
    };
    CHECK(uses_of(index, text, definition_kind::let, "heavy") ==
          std::vector<std::string>{at("heavy", "let heavy"), at("heavy", "when heavy"), at("heavy", "{heavy}"),
                                   at("heavy", "{  heavy }")});
    CHECK(uses_of(index, text, definition_kind::question, "count_a_day") ==
          std::vector<std::string>{at("count_a_day", "question count_a_day"), at("count_a_day", "= count_a_day"),
                                   at("count_a_day", "{count_a_day, plural"), at("count_a_day", "{count_a_day}"),
                                   at("count_a_day", "count_a_day = 30")});
    CHECK(uses_of(index, text, definition_kind::source, "guide") ==
          std::vector<std::string>{at("guide", "source guide"), at("guide", "cite guide")});
    CHECK(uses_of(index, text, definition_kind::option_set, "often") ==
          std::vector<std::string>{at("often", "options often"), at("often", "choice often")});
    // The option `often`, not its set of the same name: bound by the question compared with.
    CHECK(uses_of(index, text, definition_kind::option, "often") ==
          std::vector<std::string>{at("often", "often = 2"), at("often", "smokes == often"), at("often", "{often}"),
                                   at("often", "smokes = often")});
}

TEST_CASE("source index: what hover and the outline show", "[lsp]") {
    source_index const index = index_source(indexed_source, "q.sq");
    auto const find = [&](definition_kind kind, const std::string& name) -> const definition& {
        for (const definition& d : index.definitions) {
            if (d.kind == kind && d.name == name) return d;
        }
        FAIL("no definition " << name);
        return index.definitions.front();
    };
    const definition& smokes = find(definition_kind::question, "smokes");
    CHECK(smokes.detail == "choice often");
    CHECK(smokes.documentation == "Smoke?\n\n- `never` (0): Never\n- `often` (2): Often\n");
    CHECK(index.definitions[smokes.parent].name == "habits");
    CHECK(index.definitions[smokes.options].kind == definition_kind::option_set);
    CHECK(find(definition_kind::question, "count_a_day").detail == "integer 0..100 optional");
    const definition& heavy = find(definition_kind::let, "heavy");
    CHECK(heavy.detail == "let: bool");
    CHECK(heavy.documentation == "```stepcare\nlet heavy = count_a_day >= 20\n```");
    CHECK(find(definition_kind::outcome, "warning").detail == "outcome, caution");
    CHECK(find(definition_kind::source, "guide").documentation == "A guide");
    CHECK(find(definition_kind::option, "often").detail == "option of 'often', score 2");
    CHECK(find(definition_kind::test, "heavy smokers are warned").parent == 0);
    CHECK(find(definition_kind::referral, "referral").detail == "referral");
}

TEST_CASE("source index: a file with syntax errors still names what parsed", "[lsp]") {
    source_index const index =
        index_source("questionnaire q \"Q\" {\n  version \"1\"\n  source s \"S\"\n  let = \n}\n", "broken.sq");
    CHECK_FALSE(index.diagnostics.empty());
    REQUIRE(index.definitions.size() >= 2);
    CHECK(index.definitions[0].name == "q");
    CHECK(index.definitions[1].name == "s");
}

TEST_CASE("source index: a name in a text written with an escape is not placed", "[lsp]") {
    marked_text const source = unmark(R"(questionnaire q "Q" {
  version "1"
  question [age]: integer 0..120 {
    ask "Age?"
  }
  outcome o info "{\u{61}ge} and {age}" {
    when age > 1
  }
  referral "See a clinician" {
    say "Talk with one."
  }
}
)");
    source_index const index = index_source(source.text, "q.sq");
    REQUIRE(index.diagnostics.empty());
    std::size_t uses = 0;
    for (const name_use& use : index.uses) {
        if (index.definitions[use.definition].name == "age") ++uses;
    }
    CHECK(uses == 3);  // the definition, `{age}` and `age > 1`
}

TEST_CASE("language words: keywords, then builtins with their signatures", "[lsp]") {
    const std::vector<language_word>& words = language_words();
    auto const find = [&](std::string_view word) {
        return std::find_if(words.begin(), words.end(), [&](const language_word& w) { return w.word == word; });
    };
    REQUIRE(find("question") != words.end());
    CHECK(find("question")->signature.empty());
    REQUIRE(find("sum") != words.end());
    CHECK(find("sum")->signature == "sum(number, ...) -> number");
    CHECK(find("answered")->signature == "answered(question) -> bool");
    CHECK(find("score")->signature == "score(choice question) -> number");
    CHECK_FALSE(find("any")->documentation.empty());
}

TEST_CASE("lsp server: requests before initialize, after shutdown and with bad parameters", "[lsp]") {
    std::string const stream =
        framed(R"({"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}})") +
        framed(R"({"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}})") +
        "Content-Length: 3\r\n\r\n{x}" +
        framed(
            R"({"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///n.sq"},"position":{"line":0,"character":0}}})") +
        framed(R"({"jsonrpc":"2.0","id":4,"method":"textDocument/definition","params":[1,2]})") +
        framed(R"({"jsonrpc":"2.0","id":5,"method":"no/such"})") +
        framed(R"({"jsonrpc":"2.0","method":"no/such/notification"})") +
        framed(R"({"jsonrpc":"2.0","id":6,"method":"shutdown"})") +
        framed(R"({"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}})") +
        framed(R"({"jsonrpc":"2.0","method":"exit"})");
    std::istringstream in(stream);
    std::ostringstream out;
    CHECK(serve(in, out) == 0);
    std::vector<json> const replies = messages_in(out.str());
    REQUIRE(replies.size() == 8);
    CHECK(replies[0]["error"]["code"] == server_not_initialized);
    CHECK(replies[1]["result"]["capabilities"]["positionEncoding"] == "utf-16");
    CHECK(replies[2]["id"].is_null());
    CHECK(replies[2]["error"]["code"] == parse_error);
    CHECK(replies[3]["error"]["code"] == invalid_params);
    CHECK(replies[4]["error"]["code"] == invalid_params);
    CHECK(replies[5]["error"]["code"] == method_not_found);
    CHECK(replies[6]["result"].is_null());
    CHECK(replies[7]["error"]["code"] == invalid_request);
}

TEST_CASE("lsp server: exit without shutdown, and a client gone, end with status 1", "[lsp]") {
    std::istringstream exit_only(framed(R"({"jsonrpc":"2.0","method":"exit"})"));
    std::ostringstream out;
    CHECK(serve(exit_only, out) == 1);
    std::istringstream gone(framed(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})"));
    CHECK(serve(gone, out) == 1);
}

TEST_CASE("lsp server: documents changed and closed while the checker waits for a pause", "[lsp]") {
    // The checker thread waits for the pause after each edit; the edits and the close below
    // replace and remove what it waits on (under AddressSanitizer this once read freed memory).
    std::string stream = framed(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})");
    for (int round = 0; round < 20; ++round) {
        std::string const uri = "file:///d" + std::to_string(round % 3) + ".sq";
        stream += framed(json{{"jsonrpc", "2.0"},
                              {"method", "textDocument/didOpen"},
                              {"params", {{"textDocument", {{"uri", uri}, {"version", 1}, {"text", indexed_source}}}}}}
                             .dump());
        stream += framed(json{{"jsonrpc", "2.0"},
                              {"method", "textDocument/didChange"},
                              {"params",
                               {{"textDocument", {{"uri", uri}, {"version", 2}}},
                                {"contentChanges", json::array({{{"text", "questionnaire"}}})}}}}
                             .dump());
        if (round % 2 == 0) {
            stream += framed(json{
                {"jsonrpc", "2.0"}, {"method", "textDocument/didClose"}, {"params", {{"textDocument", {{"uri", uri}}}}}}
                                 .dump());
        }
    }
    std::istringstream in(stream);
    std::ostringstream out;
    CHECK(serve(in, out) == 1);
    // The initialize reply, then for each round two publications and one more per close.
    CHECK(messages_in(out.str()).size() == 1 + 20 * 2 + 10);
}
