// The intake apart from the terminal: reading answers, wrapping text, and whole intakes
// driven from strings.

#include <catch2/catch.hpp>
#include <sstream>

#include "evaluate_support.hpp"
#include "intake/answer_input.hpp"
#include "intake/intake.hpp"
#include "intake/summary.hpp"
#include "intake/wrap.hpp"

using namespace stepcare;
using namespace stepcare::cli::intake;
using stepcare::testing::compile_ok;

namespace {

/// A session over one question, declared as `declaration` (its type, options, range) with
/// `more` in its block (a unit), and the intake's reader, both in `language`.
struct asked {
    session s;
    question_view q;
    answer_input input;

    asked(const std::string& declaration, const char* language, const std::string& more = {})
        : s(compile_ok("questionnaire t \"T\" {\n  version \"1\"\n  languages en, es, pt_BR\n  question q: " +
                       declaration + " { ask \"Q?\" " + more + " }\n  referral \"R\" { say \"S.\" }\n}"),
            language),
          q(*s.current()),
          input(language) {}

    read_answer read(std::string_view line) const { return input.read(s, q, line); }
    std::string problem(std::string_view line) const { return read(line).problem; }
    std::string chosen(std::string_view line) const {
        read_answer const r = read(line);
        REQUIRE(r.value);
        const auto* id = std::get_if<std::string>(&r.value->data());
        REQUIRE(id != nullptr);
        return *id;
    }
    std::vector<std::string> chosen_many(std::string_view line) const {
        read_answer const r = read(line);
        REQUIRE(r.value);
        const auto* ids = std::get_if<answer_value::option_ids>(&r.value->data());
        REQUIRE(ids != nullptr);
        return *ids;
    }
    double number(std::string_view line) const {
        read_answer const r = read(line);
        REQUIRE(r.value);
        if (const auto* whole = std::get_if<std::int64_t>(&r.value->data())) return static_cast<double>(*whole);
        const auto* d = std::get_if<double>(&r.value->data());
        REQUIRE(d != nullptr);
        return *d;
    }
    bool yes(std::string_view line) const {
        read_answer const r = read(line);
        REQUIRE(r.value);
        return std::get<bool>(r.value->data());
    }
};

const char* const frequency =
    R"(choice { never "Nunca" some "Varios días" most "Más de la mitad de los días" daily "Casi todos los días" })";

}  // namespace

TEST_CASE("choices match by number, by words ignoring case and accents, and by prefix", "[run]") {
    asked const es(frequency, "es");
    CHECK(es.chosen("2") == "some");
    CHECK(es.chosen("varios dias") == "some");
    CHECK(es.chosen("VARIOS DÍAS") == "some");
    CHECK(es.chosen("Más") == "most");
    CHECK(es.chosen("nun") == "never");
    CHECK(es.chosen("daily") == "daily");  // the option id
    CHECK(es.chosen("  casi  ") == "daily");

    asked const yes_no(R"(choice { yes "Sí" no "No" later "Ahora no" })", "es");
    CHECK(yes_no.chosen("si") == "yes");
    CHECK(yes_no.chosen("Sí") == "yes");
    CHECK(yes_no.chosen("SÍ") == "yes");
    CHECK(yes_no.chosen("no") == "no");  // exact beats a longer label's prefix
}

TEST_CASE("unknown, ambiguous and out-of-range choices say what is expected", "[run]") {
    asked const en(R"(choice { a "More than half the days" b "Most days" c "Never" })", "en");
    read_answer const ambiguous = en.read("mo");
    CHECK_FALSE(ambiguous.value);
    CHECK(ambiguous.problem ==
          "“mo” could be “More than half the days” (1) or “Most days” (2). "
          "Type more of the words, or the number.");
    CHECK(en.problem("4") == "There is no answer number 4. Type a number from 1 to 3.");
    CHECK(en.problem("sometimes") ==
          "“sometimes” is not one of the answers. Type a number from 1 to 3, or the words of an answer.");
    CHECK(en.problem("1, 3") == "Please choose only one answer.");
    // A list with something that is not an answer is quoted whole, not item by item.
    CHECK(en.problem("1,5") ==
          "“1,5” is not one of the answers. Type a number from 1 to 3, or the words of an answer.");
    CHECK(en.problem("never, sometimes") ==
          "“never, sometimes” is not one of the answers. Type a number from 1 to 3, or the words of an answer.");
    CHECK(en.problem("...").find("is not one of the answers") != std::string::npos);
}

