// Evaluation through the public API: three-valued logic in expressions (language.md
// section 6) and the flow of section 7.

#include <catch2/catch.hpp>
#include <optional>

#include "evaluate_support.hpp"

using namespace stepcare;
using namespace stepcare::testing;
using nlohmann::json;

namespace {

/// Answers for two optional yesno questions a and b, each true, false or unknown (absent).
std::string two_answers(const char* a, const char* b) {
    std::string out = "{";
    if (std::string(a) != "unknown") out += std::string("\"a\": ") + a;
    if (std::string(b) != "unknown") out += std::string(out.size() > 1 ? ", " : "") + "\"b\": " + b;
    return out + "}";
}

std::string shown(const json& v) { return v.is_null() ? "unknown" : v.dump(); }

}  // namespace

TEST_CASE("and, or, not, implies, any and all follow Kleene logic over answers", "[eval]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question a: yesno optional { ask "A?" }
  question b: yesno optional { ask "B?" }
  let and_ = a and b
  let or_ = a or b
  let not_ = not a
  let implies_ = a implies b
  let any_ = any(a, b)
  let all_ = all(a, b)
  outcome uses info "uses" { when and_ or or_ or not_ or implies_ or any_ or all_ })"));
    struct row {
        const char *a, *b, *and_, *or_, *not_, *implies_;
    };
    const row rows[] = {
        {"true", "true", "true", "true", "false", "true"},
        {"true", "false", "false", "true", "false", "false"},
        {"true", "unknown", "unknown", "true", "false", "unknown"},
        {"false", "true", "false", "true", "true", "true"},
        {"false", "false", "false", "false", "true", "true"},
        {"false", "unknown", "false", "unknown", "true", "true"},
        {"unknown", "true", "unknown", "true", "unknown", "true"},
        {"unknown", "false", "false", "unknown", "unknown", "unknown"},
        {"unknown", "unknown", "unknown", "unknown", "unknown", "unknown"},
    };
    for (const row& r : rows) {
        json const values = evaluate_json(q, two_answers(r.a, r.b)).at("values");
        INFO("a = " << r.a << ", b = " << r.b);
        CHECK(shown(values.at("and_")) == r.and_);
        CHECK(shown(values.at("or_")) == r.or_);
        CHECK(shown(values.at("not_")) == r.not_);
        CHECK(shown(values.at("implies_")) == r.implies_);
        CHECK(shown(values.at("any_")) == r.or_);
        CHECK(shown(values.at("all_")) == r.and_);
    }
}

