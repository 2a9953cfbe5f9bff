// The JSON path (batch_evaluator, which `stepcare eval` uses, and questionnaire::evaluate_json;
// underneath, result_emitter with its JSON sink, and append_json_string) must give exactly
// the bytes of to_json(questionnaire::evaluate()), and the same status and errors.

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/plain_json.hpp"
#include "pipeline/program_access.hpp"
#include "foundation/json_text.hpp"
#include "foundation/plain_bytes.hpp"
#include "stepcare/batch.hpp"
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
/// Every STEPCARE_RECORD_STRIDE-th of `records`: all of them in the normal build, a
/// quarter in the sanitizer build, where each record costs far more.
std::vector<std::string> sampled(const std::vector<std::string>& records) {
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < records.size(); i += STEPCARE_RECORD_STRIDE) kept.push_back(records[i]);
    return kept;
}

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

/// A result line parsed and written again by nlohmann, so that lines can be compared as
/// JSON, key order included; with `drop_texts`, the texts of `result_texts::none` taken out.
std::string normalized(const std::string& line, bool drop_texts) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(line);
    if (drop_texts) {
        for (auto& outcome : j.at("outcomes")) {
            outcome.erase("title");
            outcome.erase("text");
        }
        j.at("referral").erase("title");
        j.at("referral").erase("text");
        if (j.contains("answers")) {
            for (auto& answer : j.at("answers")) {
                answer.erase("ask");
                answer.erase("labels");
            }
        }
    }
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

/// The line of `result_texts::none` for a full one: the same JSON without the texts, the
/// same bytes as the object path's, and read back by result_from_json.
void check_without_texts(const std::string& full, const std::string& none, const std::string& object_none) {
    REQUIRE(none == object_none);
    REQUIRE(none.size() < full.size());
    CHECK(normalized(none, false) == normalized(full, true));
    std::string error;
    std::optional<result> const back = result_from_json(none, &error);
    INFO(error);
    REQUIRE(back.has_value());
    CHECK(to_json(*back, result_texts::none) == none);
}

void check_same_as_library(const questionnaire& q, const std::vector<std::string>& records) {
    std::vector<std::string> languages = q.languages();
    languages.push_back("xx");  // undeclared: every result is invalid, saying so
    for (const std::string& language : languages) {
        batch_options options;
        options.language = language;
        batch_evaluator evaluator(q, options);
        options.texts = result_texts::none;
        batch_evaluator without_texts(q, options);
        std::string written;
        std::string one;
        std::string none;
        std::string one_none;
        std::vector<answer_error> errors;
        for (const std::string& record : records) {
            INFO(record);
            INFO("language " << language);
            result const expected = q.evaluate(record, language);
            written.clear();
            CHECK(evaluator.evaluate(record, written) == expected.status);
            REQUIRE(written == to_json(expected));
            CHECK(evaluator.last_errors().size() == expected.errors.size());
            one.clear();
            CHECK(q.evaluate_json(record, one, language, &errors) == expected.status);
            REQUIRE(one == written);
            REQUIRE(errors.size() == expected.errors.size());
            for (std::size_t i = 0; i < errors.size(); ++i) CHECK(errors[i].message == expected.errors[i].message);

            none.clear();
            CHECK(without_texts.evaluate(record, none) == expected.status);
            CHECK(without_texts.last_errors().size() == expected.errors.size());
            check_without_texts(written, none, to_json(expected, result_texts::none));
            one_none.clear();
            CHECK(q.evaluate_json(record, one_none, language, &errors, result_texts::none) == expected.status);
            REQUIRE(one_none == none);
            REQUIRE(errors.size() == expected.errors.size());
        }
    }
}

/// Writes down every SAX event; refuses the event numbered `stop_at` (from 1), if any.
class event_log : public nlohmann::json_sax<nlohmann::json> {
public:
    explicit event_log(std::size_t stop_at = 0) : stop_at_(stop_at) {}
    std::string events;

    bool null() override { return note("null"); }
    bool boolean(bool b) override { return note(b ? "true" : "false"); }
    bool number_integer(number_integer_t n) override { return note("int " + std::to_string(n)); }
    bool number_unsigned(number_unsigned_t n) override { return note("unsigned " + std::to_string(n)); }
    bool number_float(number_float_t, const string_t& text) override { return note("float " + text); }
    bool string(string_t& s) override { return note("string " + s); }
    bool binary(binary_t&) override { return note("binary"); }
    bool start_object(std::size_t n) override { return note("{ " + std::to_string(n)); }
    bool key(string_t& k) override { return note("key " + k); }
    bool end_object() override { return note("}"); }
    bool start_array(std::size_t n) override { return note("[ " + std::to_string(n)); }
    bool end_array() override { return note("]"); }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
        return note("error");
    }

