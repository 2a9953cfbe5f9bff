// `parse_bench`: times parse_questionnaire over one large questionnaire, generated in
// memory or read from a file, and reports the throughput. Run by hand (see README.md);
// a timing depends on the machine, so it is never a pass/fail test.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "diagnostics/diagnostic_sink.hpp"
#include "generate_questionnaire.hpp"
#include "parse/parser.hpp"

namespace {

using seconds = std::chrono::duration<double>;

struct bench_options {
    std::string input;  ///< a questionnaire file; empty: generate one
    double megabytes = 10;
    std::uint64_t seed = 1;
    int repetitions = 5;
    std::string write_to;  ///< where to save the generated questionnaire, if anywhere
};

constexpr std::size_t max_shown_diagnostics = 10;

bool read_file(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = std::move(buffer).str();
    return !in.bad();
}

double megabytes_per_second(std::size_t bytes, seconds time) { return static_cast<double>(bytes) / 1e6 / time.count(); }

void print_timing(const char* label, std::size_t bytes, seconds time) {
    std::printf("%-8s %10.3f ms  %8.2f MB/s\n", label, time.count() * 1e3, megabytes_per_second(bytes, time));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Times parse_questionnaire over one large questionnaire (1 MB = 10^6 bytes).", "parse_bench"};
    bench_options options;
    auto* const file = app.add_option("file", options.input, "Parse this questionnaire instead of a generated one");
    app.add_option("-m,--megabytes", options.megabytes, "Size of the generated questionnaire")
        ->capture_default_str()
        ->check(CLI::Range(0.001, 32.0))
        ->excludes(file);
    app.add_option("-s,--seed", options.seed, "Seed of the generated questionnaire")
        ->capture_default_str()
        ->excludes(file);
    app.add_option("-n,--repetitions", options.repetitions, "Timed parses")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("-w,--write", options.write_to, "Also save the generated questionnaire to this file")
        ->excludes(file);
    CLI11_PARSE(app, argc, argv);

    std::string text;
    std::string name;
    if (options.input.empty()) {
        stepcare::bench::generator_options generator;
        generator.target_bytes = static_cast<std::size_t>(options.megabytes * 1e6);
        generator.seed = options.seed;
        text = stepcare::bench::generate_questionnaire(generator);
        name = "generated (seed " + std::to_string(options.seed) + ")";
        if (!options.write_to.empty()) {
            std::ofstream out(options.write_to, std::ios::binary);
            if (!(out << text) || !out.flush()) {
                std::cerr << "parse_bench: cannot write '" << options.write_to << "'\n";
                return 2;
            }
        }
    } else {
        if (!read_file(options.input, text)) {
            std::cerr << "parse_bench: cannot read '" << options.input << "'\n";
            return 2;
        }
        name = options.input;
    }
    stepcare::source_file const source(name, std::move(text));
    std::size_t const bytes = source.text().size();

    // The first parse checks the source and warms the caches; it is not timed. A source
    // with diagnostics is refused: its timing would include error reporting and recovery,
    // and would stop at the first broken item's consequences rather than the grammar.
    stepcare::diagnostic_sink check_sink;
    stepcare::ast::questionnaire const checked = stepcare::parse_questionnaire(source, check_sink);
    if (!check_sink.items().empty()) {
        auto const diagnostics = stepcare::resolve_all(source, check_sink);
        std::cerr << "parse_bench: the parse reported " << diagnostics.size()
                  << " diagnostic(s); a benchmark over a broken file measures nothing\n";
        for (std::size_t i = 0; i < diagnostics.size() && i < max_shown_diagnostics; ++i)
            std::cerr << stepcare::render_text(diagnostics[i]);
        return 1;
    }

    std::vector<seconds> times;
    for (int i = 0; i < options.repetitions; ++i) {
        stepcare::diagnostic_sink sink;
        auto const start = std::chrono::steady_clock::now();
        stepcare::ast::questionnaire const tree = stepcare::parse_questionnaire(source, sink);
        auto const stop = std::chrono::steady_clock::now();
        // The tree is destroyed after `stop`: freeing it is not part of parsing.
        times.push_back(stop - start);
    }
    std::sort(times.begin(), times.end());
    std::size_t const middle = times.size() / 2;
    seconds const median = times.size() % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2;

    std::printf("source   %s: %zu bytes (%.2f MB), %u lines\n", source.name().c_str(), bytes,
                static_cast<double>(bytes) / 1e6, source.line_count());
    std::printf("tree     %zu items, %zu expression nodes\n", checked.items.size(), checked.expressions.size());
    std::printf("parses   %d timed\n", options.repetitions);
    print_timing("best", bytes, times.front());
    print_timing("median", bytes, median);
    return 0;
}