TEST_CASE("Kleene logic holds where a let, an outcome or a question is the right operand", "[eval]") {
    // The evaluator fuses these loads into the `and`, `or` and `not` after them, a let into
    // the `when` it is, a let stored and read again at once into one instruction, and an
    // `and` or `or` into the store or `when` that takes its result.
    questionnaire const q = compile_ok(with_referral(R"(
  question a: yesno optional { ask "A?" }
  question b: yesno optional { ask "B?" }
  question seen_if_b: yesno optional when b_let { ask "Seen?" }
  let b_let = b
  outcome b_fired info "B" { when b }
  let and_not_outcome = a and not b_fired
  let and_not_question = a and not b
  let and_question = a and b
  let and_let = a and b_let
  let or_let = a or b_let
  let seen = answered(seen_if_b)
  let kept = a or b
  outcome kept_out info "Kept" { when kept }
  question seen_if_a_or_b: yesno optional when (a or b) and (b or a) { ask "Seen?" }
  let a_or_b = (a or b) and (b or a)
  let a_and_b = (a and b) or (b and a)
  let seen_either = answered(seen_if_a_or_b)
  outcome a_or_b_out info "A or B" { when (a or b) and (b or a) }
  outcome a_and_b_out info "A and B" { when (a and b) or (b and a) })"));
    auto const truth = [](const char* v) {
        return std::string(v) == "unknown" ? json() : json(std::string(v) == "true");
    };
    auto const kleene_not = [](json v) { return v.is_null() ? v : json(!v.get<bool>()); };
    auto const kleene_and = [](json x, json y) {
        if (x == false || y == false) return json(false);
        return x.is_null() || y.is_null() ? json() : json(true);
    };
    auto const kleene_or = [&](json x, json y) { return kleene_not(kleene_and(kleene_not(x), kleene_not(y))); };
    for (const char* a : {"true", "false", "unknown"}) {
        for (const char* b : {"true", "false", "unknown"}) {
            std::string answers = two_answers(a, b);
            answers.insert(answers.size() - 1, std::string(answers.size() > 2 ? ", " : "") +
                                                   "\"seen_if_b\": true, \"seen_if_a_or_b\": true");
            INFO(answers);
            json const r = evaluate_json(q, answers);
            json const values = r.at("values");
            json const x = truth(a);
            json const y = truth(b);
            CHECK(values.at("and_not_outcome") == kleene_and(x, kleene_not(y)));
            CHECK(values.at("and_not_question") == kleene_and(x, kleene_not(y)));
            CHECK(values.at("and_question") == kleene_and(x, y));
            CHECK(values.at("and_let") == kleene_and(x, y));
            CHECK(values.at("or_let") == kleene_or(x, y));
            CHECK(values.at("seen") == (y == true));
            json const kept = kleene_or(x, y);
            CHECK(values.at("kept") == kept);
            CHECK(values.at("a_or_b") == kleene_or(x, y));
            CHECK(values.at("a_and_b") == kleene_and(x, y));
            CHECK(values.at("seen_either") == (kleene_or(x, y) == true));
            auto const fired = [&](const char* id) {
                bool found = false;
                for (const json& o : r.at("outcomes")) found = found || o.at("id") == id;
                return found;
            };
            CHECK(fired("kept_out") == (kept == true));
            CHECK(fired("a_or_b_out") == (kleene_or(x, y) == true));
            CHECK(fired("a_and_b_out") == (kleene_and(x, y) == true));
        }
    }
}

TEST_CASE("unknown propagates through arithmetic, comparisons and functions", "[eval]") {
    questionnaire const q = compile_ok(with_referral(R"(
  options level { low = 1 "Low"  high = 3 "High" }
  question n: integer 0..100 optional { ask "N?" }
  question d: decimal 0..10 optional { ask "D?" }
  question c: choice level optional { ask "C?" }
  question m: multi level optional { ask "M?" }
  question t: text optional { ask "T?" }
  let plus = n + 1
  let minus = n - 1
  let times = n * 2
  let divided = n / 2
  let negated = -n
  let less = n < 5
  let equal = n == 5
  let unequal = n != 5
  let in_set = c in {low}
  let has_high = m has high
  let scored = score(c)
  let c_again = c
  let scored_let = score(c_again)
  let counted = count(m)
  let summed = sum(n, d)
  let smallest = min(n, d)
  let largest = max(n, d)
  let same_text = t == "x"
  let chosen = if n > 1 then 10 else 20
  let answered_n = answered(n)
  let fallback = n ?? -1
  outcome uses info "uses" {
    when plus + minus + times + divided + negated + scored + scored_let + counted + summed + smallest + largest + chosen + fallback > 0
         and (less or equal or unequal or in_set or has_high or same_text or answered_n)
  })"));

    SECTION("everything unanswered: unknown everywhere except answered and ??") {
        json const values = evaluate_json(q, "{}").at("values");
        for (const auto& [name, v] : values.items()) {
            INFO(name);
            if (name == "answered_n") {
                CHECK(v == false);
            } else if (name == "fallback") {
                CHECK(v == -1);
            } else {
                CHECK(v.is_null());
            }
        }
    }
    SECTION("everything answered: known values") {
        json const values =
            evaluate_json(q, R"({"n": 4, "d": 2.5, "c": "high", "m": ["low", "high"], "t": "x"})").at("values");
        CHECK(values.at("plus") == 5);
        CHECK(values.at("minus") == 3);
        CHECK(values.at("times") == 8);
        CHECK(values.at("divided") == 2);
        CHECK(values.at("negated") == -4);
        CHECK(values.at("less") == true);
        CHECK(values.at("equal") == false);
        CHECK(values.at("unequal") == true);
        CHECK(values.at("in_set") == false);
        CHECK(values.at("has_high") == true);
        CHECK(values.at("scored") == 3);
        // Not fused with a question's load: the option set comes with the call.
        CHECK(values.at("scored_let") == 3);
        CHECK(values.at("counted") == 2);
        CHECK(values.at("summed") == 6.5);
        CHECK(values.at("smallest") == 2.5);
        CHECK(values.at("largest") == 4);
        CHECK(values.at("same_text") == true);
        CHECK(values.at("chosen") == 10);
        CHECK(values.at("answered_n") == true);
        CHECK(values.at("fallback") == 4);
    }
    SECTION("one unknown operand among known ones is enough") {
        json const values = evaluate_json(q, R"({"d": 2.5})").at("values");
        CHECK(values.at("summed").is_null());
        CHECK(values.at("smallest").is_null());
        CHECK(values.at("largest").is_null());
    }
}

TEST_CASE("a question, let or score and the operator with a constant after it, known and unknown", "[eval]") {
    // The evaluator runs such pairs as one instruction, and sums of `score(x) ?? d` as one
    // instruction per term: every operator with a number constant follows each kind of load.
    struct operation {
        const char* name;
        const char* symbol;
        json (*apply)(double, double);
    };
    const operation operations[] = {
        {"eq", "==", [](double x, double k) { return json(x == k); }},
        {"ne", "!=", [](double x, double k) { return json(x != k); }},
        {"lt", "<", [](double x, double k) { return json(x < k); }},
        {"le", "<=", [](double x, double k) { return json(x <= k); }},
        {"gt", ">", [](double x, double k) { return json(x > k); }},
        {"ge", ">=", [](double x, double k) { return json(x >= k); }},
        {"add", "+", [](double x, double k) { return json(x + k); }},
        {"sub", "-", [](double x, double k) { return json(x - k); }},
        {"mul", "*", [](double x, double k) { return json(x * k); }},
        {"div", "/", [](double x, double k) { return json(x / k); }},
        {"or", "??", [](double x, double) { return json(x); }},
    };
    // Each load with the constant it is compared with (its value may equal it or not).
    const std::pair<const char*, const char*> loads[] = {{"q", "n"}, {"l", "ln"}, {"s", "score(c)"}};
    std::string lets = R"(
  options level { low = 1 "Low"  high = 3 "High" }
  question n: integer 0..100 optional { ask "N?" }
  question c: choice level optional { ask "C?" }
  question m: multi level optional { ask "M?" }
  let ln = n
  let lc = c
  let lm = m
  let q_in = c in {low}
  let q_has = m has high
  let l_in = lc in {low}
  let l_has = lm has high
  let total = score(c) ?? 7 + score(c) ?? 5
  let n_total = n + score(c) ?? 5
  outcome uses info "uses" { when q_in })";
    for (const auto& [prefix, load] : loads) {
        char const* constant = prefix[0] == 's' ? "3" : "5";
        for (const operation& o : operations) {
            lets += std::string("\n  let ") + prefix + "_" + o.name + " = " + load + " " + o.symbol + " " + constant;
        }
    }
    questionnaire const q = compile_ok(with_referral(lets));
    using known = std::optional<double>;
    struct row {
        const char* answers;
        known n;
        known score;               // of c
        std::optional<bool> low;   // c == low
        std::optional<bool> high;  // m has high
    };
    const row rows[] = {
        {R"({})", {}, {}, {}, {}},
        {R"({"n": 5, "c": "high", "m": ["high"]})", 5, 3, false, true},
        {R"({"n": 4, "c": "low", "m": ["low"]})", 4, 1, true, false},
        {R"({"n": 6, "m": []})", 6, {}, {}, false},
        {R"({"c": "high"})", {}, 3, false, {}},
    };
    auto const or_null = [](auto v) { return v ? json(*v) : json(); };
    for (const row& r : rows) {
        INFO(r.answers);
        json const values = evaluate_json(q, r.answers).at("values");
        for (const auto& [prefix, load] : loads) {
            known const x = prefix[0] == 's' ? r.score : r.n;
            double const k = prefix[0] == 's' ? 3 : 5;
            for (const operation& o : operations) {
                std::string const name = std::string(prefix) + "_" + o.name;
                INFO(name);
                json const expected = x ? o.apply(*x, k) : std::string(o.name) == "or" ? json(k) : json();
                CHECK(values.at(name) == expected);
            }
        }
        CHECK(values.at("q_in") == or_null(r.low));
        CHECK(values.at("l_in") == or_null(r.low));
        CHECK(values.at("q_has") == or_null(r.high));
        CHECK(values.at("l_has") == or_null(r.high));
        CHECK(values.at("total") == (r.score ? 2 * *r.score : 12));
        CHECK(values.at("n_total") == (r.n ? json(*r.n + r.score.value_or(5)) : json()));
    }
}

TEST_CASE("division by zero gives unknown, not an error", "[eval]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question n: integer 0..10 { ask "N?" }
  let ratio = 10 / n
  let safe = (10 / n) ?? 0
  outcome uses info "uses" { when ratio > safe })"));
    json const zero = evaluate_json(q, R"({"n": 0})");
    CHECK(zero.at("status") == "complete");
    CHECK(zero.at("values").at("ratio").is_null());
    CHECK(zero.at("values").at("safe") == 0);
    CHECK(zero.at("undetermined") == json::parse(R"([{"id": "uses", "missing": []}])"));
    CHECK(evaluate_json(q, R"({"n": 4})").at("values").at("ratio") == 2.5);
}

