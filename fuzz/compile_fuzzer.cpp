// Fuzz target: questionnaire source -> parse, check, run its tests, sample its invariants
// and compile; the diagnostics are rendered, and a questionnaire that compiles is
// evaluated with no answers, walked through by a session and formatted (`stepcare fmt`:
// the layout must pass its own check, and formatting it again must change nothing). The
// language server's source index of every input must name places inside it.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "stepcare/format.hpp"
#include "stepcare/session.hpp"
#include "stepcare/source_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace stepcare;
    std::string_view const source(reinterpret_cast<const char*>(data), size);
    compile_options options;
    options.invariant_samples = 8;  // the sampler runs, but stays cheap per input
    compile_result const compiled = compile_source(source, "fuzz.sq", options);

    for (const diagnostic& d : compiled.diagnostics) {
        fuzz::require(!d.message.empty() && !d.code.empty(), "a diagnostic without a message or code");
        render_text(d);
    }
    fuzz::require(diagnostics_from_json(to_json(compiled.diagnostics)).has_value(),
                  "diagnostics whose JSON does not read back");
    fuzz::require(compiled.compiled.has_value() == !compiled.has_errors(),
                  "a compiled questionnaire must come exactly without errors");

    source_index const index = index_source(source, "fuzz.sq");
    std::size_t const index_errors = count(index.diagnostics, severity::error);
    fuzz::require(index.resolved || index_errors > 0, "an index without resolved names must come with errors");
    fuzz::require(compiled.has_errors() || (index.resolved && index_errors == 0),
                  "the index of a file that compiles must be resolved and without errors");
    for (std::size_t i = 0; i < index.uses.size(); ++i) {
        const name_use& use = index.uses[i];
        fuzz::require(use.definition < index.definitions.size(), "a use of a definition that does not exist");
        fuzz::require(use.span.begin <= use.span.end && use.span.end <= source.size(), "a use outside the source");
        fuzz::require(i == 0 || index.uses[i - 1].span.begin <= use.span.begin, "uses out of order");
    }
    for (const definition& d : index.definitions) {
        fuzz::require(d.span.end <= source.size() && d.name_span.end <= source.size(),
                      "a definition outside the source");
        fuzz::require(d.parent == SIZE_MAX || d.parent < index.definitions.size(), "a parent that does not exist");
    }
    if (!compiled.compiled) return 0;

    const questionnaire& q = *compiled.compiled;
    fuzz::check_result(q.evaluate(std::string_view("{\"answers\": {}}")));
    q.explain("{}");
    session s(q);
    // Skip what can be skipped; a required question ends the walk.
    while (s.current() && s.skip().accepted) {}
    fuzz::check_result(s.current_result());

    format_result const formatted = format_source(source, "fuzz.sq");
    fuzz::require(formatted.formatted.has_value(), "a questionnaire that compiles must format");
    format_result const again = format_source(*formatted.formatted, "fuzz.sq");
    fuzz::require(again.formatted == formatted.formatted, "formatting twice must change nothing");
    return 0;
}
