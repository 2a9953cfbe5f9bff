// The web intake's pages (server/web_pages.hpp): each kind rendered in English and Spanish
// with realistic content, and checked for what people and assistive technology rely on:
// escaping, labels tied to their inputs, the error summary, urgent help before the question,
// the buttons each page may offer, no script and no inline style, and complete texts.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "web_pages.hpp"

namespace {

namespace web = stepcare::server::web;
using stepcare::outcome_level;
using stepcare::question_kind;

const std::string injected = "<script>alert('x')</script>";
const std::string escaped_injected = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;";
const std::string intake_id = "5f2c0e9d4b7a41c38e6d2f1a9b0c7e34";

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

/// Every start tag of element `name` (`<input ...>`), whole.
std::vector<std::string> tags(const std::string& html, const std::string& name) {
    std::vector<std::string> found;
    std::regex const tag("<" + name + "(?=[\\s>])[^>]*>");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
        found.push_back(it->str());
    }
    return found;
}

/// The value of `attribute` in a start tag, or "" when absent.
std::string attribute(const std::string& tag, const std::string& attribute) {
    std::smatch match;
    if (std::regex_search(tag, match, std::regex("\\s" + attribute + "=\"([^\"]*)\""))) return match[1];
    return {};
}

/// Every value of `attribute` on any element, in document order.
std::vector<std::string> attribute_values(const std::string& html, const std::string& attribute) {
    std::vector<std::string> found;
    std::regex const pattern("\\s" + attribute + "=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern); it != std::sregex_iterator(); ++it) {
        found.push_back((*it)[1]);
    }
    return found;
}

std::vector<std::string> words(const std::string& list) {
    std::vector<std::string> found;
    std::regex const word("\\S+");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), word); it != std::sregex_iterator(); ++it) {
        found.push_back(it->str());
    }
    return found;
}

/// The tags open and close in order: every element but the void ones is closed, and closed
/// in the reverse order of opening. Text and attribute values are escaped, so `<` and `>`
/// only ever start and end tags.
void check_nesting(const std::string& html) {
    static const std::set<std::string> void_elements = {"meta", "link", "input", "br"};
    std::vector<std::string> open;
    std::regex const tag("<(/?)([a-zA-Z0-9!]+)[^>]*>");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
        std::string const name = (*it)[2];
        if (name == "!doctype" || void_elements.count(name) != 0) continue;
        if ((*it)[1].length() == 0) {
            open.push_back(name);
        } else {
            INFO("closing " << name);
            REQUIRE_FALSE(open.empty());
            CHECK(open.back() == name);
            open.pop_back();
        }
    }
    CHECK(open.empty());
}