private:
    std::size_t stop_at_;
    std::size_t count_ = 0;

    bool note(const std::string& event) {
        events += event + "\n";
        return ++count_ != stop_at_;
    }
};

/// Checks that wherever the plain scanner reads `text`, nlohmann's parser gives the same
/// events; returns what the scanner made of it.
plain_scan check_scan(const std::string& text, std::size_t stop_at = 0) {
    INFO(text);
    event_log scanned(stop_at);
    plain_scan const scan = scan_plain_json(text, scanned);
    if (scan != plain_scan::not_plain) {
        event_log parsed(stop_at);
        bool const accepted = nlohmann::json::sax_parse(text.begin(), text.end(), &parsed);
        CHECK(accepted == (scan == plain_scan::done));
        CHECK(scanned.events == parsed.events);
    }
    return scan;
}

}  // namespace

TEST_CASE("the plain JSON scanner gives nlohmann's events or leaves the text to it", "[eval]") {
    using s = plain_scan;
    std::string const deep = std::string(32, '[') + std::string(32, ']');
    std::string const deeper = std::string(33, '[') + std::string(33, ']');
    const std::pair<std::string, plain_scan> cases[] = {
        {R"({"id": "rec-1", "answers": {"age": 34, "low": "daily", "meds": ["a", "b"], "x": null, "y": true}})",
         s::done},
        {" \t{ } \r", s::done},
        {"[]", s::done},
        {"0", s::done},
        {"-0", s::done},
        {"-123456789012345678", s::done},
        {"123456789012345678", s::done},
        {"1234567890123456789", s::not_plain},  // past 18 digits
        {"01", s::not_plain},
        {"1.5", s::not_plain},
        {"2e3", s::not_plain},
        {"-", s::not_plain},
        {"\"tab\there\"", s::not_plain},
        {R"("escape \" inside")", s::not_plain},
        {"\"caf\xC3\xA9\"", s::not_plain},
        {"\"del \x7F\"", s::done},
        {deep, s::done},
        {deeper, s::not_plain},
        {"truex", s::not_plain},
        {"nul", s::not_plain},
        {"{\"a\" 1}", s::not_plain},
        {"{\"a\": 1,}", s::not_plain},
        {"[1 2]", s::not_plain},
        {"{} {}", s::not_plain},
        {"", s::not_plain},
        {"\xEF\xBB\xBF{}", s::not_plain},
        {"// comment\n{}", s::not_plain},
    };
    for (const auto& [text, expected] : cases) {
        INFO(text);
        CHECK(check_scan(text) == expected);
    }
    // A handler that refuses an event stops both at the same place.
    for (std::size_t stop_at = 1; stop_at <= 12; ++stop_at) {
        CHECK(check_scan(cases[0].first, stop_at) == s::stopped);
    }
}

TEST_CASE("a string's body ends at its first quote, backslash, control or non-ASCII byte", "[eval]") {
    // Every stop at every place of strings up to five words long (two blocks of sixteen
    // and a word of eight), after plain bytes of every kind, so that a block's or a word's
    // first stop is found whatever the bytes around it.
    for (char const stop : {'"', '\\', '\x00', '\x1f', '\x7f', '\x80', '\xff'}) {
        for (std::size_t length = 0; length <= 40; ++length) {
            for (std::size_t at = 0; at <= length; ++at) {
                std::string text;
                for (std::size_t i = 0; i < length; ++i) {
                    char const plain = static_cast<char>(' ' + (i * 7) % 95);
                    text += plain == '"' || plain == '\\' ? 'x' : plain;
                }
                if (stop == '\x7f') {
                    // DEL is plain: the body runs on to the end.
                    if (at < length) text[at] = stop;
                    CHECK(skip_plain_string_bytes(text.data(), text.data() + length) == text.data() + length);
                    continue;
                }
                if (at < length) {
                    text[at] = stop;
                    // Later stops of every kind must not hide the first.
                    for (std::size_t later = at + 1; later < length; later += 3)
                        text[later] = "\"\\\x01\x90"[later % 4];
                }
                INFO("stop " << static_cast<int>(static_cast<unsigned char>(stop)) << " at " << at << " of " << length);
                CHECK(skip_plain_string_bytes(text.data(), text.data() + length) - text.data() ==
                      static_cast<std::ptrdiff_t>(at));
            }
        }
    }
}

TEST_CASE("records are read alike by the plain scanner and by nlohmann's parser", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_QUESTIONNAIRES) + "/ketamine-trd.sq");
    std::vector<std::string> const records = records_from_tests(program_access::of(q));
    // Plain records are the common case, so they must take the quick path.
    for (const std::string& record : records) CHECK(check_scan(record) == plain_scan::done);
    std::size_t plain = 0;
    for (const std::string& record : mutated(records, 5000)) {
        if (check_scan(record) == plain_scan::done) ++plain;
    }
    // Some mutations stay valid JSON, so both paths are compared on changed records too.
    CHECK(plain > 100);
}