TEST_CASE("choices whose labels hold numbers are keyed by letters, and a typed number is read as words", "[run]") {
    asked const en(R"(choice { one_to_3 "1 to 3" four_to_7 "4 to 7" eight_or_more "8 or more" not_sure "Not sure" })",
                   "en");
    REQUIRE(keyed_by_letters(en.q));
    CHECK_FALSE(keyed_by_letters(asked(frequency, "en").q));
    CHECK(en.input.expected(en.q) == "Type the letter or the words of one answer.");
    // "3" meant as three sessions is not the third answer ("8 or more").
    CHECK(en.problem("3") == "“3” is not one of the answers. Type a letter from a to d, or the words of an answer.");
    CHECK(en.chosen("c") == "eight_or_more");
    CHECK(en.chosen("#3") == "eight_or_more");  // the position form, in any question
    CHECK(asked(frequency, "en").chosen("#2") == "some");
    CHECK(en.chosen("C") == "eight_or_more");
    CHECK(en.chosen("8") == "eight_or_more");  // the start of "8 or more"
    CHECK(en.chosen("4 to 7") == "four_to_7");
    CHECK(en.chosen("not") == "not_sure");
    CHECK(en.problem("z") == "There is no answer “z”. Type a letter from a to d.");
    CHECK(en.chosen("n") == "not_sure");  // past the letters: the start of a label

    const char* const weeks = R"(multi { short "Less than 2 weeks" long "2 weeks to 2 months" })";
    asked const en_weeks(weeks, "en");
    CHECK(en_weeks.chosen_many("b, a") == std::vector<std::string>{"short", "long"});
    CHECK(en_weeks.chosen_many("2 weeks to 2 months") == std::vector<std::string>{"long"});
    asked const es_weeks(weeks, "es");
    CHECK(es_weeks.input.expected(es_weeks.q).rfind("Escriba las letras o textos", 0) == 0);
}

TEST_CASE("multi answers take several numbers or texts, or none", "[run]") {
    const char* const sleep =
        R"(multi { falling "Falling asleep" waking "Waking up at night" tired "Feeling tired, even after sleeping" })";
    asked const en(sleep, "en");
    CHECK(en.chosen_many("3, 1") == std::vector<std::string>{"falling", "tired"});
    CHECK(en.chosen_many("falling; waking, 1") == std::vector<std::string>{"falling", "waking"});
    // A label holding a comma is matched whole before the line is split.
    CHECK(en.chosen_many("feeling tired, even after sleeping") == std::vector<std::string>{"tired"});
    CHECK(en.chosen_many("None").empty());
    CHECK(en.problem("1, 7") == "There is no answer number 7. Type a number from 1 to 3.");

    CHECK(asked(sleep, "es").chosen_many("ninguna").empty());
    // Where the question has its own "none" option, the word for none chooses it.
    const char* const status =
        R"(multi { pregnant "Estoy embarazada" none "Nada de esto" prefer_not "Prefiero no decirlo" })";
    asked const es_status(status, "es");
    CHECK(es_status.chosen_many("ninguna") == std::vector<std::string>{"none"});
    CHECK(es_status.chosen_many("nada") == std::vector<std::string>{"none"});
    CHECK(asked(status, "en").chosen_many("none") == std::vector<std::string>{"none"});
}

TEST_CASE("yes and no are read in the chosen language, English for others", "[run]") {
    asked const es("yesno", "es");
    for (const char* yes : {"sí", "si", "SÍ", "Si", "s"}) {
        INFO(yes);
        CHECK(es.yes(yes));
    }
    CHECK_FALSE(es.yes("NO"));
    CHECK(es.problem("yes") == "Responda sí (1) o no (2), por favor.");
    // As choices take numbers, so do yes and no, in the order the hint gives them.
    CHECK(es.yes("1"));
    CHECK_FALSE(es.yes("2"));
    CHECK_FALSE(es.read("3").value);
    asked const pt("yesno", "pt_BR");
    CHECK(pt.yes("Y"));
    CHECK_FALSE(pt.yes("n"));
}

