// The batch path of `stepcare eval` (record_evaluator, result_writer, append_json_string)
// must give exactly the bytes of the library's path, to_json(questionnaire::evaluate()).

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "pipeline/record_evaluator.hpp"
#include "render/json_text.hpp"
#include "stepcare/compile.hpp"

using namespace stepcare;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

questionnaire compile_file_ok(const std::string& path) {
    compile_result result = compile_file(path);
    INFO(path);
    REQUIRE(result.compiled.has_value());
    return *result.compiled;
}

/// One record per test of the questionnaire, with the test's answers; then each of those
/// with one answer left out in turn, which reaches the undetermined and incomplete results.
std::vector<std::string> records_from_tests(const program& p) {
    std::vector<std::string> records;
    for (const compiled_test& test : p.tests) {
        for (std::size_t left_out = 0; left_out <= test.given.size(); ++left_out) {
            std::string record = "{\"id\":\"" + test.name + "\",\"answers\":{";
            bool first = true;
            for (std::size_t i = 0; i < test.given.size(); ++i) {
                if (i == left_out) continue;
                const compiled_given& given = test.given[i];
                value const v = given.answer.type == value::kind::text ? value::of_text(given.text) : given.answer;
                if (!first) record += ',';
                first = false;
                append_json_string(record, p.questions[given.question].id);
                record += ':' + answer_to_json(p, given.question, v);
            }
            records.push_back(record + "}}");
        }
    }
    return records;
}

/// Copies of `records` with a few bytes changed, inserted or removed: mostly invalid
/// records of every kind (bad JSON, bad types, unknown names and options).
std::vector<std::string> mutated(const std::vector<std::string>& records, std::size_t count) {
    static const char pieces[] = "{}[]\":,0123456789-.eE \t\\nulrstaf\x01";
    std::mt19937_64 random(7);
    std::vector<std::string> out;
    for (std::size_t n = 0; n < count; ++n) {
        std::string r = records[random() % records.size()];
        for (std::uint64_t edits = 1 + random() % 3; edits > 0 && !r.empty(); --edits) {
            std::size_t const at = random() % r.size();
            char const piece = pieces[random() % (sizeof pieces - 1)];
            switch (random() % 3) {
                case 0: r[at] = piece; break;
                case 1: r.insert(r.begin() + static_cast<std::ptrdiff_t>(at), piece); break;
                default: r.erase(at, 1); break;
            }
        }
        out.push_back(r);
    }
    return out;
}

void check_same_as_library(const questionnaire& q, const std::vector<std::string>& records) {
    for (std::size_t language = 0; language < q.languages().size(); ++language) {
        record_evaluator evaluator(q.compiled(), language);
        std::string written;
        for (const std::string& record : records) {
            INFO(record);
            INFO("language " << q.languages()[language]);
            result const expected = q.evaluate(record, q.languages()[language]);
            written.clear();
            CHECK(evaluator.evaluate(record, written) == expected.status);
            REQUIRE(written == to_json(expected));
        }
    }
}

}  // namespace

TEST_CASE("JSON strings are escaped exactly as nlohmann::json escapes them", "[eval]") {
    std::vector<std::string> texts = {"", "plain", "quote \" and backslash \\", "caf\xC3\xA9 \xE2\x80\x9Coff-label\xE2\x80\x9D",
                                      "\xF0\x9F\x98\x80", "del \x7F", std::string("nul \0 end", 9)};
    for (int c = 0; c < 0x20; ++c) texts.push_back("control " + std::string(1, static_cast<char>(c)) + ".");
    // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong form, a
    // surrogate, a code point past U+10FFFF, bytes that never occur.
    for (const char* bad : {"\x80", "a\xC3", "\xE2\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF\xFE", "x\xE2\x80y"}) {
        texts.emplace_back(bad);
    }
    for (const std::string& text : texts) {
        INFO(text);
        std::string out = "<";
        append_json_string(out, text);
        CHECK(out == "<" + nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
}

TEST_CASE("the batch path writes the library's result for every record", "[eval]") {
    for (const char* name : {"flow", "records", "stop", "texts"}) {
        std::string const folder = std::string(STEPCARE_TEST_DATA) + "/eval/";
        questionnaire const q = compile_file_ok(folder + name + ".sq");
        std::vector<std::string> records;
        std::istringstream lines(read_file(folder + name + ".jsonl"));
        for (std::string line; std::getline(lines, line);) {
            if (!line.empty()) records.push_back(line);
        }
        REQUIRE_FALSE(records.empty());
        std::vector<std::string> const broken = mutated(records, 300);
        records.insert(records.end(), broken.begin(), broken.end());
        check_same_as_library(q, records);
    }
}

TEST_CASE("the batch path writes the library's result for the reference questionnaire", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_QUESTIONNAIRES) + "/ketamine-trd.sq");
    std::vector<std::string> records = records_from_tests(q.compiled());
    REQUIRE(records.size() > 1000);
    std::vector<std::string> const broken = mutated(records, 1000);
    records.insert(records.end(), broken.begin(), broken.end());
    check_same_as_library(q, records);
}

TEST_CASE("a record that was not read gives an invalid result with the referral", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_TEST_DATA) + "/eval/records.sq");
    record_evaluator evaluator(q.compiled(), 0);
    std::string written;
    evaluator.reject("line 3 is too long", written);
    // The library's result for a line that is not JSON differs only in its message.
    result expected = q.evaluate("not json");
    REQUIRE(expected.errors.size() == 1);
    expected.errors[0].message = "line 3 is too long";
    CHECK(written == to_json(expected));
}
