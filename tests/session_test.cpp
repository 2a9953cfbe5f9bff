// The intake session: next question, answer, back, skip, stop, save and restore.

#include <catch2/catch.hpp>

#include "evaluate_support.hpp"
#include "stepcare/session.hpp"

using namespace stepcare;
using namespace stepcare::testing;
using nlohmann::json;

namespace {

const char* const intake = R"(questionnaire intake "Intake" {
  version "1"
  languages en, es
  options often { never = 0 { en "Never" es "Nunca" }  often = 2 { en "Often" es "A menudo" } }
  question danger: yesno { ask { en "Are you in danger now?" es "¿Está en peligro ahora?" } }
  section about { en "About you" es "Sobre usted" } {
    question age: integer 0..120 { ask { en "Your age?" es "¿Su edad?" } unit { en "years" es "años" } }
    question low: choice often { ask { en "Low mood?" es "¿Ánimo bajo?" } }
    question tried: integer 0..20 optional when score(low) >= 1 {
      ask { en "How many tried?" es "¿Cuántos probó?" }
    }
    question adequate: integer 0..20 optional when answered(tried) {
      ask { en "How many at a full dose, of your {tried}?" es "¿Cuántos a dosis completa, de sus {tried}?" }
      require adequate <= tried else { en "More than you tried." es "Más de los que probó." }
    }
  }
  outcome crisis urgent { en "Get help now" es "Busque ayuda ahora" } { when danger stop }
  outcome discuss guidance { en "Discuss options" es "Hable de opciones" } { when adequate >= 2 }
  referral { en "See a clinician" es "Consulte a un profesional" } { say { en "Always." es "Siempre." } }
})";

/// Answers `intake` up to `adequate`, then goes back to `tried`.
void back_to_tried(session& s, int tried, int adequate) {
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.answer(40).accepted);
    REQUIRE(s.answer("often").accepted);
    REQUIRE(s.answer(tried).accepted);
    REQUIRE(s.answer(adequate).accepted);
    REQUIRE(s.back());
    REQUIRE(s.back());
}

std::string current_id(const session& s) {
    auto const q = s.current();
    return q ? q->id : std::string("(none)");
}

}  // namespace

TEST_CASE("a session shows questions in order, skipping hidden ones", "[session]") {
    session s(compile_ok(intake));
    REQUIRE(current_id(s) == "danger");
    CHECK(s.current()->section_title.empty());
    CHECK(s.progress().number == 1);
    CHECK(s.progress().total == 4);  // `adequate` waits for `tried` to be answered
    REQUIRE(s.answer(false).accepted);
    REQUIRE(current_id(s) == "age");
    CHECK(s.current()->section_title == "About you");
    CHECK(s.current()->unit == "years");
    REQUIRE(s.answer(34).accepted);
    auto const low = s.current();
    REQUIRE(low->id == "low");
    REQUIRE(low->options.size() == 2);
    CHECK(low->options[1].label == "Often");
    REQUIRE(s.answer("never").accepted);
    // `tried` is hidden by the answer "never", and `adequate` with it.
    CHECK(s.finished());
    CHECK_FALSE(s.current());
    CHECK(s.progress().total == 3);
    result const r = s.current_result();
    CHECK(r.status == result_status::complete);
    CHECK(r.referral.title == "See a clinician");
}

