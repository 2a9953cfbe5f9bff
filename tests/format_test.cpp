// `stepcare fmt` (engine/format/): on every questionnaire of the repository and on files
// whose whitespace, comments and strings were shuffled at random, the canonical layout is
// the same whatever the author's layout, formatting it again changes nothing, and it
// reads back as the same questionnaire with the same comments and the same results.

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "format/formatter.hpp"
#include "pipeline/program_access.hpp"
#include "record_maker.hpp"
#include "repository_files.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/format.hpp"
#include "stepcare/questionnaire.hpp"

using namespace stepcare;
using nlohmann::json;

namespace {

namespace fs = std::filesystem;

/// Every `.sq` file of the repository that has no syntax or checking error.
std::vector<std::pair<fs::path, std::string>> formattable_questionnaires() {
    std::vector<std::pair<fs::path, std::string>> found;
    for (const fs::path& path : stepcare::testing::repository_questionnaires()) {
        std::string text = stepcare::testing::read_file(path);
        compile_options options;
        options.run_tests = false;
        if (!compile_source(text, path.string(), options).has_errors()) found.emplace_back(path, std::move(text));
    }
    std::sort(found.begin(), found.end());
    return found;
}

/// A result as JSON without the questionnaire's identity, which names the source's hash.
json comparable(const result& r) {
    json out = json::parse(to_json(r));
    out.erase("questionnaire");
    return out;
}

/// `text` with its layout shuffled: every run of whitespace between tokens replaced by
/// another (blank lines, and lines that end in a comment, kept as such), strings cut into
/// adjacent pieces at random places. The meaning and the comments stay.
std::string shuffled_layout(const std::string& text, std::mt19937_64& random) {
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(random() % n); };
    std::string out;
    std::size_t i = 0;
    bool after_comment = false;  // the next gap must end the comment's line
    while (i < text.size()) {
        char const c = text[i];
        if (c == '#') {
            std::size_t const end = text.find('\n', i);
            out += text.substr(i, end == std::string::npos ? std::string::npos : end - i);
            i = end == std::string::npos ? text.size() : end;
            after_comment = true;
            continue;
        }
        if (c == '"') {
            std::size_t j = i + 1;
            std::string piece = "\"";
            while (j < text.size() && text[j] != '"') {
                if (text[j] == '\\') {
                    // An escape stays whole: two characters, or `\u{...}` to its brace.
                    std::size_t const end = text[j + 1] == 'u' ? text.find('}', j) + 1 : j + 2;
                    piece += text.substr(j, end - j);
                    j = end;
                    continue;
                }
                // Between two characters (never inside an escape or a UTF-8 sequence), now
                // and then: end the string and start an adjacent one.
                if ((static_cast<unsigned char>(text[j]) & 0xC0) != 0x80 && piece.size() > 1 && pick(12) == 0) {
                    piece += pick(2) == 0 ? "\" \"" : "\"\n      \"";
                }
                piece += text[j++];
            }
            out += piece + "\"";
            i = j + 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            std::size_t j = i;
            int newlines = 0;
            while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n' || text[j] == '\r')) {
                newlines += text[j] == '\n' ? 1 : 0;
                ++j;
            }
            bool const before_comment = j < text.size() && text[j] == '#';
            if (newlines >= 2) {
                out += "\n\n" + std::string(pick(6), ' ');
            } else if (after_comment) {
                out += "\n" + std::string(pick(6), ' ');
            } else if (before_comment) {
                out += newlines == 1 ? "\n" + std::string(pick(6), ' ') : std::string(1 + pick(4), ' ');
            } else if (i == 0 || j == text.size()) {
                out += newlines == 1 ? "\n" : " ";
            } else {
                static const char* const gaps[] = {" ", "  ", "\t", "\n", "\n    ", " \n "};
                out += gaps[pick(std::size(gaps))];
            }
            i = j;
            after_comment = false;
            continue;
        }
        out += c;
        ++i;
    }
    return out;
}

std::string formatted(const std::string& text) {
    format_result const r = format_source(text, "test.sq");
    std::string why;
    for (const diagnostic& d : r.diagnostics) why += render_text(d);
    INFO(why);
    REQUIRE(r.formatted);
    return *r.formatted;
}

std::string with_header(const std::string& body) {
    return "questionnaire q \"Q\" {\n  version \"1.0.0\"\n" + body +
           "  referral \"See a clinician\" { say \"Only a clinician can decide.\" }\n}\n";
}

}  // namespace

TEST_CASE("fmt: every questionnaire of the repository: idempotent, the same tree and comments, the same results") {
    auto const files = formattable_questionnaires();
    REQUIRE(files.size() > 60);
    std::uint64_t seed = 1;
    for (const auto& [path, text] : files) {
        INFO(path.string());
        std::string const once = formatted(text);
        CHECK(formatted(once) == once);
        // The canonical layout keeps to the line width wherever a line can be broken.
        std::istringstream lines(once);
        for (std::string line; std::getline(lines, line);) {
            if (stepcare::testing::code_points(line) > static_cast<std::size_t>(format_line_width)) {
                bool const unbreakable = line.find(' ', line.find_first_not_of(' ')) == std::string::npos ||
                                         line.find('"') != std::string::npos || line.find('#') != std::string::npos;
                CHECK(unbreakable);
            }
        }
        compile_options options;
        options.run_tests = false;
        compile_result const before = compile_source(text, path.string(), options);
        compile_result const after = compile_source(once, path.string(), options);
        REQUIRE(after.compiled);
        stepcare::testing::record_maker maker(program_access::of(*before.compiled), seed++);
        for (int k = 0; k < 50; ++k) {
            std::string const record = maker.record(k).dump();
            CHECK(comparable(before.compiled->evaluate(record)) == comparable(after.compiled->evaluate(record)));
        }
    }
}