namespace {

/// Reads each record with the quick reader and by events: what the quick one takes must be
/// read alike. Returns how many it took.
std::size_t check_quick_reader(const program& p, const std::vector<std::string>& records) {
    std::size_t taken = 0;
    answer_record quick;
    answer_record reference;
    for (const std::string& record : records) {
        INFO(record);
        bool const took = read_plain_record(p, record, quick);
        read_record_by_events(p, record, reference);
        if (!took) continue;
        ++taken;
        CHECK(reference.errors.empty());
        CHECK(quick.errors.empty());
        CHECK(quick.id_json == reference.id_json);
        CHECK(quick.given == reference.given);
        for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
            value const a = quick.answers.get(q);
            value const b = reference.answers.get(q);
            INFO("question " << p.questions[q].id);
            REQUIRE(a.type == b.type);
            if (a.type == value::kind::text) {
                CHECK(a.text() == b.text());
            } else {
                CHECK(a.bits == b.bits);
            }
        }
    }
    return taken;
}

}  // namespace

TEST_CASE("the quick reader reads the records it takes as the events do", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_QUESTIONNAIRES) + "/ketamine-trd.sq");
    const program& p = program_access::of(q);
    std::vector<std::string> const records = records_from_tests(p);
    // It takes nearly every record of the usual shape.
    std::size_t const taken = check_quick_reader(p, records);
    CHECK(taken > records.size() * 9 / 10);
    check_quick_reader(p, mutated(records, 20000));
    // Every form of id, spaces, keys in any order, empty and null answers, lists: taken.
    std::vector<std::string> const usual = {
        R"({})",
        R"({"answers":{}})",
        R"({"answers":null})",
        R"({"id":null,"answers":{"age":30}})",
        R"({"id":"a b","answers":{"age":30}})",
        R"({"id":17})",
        R"({"id":-17})",
        R"({"id":-0})",
        R"({"id":0})",
        R"({"id":123456789012345678})",
        R"({"answers":{"age":30},"id":"last"})",
        " \t\r\n{ \"id\" : \"s\" , \"answers\" : { \"age\" : 30 , \"in_danger_now\" : false } } \n",
        R"({"answers":{"in_danger_now":"no","age":-0}})",
        R"({"answers":{"in_danger_now":"yes"}})",
        R"({"answers":{"in_danger_now":null,"age":null}})",
        R"({"answers":{"pregnancy":[]}})",
        R"({"answers":{"pregnancy":["pregnant"]}})",
        R"({"answers":{"pregnancy":["pregnant","pregnant"]}})",
    };
    // Too long or not whole numbers, escapes, non-ASCII, saved intake fields, errors of every
    // kind: left to the events.
    std::vector<std::string> const unusual = {
        R"({"id":1234567890123456789})",
        R"({"id":01})",
        R"({"id":1.5})",
        R"({"id":1e3})",
        R"({"id":true})",
        R"({"id":"x\"y"})",
        R"({"id":"é"})",
        R"({"answers":{"pregnancy":["nope"]}})",
        R"({"answers":{"pregnancy":[1]}})",
        R"({"answers":{"pregnancy":[["pregnant"]]}})",
        R"({"answers":{"pregnancy":"pregnant"}})",
        R"({"answers":{"age":30.0}})",
        R"({"answers":{"age":3e1}})",
        R"({"answers":{"age":{}}})",
        R"({"answers":{"age":30,"age":31}})",
        R"({"answers":{"agee":30}})",
        R"({"answers":{"age":30},"answers":{}})",
        R"({"id":1,"id":2})",
        R"({"id":1,"extra":2})",
        R"({"id":1,"position":2})",
        R"({"id":1} x)",
        R"({"id":1,})",
        R"({"answers":{"age":30,}})",
        R"({"answers":{"age":nul}})",
        R"({"answers":{"age":truex}})",
        R"({"answers":{"age":30})",
        R"([])",
        R"("answers")",
        R"()",
    };
    CHECK(check_quick_reader(p, usual) == usual.size());
    CHECK(check_quick_reader(p, unusual) == 0);

    // Text and decimal questions: a plain text and a whole number are taken.
    questionnaire const forms =
        compile_file_ok(std::string(STEPCARE_TESTS_ROOT) + "/cli/cases/eval_fhir_out/every_form.sq");
    const program& f = program_access::of(forms);
    CHECK(check_quick_reader(f, {R"({"answers":{"gate":true,"age":30,"weight":70,"note":"a short note ~"}})",
                                 R"({"answers":{"note":""}})"}) == 2);
    CHECK(check_quick_reader(f, {R"({"answers":{"weight":70.5}})", R"({"answers":{"weight":2}})",
                                 R"({"answers":{"note":"longer than the forty characters it may be"}})",
                                 R"({"answers":{"note":"caf\u00e9"}})", R"({"answers":{"note":12}})"}) == 0);
}