TEST_CASE("numbers are read in the language's format and checked", "[run]") {
    asked const en_decimal("decimal -5.5..45", "en");
    asked const es_decimal("decimal -5.5..45", "es");
    asked const en_integer("integer 0..20", "en");
    asked const es_integer("integer 0..20", "es");
    CHECK(en_decimal.number("37.5") == 37.5);
    CHECK(es_decimal.number("37,5") == 37.5);
    CHECK(es_decimal.number("-5,5") == -5.5);
    CHECK(es_decimal.problem("37.5") == "Escriba los decimales con «,», así: 37,5. Escriba un número de -5,5 a 45.");
    CHECK(en_decimal.problem("37,5") == "Please write decimals with “.”, as in 37.5. Type a number from -5.5 to 45.");
    CHECK(en_decimal.problem("46") == "46 is out of range. Type a number from -5.5 to 45.");
    CHECK(en_decimal.problem("warm") == "“warm” is not a number. Type a number from -5.5 to 45.");
    CHECK(en_integer.number("3") == 3);
    CHECK(es_integer.number("3,0") == 3);
    CHECK(es_integer.problem("2,5") == "2,5 no es un número entero. Escriba un número entero de 0 a 20.");
    // Grouping is never read: "1,000" is neither 1 nor 1000 until written plainly.
    CHECK(en_integer.problem("1,000") ==
          "Please write the number without separators, as in 1000. "
          "Type a whole number from 0 to 20.");
    CHECK(es_integer.problem("1.000") ==
          "Escriba el número sin separadores, así: 1000. "
          "Escriba un número entero de 0 a 20.");
    CHECK(std::holds_alternative<std::int64_t>(en_integer.read("7").value->data()));
    // The unit shown with the question may follow the number, in any case.
    std::string const years = R"(unit { en "years" es "años" pt_BR "anos" })";
    asked const age("integer 0..120", "en", years);
    CHECK(age.number("16 years") == 16);
    CHECK(age.number("16 Years") == 16);
    CHECK(age.problem("16 months") == "“16 months” is not a number. Type a whole number from 0 to 120.");
    asked const edad("integer 0..120", "es", years);
    CHECK(edad.number("16 años") == 16);
}

TEST_CASE("text answers are limited in characters, not bytes", "[run]") {
    asked const en("text max 4", "en");
    CHECK(en.read("café").value);          // 4 characters, 5 bytes
    CHECK(en.read("cafe\xCC\x81").value);  // the same with a combining accent, 4 after NFC
    CHECK(en.problem("cafés") == "That is 5 characters long; at most 4 fit.");
}

TEST_CASE("commands are recognized in the language and in English", "[run]") {
    answer_input const es("es");
    CHECK(es.command_of("atrás") == command::back);
    CHECK(es.command_of("ATRAS") == command::back);
    CHECK(es.command_of("back") == command::back);
    CHECK(es.command_of("por qué") == command::why);
    CHECK(es.command_of("porque") == command::why);
    CHECK(es.command_of("?") == command::help);
    CHECK(es.command_of("Salir") == command::quit);
    CHECK_FALSE(es.command_of("sal"));
    CHECK_FALSE(es.command_of(""));
    answer_input const en("en");
    CHECK(en.command_of(" Skip ") == command::skip);
    CHECK_FALSE(en.command_of("atrás"));
}

TEST_CASE("display width counts wide characters twice and marks not at all", "[run]") {
    CHECK(display_width("abc") == 3);
    CHECK(display_width("día") == 3);
    CHECK(display_width("di\xCC\x81"
                        "a") == 3);  // i + combining acute
    CHECK(display_width("日本語") == 6);
    CHECK(display_width("ｱ") == 1);  // half-width katakana
}

