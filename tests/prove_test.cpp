// `check --prove` (engine/prove/): the encoding against the evaluator on fixed answers, and
// what the proofs report on small questionnaires made to show each finding.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "evaluate/evaluator.hpp"
#include "evaluate_support.hpp"
#include "foundation/limits.hpp"
#include "foundation/text.hpp"
#include "pipeline/program_access.hpp"
#include "prove/prover.hpp"
#include "repository_files.hpp"

using namespace stepcare;
using stepcare::testing::read_file;
using stepcare::testing::with_referral;

namespace {

namespace fs = std::filesystem;

/// Answers drawn to reach what random sampling rarely does: every question answered or
/// not, hidden ones included; the ends of ranges, the file's own numbers and their
/// neighbours, zero; every option; the file's texts, "" and texts equal to none of them.
class answer_drawer {
public:
    answer_drawer(const program& p, std::uint64_t seed) : p_(p), random_(seed) {
        for (const value& c : p.constants) {
            if (c.type == value::kind::number) numbers_.push_back(c.number);
        }
        for (const auto& t : p.constant_texts) texts_.push_back(*t);
        texts_.push_back("");
        texts_.push_back("zz other");
    }

    /// Set `n` of the edge cases first (none answered; all at their lowest; all at their
    /// highest), then random sets.
    void draw(std::size_t n, answer_slots& answers) {
        answers.reset(p_.questions.size());
        for (std::uint32_t q = 0; q < p_.questions.size(); ++q) {
            if (n == 0) continue;
            if (n <= 2) {
                edge(q, n == 1, answers);
            } else if (below(5) != 0) {
                random_answer(q, answers);
            }
        }
    }

private:
    const program& p_;
    std::mt19937_64 random_;
    std::vector<double> numbers_;
    std::vector<std::string> texts_;

    std::uint64_t below(std::uint64_t n) { return n == 0 ? 0 : random_() % n; }

    std::size_t longest(std::uint32_t q) const { return p_.questions[q].max_length.value_or(max_text_answer_length); }

    void edge(std::uint32_t q, bool lowest, answer_slots& answers) {
        const compiled_question& question = p_.questions[q];
        switch (question.kind) {
            case question_kind::yesno: answers.set(q, value::of_bool(!lowest)); break;
            case question_kind::choice: {
                auto const n = static_cast<std::uint32_t>(p_.option_sets[question.option_set].ids.size());
                answers.set(q, value::of_option(lowest ? 0 : n - 1));
                break;
            }
            case question_kind::multi: {
                auto const n = p_.option_sets[question.option_set].ids.size();
                answers.set(q, value::of_options(lowest    ? 0
                                                 : n >= 64 ? ~std::uint64_t{0}
                                                           : (std::uint64_t{1} << n) - 1));
                break;
            }
            case question_kind::integer:
            case question_kind::decimal: answers.set(q, value::of_number(lowest ? question.min : question.max)); break;
            case question_kind::text: answers.set_text(q, lowest ? "" : "zz other"); break;
        }
    }

    void random_answer(std::uint32_t q, answer_slots& answers) {
        const compiled_question& question = p_.questions[q];
        switch (question.kind) {
            case question_kind::yesno: answers.set(q, value::of_bool(below(2) == 1)); break;
            case question_kind::choice: {
                auto const n = p_.option_sets[question.option_set].ids.size();
                answers.set(q, value::of_option(static_cast<std::uint32_t>(below(n))));
                break;
            }
            case question_kind::multi: {
                auto const n = p_.option_sets[question.option_set].ids.size();
                std::uint64_t const all = n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
                std::uint64_t mask = random_() & all;
                if (below(2) == 0) mask &= random_();
                answers.set(q, value::of_options(mask));
                break;
            }
            case question_kind::integer:
            case question_kind::decimal: answers.set(q, value::of_number(number(question))); break;
            case question_kind::text: {
                std::string_view text = texts_[below(texts_.size())];
                if (code_point_count(text) > longest(q)) text = "";
                answers.set_text(q, text);
                break;
            }
        }
    }