TEST_CASE("JSON strings are escaped exactly as nlohmann::json escapes them", "[eval]") {
    std::vector<std::string> texts = {"",
                                      "plain",
                                      "quote \" and backslash \\",
                                      "caf\xC3\xA9 \xE2\x80\x9Coff-label\xE2\x80\x9D",
                                      "\xF0\x9F\x98\x80",
                                      "del \x7F",
                                      std::string("nul \0 end", 9)};
    for (int c = 0; c < 0x20; ++c) texts.push_back("control " + std::string(1, static_cast<char>(c)) + ".");
    // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong form, a
    // surrogate, a code point past U+10FFFF, bytes that never occur.
    for (const char* bad :
         {"\x80", "a\xC3", "\xE2\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF\xFE", "x\xE2\x80y"}) {
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
    std::vector<std::string> records = sampled(records_from_tests(program_access::of(q)));
    REQUIRE(records.size() > 1000 / STEPCARE_RECORD_STRIDE);
    std::vector<std::string> const broken = mutated(records, 1000 / STEPCARE_RECORD_STRIDE);
    records.insert(records.end(), broken.begin(), broken.end());
    check_same_as_library(q, records);
}

TEST_CASE("without texts, the answers block keeps each question and its answer", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_QUESTIONNAIRES) + "/ketamine-trd.sq");
    std::vector<std::string> records = sampled(records_from_tests(program_access::of(q)));
    std::vector<std::string> const broken = mutated(records, 200 / STEPCARE_RECORD_STRIDE);
    records.insert(records.end(), broken.begin(), broken.end());
    batch_options options;
    options.with_answers = true;
    batch_evaluator full(q, options);
    options.texts = result_texts::none;
    batch_evaluator none(q, options);
    std::string full_line;
    std::string none_line;
    std::size_t answered = 0;
    for (const std::string& record : records) {
        INFO(record);
        full_line.clear();
        none_line.clear();
        CHECK(none.evaluate(record, none_line) == full.evaluate(record, full_line));
        CHECK(normalized(none_line, false) == normalized(full_line, true));
        CHECK(none_line.find("\"ask\":") == std::string::npos);
        if (none_line.find("\"answers\":[{\"question\":") != std::string::npos) ++answered;
    }
    CHECK(answered > records.size() / 2);
}

TEST_CASE("a record that was not read gives an invalid result with the referral", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_TEST_DATA) + "/eval/records.sq");
    batch_evaluator evaluator(q);
    std::string written;
    evaluator.reject("line 3 is too long", written);
    REQUIRE(evaluator.last_errors().size() == 1);
    CHECK(evaluator.last_errors()[0].message == "line 3 is too long");
    // The library's result for a line that is not JSON differs only in its message.
    result expected = q.evaluate("not json");
    REQUIRE(expected.errors.size() == 1);
    expected.errors[0].message = "line 3 is too long";
    CHECK(written == to_json(expected));
    batch_options options;
    options.texts = result_texts::none;
    batch_evaluator without_texts(q, options);
    std::string none;
    without_texts.reject("line 3 is too long", none);
    check_without_texts(written, none, to_json(expected, result_texts::none));
}

TEST_CASE("typed answers are checked with the messages of the JSON reader", "[eval]") {
    questionnaire const q = compile_file_ok(std::string(STEPCARE_QUESTIONNAIRES) + "/ketamine-trd.sq");
    std::vector<std::pair<std::string, answer_value>> const typed = {
        {"agee", answer_value(std::int64_t{30})},
        {"age", answer_value(std::string("thirty"))},
        {"age", answer_value(std::int64_t{30})},
    };
    result const from_types = q.evaluate(typed);
    result const from_json = q.evaluate(R"({"answers": {"agee": 30, "age": "thirty", "age": 30}})");
    REQUIRE(from_types.status == result_status::invalid);
    REQUIRE(from_types.errors.size() == 3);
    CHECK(from_types.errors[0].message == "'agee' is not a question of this questionnaire; did you mean 'age'?");
    CHECK(from_types.errors[2].message == "'age' is answered twice in the record");
    REQUIRE(from_json.errors.size() == from_types.errors.size());
    for (std::size_t i = 0; i < from_json.errors.size(); ++i) {
        CHECK(from_json.errors[i].question == from_types.errors[i].question);
        CHECK(from_json.errors[i].message == from_types.errors[i].message);
    }
}
