// `generate_records`: writes N answer records (JSON Lines, interfaces.md section 2) for a
// questionnaire, drawn from a seed, for the `eval` benchmarks and the batch tests. Most
// records fit their questions; a share is broken on purpose in one of several ways, so
// that the invalid path is measured and tested too. The same arguments give the same
// bytes on every system: the draws use only the raw output of std::mt19937_64, which the
// standard fixes bit for bit (the distributions of <random> are not fixed).

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>

#include "compile/program.hpp"
#include "pipeline/program_access.hpp"
#include "evaluate/answer_reader.hpp"
#include "evaluate/evaluator.hpp"
#include "stepcare/compile.hpp"

namespace {

using stepcare::answer_value;
using stepcare::compiled_question;
using stepcare::program;
using stepcare::question_kind;

struct options {
    std::string file = STEPCARE_REFERENCE_QUESTIONNAIRE;
    std::uint64_t records = 1000;
    std::uint64_t seed = 1;
    unsigned invalid_percent = 5;
    unsigned blank_permille = 5;
};

class generator {
public:
    generator(const program& p, const options& o) : p_(p), options_(o), random_(o.seed) {
        answers_.resize(p.questions.size());
    }

    /// Appends record number `n` (from 1) and its newline to `out`.
    void record(std::uint64_t n, std::string& out) {
        if (below(1000) < options_.blank_permille) out += below(2) == 0 ? "\n" : "  \t\n";
        draw_answers();
        std::size_t const start = out.size();
        flaw const broken = below(100) < options_.invalid_percent ? static_cast<flaw>(1 + below(7)) : flaw::none;
        if (broken == flaw::not_object) {
            out += "[\"rec-" + std::to_string(n) + "\"]";
        } else {
            write_record(n, broken, out);
        }
        // Cut short after the record is complete, so the line is never valid JSON.
        if (broken == flaw::truncated) out.resize(start + 1 + below(out.size() - start - 2));
        out += '\n';
    }

private:
    /// What a broken record gets wrong.
    enum class flaw {
        none,
        truncated,
        unknown_question,
        out_of_range,
        wrong_type,
        unknown_option,
        not_object,
        unknown_key
    };

    const program& p_;
    const options& options_;
    std::mt19937_64 random_;
    std::vector<answer_value> answers_;  ///< per question; empty: left out of the record
    stepcare::answer_slots slots_;
    stepcare::evaluation state_;

    /// A draw from 0 to n - 1 (the modulo bias is far too small to matter here).
    std::uint64_t below(std::uint64_t n) { return random_() % n; }