TEST_CASE("fmt: the layout does not depend on the author's spaces, line breaks or string pieces") {
    std::mt19937_64 random(7);
    for (const auto& [path, text] : formattable_questionnaires()) {
        INFO(path.string());
        std::string const canonical = formatted(text);
        for (int round = 0; round < 3; ++round) {
            std::string const shuffled = shuffled_layout(text, random);
            CHECK(formatted(shuffled) == canonical);
        }
    }
}

TEST_CASE("fmt: comments stay where they are, at the ends of lines or on their own") {
    std::string const source = with_header(R"(# before the question
  question tried: integer 0..20 {  # after the brace
    ask "How many?"  # after the text
    # before the require
    require tried >= 0 # after the condition
      else "At least none."
    # last in the question
  }
  let many = tried > 2 and # inside the expression
    tried < 20
  let named = "a" # between two pieces
     "b"
  # last in the file
)");
    std::string const expected = R"(questionnaire q "Q" {
  version "1.0.0"

  # before the question
  question tried: integer 0..20 {  # after the brace
    ask "How many?"  # after the text
    # before the require
    require tried >= 0  # after the condition
        else "At least none."
    # last in the question
  }

  let many = tried > 2
      # inside the expression
      and tried < 20
  let named = "a"  # between two pieces
              "b"

  # last in the file
  referral "See a clinician" {
    say "Only a clinician can decide."
  }
}
)";
    CHECK(formatted(source) == expected);
    CHECK(formatted(expected) == expected);
}

TEST_CASE("fmt: long expressions break before their operators and between arguments") {
    std::string const source = with_header(R"(
  question a: integer 0..10 { ask "A?" }
  question b: integer 0..10 { ask "B?" }
  let long_chain = (a ?? 0) + (b ?? 0) >= 3 and (a ?? 0) - (b ?? 0) < 7 and answered(a) and answered(b) or a == 10
  let long_call = max(a ?? 0, b ?? 0, (a ?? 0) + (b ?? 0), (a ?? 0) * 2, (b ?? 0) * 2, (a ?? 0) * (b ?? 0), 100)
  let long_arguments = max((a ?? 0) + (b ?? 0) + (a ?? 0) + (b ?? 0) + (a ?? 0) + (b ?? 0), (a ?? 0) * (b ?? 0) * (a ?? 0) * (b ?? 0) * 2, 100)
  let picked = if answered(a) and answered(b) and (a ?? 0) + (b ?? 0) > 10 then "both answered, large" else "other"
)");
    std::string const expected = R"(questionnaire q "Q" {
  version "1.0.0"

  question a: integer 0..10 {
    ask "A?"
  }

  question b: integer 0..10 {
    ask "B?"
  }

  let long_chain = (a ?? 0) + (b ?? 0) >= 3
          and (a ?? 0) - (b ?? 0) < 7
          and answered(a)
          and answered(b)
      or a == 10
  let long_call =
      max(a ?? 0, b ?? 0, (a ?? 0) + (b ?? 0), (a ?? 0) * 2, (b ?? 0) * 2, (a ?? 0) * (b ?? 0), 100)
  let long_arguments = max(
      (a ?? 0) + (b ?? 0) + (a ?? 0) + (b ?? 0) + (a ?? 0) + (b ?? 0),
      (a ?? 0) * (b ?? 0) * (a ?? 0) * (b ?? 0) * 2,
      100
  )
  let picked = if answered(a) and answered(b) and (a ?? 0) + (b ?? 0) > 10
      then "both answered, large"
      else "other"

  referral "See a clinician" {
    say "Only a clinician can decide."
  }
}
)";
    CHECK(formatted(source) == expected);
}

TEST_CASE(
    "fmt: a file with syntax or checking errors is refused with them; a failing test or invariant is not a reason") {
    format_result const syntax = format_source("questionnaire q \"Q\" {\n  version \"1.0.0\"\n  question", "s.sq");
    CHECK_FALSE(syntax.formatted);
    REQUIRE_FALSE(syntax.diagnostics.empty());
    CHECK(syntax.diagnostics[0].code == "syntax");

    format_result const checking = format_source(with_header("  let x = missing\n"), "c.sq");
    CHECK_FALSE(checking.formatted);
    REQUIRE(checking.diagnostics.size() == 1);
    CHECK(checking.diagnostics[0].code == "undefined-name");

    format_result const failing = format_source(
        with_header("  question a: yesno { ask \"A?\" }\n  test \"wrong\" { given { a = yes } expect not a }\n"),
        "f.sq");
    CHECK(failing.formatted);
    CHECK(failing.diagnostics.empty());

    format_result const broken_invariant =
        format_source(with_header("  question a: yesno { ask \"A?\" }\n  test \"yes\" { given { a = yes } expect a }\n"
                                  "  invariant \"never yes\": not a\n"),
                      "i.sq");
    CHECK(broken_invariant.formatted);
    CHECK(broken_invariant.diagnostics.empty());
}
