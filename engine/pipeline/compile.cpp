#include "stepcare/compile.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "check/checker.hpp"
#include "compile/program.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "evaluate/evaluator.hpp"
#include "parse/parser.hpp"
#include "pipeline/read_file.hpp"
#include "pipeline/test_runner.hpp"
#include "prove/prover.hpp"

namespace stepcare {

const char* to_string(proof_status status) {
    switch (status) {
        case proof_status::proved: return "proved";
        case proof_status::refuted: return "refuted";
        case proof_status::unknown: return "unknown";
        case proof_status::skipped: return "skipped";
    }
    return "unknown";
}

compile_result compile_source(std::string_view text, std::string name, const compile_options& options) {
    source_file const source(name, std::string(text));
    diagnostic_sink sink;
    auto tree = std::make_unique<ast::questionnaire>(parse_questionnaire(source, sink));
    // Checking a tree with syntax errors would report the gaps they left as mistakes.
    if (sink.has_errors()) return {resolve_all(source, sink), true, std::nullopt};
    auto model = std::make_unique<checked_questionnaire>(check_questionnaire(*tree, sink));
    if (sink.has_errors()) return {resolve_all(source, sink), true, std::nullopt};

    std::shared_ptr<program> const compiled =
        compile_program(std::move(tree), std::move(model), std::string(text), std::move(name));
    compiled->stop_fires_unanswered = compiled->has_stop && stop_fires_with_no_answers(*compiled);
    test_summary const summary = run_tests_and_invariants(*compiled, options, sink);
    std::size_t samples = summary.samples;
    std::vector<invariant_proof> proofs;
    if (options.prove) {
        proofs = prove_program(*compiled, options.prove_timeout_seconds, summary.violated, sink);
        // What the solver could not decide is still sampled.
        std::vector<bool> undecided;
        for (const invariant_proof& proof : proofs) undecided.push_back(proof.status == proof_status::unknown);
        if (std::find(undecided.begin(), undecided.end(), true) != undecided.end()) {
            samples += sample_invariants(*compiled, options, undecided, sink).samples;
        }
    }
    compile_result result{resolve_all(source, sink), true, std::nullopt};
    result.tests_passed = summary.passed;
    result.tests_failed = summary.failed;
    result.invariant_samples = samples;
    result.proofs = std::move(proofs);
    if (!sink.has_errors()) result.compiled.emplace(compiled);
    return result;
}

std::optional<std::string> read_questionnaire_file(const std::filesystem::path& path,
                                                   std::vector<diagnostic>& diagnostics, bool& readable) {
    std::string const name = path.string();
    auto unreadable = [&](const std::string& why) {
        diagnostic d;
        d.code = "unreadable-file";
        d.file = name;
        d.message = "cannot read '" + name + "': " + why;
        diagnostics.push_back(std::move(d));
        readable = false;
        return std::nullopt;
    };
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) return unreadable("it is a folder");
    auto const size = std::filesystem::file_size(path, error);
    if (error) return unreadable(error.message());
    if (size > max_source_bytes) {
        diagnostic d;
        d.code = "file-too-large";
        d.file = name;
        d.message = "the file is " + std::to_string(size) + " bytes; questionnaire files may be at most " +
                    std::to_string(max_source_bytes) + " bytes";
        diagnostics.push_back(std::move(d));
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return unreadable(std::strerror(errno));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return unreadable("read error");
    return content.str();
}

compile_result compile_file(const std::filesystem::path& path, const compile_options& options) {
    compile_result result;
    std::optional<std::string> const text = read_questionnaire_file(path, result.diagnostics, result.readable);
    if (!text) return result;
    return compile_source(*text, path.string(), options);
}

}  // namespace stepcare
