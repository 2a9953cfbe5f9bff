#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/diagnostic_sink.hpp"
#include "source/source_file.hpp"
#include "stepcare/diagnostic.hpp"

using stepcare::diagnostic;
using stepcare::diagnostic_sink;
using stepcare::render_options;
using stepcare::render_text;
using stepcare::severity;
using stepcare::source_file;
using stepcare::source_range;

namespace {

/// The byte range of the first `needle` in `text`.
source_range range_of(std::string_view text, std::string_view needle) {
    const std::size_t begin = text.find(needle);
    REQUIRE(begin != std::string_view::npos);
    return {static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(begin + needle.size())};
}

/// One error in `text` (file "q.sq"), resolved as the engine hands it to callers.
diagnostic error_at(const std::string& text, source_range range, const std::string& message) {
    const source_file source("q.sq", text);
    diagnostic_sink sink;
    sink.error("syntax", range, message);
    return stepcare::resolve(source, sink.items().front());
}

const std::string mini_text =
    "questionnaire mini \"Mini mood screen\" {\n"
    "  version \"1.0.0\"\n"
    "  languages en\n"
    "\n"
    "  options frequency {\n"
    "    not_at_all = 0 \"Not at all\"\n"
    "  }\n"
    "  section mood \"Your mood\" {\n"
    "    question tried: integer 0..20 {\n"
    "      ask \"How many antidepressants have you tried?\"\n"
    "    }\n"
    "  }\n"
    "\n"
    "  let resistant = tryed >= 2\n"
    "}\n";

/// The undefined-name error of interfaces.md section 5, with its note.
diagnostic undefined_tryed() {
    const source_file source("questionnaires/mini.sq", mini_text);
    diagnostic_sink sink;
    sink.error("undefined-name", range_of(mini_text, "tryed"), "'tryed' is not defined; did you mean 'tried'?")
        .notes.push_back({range_of(mini_text, "tried"), "'tried' is defined here"});
    return stepcare::resolve(source, sink.items().front());
}

}  // namespace

TEST_CASE("an error with a note renders as compilers do", "[diagnostics]") {
    const std::string text = render_text(undefined_tryed());
    CHECK(text ==
          "questionnaires/mini.sq:14:19: error: 'tryed' is not defined; did you mean 'tried'? "
          "[undefined-name]\n"
          "   14 |   let resistant = tryed >= 2\n"
          "      |                   ^~~~~\n"
          "questionnaires/mini.sq:9:14: note: 'tried' is defined here\n");
    CHECK(text.find('\x1b') == std::string::npos);
}

TEST_CASE("a warning says warning", "[diagnostics]") {
    const std::string text = "let unused = 1\n";
    const source_file source("q.sq", text);
    diagnostic_sink sink;
    sink.warning("unused-let", range_of(text, "unused"), "'unused' is never used");
    CHECK(render_text(stepcare::resolve(source, sink.items().front())) ==
          "q.sq:1:5: warning: 'unused' is never used [unused-let]\n"
          "    1 | let unused = 1\n"
          "      |     ^~~~~~\n");
}

TEST_CASE("a range over two lines is underlined to the end of the first", "[diagnostics]") {
    const std::string text = "let x = (1 +\n  2)\n";
    const diagnostic d = error_at(text, {8, 17}, "unbalanced");
    CHECK(d.end_line == 2);
    CHECK(d.end_column == 5);
    CHECK(render_text(d) ==
          "q.sq:1:9: error: unbalanced [syntax]\n"
          "    1 | let x = (1 +\n"
          "      |         ^~~~\n");
}

TEST_CASE("a zero-width range at end of file is a single caret", "[diagnostics]") {
    CHECK(render_text(error_at("let x =", {7, 7}, "expected an expression")) ==
          "q.sq:1:8: error: expected an expression [syntax]\n"
          "    1 | let x =\n"
          "      |        ^\n");
    // After the last line break the line is empty, and the excerpt is still shown.
    CHECK(render_text(error_at("let x = 1\n", {10, 10}, "expected '}'")) ==
          "q.sq:2:1: error: expected '}' [syntax]\n"
          "    2 | \n"
          "      | ^\n");
}

TEST_CASE("a tab before the range is copied so the caret lines up", "[diagnostics]") {
    const std::string text = "\tlet x = y\n";
    CHECK(render_text(error_at(text, range_of(text, "y"), "'y' is not defined")) ==
          "q.sq:1:10: error: 'y' is not defined [syntax]\n"
          "    1 | \tlet x = y\n"
          "      | \t        ^\n");
}