/// What every page must be: a complete document with the stylesheet, a skip link to `main`,
/// no script and no style attribute, unique ids, and every reference to an id resolved.
void check_document(const std::string& html, const std::string& language) {
    INFO(html);
    CHECK(html.starts_with("<!doctype html>\n<html lang=\"" + language + "\">"));
    CHECK(contains(html, "<meta charset=\"utf-8\">"));
    CHECK(contains(html, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    CHECK(count(html, "<title>") == 1);
    CHECK(contains(html, "<link rel=\"stylesheet\" href=\"/static/stepcare.css\">"));
    CHECK(contains(html, "<a class=\"skip-link\" href=\"#main\">"));
    CHECK(count(html, "<main id=\"main\">") == 1);
    CHECK_FALSE(contains(html, "style="));
    CHECK_FALSE(contains(html, "<script"));
    CHECK_FALSE(contains(html, " required"));
    CHECK_FALSE(std::regex_search(html, std::regex("\\son[a-z]+=")));  // no event handler attributes
    check_nesting(html);

    std::vector<std::string> ids = attribute_values(html, "id");
    std::set<std::string> const unique(ids.begin(), ids.end());
    CHECK(unique.size() == ids.size());
    for (const std::string& id : attribute_values(html, "for")) CHECK(unique.count(id) == 1);
    for (const std::string attr : {"aria-describedby", "aria-labelledby"}) {
        for (const std::string& list : attribute_values(html, attr)) {
            for (const std::string& id : words(list)) {
                INFO(attr << " names " << id);
                CHECK(unique.count(id) == 1);
            }
        }
    }
    for (const std::string& href : attribute_values(html, "href")) {
        if (href.starts_with("#")) CHECK(unique.count(href.substr(1)) == 1);
    }
    // A key in place of its text would mean a text missing from the tables.
    for (const std::string& key : web::text_keys("en")) {
        if (key.find('_') != std::string::npos) CHECK_FALSE(contains(html, key));
    }
}

/// Every form input has an id and exactly one label for it.
void check_labels(const std::string& html) {
    for (const std::string name : {"input", "select", "textarea"}) {
        for (const std::string& tag : tags(html, name)) {
            if (attribute(tag, "type") == "hidden") continue;
            INFO(tag);
            std::string const id = attribute(tag, "id");
            REQUIRE_FALSE(id.empty());
            CHECK(count(html, "<label for=\"" + id + "\">") == 1);
        }
    }
}

/// The value of each checked input.
std::vector<std::string> checked_values(const std::string& html) {
    std::vector<std::string> found;
    for (const std::string& tag : tags(html, "input")) {
        if (contains(tag, " checked")) found.push_back(attribute(tag, "value"));
    }
    return found;
}

web::page_frame frame(const std::string& language) {
    return {language,
            language == "es" ? "Tratamiento con ketamina: dónde está usted" : "Ketamine treatment: where you stand",
            "c2lnbmVk.tok3n\"x"};
}

std::vector<web::language_choice> both_languages() { return {{"en", "English"}, {"es", "Español"}}; }

web::shown_outcome crisis(const std::string& language) {
    web::shown_outcome shown;
    shown.outcome.id = "crisis";
    shown.outcome.level = outcome_level::urgent;
    if (language == "es") {
        shown.outcome.title = "Su seguridad es lo primero";
        shown.outcome.text =
            "Si está en peligro ahora, llame enseguida al número de emergencias local.\n\nTambién puede llamar a "
            "una línea de crisis:\n988 (EE. UU.)\n112 (UE)";
        shown.source_titles = {"Líneas de crisis y de emergencia"};
    } else {
        shown.outcome.title = "Your safety comes first";
        shown.outcome.text =
            "If you are in danger now, call your local emergency number straight away.\n\nYou can also call a "
            "crisis line:\n988 (US)\n112 (EU)";
        shown.source_titles = {"Crisis and emergency lines"};
    }
    shown.outcome.cites = {"crisis_lines"};
    return shown;
}

web::shown_outcome outcome(const std::string& id, outcome_level level, const std::string& title,
                           const std::string& text, std::vector<std::string> sources = {}) {
    web::shown_outcome shown;
    shown.outcome.id = id;
    shown.outcome.level = level;
    shown.outcome.title = title;
    shown.outcome.text = text;
    shown.source_titles = std::move(sources);
    return shown;
}

web::question_page choice_page(const std::string& language) {
    web::question_page page;
    page.frame = frame(language);
    page.intake_id = intake_id;
    page.languages = both_languages();
    page.question.index = 4;
    page.question.id = "tried";
    page.question.kind = question_kind::choice;
    page.question.section_id = "history";
    page.question.section_title = language == "es" ? "Su tratamiento hasta ahora" : "Your treatment so far";
    page.question.ask = language == "es" ? "¿Cuántos antidepresivos ha probado a dosis completa?"
                                         : "How many antidepressants have you tried at a full dose?";
    page.question.help = "For at least 6 weeks each.\n\nCount each medicine once.";
    page.question.options = {
        {"none", "None", "1"}, {"one", "One", "2"}, {"two", "Two", "3"}, {"more", "Three or more", "4"}};
    page.progress = {3, 12};
    page.can_go_back = true;
    page.kept = {"two"};
    return page;
}

web::question_page yesno_page(const std::string& language) {
    web::question_page page;
    page.frame = frame(language);
    page.intake_id = intake_id;
    page.languages = both_languages();
    page.question.id = "harm_thoughts";
    page.question.kind = question_kind::yesno;
    page.question.ask = language == "es" ? "En el último mes, ¿ha pensado en hacerse daño?"
                                         : "In the past month, have you had thoughts of hurting yourself?";
    page.progress = {1, 14};
    return page;
}

web::question_page number_page(const std::string& language, question_kind kind) {
    web::question_page page;
    page.frame = frame(language);
    page.intake_id = intake_id;
    page.languages = {{"en", "English"}};
    page.question.id = kind == question_kind::integer ? "age" : "sleep";
    page.question.kind = kind;
    page.question.ask = kind == question_kind::integer ? "How old are you?" : "How many hours do you sleep a night?";
    page.question.unit = kind == question_kind::integer ? "years" : "hours";
    page.question.min = kind == question_kind::integer ? 12 : 0.5;
    page.question.max = kind == question_kind::integer ? 120 : 23.5;
    page.progress = {2, 12};
    page.can_go_back = true;
    return page;
}

web::ended_page results_page(const std::string& language) {
    web::ended_page page;
    page.frame = frame(language);
    page.intake_id = intake_id;
    page.languages = both_languages();
    page.outcomes = {
        outcome("bladder", outcome_level::caution, "Bladder problems " + injected,
                "Ketamine can irritate the bladder.\n\nTell your clinician " + injected,
                {"Bladder safety " + injected}),
        outcome("options", outcome_level::guidance, "Treatments to discuss",
                "Esketamine nasal spray is one option.\nIt is given in a clinic.", {"NICE TA854", "FDA label"}),
        outcome("trd", outcome_level::info, "What treatment-resistant means", "Two or more tried medicines."),
    };
    page.referral.title = language == "es" ? "Hable con un profesional" : "Talk to a clinician";
    page.referral.text = "Bring these results to your GP or psychiatrist.\n\nThey can refer you " + injected;
    page.referral_source_titles = {"Referral pathways"};
    return page;
}

}  // namespace

TEST_CASE("every interface text exists in English and Spanish, with the same arguments", "[pages]") {
    std::vector<std::string> english = web::text_keys("en");
    std::vector<std::string> spanish = web::text_keys("es");
    REQUIRE(english.size() > 40);
    std::sort(english.begin(), english.end());
    std::sort(spanish.begin(), spanish.end());
    CHECK(std::adjacent_find(english.begin(), english.end()) == english.end());
    CHECK(english == spanish);

    std::regex const argument("\\{[1-9]\\}");
    auto const arguments = [&](const std::string& s) {
        std::set<std::string> found;
        for (auto it = std::sregex_iterator(s.begin(), s.end(), argument); it != std::sregex_iterator(); ++it) {
            found.insert(it->str());
        }
        return found;
    };
    for (const std::string& key : english) {
        INFO(key);
        CHECK_FALSE(web::text("en", key).empty());
        CHECK_FALSE(web::text("es", key).empty());
        CHECK(arguments(web::text("en", key)) == arguments(web::text("es", key)));
    }
    // The Spanish of the words the terminal intake also says.
    CHECK(web::text("es", "progress") == "Pregunta {1} de unas {2}");
    CHECK(web::text("es", "level_urgent") == "Urgente");
    CHECK(web::text("es", "results") == "Sus resultados");

    CHECK(web::text("es-MX", "back") == "Atrás");
    CHECK(web::text("fr", "back") == "Back");
    CHECK(web::text("", "back") == "Back");
    CHECK(web::text_keys("fr").empty());
    CHECK(web::text("es", "no_such_key") == "no_such_key");
}

TEST_CASE("a choice question is a fieldset whose legend is the question", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::question_page page = choice_page(language);
        std::string const html = web::render(page);
        check_document(html, language);
        check_labels(html);

        CHECK(count(html, "<fieldset") == 1);
        CHECK(contains(html, "<legend><h2 class=\"question\">" + page.question.ask + "</h2></legend>"));
        CHECK(contains(html, "<h1 class=\"section-title\">" + page.question.section_title + "</h1>"));
        std::vector<std::string> const radios = tags(html, "input type=\"radio\"");
        REQUIRE(radios.size() == 4);
        for (std::size_t i = 0; i < radios.size(); ++i) {
            CHECK(attribute(radios[i], "name") == "answer");
            CHECK(attribute(radios[i], "value") == page.question.options[i].id);
        }
        CHECK(checked_values(html) == std::vector<std::string>{"two"});
        CHECK(contains(html, "<p>For at least 6 weeks each.</p>\n<p>Count each medicine once.</p>"));
        std::string const fieldset = tags(html, "fieldset").front();
        CHECK(contains(attribute(fieldset, "aria-describedby"), "answer-help"));

        CHECK(contains(html, "<form method=\"post\" action=\"/intake/" + intake_id + "/answer\">"));
        CHECK(contains(html, "<input type=\"hidden\" name=\"csrf\" value=\"c2lnbmVk.tok3n&quot;x\">"));
        std::string const progress = language == "es" ? "Pregunta 3 de unas 12" : "Question 3 of about 12";
        CHECK(contains(html, "<p class=\"progress\">" + progress + "</p>"));
        CHECK(contains(html, "<title>" + progress + " – " + page.frame.questionnaire_title + "</title>"));
    }
}