TEST_CASE("a session rejects bad answers as values and changes nothing", "[session]") {
    session s(compile_ok(intake));
    answer_feedback const wrong_type = s.answer(3);
    CHECK_FALSE(wrong_type.accepted);
    CHECK(wrong_type.message == "'danger' takes yes or no (true, false, \"yes\" or \"no\"), not a number");
    CHECK(current_id(s) == "danger");
    REQUIRE(s.answer_json("\"no\"").accepted);
    CHECK(s.answer(121).message == "'age' is 121, outside its range 0 to 120");
    CHECK(s.answer_json("{").message == "the answer is not valid JSON");
    REQUIRE(s.answer(40).accepted);
    CHECK(s.answer("sometimes").message == "'low' has no option 'sometimes'; its options are never, often");
    REQUIRE(s.answer("often").accepted);
    REQUIRE(s.answer(1).accepted);
    REQUIRE(current_id(s) == "adequate");
    CHECK(s.current()->ask == "How many at a full dose, of your 1?");
    answer_feedback const too_many = s.answer(3);
    CHECK_FALSE(too_many.accepted);
    CHECK(too_many.message == "More than you tried.");
    CHECK(current_id(s) == "adequate");
    CHECK_FALSE(s.answer_of("adequate"));
    REQUIRE(s.answer(1).accepted);
    CHECK(s.finished());
}

TEST_CASE("typed answers with invalid UTF-8 are rejected, so the session can still be saved", "[session]") {
    session s(compile_ok(R"(questionnaire notes "Notes" {
  version "1"
  question mood: choice { low "Low"  fine "Fine" } { ask "Mood?" }
  question note: text max 20 { ask "Anything else?" }
  referral "See a clinician" { say "Always." }
})"));
    CHECK(s.answer("lo\xC3").message ==
          "'mood' takes one option id as text, one of: low, fine, not text with invalid UTF-8");
    REQUIRE(s.answer("low").accepted);
    CHECK(s.answer("caf\xE9").message == "'note' takes text of at most 20 characters, not text with invalid UTF-8");
    CHECK_FALSE(s.answer_of("note"));
    REQUIRE(s.answer("café").accepted);
    CHECK(json::parse(s.save_json()).at("answers") == json::parse(R"({"mood": "low", "note": "café"})"));
}

TEST_CASE("back returns to the previous shown question and keeps hidden answers", "[session]") {
    session s(compile_ok(intake));
    CHECK_FALSE(s.back());
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.answer(40).accepted);
    REQUIRE(s.answer("often").accepted);
    REQUIRE(s.answer(3).accepted);
    REQUIRE(current_id(s) == "adequate");
    REQUIRE(s.back());
    REQUIRE(s.back());
    REQUIRE(current_id(s) == "low");
    // Changing `low` hides `tried`; its answer is kept but ignored.
    REQUIRE(s.answer("never").accepted);
    CHECK(s.finished());
    CHECK(s.answer_of("tried").has_value());
    result const r = s.current_result();
    CHECK(r.ignored == std::vector<std::string>{"tried"});
    // Back again and choose "often": `tried` shows again with its answer.
    REQUIRE(s.back());
    REQUIRE(s.answer("often").accepted);
    REQUIRE(current_id(s) == "tried");
    CHECK(std::get<std::int64_t>(s.answer_of("tried")->data()) == 3);
    CHECK(s.current_result().ignored.empty());
}

TEST_CASE("a changed answer sets aside the later answers it makes invalid, never the result", "[session]") {
    // 4 tried, 3 at a full dose; back to `tried` and change it to 1: `adequate` (3) now
    // breaks its `require`, which would make the whole result invalid.
    session s(compile_ok(intake));
    back_to_tried(s, 4, 3);
    REQUIRE(current_id(s) == "tried");
    answer_feedback const changed = s.answer(1);
    REQUIRE(changed.accepted);
    REQUIRE(changed.set_aside.size() == 1);
    CHECK(changed.set_aside[0].question == "adequate");
    CHECK(changed.set_aside[0].previous.data() == answer_value(3).data());
    CHECK(changed.set_aside[0].message == "More than you tried.");
    CHECK_FALSE(s.answer_of("adequate"));
    // The result is not invalid: `discuss` waits for the question asked again.
    result const partial = s.current_result();
    CHECK(partial.status != result_status::invalid);
    CHECK(partial.errors.empty());
    // The question is asked again, with the reason.
    auto const again = s.current();
    REQUIRE(again->id == "adequate");
    REQUIRE(again->set_aside);
    CHECK(again->set_aside->previous.data() == answer_value(3).data());
    CHECK(again->set_aside->message == "More than you tried.");
    CHECK_FALSE(s.answer(2).accepted);  // still checked against the new answer
    REQUIRE(s.answer(1).accepted);
    CHECK(s.finished());
    CHECK(s.current_result().status == result_status::complete);
    // Answered again: no longer set aside, also after going back to it.
    REQUIRE(s.back());
    CHECK_FALSE(s.current()->set_aside);
    // The saved answers evaluate as the session's result, not as invalid.
    json const saved = json::parse(s.save_json());
    json const record = {{"answers", saved.at("answers")}};
    CHECK(compile_ok(intake).evaluate(record.dump()).status == result_status::complete);
}