TEST_CASE("if with an unknown condition is unknown even when both branches agree", "[eval]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question c: yesno optional { ask "C?" }
  let same = if c then 1 else 1
  outcome uses info "uses" { when same == 1 })"));
    CHECK(evaluate_json(q, "{}").at("values").at("same").is_null());
    CHECK(evaluate_json(q, R"({"c": "no"})").at("values").at("same") == 1);
}

TEST_CASE("visibility: chains of when, hidden answers ignored and reported", "[flow]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question first: yesno { ask "First?" }
  section more "More" when first {
    question second: yesno { ask "Second?" }
    question third: integer 0..9 when second { ask "Third?" }
  }
  question fourth: yesno when answered(third) { ask "Fourth?" }
  let shown_third = answered(third)
  outcome uses info "uses" { when shown_third or fourth })"));

    SECTION("all shown") {
        json const r = evaluate_json(q, R"({"first": true, "second": true, "third": 3, "fourth": false})");
        CHECK(r.at("status") == "complete");
        CHECK(r.at("ignored") == json::array());
        CHECK(r.at("values").at("shown_third") == true);
    }
    SECTION("a hidden section hides its questions and everything that depends on them") {
        json const r = evaluate_json(q, R"({"first": false, "second": true, "third": 3, "fourth": false})");
        CHECK(r.at("status") == "complete");
        CHECK(r.at("ignored") == json::parse(R"(["second", "third", "fourth"])"));
        CHECK(r.at("values").at("shown_third") == false);
        CHECK(r.at("missing") == json::array());
    }
    SECTION("an unanswered question leaves later ones undecided, so not shown and not missing") {
        json const r = evaluate_json(q, R"({"first": true})");
        CHECK(r.at("status") == "incomplete");
        CHECK(r.at("missing") == json::parse(R"(["second"])"));
    }
}