TEST_CASE("wrapping breaks at word boundaries within the width", "[run]") {
    auto const lines = wrap("Over the last two weeks, how often have you felt down or hopeless?", 20, "en");
    CHECK(lines ==
          std::vector<std::string>{"Over the last two", "weeks, how often", "have you felt down", "or hopeless?"});
    CHECK(wrap("¿Cuántos antidepresivos ha probado?", 16, "es") ==
          std::vector<std::string>{"¿Cuántos", "antidepresivos", "ha probado?"});
    // Indents count in the width; a hanging indent for the lines after the first.
    CHECK(wrap("Feeling tired, even after sleeping", 20, "en", "  4. ", "     ") ==
          std::vector<std::string>{"  4. Feeling tired,", "     even after", "     sleeping"});
    // Wide characters take two columns; CJK text may break between characters.
    for (const std::string& line : wrap("日本語の文章はどこでも改行できます。", 10, "ja")) {
        CHECK(display_width(line) <= 10);
    }
    // A word longer than a line is cut, and paragraphs keep their blank lines.
    CHECK(wrap("abcdefghij", 4, "en") == std::vector<std::string>{"abcd", "efgh", "ij"});
    CHECK(wrap("one\n\ntwo", 10, "en") == std::vector<std::string>{"one", "", "two"});
}

namespace {

const char* const urgent_questionnaire = R"(questionnaire u "Urgent" {
  version "1"
  source lines "Crisis lines"
  question hopeless: yesno { ask "Do you feel hopeless?" }
  question age: integer 0..120 { ask "Your age?" }
  outcome support urgent "Talk to someone today" { when hopeless say "Call the crisis line." cite lines }
  outcome older info "Over sixty" { when age > 60 }
  referral "See a clinician" { say "Always." }
})";

struct scripted {
    std::string output;
    intake_report report;
};

scripted run_intake(session& s, const std::string& input, bool at_terminal = false, bool resumed = false) {
    std::istringstream in(input);
    std::ostringstream out;
    stream_line_source lines(in);
    stream_screen screen(out, 60, false);
    intake_options options;
    options.echo_input = true;
    options.at_terminal = at_terminal;
    options.resumed = resumed;
    intake runner(s, lines, screen, options);
    scripted result;
    result.report = runner.run();
    result.output = out.str();
    return result;
}

}  // namespace

TEST_CASE("an urgent outcome is shown as soon as it fires, and first at the end", "[run]") {
    session s(compile_ok(urgent_questionnaire));
    scripted const r = run_intake(s, "yes\n70\n");
    CHECK(r.report.how == ending::finished);
    std::size_t const first = r.output.find("IMPORTANT: Talk to someone today");
    std::size_t const age = r.output.find("Your age?");
    REQUIRE(first != std::string::npos);
    CHECK(first < age);  // before the next question
    std::size_t const again = r.output.find("IMPORTANT: Talk to someone today", first + 1);
    std::size_t const thanks = r.output.find("That was the last question.");
    CHECK(again > age);
    CHECK(again < thanks);
    CHECK(r.output.find("Over sixty") > thanks);
    CHECK(r.output.rfind("See a clinician") > r.output.find("Over sixty"));
    // In short, before the details: the headline and the next step.
    std::size_t const summary = r.output.find("In short");
    CHECK(summary > thanks);
    CHECK(r.output.find("* Talk to someone today", summary) < r.output.find("Good to know"));
    CHECK(r.output.find("and 1 more below", summary) < r.output.find("Good to know"));
    CHECK(r.output.find("* Next step: See a clinician", summary) < r.output.find("Good to know"));
}

TEST_CASE("on a terminal an urgent message waits for Enter, and its sources come at the end", "[run]") {
    session s(compile_ok(urgent_questionnaire));
    scripted const r = run_intake(s, "yes\n\n70\n", true);
    CHECK(r.report.how == ending::finished);
    std::size_t const box = r.output.find("IMPORTANT: Talk to someone today");
    std::size_t const pause = r.output.find("Press Enter when you are ready to go on.");
    std::size_t const age = r.output.find("Your age?");
    REQUIRE(box != std::string::npos);
    CHECK(box < pause);
    CHECK(pause < age);
    CHECK(r.output.find("Please type an answer") == std::string::npos);  // the Enter was the pause's
    CHECK(r.output.find("Sources of “Talk to someone today”: 1") > r.output.find("Over sixty"));
    CHECK(r.output.find("1. Crisis lines") > r.output.find("Sources of “Talk to someone today”: 1"));
    CHECK(r.output.find("Sources of “Talk to someone today”") < r.output.rfind("See a clinician"));
    // The box itself names no source.
    CHECK(r.output.substr(box, pause - box).find("Sources") == std::string::npos);
}