TEST_CASE("wide characters take two cells", "[diagnostics]") {
    const std::string text = "say \"\xE4\xB8\xAD\xE6\x96\x87\" x\n";  // say "中文" x
    CHECK(render_text(error_at(text, range_of(text, "x"), "unexpected 'x'")) ==
          "q.sq:1:10: error: unexpected 'x' [syntax]\n"
          "    1 | say \"\xE4\xB8\xAD\xE6\x96\x87\" x\n"
          "      |            ^\n");
    CHECK(render_text(error_at(text, range_of(text, "\xE4\xB8\xAD\xE6\x96\x87"), "wide")) ==
          "q.sq:1:6: error: wide [syntax]\n"
          "    1 | say \"\xE4\xB8\xAD\xE6\x96\x87\" x\n"
          "      |      ^~~~\n");
}

TEST_CASE("the gutter widens for long files", "[diagnostics]") {
    diagnostic d;
    d.file = "q.sq";
    d.code = "syntax";
    d.message = "deep";
    d.line = 123456;
    d.end_line = 123456;
    d.column = 2;
    d.end_column = 3;
    d.source_line = "ab";
    CHECK(render_text(d) ==
          "q.sq:123456:2: error: deep [syntax]\n"
          "123456 | ab\n"
          "       |  ^\n");
}

TEST_CASE("a diagnostic without source text has no excerpt", "[diagnostics]") {
    // As read back from JSON: a position, but no line to point into.
    diagnostic d;
    d.file = "q.sq";
    d.code = "syntax";
    d.message = "lost";
    d.line = 3;
    d.end_line = 3;
    d.column = 7;
    d.end_column = 8;
    CHECK(render_text(d) == "q.sq:3:7: error: lost [syntax]\n");
    // At 1:1 too: no source is not an empty line.
    d.line = d.end_line = d.column = d.end_column = 1;
    CHECK(render_text(d) == "q.sq:1:1: error: lost [syntax]\n");
    d.source_line = "";
    CHECK(render_text(d) == "q.sq:1:1: error: lost [syntax]\n    1 | \n      | ^\n");
}

TEST_CASE("colour marks each part with ANSI escapes", "[diagnostics]") {
    CHECK(render_text(undefined_tryed(), render_options{.color = true}) ==
          "\x1b[1mquestionnaires/mini.sq:14:19:\x1b[0m \x1b[1;31merror:\x1b[0m "
          "\x1b[1m'tryed' is not defined; did you mean 'tried'?\x1b[0m [undefined-name]\n"
          "   14 |   let resistant = tryed >= 2\n"
          "      |                   \x1b[32m^~~~~\x1b[0m\n"
          "\x1b[1mquestionnaires/mini.sq:9:14:\x1b[0m \x1b[1;36mnote:\x1b[0m "
          "\x1b[1m'tried' is defined here\x1b[0m\n");

    const std::string text = "let unused = 1\n";
    const source_file source("q.sq", text);
    diagnostic_sink sink;
    sink.warning("unused-let", range_of(text, "unused"), "'unused' is never used");
    CHECK(render_text(stepcare::resolve(source, sink.items().front()), {.color = true}) ==
          "\x1b[1mq.sq:1:5:\x1b[0m \x1b[1;35mwarning:\x1b[0m "
          "\x1b[1m'unused' is never used\x1b[0m [unused-let]\n"
          "    1 | let unused = 1\n"
          "      |     \x1b[32m^~~~~~\x1b[0m\n");
}

TEST_CASE("severities are spelled as in the formats", "[diagnostics]") {
    CHECK(std::string(stepcare::to_string(severity::error)) == "error");
    CHECK(std::string(stepcare::to_string(severity::warning)) == "warning");
    CHECK(std::string(stepcare::to_string(severity::note)) == "note");
}

TEST_CASE("diagnostics convert to a JSON array", "[diagnostics]") {
    diagnostic warning;
    warning.level = severity::warning;
    warning.code = "unused-let";
    warning.message = "'x' is never used";
    warning.file = "questionnaires/mini.sq";
    warning.line = 3;
    warning.column = 7;
    warning.end_line = 3;
    warning.end_column = 8;
    warning.source_line = "  let x = 1";  // not part of the JSON form

    CHECK(stepcare::to_json({undefined_tryed(), warning}) ==
          R"([{"file":"questionnaires/mini.sq","line":14,"column":19,"end_line":14,)"
          R"("end_column":24,"severity":"error","code":"undefined-name",)"
          R"("message":"'tryed' is not defined; did you mean 'tried'?",)"
          R"("notes":[{"file":"questionnaires/mini.sq","line":9,"column":14,"end_line":9,)"
          R"("end_column":19,"severity":"note","code":"undefined-name",)"
          R"("message":"'tried' is defined here","notes":[]}]},)"
          R"({"file":"questionnaires/mini.sq","line":3,"column":7,"end_line":3,)"
          R"("end_column":8,"severity":"warning","code":"unused-let",)"
          R"("message":"'x' is never used","notes":[]}])");
    CHECK(stepcare::to_json({}) == "[]");
}

