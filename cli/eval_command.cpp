// `stepcare eval FILE`: answers in as JSON Lines, results out as JSON Lines, in order.

#include <fstream>
#include <iostream>
#include <map>

#include "commands.hpp"

namespace stepcare::cli {

namespace {

struct eval_options {
    std::string file;
    std::string input = "-";
    std::string output = "-";
    std::string language;
    unsigned jobs = 0;
    bool fail_on_invalid = false;
};

bool blank(const std::string& line) {
    return line.find_first_not_of(" \t\r") == std::string::npos;
}

int run_eval(const eval_options& options) {
    auto const q = load_questionnaire(options.file);
    if (!q) return exit_errors;
    if (!check_language(*q, options.language)) return exit_usage;

    std::ifstream input_file;
    std::istream* in = &std::cin;
    if (options.input != "-") {
        input_file.open(options.input, std::ios::binary);
        if (!input_file) {
            std::cerr << "stepcare: error: cannot read '" << options.input << "'\n";
            return exit_errors;
        }
        in = &input_file;
    }
    std::ofstream output_file;
    std::ostream* out = &std::cout;
    if (options.output != "-") {
        output_file.open(options.output, std::ios::binary | std::ios::trunc);
        if (!output_file) {
            std::cerr << "stepcare: error: cannot write '" << options.output << "'\n";
            return exit_errors;
        }
        out = &output_file;
    }

    std::map<result_status, std::size_t> by_status;
    std::size_t records = 0;
    std::string line;
    while (std::getline(*in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (blank(line)) continue;
        result const r = q->evaluate(line, options.language);
        ++records;
        ++by_status[r.status];
        *out << to_json(r) << '\n';
    }
    out->flush();
    if (in->bad() || !*out) {
        std::cerr << "stepcare: error: " << (in->bad() ? "reading the input" : "writing the output") << " failed\n";
        return exit_errors;
    }
    std::cerr << "evaluated " << records << (records == 1 ? " record" : " records") << ": "
              << by_status[result_status::complete] << " complete, " << by_status[result_status::incomplete]
              << " incomplete, " << by_status[result_status::stopped] << " stopped, "
              << by_status[result_status::invalid] << " invalid\n";
    if (options.fail_on_invalid && by_status[result_status::invalid] > 0) return exit_invalid_records;
    return exit_ok;
}

}  // namespace

command add_eval_command(CLI::App& app) {
    auto options = std::make_shared<eval_options>();
    CLI::App* eval = app.add_subcommand("eval", "Evaluate answer records (JSON Lines) and write one result line per record.");
    eval->add_option("FILE", options->file, "The questionnaire (.sq)")->required();
    eval->add_option("--input", options->input, "Answer records, one JSON object per line ('-': standard input, the default)");
    eval->add_option("--output", options->output, "Where the results go ('-': standard output, the default)");
    eval->add_option("--lang", options->language, "Language of the result texts (default: the questionnaire's first)");
    eval->add_option("--jobs", options->jobs, "Records evaluated in parallel (default: all cores)")
        ->check(CLI::Range(1U, 1024U));
    eval->add_flag("--fail-on-invalid", options->fail_on_invalid, "Exit with code 3 when any record is invalid");
    return [options] { return run_eval(*options); };
}

}  // namespace stepcare::cli
