// `eval_bench`: times the evaluate phase (engine/evaluate/evaluator.hpp) of one compiled
// questionnaire over answers already in their slots, on one thread, and counts the heap
// allocations made while timing. Run by hand (see README.md); a timing depends on the
// machine, so it is never a pass/fail test. An allocation in the timed loop is a fault of
// the evaluator, not of the machine: then the program says so and exits with status 1.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "compile/program.hpp"
#include "pipeline/program_access.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/compile.hpp"

// ---- Allocation counting -------------------------------------------------------------
//
// Every global operator new and delete of the program is replaced by one that counts the
// call and forwards to malloc, aligned_alloc or free. The counters are read just before and
// just after each timed loop, so whatever allocates in between (the evaluator, or anything
// it calls) is counted, and nothing outside the loops is.

namespace {

std::atomic<std::uint64_t> allocation_count{0};
std::atomic<std::uint64_t> deallocation_count{0};

void* counted_allocate(std::size_t size) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}

void* counted_allocate(std::size_t size, std::align_val_t alignment) {
    allocation_count.fetch_add(1, std::memory_order_relaxed);
    auto const align = static_cast<std::size_t>(alignment);
    // aligned_alloc wants a size that is a multiple of the alignment.
    std::size_t const rounded = (std::max<std::size_t>(size, 1) + align - 1) / align * align;
    return std::aligned_alloc(align, rounded);
}

void counted_free(void* pointer) noexcept {
    if (pointer == nullptr) return;
    deallocation_count.fetch_add(1, std::memory_order_relaxed);
    std::free(pointer);
}

void* allocate_or_throw(std::size_t size) {
    void* const pointer = counted_allocate(size);
    if (pointer == nullptr) throw std::bad_alloc();
    return pointer;
}

void* allocate_or_throw(std::size_t size, std::align_val_t alignment) {
    void* const pointer = counted_allocate(size, alignment);
    if (pointer == nullptr) throw std::bad_alloc();
    return pointer;
}

}  // namespace

void* operator new(std::size_t size) { return allocate_or_throw(size); }
void* operator new[](std::size_t size) { return allocate_or_throw(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return counted_allocate(size); }
void* operator new(std::size_t size, std::align_val_t alignment) { return allocate_or_throw(size, alignment); }
void* operator new[](std::size_t size, std::align_val_t alignment) { return allocate_or_throw(size, alignment); }
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return counted_allocate(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return counted_allocate(size, alignment);
}

void operator delete(void* pointer) noexcept { counted_free(pointer); }
void operator delete[](void* pointer) noexcept { counted_free(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { counted_free(pointer); }
void operator delete(void* pointer, const std::nothrow_t&) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, const std::nothrow_t&) noexcept { counted_free(pointer); }
void operator delete(void* pointer, std::align_val_t) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, std::align_val_t) noexcept { counted_free(pointer); }
void operator delete(void* pointer, std::size_t, std::align_val_t) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, std::size_t, std::align_val_t) noexcept { counted_free(pointer); }
void operator delete(void* pointer, std::align_val_t, const std::nothrow_t&) noexcept { counted_free(pointer); }
void operator delete[](void* pointer, std::align_val_t, const std::nothrow_t&) noexcept { counted_free(pointer); }

// ---- The benchmark -------------------------------------------------------------------

namespace {

using seconds = std::chrono::duration<double>;

struct bench_options {
    std::string input = STEPCARE_BENCH_QUESTIONNAIRE;
    std::uint64_t evaluations = 5'000'000;
    std::size_t answer_sets = 1024;
    std::uint64_t seed = 1;
    int repetitions = 5;
};

constexpr std::size_t max_shown_diagnostics = 10;

/// Answers drawn from std::mt19937_64's raw output, which the standard fixes bit for bit;
/// the std:: distributions differ between standard libraries, and with them one seed would
/// give different answers, and figures that cannot be compared, on different systems.
class answer_source {
public:
    explicit answer_source(std::uint64_t seed) : engine_(seed) {}

    /// A whole number in [0, count). The modulo bias is far too small to matter here.
    std::uint64_t below(std::uint64_t count) { return engine_() % count; }