TEST_CASE("required and optional questions: missing and incomplete", "[flow]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question needed: yesno { ask "Needed?" }
  question extra: yesno optional { ask "Extra?" }
  outcome uses info "uses" { when needed or extra })"));
    json const missing = evaluate_json(q, R"({"extra": true})");
    CHECK(missing.at("status") == "incomplete");
    CHECK(missing.at("missing") == json::parse(R"(["needed"])"));
    CHECK(missing.at("outcomes").at(0).at("id") == "uses");
    json const complete = evaluate_json(q, R"({"needed": false})");
    CHECK(complete.at("status") == "complete");
    CHECK(complete.at("missing") == json::array());
    CHECK(complete.at("undetermined") == json::parse(R"([{"id": "uses", "missing": ["extra"]}])"));
}

TEST_CASE("require rejects an answer with its text; unknown passes", "[flow]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question tried: integer 0..20 { ask "Tried?" }
  question adequate: integer 0..20 optional {
    ask "Adequate?"
    require adequate <= tried else "That is more than the number you tried ({tried})."
  }
  outcome uses info "uses" { when adequate >= 2 })"));
    json const bad = evaluate_json(q, R"({"tried": 1, "adequate": 3})");
    CHECK(bad.at("status") == "invalid");
    CHECK(bad.at("errors") ==
          json::parse(R"([{"question": "adequate", "message": "That is more than the number you tried (1)."}])"));
    CHECK(bad.at("outcomes") == json::array());
    CHECK(bad.at("referral").at("title") == "See a clinician");
    CHECK(evaluate_json(q, R"({"tried": 3, "adequate": 3})").at("status") == "complete");
    CHECK(evaluate_json(q, R"({"adequate": 3})").at("status") == "incomplete");
}