    double number(const compiled_question& q) {
        bool const whole = q.kind == question_kind::integer;
        double n = 0;
        switch (below(5)) {
            case 0: n = below(2) == 0 ? q.min : q.max; break;
            case 1: n = 0; break;
            case 2:
                if (!numbers_.empty()) {
                    double const step = whole ? 1 : 0.25;
                    n = numbers_[below(numbers_.size())] + step * (static_cast<double>(below(3)) - 1);
                    break;
                }
                [[fallthrough]];
            default:
                n = whole ? q.min + static_cast<double>(below(static_cast<std::uint64_t>(q.max - q.min) + 1))
                          : q.min + (q.max - q.min) * static_cast<double>(below(4001)) / 4000;
        }
        n = std::fmin(q.max, std::fmax(q.min, n));
        return whole ? std::round(n) : n;
    }
};

/// What `prove` says of `source`: its proofs and diagnostics.
compile_result proved(const std::string& source, double timeout = 60) {
    compile_options options;
    options.prove = true;
    options.prove_timeout_seconds = timeout;
    options.invariant_samples = 1000;
    return compile_source(source, "test.sq", options);
}

std::vector<std::string> codes(const compile_result& r) {
    std::vector<std::string> out;
    for (const diagnostic& d : r.diagnostics) out.push_back(d.code);
    return out;
}

}  // namespace

TEST_CASE("prove: the encoding computes what the evaluator does, on 100,000 answer sets of every questionnaire") {
    std::vector<std::pair<fs::path, questionnaire>> compiled;
    for (const fs::path& file : stepcare::testing::repository_questionnaires()) {
        compile_options options;
        options.run_tests = false;
        compile_result result = compile_source(read_file(file), file.string(), options);
        if (result.compiled) compiled.emplace_back(file, *result.compiled);
    }
    REQUIRE(compiled.size() >= 60);
    std::size_t const total = STEPCARE_PROVE_DIFFERENTIAL_SETS;
    std::size_t const per_file = (total + compiled.size() - 1) / compiled.size();
    std::size_t compared = 0;
    for (const auto& [file, q] : compiled) {
        const program& p = program_access::of(q);
        fixed_answer_probe probe(p);
        answer_drawer drawer(p, 7);
        answer_slots answers;
        evaluation state;
        for (std::size_t n = 0; n < per_file; ++n) {
            drawer.draw(n, answers);
            evaluate(p, answers, state);
            std::vector<std::string> const wrong = probe.disagreements(answers, state);
            if (!wrong.empty()) {
                std::string listed;
                for (const std::string& w : wrong) listed += "\n  " + w;
                FAIL("the encoding and the evaluator disagree on " << file.string() << ", answer set " << n << ":"
                                                                   << listed);
            }
            ++compared;
        }
    }
    CHECK(compared >= total);
}

