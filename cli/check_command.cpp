// `stepcare check PATH...`: compiles questionnaire files, on several threads, and reports
// their diagnostics in the order of the files.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "commands.hpp"
#include "stepcare/compile.hpp"

namespace stepcare::cli {

namespace fs = std::filesystem;

bool color_allowed(int file_descriptor) {
    char const* no_color = std::getenv("NO_COLOR");
    return isatty(file_descriptor) == 1 && (no_color == nullptr || *no_color == '\0');
}

namespace {

struct check_options {
    std::vector<std::string> paths;
    std::string format = "text";
    bool werror = false;
    std::uint32_t samples = 10000;
    std::uint64_t seed = 1;
    unsigned jobs = 0;
    bool prove = false;
    double prove_timeout = 60;
};

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

/// Compiles `files` on `jobs` threads and hands each result to `report` on the calling
/// thread, in the order of `files`, as soon as it and all before it are done.
void compile_in_order(const std::vector<fs::path>& files, const compile_options& compile, unsigned jobs,
                      const std::function<void(compile_result&)>& report) {
    auto compile_one = [&](const fs::path& file) {
        compile_result result = compile_file(file, compile);
        result.compiled.reset();  // only the diagnostics and counts are reported
        return result;
    };
    if (jobs <= 1 || files.size() <= 1) {
        for (const fs::path& file : files) {
            compile_result result = compile_one(file);
            report(result);
        }
        return;
    }
    std::vector<std::optional<compile_result>> done(files.size());
    std::mutex mutex;
    std::condition_variable ready;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < std::min<std::size_t>(jobs, files.size()); ++i) {
        workers.emplace_back([&] {
            for (std::size_t k = next++; k < files.size(); k = next++) {
                compile_result result = compile_one(files[k]);
                std::lock_guard lock(mutex);
                done[k] = std::move(result);
                ready.notify_one();
            }
        });
    }
    for (std::size_t k = 0; k < files.size(); ++k) {
        std::unique_lock lock(mutex);
        ready.wait(lock, [&] { return done[k].has_value(); });
        compile_result result = std::move(*done[k]);
        done[k].reset();
        lock.unlock();
        report(result);
    }
    for (std::thread& worker : workers) worker.join();
}

int run_check(const check_options& options) {
    std::vector<std::string> unreadable;
    auto const files = collect_files(options.paths, unreadable);
    for (const auto& message : unreadable) std::cerr << "stepcare: error: " << message << '\n';

    bool const color = options.format == "text" && color_allowed(STDOUT_FILENO);
    std::vector<diagnostic> all;
    std::size_t errors = 0;
    std::size_t warnings = 0;
    std::size_t tests_passed = 0;
    std::size_t tests_failed = 0;
    std::size_t samples = 0;
    std::size_t proofs[4] = {0, 0, 0, 0};  // by proof_status
    bool unreadable_file = false;
    compile_options const compile{true, options.samples, options.seed, options.prove, options.prove_timeout};
    unsigned const jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
    compile_in_order(files, compile, jobs, [&](compile_result& result) {
        if (!result.readable) unreadable_file = true;
        tests_passed += result.tests_passed;
        tests_failed += result.tests_failed;
        samples += result.invariant_samples;
        for (const invariant_proof& proof : result.proofs) ++proofs[static_cast<int>(proof.status)];
        errors += count(result.diagnostics, severity::error);
        warnings += count(result.diagnostics, severity::warning);
        if (options.format == "text") {
            for (const auto& d : result.diagnostics) std::cout << render_text(d, {color});
        } else {
            std::move(result.diagnostics.begin(), result.diagnostics.end(), std::back_inserter(all));
        }
    });
    if (options.format == "json") std::cout << to_json(all) << '\n';
    std::cout.flush();

    std::cerr << "checked " << plural(files.size(), "file") << ": " << plural(errors, "error") << ", "
              << plural(warnings, "warning") << "; tests: " << tests_passed << " passed, " << tests_failed
              << " failed; invariants ";
    if (options.prove) {
        std::cerr << "proved for every possible set of answers: " << proofs[static_cast<int>(proof_status::proved)]
                  << ", refuted: " << proofs[static_cast<int>(proof_status::refuted)]
                  << ", unknown: " << proofs[static_cast<int>(proof_status::unknown)] << "; ";
    }
    std::cerr << "checked on " << plural(samples, "random answer set") << '\n';
    if (!unreadable.empty() || unreadable_file) return exit_usage;
    if (errors > 0 || (options.werror && warnings > 0)) return exit_errors;
    return exit_ok;
}

/// Digits only, within `Number`'s range. CLI11 alone reads "-5" into an unsigned option as
/// 2^64 - 5 and a number past the range as its largest value, without a word.
template <class Number>
CLI::Validator whole_number() {
    std::string const range = "a whole number from 0 to " + std::to_string(std::numeric_limits<Number>::max());
    return CLI::Validator(
        [range](std::string& text) -> std::string {
            Number value{};
            auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
                return "Value " + text + " is not " + range;
            }
            return {};
        },
        "");
}

}  // namespace

command add_check_command(CLI::App& app) {
    auto options = std::make_shared<check_options>();
    CLI::App* check =
        app.add_subcommand("check", "Check questionnaire files and report every problem found, with its place.");
    check->add_option("PATH", options->paths, "Questionnaire files, or folders searched recursively for *.sq")
        ->type_name("")
        ->required();
    check->add_option("--format", options->format, "Diagnostics as 'text' (default) or 'json'")
        ->check(CLI::IsMember({"text", "json"}));
    check->add_flag("--werror", options->werror, "Treat warnings as errors (exit code 1)");
    check->add_option("--samples", options->samples, "Random answer sets per invariant (default 10000)")
        ->check(whole_number<std::uint32_t>());
    check->add_option("--seed", options->seed, "Seed for the random answer sets (default 1)")
        ->check(whole_number<std::uint64_t>());
    check->add_flag("--prove", options->prove,
                    "Prove every invariant for every possible set of answers with an SMT solver, instead of "
                    "sampling, and report what the proofs find (docs/proving.md)");
    check
        ->add_option("--prove-timeout", options->prove_timeout,
                     "Seconds the solver may spend on each question asked of it (default 60); past it an "
                     "invariant is unknown, a warning")
        ->check(CLI::Range(0.001, 86400.0));
    check
        ->add_option("--jobs", options->jobs,
                     "Files checked in parallel (default: all cores); the report keeps its order")
        ->check(CLI::Range(1U, 1024U));
    return [options] { return run_check(*options); };
}

}  // namespace stepcare::cli