TEST_CASE("question pages offer the buttons that apply, Continue first", "[pages]") {
    web::question_page page = choice_page("en");
    std::string html = web::render(page);
    std::size_t const continue_at = html.find("<button type=\"submit\" class=\"primary\">Continue</button>");
    std::size_t const back_at =
        html.find("<button type=\"submit\" formaction=\"/intake/" + intake_id + "/back\" formnovalidate>Back</button>");
    std::size_t const leave_at = html.find("<button type=\"submit\" formaction=\"/intake/" + intake_id +
                                           "/leave\" formnovalidate>Save and leave</button>");
    REQUIRE(continue_at != std::string::npos);
    REQUIRE(back_at != std::string::npos);
    REQUIRE(leave_at != std::string::npos);
    CHECK(continue_at < back_at);
    CHECK(back_at < leave_at);
    CHECK_FALSE(contains(html, "/skip"));

    page.can_go_back = false;
    page.question.optional = true;
    html = web::render(page);
    CHECK_FALSE(contains(html, "/back"));
    CHECK(contains(html, "formaction=\"/intake/" + intake_id + "/skip\" formnovalidate>Skip this question</button>"));
    CHECK(contains(html, "You can skip this question."));
    check_document(html, "en");

    page = choice_page("es");
    page.question.optional = true;
    html = web::render(page);
    for (const std::string label : {">Continuar<", ">Atrás<", ">Saltar esta pregunta<", ">Guardar y salir<"}) {
        CHECK(contains(html, label));
    }
}