TEST_CASE(
    "the first screen gives the title, the description, the length, where the answers go and what to do in danger",
    "[run]") {
    session s(compile_ok(R"(questionnaire d "Sleep check" {
  version "1"
  description "A few questions about sleep, to share with your clinician."
  question hours: integer 0..24 { ask "How many hours do you sleep?" }
  referral "See a clinician" { say "Always." }
})"));
    scripted const r = run_intake(s, "");
    std::vector<std::size_t> places;
    for (const char* part : {"Sleep check", "A few questions about sleep, to share with your clinician.",
                             "Up to 1 questions, about 2 minutes.", "Your answers are not saved and are sent nowhere",
                             "If you are in danger right now, stop here", "How many hours do you sleep?"}) {
        INFO(part);
        places.push_back(r.output.find(part));
        REQUIRE(places.back() != std::string::npos);
    }
    CHECK(std::is_sorted(places.begin(), places.end()));
}

TEST_CASE("every ending shows the referral", "[run]") {
    for (const char* input : {"", "quit\n", "no\n30\n"}) {
        session s(compile_ok(urgent_questionnaire));
        scripted const r = run_intake(s, input);
        INFO(input);
        CHECK(r.output.find("See a clinician") != std::string::npos);
        CHECK(r.output.find("Always.") != std::string::npos);
    }
}

TEST_CASE("the clinician summary lists every shown question in both languages, the changes and the results", "[run]") {
    session s(compile_ok(R"(questionnaire c { en "Check" es "Revisión" } {
  version "2"
  languages en, es
  source nice { en "A guideline" es "Una guía" }
  question low: yesno { ask { en "Low mood?" es "¿Ánimo bajo?" } }
  question notes: text optional { ask { en "Anything else for your clinician?" es "¿Algo más para su profesional?" } }
  question sleep: choice { well { en "Well" es "Bien" } badly { en "Badly" es "Mal" } } {
    ask { en "How do you sleep?" es "¿Cómo duerme?" }
  }
  outcome talk guidance { en "Talk about your mood" es "Hable de su ánimo" } { when low cite nice }
  referral { en "See a clinician" es "Consulte a un profesional" } { say { en "Always." es "Siempre." } cite nice }
})"),
              "es");
    REQUIRE(s.answer(false).accepted);
    REQUIRE(s.back());
    REQUIRE(s.answer(true).accepted);
    REQUIRE(s.skip().accepted);  // `notes` feeds no rule: it is listed all the same
    REQUIRE(s.changes().size() == 1);
    std::string const at = s.changes()[0].at;
    std::string const text = clinician_summary(s, summary_format::text, "2026-12-06 10:00 UTC");
    CHECK(text ==
          "Resumen para su profesional sanitario\n"
          "=====================================\n\n"
          "Revisión\n"
          "Cuestionario: c, versión 2, sha256 " +
              s.questionnaire_used().sha256() +
              "\n"
              "Fecha: 2026-12-06 10:00 UTC\n"
              "Estado: sin terminar\n"
              "\nRespuestas\n----------\n"
              "1. ¿Ánimo bajo?\n   → sí\n   (en) Low mood? → yes\n"
              "2. ¿Algo más para su profesional?\n   → (sin respuesta)\n"
              "   (en) Anything else for your clinician? → (not answered)\n"
              "3. ¿Cómo duerme?\n   → (sin respuesta)\n   (en) How do you sleep? → (not answered)\n"
              "\nRespuestas cambiadas\n--------------------\n"
              "- ¿Ánimo bajo?: no, luego sí (" +
              at +
              ")\n"
              "\nResultados\n----------\n"
              "- Orientación: Hable de su ánimo [1]\n"
              "\nDerivación: Consulte a un profesional [1]\n"
              "\nFuentes\n-------\n"
              "1. Una guía\n");
    std::string const markdown = clinician_summary(s, summary_format::markdown, "2026-12-06 10:00 UTC");
    CHECK(markdown.rfind("# Resumen para su profesional sanitario\n\nRevisión  \n", 0) == 0);
    CHECK(markdown.find("\n## Respuestas\n\n1. ¿Ánimo bajo?  \n   → sí  \n   (en) Low mood? → yes\n") !=
          std::string::npos);
    CHECK(summary_format_for("out.md") == summary_format::markdown);
    CHECK(summary_format_for("out.txt") == summary_format::text);
}