    /// Draws every answer, then draws again those a `require` rejects, up to ten times,
    /// so that the records are valid but for the flaws put in on purpose. A rejected
    /// number is drawn again below its last value, since most limits are upper bounds.
    void draw_answers() {
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            // About one answer in forty is left out.
            answers_[q] = below(40) == 0 ? answer_value() : draw(p_.questions[q]);
        }
        for (int round = 0; round < 10; ++round) {
            slots_.reset(p_.questions.size());
            for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
                if (stepcare::assign_answer(p_, q, answers_[q], slots_)) answers_[q] = answer_value();
            }
            stepcare::evaluate(p_, slots_, state_);
            bool rejected = false;
            for (std::uint32_t q = 0; q < state_.limit; ++q) {
                if (state_.failed_requirement[q] == stepcare::no_index) continue;
                answers_[q] = draw_again(p_.questions[q], answers_[q]);
                rejected = true;
            }
            if (!rejected) return;
        }
    }

    answer_value draw_again(const compiled_question& q, const answer_value& last) {
        const answer_value::storage& data = last.data();
        if (const auto* i = std::get_if<std::int64_t>(&data)) {
            auto const low = static_cast<std::int64_t>(q.min);
            return answer_value(low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(*i - low) + 1)));
        }
        return draw(q);
    }

    answer_value draw(const compiled_question& q) {
        switch (q.kind) {
            case question_kind::yesno: {
                bool const yes = below(10) == 0;
                // Both spellings the format allows.
                if (below(4) == 0) return answer_value(yes ? "yes" : "no");
                return answer_value(yes);
            }
            case question_kind::choice: {
                // The smaller of two draws: the first (usually mildest) options are the most frequent.
                const auto& ids = p_.option_sets[q.option_set].ids;
                return answer_value(ids[std::min(below(ids.size()), below(ids.size()))]);
            }
            case question_kind::multi: {
                // One or two options chosen on average, as people tick them.
                const auto& ids = p_.option_sets[q.option_set].ids;
                answer_value::option_ids chosen;
                for (const std::string& option : ids) {
                    if (below(2 * ids.size()) < 3) chosen.push_back(option);
                }
                return answer_value(std::move(chosen));
            }
            case question_kind::integer: {
                auto const span = static_cast<std::uint64_t>(q.max - q.min) + 1;
                return answer_value(static_cast<std::int64_t>(q.min) + static_cast<std::int64_t>(below(span)));
            }
            case question_kind::decimal: {
                auto const span = static_cast<std::uint64_t>((q.max - q.min) * 10) + 1;
                return answer_value(q.min + static_cast<double>(below(span)) / 10);
            }
            case question_kind::text: {
                static const char* const words[] = {"sleep", "work", "caf\xC3\xA9", "family", "pain", "na\xC3\xAFve"};
                std::string text;
                for (std::uint64_t i = 0, count = 1 + below(4); i < count; ++i) {
                    if (i > 0) text += ' ';
                    text += words[below(std::size(words))];
                }
                return answer_value(std::move(text));
            }
        }
        return {};
    }

    void id(std::uint64_t n, std::string& out) {
        // Mostly strings; some numbers, and a few records with no id at all.
        switch (below(20)) {
            case 0: return;
            case 1:
            case 2: out += "\"id\":" + std::to_string(n) + ","; return;
            default: out += "\"id\":\"rec-" + std::to_string(n) + "\","; return;
        }
    }

    void write_record(std::uint64_t n, flaw broken, std::string& out) {
        out += '{';
        id(n, out);
        out += broken == flaw::unknown_key ? "\"answer\":{" : "\"answers\":{";
        // The question whose answer is broken, among those the flaw can apply to.
        std::uint32_t const victim = pick_victim(broken);
        bool first = true;
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            if (q != victim && answers_[q].empty()) continue;
            if (!first) out += ',';
            first = false;
            out += '"';
            out += p_.questions[q].id;
            out += "\":";
            if (q == victim) {
                broken_answer(p_.questions[q], broken, out);
            } else {
                write_answer(answers_[q], out);
            }
        }
        if (broken == flaw::unknown_question) {
            if (!first) out += ',';
            out += "\"" + p_.questions[below(p_.questions.size())].id + "_x\":1";
        }
        out += "}}";
    }

    std::uint32_t pick_victim(flaw broken) {
        if (broken != flaw::out_of_range && broken != flaw::wrong_type && broken != flaw::unknown_option) {
            return stepcare::no_index;
        }
        auto const count = static_cast<std::uint32_t>(p_.questions.size());
        auto const start = static_cast<std::uint32_t>(below(count));
        for (std::uint32_t i = 0; i < count; ++i) {
            std::uint32_t const q = (start + i) % count;
            question_kind const kind = p_.questions[q].kind;
            bool const numeric = kind == question_kind::integer || kind == question_kind::decimal;
            bool const options = kind == question_kind::choice || kind == question_kind::multi;
            if (broken == flaw::out_of_range && !numeric) continue;
            if (broken == flaw::unknown_option && !options) continue;
            return q;
        }
        return start;
    }

    void broken_answer(const compiled_question& q, flaw broken, std::string& out) {
        bool const numeric = q.kind == question_kind::integer || q.kind == question_kind::decimal;
        if (broken == flaw::out_of_range && numeric) {
            out += std::to_string(static_cast<std::int64_t>(q.max) + 1 + static_cast<std::int64_t>(below(50)));
        } else if (broken == flaw::unknown_option && q.kind == question_kind::choice) {
            out += "\"sometimes\"";
        } else if (broken == flaw::unknown_option && q.kind == question_kind::multi) {
            out += "[\"" + p_.option_sets[q.option_set].ids[0] + "\",\"sometimes\"]";
        } else {
            out += numeric ? "\"12\"" : "12";
        }
    }

    static void write_answer(const answer_value& answer, std::string& out) {
        const answer_value::storage& data = answer.data();
        if (const bool* b = std::get_if<bool>(&data)) {
            out += *b ? "true" : "false";
        } else if (const auto* i = std::get_if<std::int64_t>(&data)) {
            out += std::to_string(*i);
        } else if (const double* d = std::get_if<double>(&data)) {
            // Tenths, written by hand so that no locale or printf rounding is involved.
            std::int64_t const tenths = std::llround(*d * 10);
            std::int64_t const magnitude = tenths < 0 ? -tenths : tenths;
            out += (tenths < 0 ? "-" : "") + std::to_string(magnitude / 10) + "." + std::to_string(magnitude % 10);
        } else if (const std::string* s = std::get_if<std::string>(&data)) {
            out += '"' + *s + '"';  // option ids and the words above need no escapes
        } else if (const auto* ids = std::get_if<answer_value::option_ids>(&data)) {
            out += '[';
            for (std::size_t k = 0; k < ids->size(); ++k) {
                if (k > 0) out += ',';
                out += '"' + (*ids)[k] + '"';
            }
            out += ']';
        }
    }
};

}  // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{"Writes seeded answer records (JSON Lines) for a questionnaire to standard output.",
                 "generate_records"};
    app.add_option("FILE", o.file, "The questionnaire (default: questionnaires/ketamine-trd.sq)");
    app.add_option("--records", o.records, "How many records (default 1000)");
    app.add_option("--seed", o.seed, "Seed of the draws (default 1)");
    app.add_option("--invalid-percent", o.invalid_percent, "Share of broken records, in percent (default 5)")
        ->check(CLI::Range(0U, 100U));
    app.add_option("--blank-permille", o.blank_permille, "Blank lines per thousand records (default 5)")
        ->check(CLI::Range(0U, 1000U));
    CLI11_PARSE(app, argc, argv);

    stepcare::compile_options compile;
    compile.run_tests = false;
    stepcare::compile_result compiled = stepcare::compile_file(o.file, compile);
    if (!compiled.compiled) {
        std::cerr << "generate_records: '" << o.file << "' does not compile (run 'stepcare check' on it)\n";
        return 1;
    }
    generator g(stepcare::program_access::of(*compiled.compiled), o);
    std::string buffer;
    for (std::uint64_t n = 1; n <= o.records; ++n) {
        g.record(n, buffer);
        if (buffer.size() >= (1U << 20) || n == o.records) {
            if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size()) {
                std::cerr << "generate_records: writing failed\n";
                return 1;
            }
            buffer.clear();
        }
    }
    return std::fflush(stdout) == 0 ? 0 : 1;
}