TEST_CASE("JSON output survives invalid UTF-8", "[diagnostics]") {
    diagnostic d;
    d.code = "invalid-utf8";
    d.message = "bad \xFF byte";
    d.file = "q\xC3.sq";
    CHECK(stepcare::to_json({d}) ==
          "[{\"file\":\"q\xEF\xBF\xBD.sq\",\"line\":1,\"column\":1,\"end_line\":1,"
          "\"end_column\":1,\"severity\":\"error\",\"code\":\"invalid-utf8\","
          "\"message\":\"bad \xEF\xBF\xBD byte\",\"notes\":[]}]");
}

TEST_CASE("resolve turns byte ranges into lines and columns", "[diagnostics]") {
    const std::string text = "question tried: integer\nlet r = tryed\nlet unused = r\n";
    const source_file source("q.sq", text);
    diagnostic_sink sink;
    sink.error("undefined-name", range_of(text, "tryed"), "'tryed' is not defined")
        .notes.push_back({range_of(text, "tried"), "'tried' is defined here"});
    sink.warning("unused-let", range_of(text, "unused"), "'unused' is never used");
    CHECK(sink.error_count() == 1);
    CHECK(sink.has_errors());

    const std::vector<diagnostic> resolved = stepcare::resolve_all(source, sink);
    REQUIRE(resolved.size() == 2);
    CHECK(resolved[0].source_line == "let r = tryed");
    REQUIRE(resolved[0].notes.size() == 1);
    CHECK(resolved[0].notes[0].level == severity::note);
    CHECK(resolved[0].notes[0].source_line == "question tried: integer");
    CHECK(resolved[1].source_line == "let unused = r");
    CHECK(stepcare::to_json(resolved) ==
          R"([{"file":"q.sq","line":2,"column":9,"end_line":2,"end_column":14,)"
          R"("severity":"error","code":"undefined-name","message":"'tryed' is not defined",)"
          R"("notes":[{"file":"q.sq","line":1,"column":10,"end_line":1,"end_column":15,)"
          R"("severity":"note","code":"undefined-name","message":"'tried' is defined here",)"
          R"("notes":[]}]},)"
          R"({"file":"q.sq","line":3,"column":5,"end_line":3,"end_column":11,)"
          R"("severity":"warning","code":"unused-let","message":"'unused' is never used",)"
          R"("notes":[]}])");
    CHECK(stepcare::count(resolved, severity::error) == 1);
    CHECK(stepcare::count(resolved, severity::warning) == 1);
    CHECK(stepcare::count(resolved, severity::note) == 0);
}

TEST_CASE("an empty sink has no errors", "[diagnostics]") {
    const diagnostic_sink sink;
    CHECK(sink.error_count() == 0);
    CHECK_FALSE(sink.has_errors());
    CHECK(stepcare::resolve_all(source_file("q.sq", ""), sink).empty());
}

TEST_CASE("the source line replaces ill-formed UTF-8 so the caret lines up", "[diagnostics]") {
    const std::string text = "x = \"\xFF\xE2\x82\" y\n";
    const diagnostic d = error_at(text, range_of(text, "y"), "unexpected 'y'");
    CHECK(d.source_line == "x = \"\xEF\xBF\xBD\xEF\xBF\xBD\" y");
    CHECK(render_text(d) ==
          "q.sq:1:10: error: unexpected 'y' [syntax]\n"
          "    1 | x = \"\xEF\xBF\xBD\xEF\xBF\xBD\" y\n"
          "      |          ^\n");
}

TEST_CASE("a byte-order mark is neither counted nor shown", "[diagnostics]") {
    const std::string text = "\xEF\xBB\xBFlet x\n";
    CHECK(render_text(error_at(text, range_of(text, "x"), "incomplete")) ==
          "q.sq:1:5: error: incomplete [syntax]\n"
          "    1 | let x\n"
          "      |     ^\n");
}