    bool percent(std::uint64_t chance) { return below(100) < chance; }

private:
    std::mt19937_64 engine_;
};

/// One record's answers, as a batch record would give them: most questions answered, some
/// not (optional or not), and hidden questions answered too (the evaluator ignores those).
/// Options are drawn with a lean to the first ones, which in the benchmark questionnaire
/// are the mild answers, so that mild, severe and crisis records all occur.
void draw_answers(const stepcare::program& p, answer_source& random, stepcare::answer_slots& slots) {
    slots.reset(p.questions.size());
    for (std::uint32_t q = 0; q < p.questions.size(); ++q) {
        if (random.percent(12)) continue;  // unanswered
        const stepcare::compiled_question& question = p.questions[q];
        switch (question.kind) {
            case stepcare::question_kind::yesno: slots.set(q, stepcare::value::of_bool(random.percent(40))); break;
            case stepcare::question_kind::choice: {
                auto const options = p.option_sets[question.option_set].ids.size();
                // The smaller of two draws: option 0 is the most likely, the last the least.
                auto const option = std::min(random.below(options), random.below(options));
                slots.set(q, stepcare::value::of_option(static_cast<std::uint32_t>(option)));
                break;
            }
            case stepcare::question_kind::multi: {
                auto const options = p.option_sets[question.option_set].ids.size();
                std::uint64_t mask = 0;
                for (std::size_t i = 0; i < options; ++i) {
                    if (random.percent(25)) mask |= std::uint64_t{1} << i;
                }
                slots.set(q, stepcare::value::of_options(mask));
                break;
            }
            case stepcare::question_kind::integer: {
                auto const span = static_cast<std::uint64_t>(question.max - question.min);
                slots.set(q, stepcare::value::of_number(question.min + static_cast<double>(random.below(span + 1))));
                break;
            }
            case stepcare::question_kind::decimal: {
                // Tenths across the range.
                auto const tenths = static_cast<std::uint64_t>((question.max - question.min) * 10);
                slots.set(
                    q, stepcare::value::of_number(question.min + static_cast<double>(random.below(tenths + 1)) / 10));
                break;
            }
            case stepcare::question_kind::text:
                slots.set_text(q, random.percent(50) ? "none" : "Stopped one medication early");
                break;
        }
    }
}

/// What the answer sets make the evaluator do, from one evaluation of each.
struct answer_mix {
    std::size_t stopped = 0;
    std::size_t fired = 0;
    std::size_t undetermined = 0;
    std::size_t questions = 0;
    std::size_t hidden = 0;
    std::size_t undecided = 0;
    std::size_t unanswered = 0;  ///< shown, before any stop, and not answered
    std::size_t failed_requirements = 0;
};

void add_to_mix(const stepcare::evaluation& state, const stepcare::answer_slots& slots, answer_mix& mix) {
    mix.stopped += state.stopped ? 1 : 0;
    for (stepcare::value const& outcome : state.outcomes) {
        mix.fired += outcome.is_true() ? 1 : 0;
        mix.undetermined += outcome.is_unknown() ? 1 : 0;
    }
    for (std::uint32_t q = 0; q < state.questions.size(); ++q) {
        ++mix.questions;
        mix.hidden += state.visible[q] == stepcare::visibility::hidden ? 1 : 0;
        mix.undecided += state.visible[q] == stepcare::visibility::undecided ? 1 : 0;
        mix.unanswered +=
            state.visible[q] == stepcare::visibility::shown && q < state.limit && !slots.answered(q) ? 1 : 0;
        mix.failed_requirements += state.failed_requirement[q] != stepcare::no_index ? 1 : 0;
    }
}

double percent_of(std::size_t part, std::size_t whole) {
    return whole == 0 ? 0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

void print_timing(const char* label, std::uint64_t evaluations, seconds time) {
    double const per_second = static_cast<double>(evaluations) / time.count();
    std::printf("%-8s %10.3f ms  %8.3f M evaluations/s  %7.1f ns/evaluation\n", label, time.count() * 1e3,
                per_second / 1e6, 1e9 / per_second);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "Times the evaluation of one compiled questionnaire over answers already in "
        "their slots, on one thread, and counts heap allocations while timing.",
        "eval_bench"};
    bench_options options;
    app.add_option("file", options.input, "The questionnaire to evaluate")->capture_default_str();
    app.add_option("-e,--evaluations", options.evaluations, "Evaluations per timed loop")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("-a,--answer-sets", options.answer_sets, "Different answer sets, evaluated in turn")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    app.add_option("-s,--seed", options.seed, "Seed of the answer sets")->capture_default_str();
    app.add_option("-n,--repetitions", options.repetitions, "Timed loops")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    CLI11_PARSE(app, argc, argv);

    // A questionnaire with errors has no program; one whose tests fail is refused too, since
    // its answers would not be evaluated the way its author meant.
    stepcare::compile_result const compiled = stepcare::compile_file(options.input);
    if (!compiled.compiled) {
        std::cerr << "eval_bench: '" << options.input << "' did not compile; "
                  << "a benchmark over a broken file measures nothing\n";
        for (std::size_t i = 0; i < compiled.diagnostics.size() && i < max_shown_diagnostics; ++i)
            std::cerr << stepcare::render_text(compiled.diagnostics[i]);
        return 1;
    }
    const stepcare::program& p = stepcare::program_access::of(*compiled.compiled);

    answer_source random(options.seed);
    std::vector<stepcare::answer_slots> answers(options.answer_sets);
    for (stepcare::answer_slots& slots : answers) draw_answers(p, random, slots);

    // One evaluation of every answer set before timing: it sizes the evaluation's storage
    // (the only allocations evaluating should ever make), warms the caches and shows what
    // the answer sets make the evaluator do.
    stepcare::evaluation state;
    std::uint64_t const before_first = allocation_count.load();
    stepcare::evaluate(p, answers.front(), state);
    std::uint64_t const first_allocations = allocation_count.load() - before_first;
    answer_mix mix;
    for (const stepcare::answer_slots& slots : answers) {
        stepcare::evaluate(p, slots, state);
        add_to_mix(state, slots, mix);
    }

    std::vector<seconds> times;
    times.reserve(static_cast<std::size_t>(options.repetitions));
    std::uint64_t loop_allocations = 0;
    std::uint64_t loop_deallocations = 0;
    std::uint64_t fired = 0;  // consumed, so that the evaluations cannot be optimized away
    seconds cpu_time{0};
    seconds wall_time{0};
    for (int r = 0; r < options.repetitions; ++r) {
        std::size_t set = 0;
        std::uint64_t const allocations_before = allocation_count.load();
        std::uint64_t const deallocations_before = deallocation_count.load();
        std::clock_t const cpu_start = std::clock();
        auto const start = std::chrono::steady_clock::now();
        for (std::uint64_t i = 0; i < options.evaluations; ++i) {
            stepcare::evaluate(p, answers[set], state);
            for (stepcare::value const& outcome : state.outcomes) fired += outcome.is_true() ? 1 : 0;
            if (++set == answers.size()) set = 0;
        }
        auto const stop = std::chrono::steady_clock::now();
        std::clock_t const cpu_stop = std::clock();
        loop_allocations += allocation_count.load() - allocations_before;
        loop_deallocations += deallocation_count.load() - deallocations_before;
        times.push_back(stop - start);
        cpu_time += seconds(static_cast<double>(cpu_stop - cpu_start) / CLOCKS_PER_SEC);
        wall_time += stop - start;
    }
    std::sort(times.begin(), times.end());
    std::size_t const middle = times.size() / 2;
    seconds const median = times.size() % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2;
    std::uint64_t const timed = options.evaluations * static_cast<std::uint64_t>(options.repetitions);

    std::printf(
        "program  %s: %zu questions, %zu lets, %zu outcomes, %zu instructions, "
        "%zu schedule steps (%zu for stop)\n",
        p.id.c_str(), p.questions.size(), p.lets.size(), p.outcomes.size(), p.code.size(), p.schedule.size(),
        p.stop_schedule.size());
    std::printf(
        "answers  %zu sets (seed %llu): %.1f%% stopped, %.2f outcomes fired and %.2f "
        "undetermined per set\n",
        answers.size(), static_cast<unsigned long long>(options.seed), percent_of(mix.stopped, answers.size()),
        static_cast<double>(mix.fired) / static_cast<double>(answers.size()),
        static_cast<double>(mix.undetermined) / static_cast<double>(answers.size()));
    std::printf(
        "         questions: %.1f%% hidden, %.1f%% undecided, %.1f%% shown but "
        "unanswered, %.1f%% failing a require\n",
        percent_of(mix.hidden, mix.questions), percent_of(mix.undecided, mix.questions),
        percent_of(mix.unanswered, mix.questions), percent_of(mix.failed_requirements, mix.questions));
    std::printf("loops    %d timed, %llu evaluations each (%.3f outcomes fired per evaluation)\n", options.repetitions,
                static_cast<unsigned long long>(options.evaluations),
                static_cast<double>(fired) / static_cast<double>(timed));
    print_timing("best", options.evaluations, times.front());
    print_timing("median", options.evaluations, median);
    // Below 100%, other programs had the core for part of the time: compare with care.
    std::printf("cpu      %.1f%% of the timed wall-clock time was this program's\n",
                100.0 * cpu_time.count() / wall_time.count());
    std::printf(
        "heap     %llu allocations, %llu frees in the timed loops "
        "(the first evaluation made %llu, sizing the storage)\n",
        static_cast<unsigned long long>(loop_allocations), static_cast<unsigned long long>(loop_deallocations),
        static_cast<unsigned long long>(first_allocations));
    if (loop_allocations > 0 || loop_deallocations > 0) {
        std::cerr << "eval_bench: evaluating used the heap (" << loop_allocations << " allocations, "
                  << loop_deallocations << " frees in " << timed
                  << " evaluations); it must reuse the evaluation's storage\n";
        return 1;
    }
    return 0;
}