TEST_CASE("stop: answers after the point where a stop outcome fired are ignored", "[flow]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question danger: yesno { ask "In danger?" }
  question age: integer 0..120 { ask "Age?" }
  question thoughts: yesno { ask "Thoughts?" }
  question later: yesno { ask "Later?" }
  outcome crisis urgent "Get help now" { when danger or thoughts stop }
  outcome adult info "Adult" { when age >= 18 }
  outcome late info "Later" { when later })"));

    SECTION("a stop at the first answer ignores everything after it") {
        json const r = evaluate_json(q, R"({"danger": true, "age": 30, "thoughts": false, "later": true})");
        CHECK(r.at("status") == "stopped");
        CHECK(r.at("ignored") == json::parse(R"(["age", "thoughts", "later"])"));
        CHECK(r.at("outcomes").size() == 1);
        CHECK(r.at("outcomes").at(0).at("id") == "crisis");
        CHECK(r.at("missing") == json::array());
    }
    SECTION("a later stop keeps the answers before it") {
        json const r = evaluate_json(q, R"({"danger": false, "age": 30, "thoughts": true, "later": true})");
        CHECK(r.at("status") == "stopped");
        CHECK(r.at("ignored") == json::parse(R"(["later"])"));
        CHECK(r.at("outcomes").at(0).at("id") == "crisis");
        CHECK(r.at("outcomes").at(1).at("id") == "adult");
        CHECK(r.at("undetermined") == json::parse(R"([{"id": "late", "missing": []}])"));
    }
    SECTION("no stop: everything counts") {
        json const r = evaluate_json(q, R"({"danger": false, "age": 30, "thoughts": false, "later": true})");
        CHECK(r.at("status") == "complete");
        CHECK(r.at("ignored") == json::array());
    }
}