TEST_CASE("prove: a refuted invariant comes with the one counterexample, which the evaluator replays") {
    compile_result const r = proved(with_referral(R"(
  question age: integer 0..120 { ask "Age?" }
  question tried: integer 0..30 when age >= 18 { ask "Tried?" }
  question note: text max 3 optional { ask "Note?" }
  outcome flagged guidance "Flagged" { when age - tried == 23 and tried * 7 == 91 }
  invariant "never flagged": not flagged
  invariant "notes are short": note != "longer than three"
)"));
    REQUIRE(r.proofs.size() == 2);
    CHECK(r.proofs[0].status == proof_status::refuted);
    CHECK(r.proofs[0].counterexample == R"({"answers": {"age": 36, "tried": 13}})");
    CHECK(r.proofs[1].status == proof_status::proved);
    REQUIRE(r.compiled.has_value() == false);
    CHECK(codes(r) == std::vector<std::string>{"invariant-violated"});
    CHECK_THAT(r.diagnostics[0].message,
               Catch::Contains(R"(as answers for 'explain --answers': {"answers": {"age": 36, "tried": 13}})"));
}

TEST_CASE("prove: answers after a stop, hidden answers and rejected answers are not counterexamples") {
    compile_result const r = proved(with_referral(R"(
  question danger: yesno { ask "Danger?" }
  question age: integer 0..120 { ask "Age?" require age >= 16 else "Too young for this check." }
  question detail: yesno when age >= 65 { ask "Detail?" }
  outcome crisis urgent "Help now" { when danger  stop }
  outcome older info "Older" { when detail }
  invariant "the crisis comes alone": crisis implies not older
  invariant "no one under 16": age >= 16 or not answered(age)
  invariant "detail only for 65 and over": answered(detail) implies age >= 65
)"));
    REQUIRE(r.proofs.size() == 3);
    for (const invariant_proof& proof : r.proofs) CHECK(proof.status == proof_status::proved);
    CHECK(codes(r).empty());
}

TEST_CASE("prove: outcomes that never fire, questions never shown, requires and whens that decide nothing") {
    compile_result const r = proved(with_referral(R"(
  question danger: yesno { ask "Danger?" }
  question low: integer 0..10 { ask "Low?" }
  question high: integer 0..10 { ask "High?" require high >= low or high <= low else "Never shown." }
  question weight: integer 0..300 { ask "Weight?" require weight > weight else "Always shown." }
  question tried: integer 0..20 when answered(high) or not answered(high) { ask "Tried?" }
  question failed: integer 0..20 when tried >= 1 and tried < 1 { ask "Failed?" }
  outcome crisis urgent "Help now" { when danger  stop }
  outcome never guidance "Never" { when (tried ?? 0) > 5 and (tried ?? 0) < 3 }
  outcome later info "Later" { when crisis and not danger }
)"));
    std::vector<std::string> got = codes(r);
    std::sort(got.begin(), got.end());
    CHECK(got == std::vector<std::string>{"dead-outcome", "dead-outcome", "never-shown-question", "require-never-fails",
                                          "require-never-passes", "when-always-true"});
}

TEST_CASE("prove: lints over decimals follow the doubles, where only rounding makes an outcome fire or not") {
    // In exact fractions `edge` could never fire; with any rounding error allowed, `over_one`
    // could. In doubles the first fires (extra 0.09999999999999998) and the second never does.
    compile_result const r = proved(with_referral(R"(
  question extra: decimal 0..1 { ask "Extra?" }
  question tried: integer 1..20 { ask "Tried?" }
  question helped: integer 0..20 { ask "Helped?" require helped <= tried else "More than tried." }
  question weight: decimal 30.5..250 { ask "Weight?" }
  question change: decimal -10..10 { ask "Change?" require change > -(weight / 4) else "Too large a loss." }
  outcome edge info "Edge" { when extra + 0.2 == 0.3 and extra != 0.1 }
  outcome tenth info "Tenth" { when extra == 0.1 }
  outcome over_one info "Over one" { when helped / tried > 1 }
  outcome share info "Share" { when helped / tried > 0.3 }
)"));
    REQUIRE(codes(r) == std::vector<std::string>{"dead-outcome"});
    CHECK(r.diagnostics[0].message.find("'over_one'") != std::string::npos);
}

TEST_CASE("prove: the time limit makes an invariant unknown, a warning, and it is then sampled") {
    // Products of answers: the solver bit-blasts floating point, far slower than a millisecond.
    // No whole numbers satisfy a*a == 2*b*b (the square root of 2 is irrational), and
    // these products are exact in doubles, so sampling finds nothing either.
    compile_result const r = proved(with_referral(R"(
  question a: integer 1..1000000 { ask "A?" }
  question b: integer 1..1000000 { ask "B?" }
  invariant "no square is twice a square": a * a != 2 * b * b
)"),
                                    0.001);
    REQUIRE(r.proofs.size() == 1);
    CHECK(r.proofs[0].status == proof_status::unknown);
    CHECK_THAT(r.proofs[0].reason, Catch::Contains("time limit"));
    CHECK(codes(r) == std::vector<std::string>{"invariant-unproved"});
    CHECK(r.invariant_samples == 1000);
}

TEST_CASE("prove: an invariant a test already broke is reported once, by the test") {
    compile_result const r = proved(with_referral(R"(
  question age: integer 0..120 { ask "Age?" }
  invariant "adults only": age >= 18
  test "a child" { given { age = 10 } expect age == 10 }
)"));
    REQUIRE(r.proofs.size() == 1);
    CHECK(r.proofs[0].status == proof_status::skipped);
    CHECK(codes(r) == std::vector<std::string>{"invariant-violated"});
    CHECK_THAT(r.diagnostics[0].message, Catch::Contains("test \"a child\""));
}

TEST_CASE("prove: text answers only as long as their question allows, in proofs and in samples") {
    std::string const source = with_referral(R"(
  question code: text max 4 { ask "Code?" }
  invariant "the long code cannot be typed": code != "ABCDEFGH"
)");
    compile_options sampled;
    sampled.invariant_samples = 10000;
    CHECK(codes(compile_source(source, "test.sq", sampled)).empty());
    compile_result const r = proved(source);
    REQUIRE(r.proofs.size() == 1);
    CHECK(r.proofs[0].status == proof_status::proved);
}

TEST_CASE("prove: counterexamples of every question type are answers the intake accepts") {
    compile_result const r = proved(with_referral(R"(
  options level { low = 0 "Low"  mid = 1 "Mid"  high = 2 "High" }
  question ok: yesno { ask "OK?" }
  question how: choice level { ask "How?" }
  question which: multi { a "A"  b "B"  c "C"  d "D" } { ask "Which?" }
  question weight: decimal 20..300 { ask "Weight?" }
  question name: text max 2 { ask "Name?" }
  invariant "not all at once":
    not (ok == no and score(how) == 1 and which has a and which has d and count(which) == 2 and weight > 80.25 and weight < 80.5 and name != "" and name != "x")
)"));
    REQUIRE(r.proofs.size() == 1);
    REQUIRE(r.proofs[0].status == proof_status::refuted);
    nlohmann::json const answers = nlohmann::json::parse(r.proofs[0].counterexample)["answers"];
    CHECK(answers["ok"] == false);
    CHECK(answers["how"] == "mid");
    CHECK(answers["which"] == nlohmann::json::array({"a", "d"}));
    CHECK(answers["weight"].get<double>() > 80.25);
    CHECK(answers["weight"].get<double>() < 80.5);
    std::string const name = answers["name"];
    CHECK(!name.empty());
    CHECK(name != "x");
    CHECK(name.size() <= 2);
}

TEST_CASE("prove: decimals are proved as the evaluator's doubles compute them, not as exact fractions") {
    // In exact arithmetic only 0.1 gives 0.3; in doubles 0.09999999999999998 does too.
    compile_result const r = proved(with_referral(R"(
  question extra: decimal 0..1 { ask "Extra?" }
  question tried: integer 1..20 { ask "Tried?" }
  question helped: integer 0..20 { ask "Helped?" require helped <= tried else "More than tried." }
  invariant "a total of 0.3 means an extra of 0.1": extra + 0.2 == 0.3 implies extra == 0.1
  invariant "a share is at most one": helped / tried <= 1
)"));
    REQUIRE(r.proofs.size() == 2);
    REQUIRE(r.proofs[0].status == proof_status::refuted);
    double const extra = nlohmann::json::parse(r.proofs[0].counterexample)["answers"]["extra"];
    CHECK(extra != 0.1);
    CHECK(extra + 0.2 == 0.3);
    CHECK(r.proofs[1].status == proof_status::proved);
}
