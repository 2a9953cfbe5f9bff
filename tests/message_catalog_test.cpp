// The message catalog: texts rendered as ICU MessageFormat patterns with the answers and
// lets as arguments, per language (language.md section 4).

#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "check/checker.hpp"
#include "parse/parser.hpp"
#include "compile/message_catalog.hpp"

using stepcare::display_value;
using stepcare::message_catalog;
using stepcare::symbol;
using stepcare::symbol_kind;

namespace {

constexpr std::size_t en = 0;
constexpr std::size_t es = 1;

const char* const questionnaire_text = R"(questionnaire q "Q" {
  version "1"
  languages en, es
  question tried: integer 0..20 {
    ask { en "You tried {tried, plural, one {# medication} other {# medications}}."
          es "Probó {tried, plural, one {# medicamento} other {# medicamentos}}." }
    help { en "Don't count vitamins." es "No cuente las vitaminas." }
  }
  question low: choice { never "Never" daily "Daily" } {
    ask { en "{low, select, daily {Every day.} other {Not every day.}}"
          es "{low, select, daily {Cada día.} other {No cada día.}}" }
    help "Don't worry, it's fine."
  }
  question weight: decimal 0..5000 {
    ask { en "Weight: {weight}" es "Peso: {weight}" }
    help "Don't round {weight}; '{'exact'}' please."
  }
  let heavy = weight > 100
  question note: text optional {
    ask { en "Noted: {note}. {heavy, select, yes {Heavy.} other {Light.}}"
          es "Anotado: {note}. {heavy, select, yes {Pesado.} other {Ligero.}}" }
  }
  question dose: decimal 0..100 optional {
    ask { en "Dose {dose, number, integer} mg: {dose, plural, =0 {none} other {# mg in all}}. {low, select, daily {{dose, plural, one {One pill} other {# pills}} a day.} other {Now and then.}}"
          es "Dosis {dose, number, integer} mg." }
    help "{dose, select, other {Any dose.}}"
  }
  referral "Talk to a clinician" { }
}
)";

/// A questionnaire parsed and checked without errors, and a catalog of its questions'
/// `ask` and `help` texts.
struct fixture {
    stepcare::source_file source{"test.sq", questionnaire_text};
    stepcare::diagnostic_sink diagnostics;
    stepcare::ast::questionnaire tree;
    stepcare::checked_questionnaire model;
    message_catalog catalog{std::vector<std::string>{}};
    std::map<std::string, std::uint32_t> asks;
    std::map<std::string, std::uint32_t> helps;

    fixture() : tree(stepcare::parse_questionnaire(source, diagnostics)) {
        REQUIRE_FALSE(diagnostics.has_errors());
        model = stepcare::check_questionnaire(tree, diagnostics);
        REQUIRE_FALSE(diagnostics.has_errors());
        catalog = message_catalog(model.languages);
        for (const auto& q : model.questions) {
            asks[q.name] = catalog.add(*q.ask, model);
            if (q.help != nullptr) helps[q.name] = catalog.add(*q.help, model);
        }
    }

    std::string name_of(symbol s) const {
        if (s.kind == symbol_kind::question) return model.questions.at(s.index).name;
        if (s.kind == symbol_kind::let) return model.lets.at(s.index).name;
        return "?";
    }
};

display_value number(double n) { return {true, n, {}}; }
display_value words(std::string w) { return {false, 0, std::move(w)}; }

/// A lookup giving `values` by name; every name asked for must be there, and is counted.
struct values_by_name {
    const fixture& f;
    std::map<std::string, display_value> values;
    mutable std::map<std::string, int> asked;

    display_value operator()(symbol s) const {
        std::string const name = f.name_of(s);
        ++asked[name];
        auto const found = values.find(name);
        REQUIRE(found != values.end());
        return found->second;
    }
};

std::string render(const fixture& f, std::uint32_t id, std::size_t language,
                   std::map<std::string, display_value> values) {
    values_by_name lookup{f, std::move(values), {}};
    return f.catalog.render(id, language, std::cref(lookup));
}

}  // namespace