TEST_CASE("the stop replay follows the intake even when a later answer would undo the stop", "[flow]") {
    // `hide` is asked after `danger`: in an intake the stop fires before `hide` is answered.
    questionnaire const q = compile_ok(with_referral(R"(
  question danger: yesno { ask "In danger?" }
  question hide: yesno { ask "Hide?" }
  outcome crisis urgent "Get help now" { when danger and not (hide ?? false) stop })"));
    json const r = evaluate_json(q, R"({"danger": true, "hide": true})");
    CHECK(r.at("status") == "stopped");
    CHECK(r.at("ignored") == json::parse(R"(["hide"])"));
    CHECK(r.at("outcomes").at(0).at("id") == "crisis");
}

TEST_CASE("the stop replay also follows the intake when `answered` would undo the stop", "[flow]") {
    // Without `??` or `answered` a stop that does not fire on all the answers fires on no
    // prefix of them, and the evaluator skips the replay; `answered` must not be skipped.
    questionnaire const q = compile_ok(with_referral(R"(
  question danger: yesno { ask "In danger?" }
  question age: integer 0..120 { ask "Age?" }
  question hide: yesno { ask "Hide?" }
  outcome crisis urgent "Get help now" { when danger and not answered(hide) stop })"));
    json const r = evaluate_json(q, R"({"danger": true, "age": 40, "hide": false})");
    CHECK(r.at("status") == "stopped");
    CHECK(r.at("ignored") == json::parse(R"(["age", "hide"])"));
    CHECK(r.at("outcomes").at(0).at("id") == "crisis");
}

TEST_CASE("stop: before the first answer, and at the last one", "[flow]") {
    SECTION("a stop that fires with no answers ignores them all") {
        questionnaire const q = compile_ok(with_referral(R"(
  question first: yesno optional { ask "First?" }
  question middle: yesno { ask "Middle?" }
  outcome unasked urgent "Answer the first question" { when not answered(first) stop }
  outcome seen info "Seen" { when middle })"));
        json const r = evaluate_json(q, R"({"first": true, "middle": true})");
        CHECK(r.at("status") == "stopped");
        CHECK(r.at("ignored") == json::parse(R"(["first", "middle"])"));
        CHECK(r.at("outcomes").size() == 1);
        CHECK(r.at("outcomes").at(0).at("id") == "unasked");
    }
    SECTION("a stop at the last question ignores nothing") {
        questionnaire const q = compile_ok(with_referral(R"(
  question first: yesno { ask "First?" }
  question last: yesno { ask "Last?" }
  outcome late urgent "Late" { when last stop }
  outcome seen info "Seen" { when first })"));
        json const r = evaluate_json(q, R"({"first": true, "last": true})");
        CHECK(r.at("status") == "stopped");
        CHECK(r.at("ignored") == json::array());
        CHECK(r.at("outcomes").size() == 2);
        CHECK(r.at("outcomes").at(0).at("id") == "late");
        CHECK(r.at("outcomes").at(1).at("id") == "seen");
    }
}

TEST_CASE("results list outcomes by level, then file order, and always the referral", "[flow]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question x: yesno { ask "X?" }
  outcome i1 info "I1" { when x }
  outcome g1 guidance "G1" { when x }
  outcome c1 caution "C1" { when x }
  outcome u1 urgent "U1" { when x }
  outcome c2 caution "C2" { when x }
  outcome i2 info "I2" { when x })"));
    json const r = evaluate_json(q, R"({"x": true})");
    std::vector<std::string> ids;
    for (const json& o : r.at("outcomes")) ids.push_back(o.at("id"));
    CHECK(ids == std::vector<std::string>{"u1", "c1", "c2", "g1", "i1", "i2"});
    CHECK(r.at("referral") == json::parse(R"({"title": "See a clinician", "text": "Always.", "cites": []})"));
    json const none = evaluate_json(q, R"({"x": false})");
    CHECK(none.at("outcomes") == json::array());
    CHECK(none.at("referral").at("title") == "See a clinician");
}

TEST_CASE("undetermined outcomes name the unanswered questions they wait for", "[flow]") {
    questionnaire const q = compile_ok(with_referral(R"(
  question a: yesno optional { ask "A?" }
  question b: integer 0..10 optional { ask "B?" }
  question c: yesno optional { ask "C?" }
  let high = b > 5
  outcome both info "Both" { when a and high }
  outcome either info "Either" { when a or c })"));
    json const r = evaluate_json(q, R"({"a": true})");
    // `either` fired (a is true), so only `both` waits, for b.
    CHECK(r.at("undetermined") == json::parse(R"([{"id": "both", "missing": ["b"]}])"));
    CHECK(evaluate_json(q, "{}").at("undetermined") ==
          json::parse(R"([{"id": "both", "missing": ["a", "b"]}, {"id": "either", "missing": ["a", "c"]}])"));
}

TEST_CASE("a question hidden by `answered` or `??` is waited for through what can still show it", "[flow]") {
    // `answered(tried)` and `tried ?? 0` are false while `tried` has no answer, but answering
    // it can turn them true; a condition without them that is false stays false.
    questionnaire const q = compile_ok(with_referral(R"(
  question low: integer 0..3 { ask "Low?" }
  question tried: integer 0..20 optional when low >= 1 { ask "Tried?" }
  let tried_given = answered(tried)
  question adequate: integer 0..20 optional when tried_given { ask "Adequate?" }
  question dose: integer 0..20 optional when (tried ?? 0) >= 3 { ask "Dose?" }
  question later: integer 0..20 optional when tried >= 1 { ask "Later?" }
  outcome discuss info "Discuss" { when adequate >= 2 }
  outcome high_dose info "High dose" { when dose > 5 }
  outcome later_one info "Later" { when later > 1 })"));
    auto const waiting = [&](const char* answers) { return evaluate_json(q, answers).at("undetermined"); };
    CHECK(waiting("{}") == json::parse(R"([{"id": "discuss", "missing": ["low"]},
                                           {"id": "high_dose", "missing": ["low"]},
                                           {"id": "later_one", "missing": ["low"]}])"));
    CHECK(waiting(R"({"low": 2})") == json::parse(R"([{"id": "discuss", "missing": ["tried"]},
                                                      {"id": "high_dose", "missing": ["tried"]},
                                                      {"id": "later_one", "missing": ["tried"]}])"));
    // `tried` itself hidden by a plain comparison: nothing can decide them any more.
    CHECK(waiting(R"({"low": 0})") == json::parse(R"([{"id": "discuss", "missing": []},
                                                      {"id": "high_dose", "missing": []},
                                                      {"id": "later_one", "missing": []}])"));
    // `later` hidden by `tried >= 1` with tried = 0, `dose` by `tried ?? 0` with tried known.
    CHECK(waiting(R"({"low": 2, "tried": 0})") == json::parse(R"([{"id": "discuss", "missing": ["adequate"]},
                                                                  {"id": "high_dose", "missing": []},
                                                                  {"id": "later_one", "missing": []}])"));
}