TEST_CASE("the language switch posts to the intake, one button per other language", "[pages]") {
    std::string html = web::render(choice_page("en"));
    CHECK(contains(html, "<form method=\"post\" action=\"/intake/" + intake_id + "/language\">"));
    CHECK(contains(html, "<button type=\"submit\" name=\"lang\" value=\"es\" lang=\"es\">Español</button>"));
    CHECK_FALSE(contains(html, ">English</button>"));
    // Before main, so that the skip link passes it.
    CHECK(html.find("/language\"") < html.find("<main"));

    html = web::render(choice_page("es"));
    CHECK(contains(html, "<button type=\"submit\" name=\"lang\" value=\"en\" lang=\"en\">English</button>"));
    CHECK(contains(html, "aria-label=\"Cambiar de idioma\""));

    html = web::render(number_page("en", question_kind::integer));
    CHECK_FALSE(contains(html, "/language"));
}

TEST_CASE("an answer refused shows the error summary, linked to the field", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::question_page page = yesno_page(language);
        page.error = language == "es" ? "Responda sí o no, por favor." : "Please answer yes or no.";
        std::string const html = web::render(page);
        check_document(html, language);
        check_labels(html);

        std::string const problem = language == "es" ? "Hay un problema" : "There is a problem";
        std::string const prefix = "Error: ";
        CHECK(contains(html, "<title>" + prefix));
        std::size_t const summary_at = html.find(
            "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus "
            "aria-labelledby=\"error-summary-title\">");
        REQUIRE(summary_at != std::string::npos);
        CHECK(summary_at < html.find("/answer\""));
        CHECK(contains(html, "<h2 id=\"error-summary-title\">" + problem + "</h2>"));
        CHECK(contains(html, "<a href=\"#answer-yes\">" + *page.error + "</a>"));
        CHECK(contains(html, "<input type=\"radio\" name=\"answer\" id=\"answer-yes\" value=\"yes\""));
        CHECK(contains(html, "<p class=\"error-message\" id=\"answer-error\"><span class=\"label\">Error:</span> " +
                                 *page.error + "</p>"));
        // ARIA has no aria-invalid for radios: the group's description names the error.
        for (const std::string& radio : tags(html, "input type=\"radio\""))
            CHECK_FALSE(contains(radio, "aria-invalid"));
        CHECK(attribute(tags(html, "fieldset").front(), "aria-describedby") == "answer-error");
        CHECK(contains(html, language == "es" ? ">Sí</label>" : ">Yes</label>"));
        // No section: the question is the page's heading.
        CHECK(contains(html, "<legend><h1 class=\"question\">"));
    }

    web::question_page page = number_page("en", question_kind::integer);
    page.error = "200 is out of range. Type a whole number from 12 to 120.";
    page.kept = {"200"};
    std::string const html = web::render(page);
    check_document(html, "en");
    CHECK(contains(html, "<a href=\"#answer\">"));
    std::string const input = tags(html, "input type=\"text\"").front();
    CHECK(attribute(input, "aria-invalid") == "true");
    CHECK(attribute(input, "value") == "200");
    CHECK(attribute(input, "aria-describedby") == "answer-hint answer-unit answer-error");
}