TEST_CASE("plain text is returned as written, apostrophes included", "[render]") {
    fixture const f;
    int calls = 0;
    auto const no_lookup = [&](symbol) {
        ++calls;
        return words("x");
    };
    CHECK_FALSE(f.catalog.has_arguments(f.helps.at("tried")));
    CHECK(f.catalog.render(f.helps.at("tried"), en, no_lookup) == "Don't count vitamins.");
    CHECK(f.catalog.render(f.helps.at("tried"), es, no_lookup) == "No cuente las vitaminas.");
    CHECK(f.catalog.render(f.helps.at("low"), en, no_lookup) == "Don't worry, it's fine.");
    CHECK(calls == 0);
}

TEST_CASE("an apostrophe in a pattern follows ICU: literal in a word, quoting before a brace", "[render]") {
    fixture const f;
    CHECK(f.catalog.has_arguments(f.helps.at("weight")));
    CHECK(render(f, f.helps.at("weight"), en, {{"weight", number(3)}}) == "Don't round 3; {exact} please.");
}

TEST_CASE("plural gets a number", "[render]") {
    fixture const f;
    std::uint32_t const id = f.asks.at("tried");
    CHECK(f.catalog.has_arguments(id));
    CHECK(render(f, id, en, {{"tried", number(1)}}) == "You tried 1 medication.");
    CHECK(render(f, id, en, {{"tried", number(2)}}) == "You tried 2 medications.");
    CHECK(render(f, id, es, {{"tried", number(1)}}) == "Probó 1 medicamento.");
    CHECK(render(f, id, es, {{"tried", number(2)}}) == "Probó 2 medicamentos.");
}

TEST_CASE("select branches on a choice's option id and on yes/no", "[render]") {
    fixture const f;
    CHECK(render(f, f.asks.at("low"), en, {{"low", words("daily")}}) == "Every day.");
    CHECK(render(f, f.asks.at("low"), en, {{"low", words("never")}}) == "Not every day.");
    CHECK(render(f, f.asks.at("low"), es, {{"low", words("daily")}}) == "Cada día.");
    CHECK(render(f, f.asks.at("low"), en, {{"low", words("unknown")}}) == "Not every day.");
}

TEST_CASE("a let is an argument, and each argument is looked up once", "[render]") {
    fixture const f;
    values_by_name lookup{f, {{"note", words("tired")}, {"heavy", words("yes")}}, {}};
    CHECK(f.catalog.render(f.asks.at("note"), en, std::cref(lookup)) == "Noted: tired. Heavy.");
    CHECK(lookup.asked == std::map<std::string, int>{{"heavy", 1}, {"note", 1}});
}

TEST_CASE("an unknown value shows as 'unknown'", "[render]") {
    fixture const f;
    CHECK(render(f, f.asks.at("weight"), en, {{"weight", words("unknown")}}) == "Weight: unknown");
}

TEST_CASE("numbers are written the way the language writes them", "[render]") {
    fixture const f;
    std::uint32_t const id = f.asks.at("weight");
    CHECK(render(f, id, en, {{"weight", number(1234.5)}}) == "Weight: 1,234.5");
    CHECK(render(f, id, en, {{"weight", number(2)}}) == "Weight: 2");
    std::string const spanish = render(f, id, es, {{"weight", number(1234.5)}});
    // Whether Spanish groups four-digit numbers depends on ICU's locale data.
    CHECK((spanish == "Peso: 1234,5" || spanish == "Peso: 1.234,5"));
    CHECK(render(f, id, es, {{"weight", number(1.5)}}) == "Peso: 1,5");
}

TEST_CASE("a text without a string in the language shows the default language's", "[render]") {
    fixture const f;
    CHECK(render(f, f.helps.at("low"), es, {}) == "Don't worry, it's fine.");
    // The default language's pattern is formatted in the default language's locale.
    CHECK(render(f, f.helps.at("weight"), es, {{"weight", number(1234.5)}}) == "Don't round 1,234.5; {exact} please.");
}