TEST_CASE("changed answers are kept as a history, saved and restored", "[session]") {
    session s(compile_ok(intake));
    REQUIRE(s.answer(true).accepted);  // danger: the `stop` ends the intake
    CHECK(s.changes().empty());
    session t(compile_ok(intake));
    back_to_tried(t, 4, 3);
    REQUIRE(t.answer(1).accepted);  // 4 -> 1 sets `adequate` (3) aside
    REQUIRE(t.changes().size() == 2);
    CHECK(t.changes()[0].question == "tried");
    CHECK(t.changes()[0].from.data() == answer_value(4).data());
    CHECK(t.changes()[0].to.data() == answer_value(1).data());
    CHECK(t.changes()[1].question == "adequate");
    CHECK(t.changes()[1].from.data() == answer_value(3).data());
    CHECK(t.changes()[1].to.empty());
    CHECK(t.changes()[0].at.size() == std::string("2026-12-06T19:10:04Z").size());
    CHECK(t.changes()[0].at.back() == 'Z');
    // The same answer again is no change.
    REQUIRE(t.back());
    REQUIRE(t.answer(1).accepted);
    CHECK(t.changes().size() == 2);
    json const saved = json::parse(t.save_json());
    REQUIRE(saved.contains("changes"));
    CHECK(saved.at("changes").at(0).at("question") == "tried");
    CHECK(saved.at("changes").at(0).at("from") == 4);
    CHECK(saved.at("changes").at(1).at("to").is_null());
    session restored(compile_ok(intake));
    CHECK(restored.restore_json(t.save_json()).empty());
    REQUIRE(restored.changes().size() == 2);
    CHECK(restored.changes()[1].from.data() == answer_value(3).data());
    CHECK(restored.changes()[0].at == t.changes()[0].at);
}

TEST_CASE("the questions shown so far, and any question in any language", "[session]") {
    session s(compile_ok(intake), "es");
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.answer(40).accepted);
    CHECK(s.shown_questions() == std::vector<std::string>{"danger", "age", "low"});
    auto const english = s.question("low", "en");
    REQUIRE(english);
    CHECK(english->ask == "Low mood?");
    CHECK(english->options[1].label == "Often");
    CHECK(s.question("low")->ask == "¿Ánimo bajo?");
    CHECK(s.question("low", "fr")->ask == "¿Ánimo bajo?");  // undeclared: the session's language
    CHECK_FALSE(s.question("nope"));
}

TEST_CASE("a changed answer keeps the later answers that still fit", "[session]") {
    session s(compile_ok(intake));
    back_to_tried(s, 4, 2);
    answer_feedback const changed = s.answer(3);
    REQUIRE(changed.accepted);
    CHECK(changed.set_aside.empty());
    CHECK(s.answer_of("adequate")->data() == answer_value(2).data());
    CHECK_FALSE(s.current()->set_aside);
}

TEST_CASE("skip works only for optional questions", "[session]") {
    session s(compile_ok(intake));
    CHECK_FALSE(s.skip().accepted);
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.answer(40).accepted);
    REQUIRE(s.answer("often").accepted);
    REQUIRE(current_id(s) == "tried");
    REQUIRE(s.skip().accepted);
    // `adequate` needs `tried` answered, so the intake is over.
    CHECK(s.finished());
    CHECK(s.current_result().status == result_status::complete);
}