TEST_CASE("number questions: a labelled text input, the unit after it and the range as hint", "[pages]") {
    web::question_page page = number_page("en", question_kind::integer);
    page.question.help = "Your age decides which " + injected + " apply.";
    page.kept = {"34"};
    std::string html = web::render(page);
    check_document(html, "en");
    check_labels(html);
    CHECK(contains(html, "<h1 class=\"question\"><label for=\"answer\">How old are you?</label></h1>"));
    std::string input = tags(html, "input type=\"text\"").front();
    CHECK(attribute(input, "inputmode") == "numeric");
    CHECK(attribute(input, "name") == "answer");
    CHECK(attribute(input, "value") == "34");
    CHECK(attribute(input, "aria-describedby") == "answer-help answer-hint answer-unit");
    CHECK(contains(html, "<p class=\"hint\" id=\"answer-hint\">Type a whole number from 12 to 120.</p>"));
    CHECK(html.find("<span class=\"unit\" id=\"answer-unit\">years</span>") > html.find(input));
    CHECK(contains(html, escaped_injected));
    CHECK_FALSE(contains(html, injected));

    page = number_page("es", question_kind::decimal);
    page.question.ask = "¿Cuántas horas duerme cada noche?";
    page.question.unit = "horas";
    page.kept = {"7,5"};
    html = web::render(page);
    check_document(html, "es");
    input = tags(html, "input type=\"text\"").front();
    CHECK(attribute(input, "inputmode") == "decimal");
    CHECK(attribute(input, "value") == "7,5");
    CHECK(contains(html, "Escriba un número de 0,5 a 23,5."));

    // Phone keypads for numbers have no minus sign.
    page.question.min = -10;
    CHECK(attribute(tags(web::render(page), "input type=\"text\"").front(), "inputmode").empty());
}

TEST_CASE("multi questions: checkboxes, every kept option checked, none allowed", "[pages]") {
    web::question_page page = choice_page("es");
    page.question.kind = question_kind::multi;
    page.question.ask = "¿Cuáles de estos tratamientos ha recibido?";
    page.question.options = {{"therapy", "Psicoterapia", "1"},
                             {"ect", "Terapia electroconvulsiva " + injected, "2"},
                             {"tms", "Estimulación magnética transcraneal", "3"}};
    page.kept = {"therapy", "tms"};
    std::string const html = web::render(page);
    check_document(html, "es");
    check_labels(html);
    CHECK(tags(html, "input type=\"checkbox\"").size() == 3);
    CHECK(tags(html, "input type=\"radio\"").empty());
    CHECK(checked_values(html) == std::vector<std::string>{"therapy", "tms"});
    for (const std::string& checkbox : tags(html, "input type=\"checkbox\""))
        CHECK_FALSE(contains(checkbox, "aria-invalid"));
    CHECK(contains(html, "También puede no marcar ninguna y continuar."));
    CHECK(contains(html, "<label for=\"answer-2\">Terapia electroconvulsiva " + escaped_injected + "</label>"));
    CHECK_FALSE(contains(html, injected));

    page.error = "Elija una respuesta de la lista.";
    std::string const refused = web::render(page);
    check_document(refused, "es");
    CHECK(contains(refused, "<a href=\"#answer-1\">Elija una respuesta de la lista.</a>"));
    for (const std::string& checkbox : tags(refused, "input type=\"checkbox\"")) {
        CHECK(attribute(checkbox, "aria-invalid") == "true");
    }
}

