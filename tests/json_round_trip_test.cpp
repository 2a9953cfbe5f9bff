// Results and diagnostics convert to JSON and back without loss (interfaces.md section 6).

#include <catch2/catch.hpp>

#include "evaluate_support.hpp"
#include "parse_support.hpp"

using namespace stepcare;
using namespace stepcare::testing;

TEST_CASE("a result read back from its JSON writes the same JSON", "[json]") {
    questionnaire const q = compile_ok(read_test_file("spec_example.sq"));
    const char* const records[] = {
        R"({"id": "rec-17", "answers": {"low": "daily", "tried": 3}})",
        R"({"id": 42, "answers": {"low": "not_at_all", "tried": 3}})",
        R"({"answers": {"low": "dayly"}})",
        R"(not json)",
    };
    for (const char* record : records) {
        INFO(record);
        std::string const written = to_json(q.evaluate(record, "es"));
        std::string error;
        auto const back = result_from_json(written, &error);
        INFO(error);
        REQUIRE(back.has_value());
        CHECK(to_json(*back) == written);
    }
    std::string error;
    CHECK_FALSE(result_from_json(R"({"status": "complete"})", &error));
    CHECK_FALSE(error.empty());
}

TEST_CASE("a result without its texts reads back with empty ones and writes the same JSON", "[json]") {
    questionnaire const q = compile_ok(read_test_file("spec_example.sq"));
    result const full = q.evaluate(R"({"id": "rec-17", "answers": {"low": "daily", "tried": 3}})");
    REQUIRE(full.outcomes.size() == 1);
    std::string const written = to_json(full, result_texts::none);
    CHECK(written.find("\"title\"") == std::string::npos);
    CHECK(written.find("\"text\"") == std::string::npos);
    CHECK(written.find(R"("outcomes":[{"id":"discuss","level":"guidance","cites":["S1"]}])") != std::string::npos);
    CHECK(written.find(R"("referral":{"cites":[]})") != std::string::npos);
    std::string error;
    auto const back = result_from_json(written, &error);
    INFO(error);
    REQUIRE(back.has_value());
    CHECK(back->outcomes.at(0).id == "discuss");
    CHECK(back->outcomes.at(0).title.empty());
    CHECK(back->outcomes.at(0).text.empty());
    CHECK(back->referral.title.empty());
    CHECK(to_json(*back, result_texts::none) == written);
    // An outcome with a title but no text is neither form.
    std::string broken = to_json(full);
    broken.erase(broken.find(",\"text\":"), broken.find(",\"cites\":") - broken.find(",\"text\":"));
    CHECK_FALSE(result_from_json(broken, &error));
    CHECK(error.find("text") != std::string::npos);
}

TEST_CASE("diagnostics read back from their JSON keep every field but the source line", "[json]") {
    compile_result const compiled = compile_source(wrap("let x = tryed\nlet y = x\nlet tried = 1"), "bad.sq");
    REQUIRE_FALSE(compiled.diagnostics.empty());
    std::string const written = to_json(compiled.diagnostics);
    auto const back = diagnostics_from_json(written);
    REQUIRE(back.has_value());
    REQUIRE(back->size() == compiled.diagnostics.size());
    for (std::size_t i = 0; i < back->size(); ++i) {
        const diagnostic& a = compiled.diagnostics[i];
        const diagnostic& b = (*back)[i];
        CHECK(a.code == b.code);
        CHECK(a.message == b.message);
        CHECK(a.level == b.level);
        CHECK(a.file == b.file);
        CHECK(a.line == b.line);
        CHECK(a.column == b.column);
        CHECK(a.end_line == b.end_line);
        CHECK(a.end_column == b.end_column);
        CHECK(a.notes.size() == b.notes.size());
        CHECK_FALSE(b.source_line);
    }
    CHECK(to_json(*back) == written);
    std::string error;
    CHECK_FALSE(diagnostics_from_json(R"([{"file": "x"}])", &error));
    CHECK_FALSE(error.empty());
}