TEST_CASE("an urgent stop outcome ends the session at once", "[session]") {
    session s(compile_ok(intake), "es");
    CHECK(s.language() == "es");
    CHECK(s.current()->ask == "¿Está en peligro ahora?");
    REQUIRE(s.answer("yes").accepted);
    CHECK(s.stopped());
    CHECK(s.finished());
    std::vector<fired_outcome> const fired = s.outcomes();
    REQUIRE(fired.size() == 1);
    CHECK(fired[0].title == "Busque ayuda ahora");
    result const r = s.current_result();
    CHECK(r.status == result_status::stopped);
    CHECK(r.referral.title == "Consulte a un profesional");
    // An answer given by mistake can be changed: back returns to it, and the stop holds
    // until the answer changes.
    REQUIRE(s.back());
    CHECK(current_id(s) == "danger");
    CHECK(s.stopped());
    CHECK(s.progress().number == 1);
    CHECK(s.progress().total == 1);
    // Saved there, it restores there.
    session copy(compile_ok(intake), "es");
    CHECK(copy.restore_json(s.save_json()).empty());
    CHECK(current_id(copy) == "danger");
    CHECK(copy.stopped());
    REQUIRE(s.answer("no").accepted);
    CHECK_FALSE(s.stopped());
    CHECK(current_id(s) == "age");
    REQUIRE(s.changes().size() == 1);
    CHECK(s.changes()[0].from.data() == answer_value(true).data());
}

TEST_CASE("a session saves and restores its answers and position", "[session]") {
    questionnaire const q = compile_ok(intake);
    session first(q);
    REQUIRE(first.answer(false).accepted);
    REQUIRE(first.answer(40).accepted);
    std::string const saved = first.save_json();
    json const parsed = json::parse(saved);
    CHECK(parsed.at("answers") == json::parse(R"({"danger": false, "age": 40})"));
    CHECK(parsed.at("position") == "low");
    CHECK(parsed.at("questionnaire").at("sha256") == q.sha256());

    session second(q);
    CHECK(second.restore_json(saved).empty());
    CHECK(current_id(second) == "low");
    REQUIRE(second.back());
    CHECK(current_id(second) == "age");

    session third(q);
    std::vector<answer_error> const errors = third.restore_json(R"({"answers": {"danger": false, "age": 300}})");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "'age' is 300, outside its range 0 to 120");
    CHECK(current_id(third) == "age");
}

TEST_CASE("a session saved when over restores as over, skipped questions included", "[session]") {
    questionnaire const q = compile_ok(intake);
    session first(q);
    REQUIRE(first.answer(false).accepted);
    REQUIRE(first.answer(40).accepted);
    REQUIRE(first.answer("often").accepted);
    REQUIRE(first.skip().accepted);
    REQUIRE(first.finished());

    session second(q);
    CHECK(second.restore_json(first.save_json()).empty());
    CHECK(second.finished());
    CHECK(second.save_json() == first.save_json());
    REQUIRE(second.back());
    CHECK(current_id(second) == "tried");
}

namespace {

/// Each use as one line: its kind, id, title and, for outcomes, level.
std::vector<std::string> uses_of(const session& s, std::string_view id) {
    std::vector<std::string> lines;
    for (const answer_use& use : s.used_by(id)) {
        std::string line = std::string(to_string(use.what)) + " " + use.id + " \"" + use.title + "\"";
        if (use.what == answer_use::kind::outcome || use.what == answer_use::kind::outcome_text) {
            line += std::string(" ") + to_string(use.level);
        }
        lines.push_back(line);
    }
    return lines;
}

}  // namespace