TEST_CASE("text questions: a textarea, or a line with its maximum length", "[pages]") {
    web::question_page page = number_page("en", question_kind::text);
    page.question.kind = question_kind::text;
    page.question.ask = "Anything else your clinician should know?";
    page.question.unit.clear();
    page.question.optional = true;
    page.kept = {"\nI take " + injected};
    std::string html = web::render(page);
    check_document(html, "en");
    check_labels(html);
    // The parser drops one newline after the tag: the kept text keeps its own.
    CHECK(contains(html,
                   "<textarea name=\"answer\" id=\"answer\" aria-describedby=\"answer-hint\" rows=\"5\">\n\nI take " +
                       escaped_injected + "</textarea>"));

    page.question.max_length = 40;
    page.kept = {"Sertraline"};
    html = web::render(page);
    check_labels(html);
    std::string const input = tags(html, "input type=\"text\"").front();
    CHECK(attribute(input, "maxlength") == "40");
    CHECK(attribute(input, "value") == "Sertraline");
    CHECK(contains(html, "At most 40 characters. You can skip this question."));
}

TEST_CASE("urgent outcomes come before the question, in full and labelled in words", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::question_page page = yesno_page(language);
        page.urgent = {crisis(language)};
        page.urgent.front().outcome.text += "\n\n" + injected;
        page.error = "x";
        std::string const html = web::render(page);
        check_document(html, language);

        std::size_t const urgent_at =
            html.find("<section class=\"urgent\" role=\"alert\" aria-labelledby=\"urgent-heading\">");
        REQUIRE(urgent_at != std::string::npos);
        CHECK(urgent_at < html.find("<form method=\"post\" action=\"/intake/" + intake_id + "/answer\">"));
        CHECK(urgent_at < html.find("error-summary"));
        CHECK(urgent_at > html.find("<main id=\"main\">"));
        CHECK(contains(html, language == "es" ? ">Busque ayuda ahora</h2>" : ">Get help now</h2>"));
        CHECK(contains(html, "<h3><span class=\"label\">" + std::string(language == "es" ? "Urgente:" : "Urgent:") +
                                 "</span> " + page.urgent.front().outcome.title + "</h3>"));
        CHECK(contains(html, language == "es" ? "crisis:<br>\n988 (EE. UU.)<br>\n112 (UE)</p>"
                                              : "crisis line:<br>\n988 (US)<br>\n112 (EU)</p>"));
        CHECK(contains(html, "<p>" + escaped_injected + "</p>"));
        CHECK(contains(html, page.urgent.front().source_titles.front()));
        CHECK_FALSE(contains(html, injected));
    }
}

TEST_CASE("a question asked again says why and shows the earlier answer", "[pages]") {
    web::question_page page = choice_page("en");
    page.kept.clear();
    page.question.set_aside = stepcare::set_aside_answer{"tried", stepcare::answer_value("more"),
                                                         "This cannot be more than the medicines you take."};
    std::string const html = web::render(page);
    check_document(html, "en");
    CHECK(contains(html, "your earlier answer (Three or more) no longer fits with an answer you changed."));
    CHECK(contains(html, "<p>This cannot be more than the medicines you take.</p>"));
    CHECK(contains(attribute(tags(html, "fieldset").front(), "aria-describedby"), "answer-notice"));
    CHECK(checked_values(html).empty());
}

TEST_CASE("question texts are escaped everywhere", "[pages]") {
    web::question_page page = choice_page("en");
    page.frame.questionnaire_title = "Q " + injected;
    page.question.section_title = injected;
    page.question.ask = "Ask " + injected;
    page.question.options.front().label = injected;
    page.question.options.back().id = "\"><script>";
    page.kept = {"\"><script>"};
    page.error = injected;
    page.urgent = {outcome("c", outcome_level::urgent, injected, injected, {injected})};
    page.languages.back().name = injected;
    std::string const html = web::render(page);
    check_document(html, "en");
    CHECK_FALSE(contains(html, injected));
    CHECK(count(html, escaped_injected) >= 8);
    CHECK(contains(html, "value=\"&quot;&gt;&lt;script&gt;\" checked"));
}

