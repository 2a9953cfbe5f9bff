// Fuzz target: one line of FHIR for the reference questionnaire -> a QuestionnaireResponse
// (or a Bundle) read as records and evaluated, as `eval --input-format fhir-r4` does; a
// response that reads must give the result its answers record gives, and its result written
// as a response must read back to the same answers. The same text is also imported as a
// FHIR Questionnaire: what the importer writes must compile, a missing referral aside.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "stepcare/batch.hpp"
#include "stepcare/compile.hpp"
#include "stepcare/fhir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace stepcare;
    static const questionnaire reference = fuzz::load(STEPCARE_FUZZ_REFERENCE);
    static batch_evaluator from_responses = [] {
        batch_options options;
        options.input = record_format::fhir_r4;
        return batch_evaluator(reference, options);
    }();
    static batch_evaluator to_responses = [] {
        batch_options options;
        options.output = record_format::fhir_r4;
        return batch_evaluator(reference, options);
    }();
    std::string_view const text(reinterpret_cast<const char*>(data), size);

    std::string results;
    result_status const status = from_responses.evaluate(text, results);
    fuzz::require(!from_responses.last_statuses().empty(), "an input without a result");
    fuzz::require((status == result_status::invalid) == !from_responses.last_errors().empty(),
                  "an invalid result without errors, or errors on a valid one");
    reference.explain(text, "es");
    explain_fhir_response(reference, text);

    fhir_answers const read = answers_from_fhir_response(reference, text);
    fuzz::require(read.record_json.empty() != read.errors.empty(), "a response both read and refused");
    if (read.errors.empty()) {
        // The same answers as an answers record give the same result, the id aside.
        result from_record = reference.evaluate(read.record_json);
        fuzz::check_result(from_record);
        std::string line;
        from_responses.evaluate(text, line);
        std::optional<result> from_response = result_from_json(line);
        fuzz::require(from_response.has_value(), "a result line that does not read back");
        fuzz::require(fuzz::same(*from_response, from_record), "a response and its answers give other results");
        if (from_record.status != result_status::invalid) {
            std::string response;
            to_responses.evaluate(read.record_json, response);
            fhir_answers const again = answers_from_fhir_response(reference, response);
            fuzz::require(again.errors.empty(), "a response Stepcare wrote does not read back");
            fuzz::require(
                fuzz::same(reference.evaluate(again.record_json), from_record) || !from_record.ignored.empty(),
                "a response written and read again gives another result");
        }
    }

    fhir_import const imported = import_fhir_questionnaire(text, "fuzz.json");
    fuzz::require(imported.source.empty() == (count(imported.diagnostics, severity::error) > 0),
                  "an import with errors that wrote a file, or one without errors that wrote none");
    if (!imported.source.empty()) {
        compile_options quick;
        quick.run_tests = false;
        compile_result const compiled = compile_source(imported.source, "imported.sq", quick);
        for (const diagnostic& d : compiled.diagnostics) {
            fuzz::require(d.level != severity::error || d.code == "missing-referral",
                          "an imported questionnaire that does not compile");
        }
    }
    return 0;
}