TEST_CASE("used_by names the lets, outcomes and other questions that depend on a question", "[session]") {
    session s(compile_ok(intake), "es");
    CHECK(uses_of(s, "adequate") == std::vector<std::string>{"outcome discuss \"Hable de opciones\" guidance"});
    CHECK(uses_of(s, "danger") == std::vector<std::string>{"outcome crisis \"Busque ayuda ahora\" urgent"});
    CHECK(s.used_by("age").empty());
    // `low` decides whether `tried` is shown.
    CHECK(uses_of(s, "low") == std::vector<std::string>{"question_shown tried \"¿Cuántos probó?\""});
    // `tried` decides whether `adequate` is shown, its `require` reads `tried` too, and its
    // ask shows `tried`: three uses, the title rendered with the answers so far.
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.answer(40).accepted);
    REQUIRE(s.answer("often").accepted);
    REQUIRE(s.answer(3).accepted);
    std::string const adequate = "adequate \"¿Cuántos a dosis completa, de sus 3?\"";
    CHECK(uses_of(s, "tried") == std::vector<std::string>{"question_shown " + adequate,
                                                          "question_requirement " + adequate,
                                                          "question_text " + adequate});
    CHECK(s.used_by("nonexistent").empty());
}

TEST_CASE("used_by names the outcomes, referral and later questions whose texts show an answer", "[session]") {
    session s(compile_ok(R"(questionnaire wording "Wording" {
  version "1"
  languages en, es
  question country: choice { us { en "US" es "EE. UU." }  other { en "Other" es "Otro" } } {
    ask { en "Country?" es "¿País?" }
    help { en "Your clinic: {clinic}." es "Su clínica: {clinic}." }
  }
  question low: yesno { ask { en "Low mood?" es "¿Ánimo bajo?" } }
  question name: text optional { ask { en "Your name?" es "¿Su nombre?" } }
  question age: integer 0..120 { ask { en "Age?" es "¿Edad?" } help { en "Asked of {name}." es "Se pregunta a {name}." } }
  question clinic: choice { north { en "North" es "Norte" }  south { en "South" es "Sur" } } {
    ask { en "Clinic?" es "¿Clínica?" }
  }
  let next_year = age + 1
  outcome crisis urgent { en "Get help now" es "Busque ayuda ahora" } {
    when low
    say { en "{country, select, us {Call 988.} other {Call your local number.}}"
          es "{country, select, us {Llame al 988.} other {Llame a su número local.}}" }
  }
  outcome discuss guidance { en "Discuss options" es "Hable de opciones" } {
    when low
    say { en "Next year you will be {next_year}." es "El año que viene tendrá {next_year}." }
  }
  outcome thanks info { en "Thank you" es "Gracias, {name}" } { when answered(name) }
  referral { en "See a clinician" es "Consulte a un profesional" } {
    say { en "{clinic, select, north {Go to the north clinic.} other {Go to your clinic.}}"
          es "{clinic, select, north {Vaya a la clínica norte.} other {Vaya a su clínica.}}" }
  }
})"));
    // Directly, in an outcome's `say`.
    CHECK(uses_of(s, "country") == std::vector<std::string>{"outcome_text crisis \"Get help now\" urgent"});
    CHECK(uses_of(s, "low") == std::vector<std::string>{"outcome crisis \"Get help now\" urgent",
                                                        "outcome discuss \"Discuss options\" guidance"});
    // Through a let, which has no title: it is named in the author's language only.
    CHECK(uses_of(s, "age") ==
          std::vector<std::string>{"let next_year \"\"", "outcome_text discuss \"Discuss options\" guidance"});
    // Only the Spanish title shows `name`; the outcome's condition and its wording both
    // use it; and a later question's help shows it.
    CHECK(uses_of(s, "name") == std::vector<std::string>{"outcome thanks \"Thank you\" info",
                                                         "outcome_text thanks \"Thank you\" info",
                                                         "question_text age \"Age?\""});
    // The referral, with neither id nor title; `country`'s help, asked earlier, is not listed.
    CHECK(uses_of(s, "clinic") == std::vector<std::string>{"referral_text  \"\""});
}