TEST_CASE("the results: urgent first, then every level in words, then the referral", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::ended_page page = results_page(language);
        std::string const html = web::render(page);
        check_document(html, language);
        CHECK(contains(html, language == "es" ? "<h1>Sus resultados</h1>" : "<h1>Your results</h1>"));
        CHECK_FALSE(contains(html, "class=\"urgent\""));

        std::size_t const caution = html.find("<h2 id=\"level-caution\">");
        std::size_t const guidance = html.find("<h2 id=\"level-guidance\">");
        std::size_t const info = html.find("<h2 id=\"level-info\">");
        std::size_t const referral = html.find("<section class=\"referral\" aria-labelledby=\"referral-title\">");
        CHECK(caution < guidance);
        CHECK(guidance < info);
        CHECK(info < referral);
        REQUIRE(referral != std::string::npos);
        CHECK(contains(html, language == "es" ? ">Precaución: tenga cuidado</h2>" : ">Caution: take care</h2>"));
        CHECK(contains(html, "<h2 id=\"referral-title\">" + page.referral.title + "</h2>"));
        CHECK(contains(html, language == "es" ? "Fuentes:" : "Sources:"));
        CHECK(contains(html, "<li>NICE TA854</li>\n<li>FDA label</li>"));
        CHECK(contains(html, "<p>Esketamine nasal spray is one option.<br>\nIt is given in a clinic.</p>"));
        CHECK_FALSE(contains(html, injected));
        CHECK(count(html, escaped_injected) == 4);

        CHECK(contains(html, "<a href=\"/intake/" + intake_id + "/print\">"));
        CHECK(contains(html, "<form method=\"post\" action=\"/intake/" + intake_id + "/back\">\n" +
                                 "<input type=\"hidden\" name=\"csrf\""));
        CHECK(contains(html, "value=\"" + std::string(language == "es" ? "en" : "es") + "\" lang="));
    }

    web::ended_page page = results_page("en");
    page.can_go_back = false;
    page.outcomes.clear();
    std::string const html = web::render(page);
    CHECK_FALSE(contains(html, "/back"));
    CHECK(contains(html, "Your answers did not lead to any particular message."));
    CHECK(contains(html, "referral-title"));
}

TEST_CASE("a stopped intake: the crisis message first, once, and the referral", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::ended_page page = results_page(language);
        page.stopped = true;
        page.urgent = {crisis(language)};
        page.outcomes = {crisis(language)};
        std::string html = web::render(page);
        check_document(html, language);
        std::size_t const urgent_at = html.find("<section class=\"urgent\" role=\"alert\"");
        REQUIRE(urgent_at != std::string::npos);
        CHECK(urgent_at < html.find("<h1>"));
        CHECK(contains(html, language == "es" ? "<h1>Cuestionario detenido</h1>" : "<h1>Intake stopped</h1>"));
        CHECK(contains(html, language == "es" ? "lo primero es buscar ayuda urgente" : "getting urgent help first"));
        CHECK(count(html, page.urgent.front().outcome.title) == 1);
        CHECK(contains(html, "referral-title"));

        // Shown again later, without the notice: the crisis message is in the results.
        page.urgent.clear();
        html = web::render(page);
        check_document(html, language);
        CHECK(count(html, page.outcomes.front().outcome.title) == 1);
        CHECK(html.find("<h2 id=\"level-urgent\">") < html.find("referral-title"));
    }
}

TEST_CASE("the print page has no forms and no language switch", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        web::ended_page page = results_page(language);
        page.print = true;
        std::string const html = web::render(page);
        check_document(html, language);
        CHECK_FALSE(contains(html, "<form"));
        CHECK_FALSE(contains(html, "<button"));
        CHECK_FALSE(contains(html, "/language"));
        CHECK(contains(html, "<a href=\"/intake/" + intake_id + "\">"));
        CHECK(contains(html, "referral-title"));
        CHECK(contains(html, "level-guidance"));
    }
}

