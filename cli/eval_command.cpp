// `stepcare eval FILE`: answers in as JSON Lines, results out as JSON Lines, in order,
// evaluated on several threads with one shared compiled questionnaire.

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <thread>

#include "batch/ordered_batches.hpp"
#include "batch/output_file.hpp"
#include "commands.hpp"
#include "stepcare/batch.hpp"

namespace stepcare::cli {

namespace {

struct eval_options {
    std::string file;
    std::string input = "-";
    std::string output = "-";
    std::string language;
    unsigned jobs = 0;
    bool fail_on_invalid = false;
    bool with_answers = false;
    std::string texts = "full";
    std::string input_format = "json";
    std::string output_format = "json";
    std::string base_url;
};

record_format format_named(const std::string& name) {
    return name == "fhir-r4" ? record_format::fhir_r4 : record_format::json;
}

/// Closes a descriptor this program opened.
struct input_descriptor {
    int fd = STDIN_FILENO;
    ~input_descriptor() {
        if (fd != STDIN_FILENO && fd >= 0) ::close(fd);
    }
};

/// The running count of results, shown on a terminal while the input is read.
class progress_line {
public:
    explicit progress_line(bool shown) : shown_(shown) {}

    void update(std::size_t records, std::size_t invalid) {
        if (!shown_) return;
        auto const now = std::chrono::steady_clock::now();
        // The first batch is shown at once, so that even a short run shows its progress.
        if (written_ && now - last_ < std::chrono::milliseconds(250)) return;
        last_ = now;
        written_ = true;
        std::fprintf(stderr, "\r\033[Kevaluating: %zu records, %zu invalid", records, invalid);
        std::fflush(stderr);
    }

    /// Erases the line, so the summary takes its place.
    void clear() {
        if (!written_) return;
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
    }

private:
    bool shown_;
    bool written_ = false;
    std::chrono::steady_clock::time_point last_;
};

int run_eval(const eval_options& options) {
    if (options.texts == "none" && options.output_format == "fhir-r4") {
        // A response has no texts to leave out (they are in the Questionnaire).
        std::cerr << "stepcare: error: --texts none is for result JSON; leave it out with --output-format fhir-r4, "
                     "whose responses carry no texts\nRun 'stepcare eval --help' to see what it takes.\n";
        return exit_usage;
    }
    auto const q = load_questionnaire(options.file);
    if (!q) return exit_errors;
    if (!check_language(*q, options.language)) return exit_usage;

    input_descriptor input;
    if (options.input != "-") {
        input.fd = ::open(options.input.c_str(), O_RDONLY | O_CLOEXEC);
        if (input.fd < 0) {
            std::cerr << "stepcare: error: cannot read '" << options.input << "': " << std::strerror(errno) << '\n';
            return exit_errors;
        }
    }
    output_file output;
    std::string error;
    if (!output.open(options.output, error)) {
        std::cerr << "stepcare: error: " << error << '\n';
        return exit_errors;
    }

    ordering_options batching;
    batching.jobs = options.jobs != 0 ? options.jobs : std::max(1U, std::thread::hardware_concurrency());
    auto make_processor = [&q, &options]() -> batch_processor {
        auto evaluator = std::make_shared<batch_evaluator>(
            *q, batch_options{.language = options.language,
                              .with_answers = options.with_answers,
                              .texts = options.texts == "none" ? result_texts::none : result_texts::full,
                              .input = format_named(options.input_format),
                              .output = format_named(options.output_format),
                              .base_url = options.base_url});
        return [evaluator](line_batch& batch) {
            batch.results.clear();
            std::fill(std::begin(batch.by_status), std::end(batch.by_status), 0);
            for (const record_line& line : batch.input.lines) {
                if (line.too_long) {
                    evaluator->reject(too_long_line_message(line.number), batch.results);
                } else {
                    evaluator->evaluate(batch.input.text_of(line), batch.results);
                }
                batch.results += '\n';
                // A line may hold several records: a FHIR Bundle.
                for (result_status const status : evaluator->last_statuses()) {
                    ++batch.by_status[static_cast<int>(status)];
                }
            }
        };
    };

    std::size_t by_status[4] = {};
    std::size_t records = 0;
    progress_line progress(isatty(STDERR_FILENO) == 1);
    record_line_reader reader(file_descriptor_source(input.fd));
    bool const written = process_in_order(reader, batching, make_processor, [&](line_batch& batch) {
        if (!output.write(batch.results, error)) return false;
        for (int s = 0; s < 4; ++s) {
            by_status[s] += batch.by_status[s];
            records += batch.by_status[s];
        }
        progress.update(records, by_status[static_cast<int>(result_status::invalid)]);
        return true;
    });
    progress.clear();
    if (written && reader.error() != 0)
        error = std::string("reading the input failed: ") + std::strerror(reader.error());
    if (!written || reader.error() != 0 || !output.commit(error)) {
        std::cerr << "stepcare: error: " << error << '\n';
        return exit_errors;
    }
    auto const count = [&](result_status s) { return by_status[static_cast<int>(s)]; };
    std::cerr << "evaluated " << records << (records == 1 ? " record" : " records") << ": "
              << count(result_status::complete) << " complete, " << count(result_status::incomplete) << " incomplete, "
              << count(result_status::stopped) << " stopped, " << count(result_status::invalid) << " invalid\n";
    if (options.fail_on_invalid && count(result_status::invalid) > 0) return exit_invalid_records;
    return exit_ok;
}

}  // namespace

command add_eval_command(CLI::App& app) {
    auto options = std::make_shared<eval_options>();
    CLI::App* eval =
        app.add_subcommand("eval", "Evaluate answer records (JSON Lines) and write one result line per record.");
    eval->add_option("FILE", options->file, "The questionnaire (.sq)")->type_name("")->required();
    eval->add_option("--input", options->input,
                     "Answer records, one JSON object per line ('-': standard input, the default)");
    eval->add_option(
        "--output", options->output,
        "Where the results go ('-': standard output, the default); a file appears only when the run succeeds");
    eval->add_option("--lang", options->language, "Language of the result texts (default: the questionnaire's first)");
    eval->add_option("--jobs", options->jobs,
                     "Threads evaluating records (default: all cores); results stay in input order")
        ->check(CLI::Range(1U, 1024U));
    eval->add_flag("--fail-on-invalid", options->fail_on_invalid, "Exit with code 3 when any record is invalid");
    eval->add_option("--texts", options->texts,
                     "full: results with their titles and texts (the default); none: without them (ids, levels, "
                     "values, errors stay)")
        ->check(CLI::IsMember({"full", "none"}));
    eval->add_flag(
        "--with-answers", options->with_answers,
        "Add an \"answers\" block to each result: every question shown, its text, the answer and its labels");
    eval->add_option("--input-format", options->input_format,
                     "json: answer records; fhir-r4: a FHIR QuestionnaireResponse (or a Bundle of them) per line")
        ->check(CLI::IsMember({"json", "fhir-r4"}));
    eval->add_option("--output-format", options->output_format,
                     "json: result lines; fhir-r4: a FHIR QuestionnaireResponse per line (OperationOutcome if invalid)")
        ->check(CLI::IsMember({"json", "fhir-r4"}));
    eval->add_option("--base-url", options->base_url,
                     "With fhir-r4: the questionnaire's canonical URL, as given to export (default: urn:stepcare:ID)");
    return [options] { return run_eval(*options); };
}

}  // namespace stepcare::cli