TEST_CASE("a session gives outcome, source and question texts by id, in its language", "[session]") {
    session s(compile_ok(intake), "es");
    auto const crisis = s.outcome("crisis");
    REQUIRE(crisis);
    CHECK(crisis->id == "crisis");
    CHECK(crisis->level == outcome_level::urgent);
    CHECK(crisis->title == "Busque ayuda ahora");
    CHECK(crisis->stops);
    auto const discuss = s.outcome("discuss");
    REQUIRE(discuss);
    CHECK(discuss->level == outcome_level::guidance);
    CHECK_FALSE(discuss->stops);
    CHECK_FALSE(s.outcome("nonexistent"));

    CHECK(s.question_text("age") == "¿Su edad?");
    CHECK_FALSE(s.question_text("nonexistent"));
    // Texts that quote answers are rendered with the answers so far.
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.answer(40).accepted);
    REQUIRE(s.answer("often").accepted);
    REQUIRE(s.answer(3).accepted);
    CHECK(s.question_text("adequate") == "¿Cuántos a dosis completa, de sus 3?");

    questionnaire const cited = compile_ok(R"(questionnaire cited "Cited" {
  version "1"
  source guide "Treatment guideline"
  question x: yesno { ask "X?" }
  outcome o info "O" { when x cite guide }
  referral "See a clinician" { say "Always." }
})");
    session t(cited);
    CHECK(t.source_title("guide") == "Treatment guideline");
    CHECK_FALSE(t.source_title("nonexistent"));
}

TEST_CASE("an answer or skip reports the urgent outcomes it made fire, once while they fire", "[session]") {
    questionnaire const q = compile_ok(R"(questionnaire u "Urgent" {
  version "1"
  question hopeless: yesno { ask "Hopeless?" }
  question plan: yesno optional { ask "A plan?" }
  question age: integer 0..120 { ask "Age?" }
  question danger: yesno { ask "In danger now?" }
  outcome support urgent "Talk to someone today" { when hopeless }
  outcome unplanned urgent "No plan given" { when hopeless and not answered(plan) }
  outcome older info "Over sixty" { when age > 60 }
  outcome crisis urgent "Get help now" { when danger stop }
  referral "See a clinician" { say "Always." }
})");
    session s(q);
    answer_feedback const hopeless = s.answer(true);
    REQUIRE(hopeless.accepted);
    CHECK(hopeless.urgent == std::vector<std::string>{"support", "unplanned"});
    // A skip reports too; `unplanned` fires on, so it is not reported again.
    answer_feedback const skipped = s.skip();
    REQUIRE(skipped.accepted);
    CHECK(skipped.urgent.empty());
    CHECK(s.answer(70).urgent.empty());  // an info outcome is not urgent
    // Back to `hopeless`: `no` stops both; `yes` again makes them fire again.
    REQUIRE(s.back());
    REQUIRE(s.back());
    REQUIRE(s.back());
    CHECK(s.answer(false).urgent.empty());
    REQUIRE(s.back());
    CHECK(s.answer(true).urgent == std::vector<std::string>{"support", "unplanned"});
    // A rejected step reports nothing and changes nothing.
    answer_feedback const refused = s.answer("maybe");
    CHECK_FALSE(refused.accepted);
    CHECK(refused.urgent.empty());

    // The answer that stops the intake reports its outcome; going back from the stop and
    // giving the same answer again reports it again, the person having reconsidered.
    REQUIRE(s.answer(false).accepted);  // plan
    REQUIRE(s.answer(70).accepted);
    CHECK(s.answer(true).urgent == std::vector<std::string>{"crisis"});
    REQUIRE(s.stopped());
    REQUIRE(s.back());
    CHECK(s.answer(true).urgent == std::vector<std::string>{"support", "crisis"});

    // Restored answers that already fire are not reported by the next step.
    session resumed(q);
    REQUIRE(resumed.restore_json(R"({"answers": {"hopeless": true}})").empty());
    CHECK(resumed.answer(true).urgent.empty());  // plan

    session fresh(q);
    CHECK(fresh.skip().message == "only an optional question can be skipped");
}