TEST_CASE("the home page: one form per questionnaire, with a labelled language choice", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::home_page page;
        page.frame = {language, "", "home-token"};
        page.questionnaires = {
            {"ketamine-trd", "Ketamine treatment " + injected, "Where ketamine treatment stands.\n\nAbout 10 minutes.",
             both_languages(), "en"},
            {"mood-check", "Mood check", "", {{"en", "English"}}, "en"},
        };
        std::string const html = web::render(page);
        check_document(html, language);
        check_labels(html);
        CHECK(contains(html, "<h1>Stepcare</h1>"));
        CHECK(count(html, "<form method=\"post\" action=\"/intakes\">") == 2);
        CHECK(contains(html, "<input type=\"hidden\" name=\"questionnaire\" value=\"ketamine-trd\">"));
        CHECK(contains(html, "<input type=\"hidden\" name=\"questionnaire\" value=\"mood-check\">"));
        CHECK(count(html, "<input type=\"hidden\" name=\"csrf\" value=\"home-token\">") == 2);
        CHECK(count(html, "<select name=\"lang\"") == 1);
        CHECK(contains(html, "<input type=\"hidden\" name=\"lang\" value=\"en\">"));
        CHECK(contains(html, "<option value=\"es\" lang=\"es\"" + std::string(language == "es" ? " selected" : "") +
                                 ">Español</option>"));
        CHECK(contains(html, "<p>Where ketamine treatment stands.</p>\n<p>About 10 minutes.</p>"));
        CHECK(contains(html, language == "es" ? "número de emergencias local" : "local emergency number"));
        CHECK(contains(html, language == "es" ? "profesional sanitario cualificado" : "qualified clinician"));
        CHECK(count(html, language == "es" ? ">Empezar</button>" : ">Start</button>") == 2);
        CHECK_FALSE(contains(html, injected));
    }
}

TEST_CASE("the saved page: the resume link as text and link, private, and how long it is kept", "[pages]") {
    for (const std::string language : {"en", "es"}) {
        INFO(language);
        web::saved_page page;
        page.frame = frame(language);
        page.resume_url = "https://intake.example.org/intake/" + intake_id + "?a=1&b=2";
        page.retain_days = 30;
        std::string html = web::render(page);
        check_document(html, language);
        std::string const url = "https://intake.example.org/intake/" + intake_id + "?a=1&amp;b=2";
        CHECK(contains(html, "<a href=\"" + url + "\">" + url + "</a>"));
        CHECK(contains(html, language == "es" ? "cualquiera que lo tenga" : "anyone who has it"));
        CHECK(contains(html, language == "es" ? "durante 30 días" : "for 30 days"));

        page.retain_days = 1;
        CHECK(contains(web::render(page), language == "es" ? "durante 1 día " : "for 1 day "));
        page.retain_days = 0;
        CHECK(contains(web::render(page), language == "es" ? "hasta que el servicio" : "until the service"));

        page.resume_url = "javascript:alert(1)";
        html = web::render(page);
        CHECK(contains(html, "<a href=\"/\">javascript:alert(1)</a>"));
    }
}

TEST_CASE("error pages name the problem plainly and link onwards", "[pages]") {
    std::map<int, std::string> const titles = {
        {400, "The request could not be read"}, {403, "This form has expired"}, {404, "Page not found"},
        {409, "This page is out of date"},      {413, "Too much was sent"},     {429, "Too many requests"},
        {500, "Something went wrong"},          {503, "Something went wrong"},
    };
    for (const auto& [status, title] : titles) {
        web::error_page page;
        page.frame = {"en", "", "t"};
        page.status = status;
        page.message = "Please try again " + injected;
        page.next_url = "/intake/" + intake_id;
        std::string const html = web::render(page);
        check_document(html, "en");
        CHECK(contains(html, "<h1>" + title + "</h1>"));
        CHECK(contains(html, "<title>" + title + " – Stepcare</title>"));
        CHECK(contains(html, "<a href=\"/intake/" + intake_id + "\">Back to your questionnaire</a>"));
        CHECK_FALSE(contains(html, injected));
    }

    web::error_page page;
    page.frame = {"es", "Tratamiento con ketamina", "t"};
    page.status = 404;
    page.next_url = "//evil.example";
    std::string const html = web::render(page);
    check_document(html, "es");
    CHECK(contains(html, "<h1>Página no encontrada</h1>"));
    CHECK(contains(html, "<a href=\"/\">Ir a la página de inicio</a>"));
}

TEST_CASE("the stylesheet: readable, reflowing, focus visible, print without forms", "[pages]") {
    const std::string& css = web::stylesheet();
    CHECK(contains(css, "font-size: 1.125rem"));
    CHECK(contains(css, "line-height: 1.5"));
    CHECK(contains(css, "max-width: 40rem"));
    CHECK(contains(css, "overflow-wrap: anywhere"));
    CHECK(contains(css, ":focus-visible {\n  outline: 3px solid"));
    CHECK(contains(css, "min-height: 44px"));
    CHECK(contains(css, "@media print"));
    CHECK_FALSE(contains(css, "@import"));
    CHECK_FALSE(contains(css, "url("));
}