namespace {

const char* const ending_questionnaire = R"(questionnaire e "Ending" {
  version "1"
  question danger: yesno { ask "In danger now?" }
  question age: integer 0..120 { ask "Your age?" }
  question sleep: yesno when age >= 18 { ask "Do you sleep well?" }
  outcome crisis urgent "Get help now" { when danger say "Call the crisis line." stop }
  outcome minor guidance "For adults only" { when age < 18 }
  referral "See a clinician" { say "Always." }
})";

}  // namespace

TEST_CASE("at a terminal, an answer that ends the intake is confirmed, and back changes it", "[run]") {
    session s(compile_ok(ending_questionnaire));
    scripted const r = run_intake(s, "no\n16\nback\n61\nyes\n", true);
    CHECK(r.report.how == ending::finished);
    CHECK(r.output.find("With this answer the questionnaire ends here.") != std::string::npos);
    CHECK(r.output.find("Do you sleep well?") != std::string::npos);
    CHECK(r.output.find("For adults only") == std::string::npos);
    REQUIRE(s.changes().size() == 1);
    CHECK(s.changes()[0].question == "age");
    // Through a pipe nothing is asked: the next line would be taken for an answer.
    session piped(compile_ok(ending_questionnaire));
    scripted const p = run_intake(piped, "no\n16\n");
    CHECK(p.output.find("With this answer") == std::string::npos);
    CHECK(p.output.find("For adults only") != std::string::npos);
}

TEST_CASE("at a terminal, a stop shows the crisis message first, then offers back for a mistake", "[run]") {
    session s(compile_ok(ending_questionnaire));
    scripted const r = run_intake(s, "yes\nback\nno\n30\nno\n", true);
    CHECK(r.report.how == ending::finished);
    std::size_t const box = r.output.find("IMPORTANT: Get help now");
    std::size_t const offer = r.output.find("If you typed that answer by mistake");
    REQUIRE(box != std::string::npos);
    CHECK(box < offer);
    CHECK(r.output.find("Your age?") > offer);
    CHECK_FALSE(s.stopped());
    // Enter keeps the answer: the intake stops, its message not shown twice in a row.
    session kept(compile_ok(ending_questionnaire));
    scripted const k = run_intake(kept, "yes\n\n", true);
    CHECK(k.report.how == ending::stopped);
    std::size_t const first = k.output.find("IMPORTANT: Get help now");
    CHECK(k.output.find("IMPORTANT: Get help now", first + 1) == std::string::npos);
    CHECK(k.output.find("See a clinician") > first);
}

TEST_CASE("at a terminal, resuming an intake that ended offers to review it or start again", "[run]") {
    for (const char* choice : {"review", "new"}) {
        session s(compile_ok(ending_questionnaire));
        REQUIRE(s.answer(false).accepted);
        REQUIRE(s.answer(40).accepted);
        REQUIRE(s.answer(true).accepted);
        REQUIRE(s.finished());
        scripted const r = run_intake(s, std::string(choice) + "\nno\n", true, true);
        INFO(choice << "\n" << r.output);
        CHECK(r.output.find("This questionnaire was already finished.") != std::string::npos);
        if (std::string(choice) == "review") {
            CHECK(r.output.find("Do you sleep well?") != std::string::npos);  // asked again
            CHECK(s.answer_of("age"));
        } else {
            CHECK(r.output.find("In danger now?") != std::string::npos);  // from the start
            CHECK_FALSE(s.answer_of("age"));
        }
    }
}