TEST_CASE("parse_answer reads typed text in the session's language, or says what is wrong", "[session]") {
    session s(compile_ok(R"(questionnaire typed "Typed" {
  version "1"
  languages en, es
  question danger: yesno { ask "In danger?" }
  question low: choice { never { en "Never" es "Nunca" } often { en "Often" es "A menudo" } } { ask "Low?" }
  question sessions: choice { few "1 to 3" many "4 or more" } { ask "Sessions?" }
  question dose: decimal 0..10 { ask "Dose?" unit { en "mg" es "mg" } }
  question note: text max 3 { ask "Note?" }
  referral "See a clinician" { say "Always." }
})"),
              "es");
    auto const view = [&](const char* id) { return *s.question(id); };
    auto const value_of = [&](const char* id, std::string_view text) {
        parsed_answer const parsed = s.parse_answer(view(id), text);
        REQUIRE(parsed.value);
        CHECK_FALSE(parsed.problem);
        return *parsed.value;
    };
    auto const problem_of = [&](const char* id, std::string_view text) {
        parsed_answer const parsed = s.parse_answer(view(id), text);
        CHECK_FALSE(parsed.value);
        REQUIRE(parsed.problem);
        return *parsed.problem;
    };
    CHECK(value_of("danger", "Sí").data() == answer_value(true).data());
    CHECK(value_of("danger", "n").data() == answer_value(false).data());
    CHECK(problem_of("danger", "maybe").what == answer_problem::kind::not_yes_no);
    // Options by key, by label in the session's language (accents and case ignored) or its start.
    CHECK(view("low").options[1].key == "2");
    CHECK(value_of("low", "2").data() == answer_value("often").data());
    CHECK(value_of("low", "a MENUDO").data() == answer_value("often").data());
    CHECK(value_of("low", "nun").data() == answer_value("never").data());
    answer_problem const unknown = problem_of("low", "sometimes");
    CHECK(unknown.what == answer_problem::kind::unknown_option);
    CHECK(unknown.text == "sometimes");
    CHECK(unknown.message == "'sometimes' is not one of the options");
    CHECK(problem_of("low", "3").what == answer_problem::kind::no_such_option);
    CHECK(problem_of("low", "1, 2").what == answer_problem::kind::one_option_only);
    // Labels that hold digits are keyed by letters.
    CHECK(view("sessions").options[1].key == "b");
    CHECK(value_of("sessions", "b").data() == answer_value("many").data());
    // Numbers in the Spanish format, with the unit or without; the other separator is named.
    CHECK(value_of("dose", "2,5").data() == answer_value(2.5).data());
    CHECK(value_of("dose", "2,5 mg").data() == answer_value(2.5).data());
    answer_problem const point = problem_of("dose", "2.5");
    CHECK(point.what == answer_problem::kind::decimal_separator);
    CHECK(point.suggestion == "2,5");
    answer_problem const range = problem_of("dose", "10,5");
    CHECK(range.what == answer_problem::kind::out_of_range);
    CHECK(range.number == 10.5);
    CHECK(range.message == "10,5 is out of range (from 0 to 10)");
    CHECK(problem_of("dose", "1.000").what == answer_problem::kind::grouping);
    // Wrong type: words for a number.
    CHECK(problem_of("dose", "mucho").what == answer_problem::kind::not_a_number);
    CHECK(problem_of("note", "abcd").length == 4);
    CHECK(value_of("note", "  abc ").data() == answer_value("abc").data());
    // Empty text is no answer, for every kind.
    for (const char* id : {"danger", "low", "dose", "note"}) {
        INFO(id);
        CHECK(problem_of(id, " \t").what == answer_problem::kind::empty);
    }
    // A question view of the front end's own, such as a yes/no confirmation.
    question_view confirm;
    confirm.kind = question_kind::yesno;
    CHECK(s.parse_answer(confirm, "s").value->data() == answer_value(true).data());
    // Reading changes nothing.
    CHECK(current_id(s) == "danger");
    CHECK_FALSE(s.answer_of("dose"));
}