TEST_CASE("a language index out of range means the default language", "[render]") {
    fixture const f;
    CHECK(render(f, f.asks.at("tried"), 2, {{"tried", number(2)}}) == "You tried 2 medications.");
    CHECK(render(f, f.asks.at("tried"), 1000, {{"tried", number(1)}}) == "You tried 1 medication.");
    CHECK(render(f, f.helps.at("tried"), 7, {}) == "Don't count vitamins.");
}

TEST_CASE("plural and number over an unknown value show the other branch and the words", "[render]") {
    fixture const f;
    // ICU refuses words where a pattern needs a number; the text is then shown without
    // those numbers instead of as a pattern with braces.
    CHECK(render(f, f.asks.at("tried"), en, {{"tried", words("unknown")}}) == "You tried unknown medications.");
    CHECK(render(f, f.asks.at("tried"), es, {{"tried", words("desconocido")}}) == "Probó desconocido medicamentos.");
    CHECK(render(f, f.asks.at("dose"), es, {{"dose", words("unknown")}}) == "Dosis unknown mg.");
    SECTION("nested in a select that is known, and next to a number format") {
        CHECK(render(f, f.asks.at("dose"), en, {{"dose", words("unknown")}, {"low", words("daily")}}) ==
              "Dose unknown mg: unknown mg in all. unknown pills a day.");
        CHECK(render(f, f.asks.at("dose"), en, {{"dose", words("unknown")}, {"low", words("never")}}) ==
              "Dose unknown mg: unknown mg in all. Now and then.");
    }
    SECTION("known, the same patterns format as ICU does") {
        CHECK(render(f, f.asks.at("dose"), en, {{"dose", number(1)}, {"low", words("daily")}}) ==
              "Dose 1 mg: 1 mg in all. One pill a day.");
        CHECK(render(f, f.asks.at("dose"), en, {{"dose", number(0)}, {"low", words("never")}}) ==
              "Dose 0 mg: none. Now and then.");
    }
    SECTION("a select given a number takes its other branch") {
        CHECK(render(f, f.helps.at("dose"), en, {{"dose", number(3)}}) == "Any dose.");
    }
}

TEST_CASE("a catalog keeps working after it is moved", "[render]") {
    fixture f;
    std::uint32_t const id = f.asks.at("tried");
    CHECK(render(f, id, es, {{"tried", number(2)}}) == "Probó 2 medicamentos.");
    message_catalog moved(std::move(f.catalog));
    CHECK(moved.size() == f.asks.size() + f.helps.size());
    values_by_name lookup{f, {{"tried", number(1)}}, {}};
    CHECK(moved.render(id, es, std::cref(lookup)) == "Probó 1 medicamento.");

    // Another catalog in the same place must not reuse the formatters built above.
    f.catalog = message_catalog(f.model.languages);
    std::uint32_t const low = f.catalog.add(*f.model.questions.at(1).ask, f.model);
    REQUIRE(low == id);
    CHECK(render(f, low, es, {{"low", words("daily")}}) == "Cada día.");
}

TEST_CASE("threads rendering one catalog at once get the same strings", "[render][threads]") {
    fixture const f;
    auto const lookup = [&](symbol s) {
        std::string const name = f.name_of(s);
        if (name == "tried") return number(2);
        if (name == "weight") return number(1234.5);
        if (name == "low") return words("daily");
        if (name == "heavy") return words("no");
        return words("unknown");
    };
    std::vector<std::string> expected;
    for (std::uint32_t id = 0; id < f.catalog.size(); ++id) {
        for (std::size_t language : {en, es}) {
            expected.push_back(f.catalog.render(id, language, lookup));
        }
    }
    std::atomic<int> mismatches{0};
    auto const work = [&] {
        for (int round = 0; round < 200; ++round) {
            std::size_t k = 0;
            for (std::uint32_t id = 0; id < f.catalog.size(); ++id) {
                for (std::size_t language : {en, es}) {
                    if (f.catalog.render(id, language, lookup) != expected[k++]) ++mismatches;
                }
            }
        }
    };
    std::thread first(work);
    std::thread second(work);
    first.join();
    second.join();
    CHECK(mismatches == 0);
    CHECK(expected.at(2 * f.asks.at("weight") + es).rfind("Peso: ", 0) == 0);
}
