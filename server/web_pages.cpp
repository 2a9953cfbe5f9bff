// The pages of the web intake as whole HTML documents. Every text goes through `escape`;
// nothing here writes a script or a style attribute (the Content-Security-Policy forbids
// both), and every form works as a plain POST.

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>

#include "web_pages.hpp"

namespace stepcare::server::web {

namespace {

// The ids of the question's parts, which labels, hints and the error summary point at.
constexpr std::string_view field_id = "answer";
constexpr std::string_view help_id = "answer-help";
constexpr std::string_view hint_id = "answer-hint";
constexpr std::string_view unit_id = "answer-unit";
constexpr std::string_view error_id = "answer-error";
constexpr std::string_view notice_id = "answer-notice";

// The one escape, for text and attribute values alike.
std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 16);
    for (char const c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string_view primary_subtag(std::string_view language) { return language.substr(0, language.find_first_of("_-")); }

// A language code as the `lang` attribute needs it, a BCP 47 tag: questionnaires may name a
// language "pt_BR", which HTML does not read as Brazilian Portuguese; "pt-BR" it does.
std::string lang_tag(std::string_view language) {
    std::string tag(language);
    std::replace(tag.begin(), tag.end(), '_', '-');
    return tag;
}

// An interface text with its {1}, {2}... put in, not yet escaped.
std::string say(const std::string& language, const std::string& key, std::initializer_list<std::string> args = {}) {
    std::string const pattern = text(language, key);
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '1' &&
            pattern[i + 1] <= '9') {
            auto const n = static_cast<std::size_t>(pattern[i + 1] - '1');
            if (n < args.size()) out += *(args.begin() + n);
            i += 2;
        } else {
            out += pattern[i];
        }
    }
    return out;
}

// `say`, escaped: what most of the page is made of.
std::string say_html(const std::string& language, const std::string& key,
                     std::initializer_list<std::string> args = {}) {
    return escape(say(language, key, args));
}

// A number as the person would type it: Spanish writes decimals with a comma, as the session
// reads them.
std::string format_number(double value, const std::string& language) {
    std::array<char, 32> buffer{};
    auto const [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    if (error != std::errc{}) return {};
    std::string out(buffer.data(), end);
    if (primary_subtag(language) == "es") {
        for (char& c : out) c = c == '.' ? ',' : c;
    }
    return out;
}

// Links come from the server, but anything other than a path or an http(s) address could run
// script (`javascript:`) or leave the site ("//host", "/\host"), so it becomes the home page.
std::string safe_url(std::string_view url) {
    bool const path = url.starts_with('/') && !url.starts_with("//") && !url.starts_with("/\\");
    if (path || url.starts_with("https://") || url.starts_with("http://")) return std::string(url);
    return "/";
}

// Escaped text whose single newlines become line breaks.
std::string lines_html(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t newline = text.find('\n'); newline != std::string_view::npos; newline = text.find('\n', start)) {
        out += escape(text.substr(start, newline - start));
        out += "<br>\n";
        start = newline + 1;
    }
    out += escape(text.substr(start));
    return out;
}

// Paragraphs separated by a blank line, each a <p>, as outcome and help texts are written.
std::string paragraphs_html(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find("\n\n", start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view paragraph = text.substr(start, end - start);
        while (!paragraph.empty() && paragraph.front() == '\n') paragraph.remove_prefix(1);
        while (!paragraph.empty() && paragraph.back() == '\n') paragraph.remove_suffix(1);
        if (!paragraph.empty()) out += "<p>" + lines_html(paragraph) + "</p>\n";
        start = end + 2;
    }
    return out;
}

std::string hidden_field(std::string_view name, std::string_view value) {
    return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">\n";
}

std::string csrf_field(const page_frame& frame) { return hidden_field("csrf", frame.csrf_token); }

std::string intake_url(const std::string& intake_id, std::string_view action) {
    std::string url = "/intake/" + intake_id;
    if (!action.empty()) url += "/" + std::string(action);
    return url;
}

std::string html_language(const page_frame& frame) { return frame.language.empty() ? "en" : lang_tag(frame.language); }

// The small form that reloads the page in another of the questionnaire's languages; one
// button per language, each named in that language.
std::string language_switch(const page_frame& frame, const std::string& intake_id,
                            const std::vector<language_choice>& languages) {
    if (languages.size() < 2) return {};
    std::string out = "<nav class=\"languages\" aria-label=\"" + say_html(frame.language, "change_language") + "\">\n";
    out += "<form method=\"post\" action=\"" + escape(intake_url(intake_id, "language")) + "\">\n";
    out += csrf_field(frame);
    for (const language_choice& choice : languages) {
        if (choice.code == frame.language) continue;
        out += "<button type=\"submit\" name=\"lang\" value=\"" + escape(choice.code) + "\" lang=\"" +
               escape(lang_tag(choice.code)) + "\">" + escape(choice.name) + "</button>\n";
    }
    out += "</form>\n</nav>\n";
    return out;
}

// The whole document: `title` names the page, followed by the questionnaire (or Stepcare).
std::string document(const page_frame& frame, const std::string& title, const std::string& nav,
                     const std::string& main) {
    std::string const site = frame.questionnaire_title.empty() ? "Stepcare" : frame.questionnaire_title;
    std::string out = "<!doctype html>\n<html lang=\"" + escape(html_language(frame)) + "\">\n<head>\n";
    out += "<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += "<title>" + escape(title + " – " + site) + "</title>\n";
    out += "<link rel=\"stylesheet\" href=\"/static/stepcare.css\">\n";
    out += "</head>\n<body>\n";
    out += "<a class=\"skip-link\" href=\"#main\">" + say_html(frame.language, "skip_link") + "</a>\n";
    if (!frame.questionnaire_title.empty()) {
        out += "<header class=\"masthead\">\n<p>" + escape(frame.questionnaire_title) + "</p>\n</header>\n";
    }
    out += nav;
    out += "<main id=\"main\">\n" + main + "</main>\n</body>\n</html>\n";
    return out;
}

std::string sources_html(const std::string& language, const std::vector<std::string>& titles) {
    if (titles.empty()) return {};
    std::string out = "<p class=\"sources-label\">" + say_html(language, "sources") + "</p>\n<ul class=\"sources\">\n";
    for (const std::string& title : titles) out += "<li>" + lines_html(title) + "</li>\n";
    out += "</ul>\n";
    return out;
}

// One outcome: its title as an h3 (urgent ones say so in words), its text and its sources.
std::string outcome_html(const std::string& language, const shown_outcome& shown) {
    const fired_outcome& o = shown.outcome;
    std::string out = "<div class=\"outcome\">\n<h3>";
    if (o.level == outcome_level::urgent)
        out += "<span class=\"label\">" + say_html(language, "urgent_label") + "</span> ";
    out += lines_html(o.title) + "</h3>\n";
    out += paragraphs_html(o.text);
    out += sources_html(language, shown.source_titles);
    out += "</div>\n";
    return out;
}

// The urgent outcomes that the last step made fire, in full, before anything else.
std::string urgent_html(const std::string& language, const std::vector<shown_outcome>& urgent) {
    if (urgent.empty()) return {};
    std::string out = "<section class=\"urgent\" role=\"alert\" aria-labelledby=\"urgent-heading\">\n";
    out += "<h2 id=\"urgent-heading\">" + say_html(language, "urgent_heading") + "</h2>\n";
    for (const shown_outcome& shown : urgent) out += outcome_html(language, shown);
    out += "</section>\n";
    return out;
}

// Where the error summary sends the person: the field, or the first of its options.
std::string first_input_id(const question_view& q) {
    switch (q.kind) {
        case question_kind::yesno: return std::string(field_id) + "-yes";
        case question_kind::choice:
        case question_kind::multi: return std::string(field_id) + "-1";
        case question_kind::integer:
        case question_kind::decimal:
        case question_kind::text: return std::string(field_id);
    }
    return std::string(field_id);
}

bool is_kept(const std::vector<std::string>& kept, const std::string& value) {
    for (const std::string& k : kept) {
        if (k == value) return true;
    }
    return false;
}

std::string option_label(const question_view& q, const std::string& id) {
    for (const option_view& o : q.options) {
        if (o.id == id) return o.label;
    }
    return id;
}

// An earlier answer in words, for the notice of a question asked again.
std::string describe_answer(const question_view& q, const answer_value& answer, const std::string& language) {
    const answer_value::storage& data = answer.data();
    if (const bool* b = std::get_if<bool>(&data)) return say(language, *b ? "yes" : "no");
    if (const std::int64_t* n = std::get_if<std::int64_t>(&data)) return std::to_string(*n);
    if (const double* d = std::get_if<double>(&data)) return format_number(*d, language);
    if (const std::string* s = std::get_if<std::string>(&data)) {
        if (q.kind == question_kind::yesno && (*s == "yes" || *s == "no")) return say(language, *s);
        return q.kind == question_kind::choice ? option_label(q, *s) : *s;
    }
    if (const answer_value::option_ids* ids = std::get_if<answer_value::option_ids>(&data)) {
        std::string out;
        for (const std::string& id : *ids) out += (out.empty() ? "" : ", ") + option_label(q, id);
        return out;
    }
    return {};
}

// The question's hint: what a valid answer looks like, and that it may be skipped.
std::string hint_text(const question_page& page) {
    const question_view& q = page.question;
    const std::string& language = page.frame.language;
    std::string hint;
    switch (q.kind) {
        case question_kind::yesno:
        case question_kind::choice: break;
        case question_kind::multi: hint = say(language, "hint_multi"); break;
        case question_kind::integer:
            hint = say(language, "hint_integer", {format_number(q.min, language), format_number(q.max, language)});
            break;
        case question_kind::decimal:
            hint = say(language, "hint_decimal", {format_number(q.min, language), format_number(q.max, language)});
            break;
        case question_kind::text:
            if (q.max_length) hint = say(language, "hint_text_max", {std::to_string(*q.max_length)});
            break;
    }
    if (q.optional) hint += (hint.empty() ? "" : " ") + say(language, "hint_optional");
    return hint;
}

std::string invalid_attribute(const question_page& page) { return page.error ? " aria-invalid=\"true\"" : ""; }

// The inputs of a yesno, choice or multi question: one radio or checkbox per answer, each
// with its own label.
std::string options_html(const question_page& page) {
    const question_view& q = page.question;
    std::vector<std::pair<std::string, std::string>> choices;  // value, label
    if (q.kind == question_kind::yesno) {
        choices = {{"yes", say(page.frame.language, "yes")}, {"no", say(page.frame.language, "no")}};
    } else {
        for (const option_view& o : q.options) choices.emplace_back(o.id, o.label);
    }
    std::string const type = q.kind == question_kind::multi ? "checkbox" : "radio";
    std::string out = "<div class=\"options\">\n";
    for (std::size_t i = 0; i < choices.size(); ++i) {
        std::string const id =
            std::string(field_id) + "-" + (q.kind == question_kind::yesno ? choices[i].first : std::to_string(i + 1));
        out += "<div class=\"option\"><input type=\"" + type + "\" name=\"answer\" id=\"" + escape(id) + "\" value=\"" +
               escape(choices[i].first) + "\"";
        if (is_kept(page.kept, choices[i].first)) out += " checked";
        // ARIA defines aria-invalid for checkboxes but not radios, whose group's description names the error.
        if (q.kind == question_kind::multi) out += invalid_attribute(page);
        out += "><label for=\"" + escape(id) + "\">" + lines_html(choices[i].second) + "</label></div>\n";
    }
    out += "</div>\n";
    return out;
}

// The typed answer of an integer, decimal or text question.
std::string typed_input_html(const question_page& page, const std::string& described_by) {
    const question_view& q = page.question;
    std::string const kept = page.kept.empty() ? std::string() : page.kept.front();
    std::string const common =
        "name=\"answer\" id=\"" + std::string(field_id) + "\"" + described_by + invalid_attribute(page);
    if (q.kind == question_kind::text) {
        std::string const max_length =
            q.max_length ? " maxlength=\"" + std::to_string(*q.max_length) + "\"" : std::string();
        // Short answers fit a line; longer ones get room to write.
        if (q.max_length && *q.max_length <= 80) {
            return "<input type=\"text\" " + common + max_length + " value=\"" + escape(kept) + "\">\n";
        }
        // The newline after the tag keeps a kept text's own leading newline (the parser drops one).
        return "<textarea " + common + max_length + " rows=\"5\">\n" + escape(kept) + "</textarea>\n";
    }
    // Phone keypads for "numeric" and "decimal" have no minus sign.
    std::string input_mode;
    if (q.min >= 0) input_mode = q.kind == question_kind::integer ? " inputmode=\"numeric\"" : " inputmode=\"decimal\"";
    std::string out = "<div class=\"number-field\">\n<input type=\"text\"" + input_mode + " " + common +
                      " autocomplete=\"off\" spellcheck=\"false\" value=\"" + escape(kept) + "\">\n";
    if (!q.unit.empty())
        out += "<span class=\"unit\" id=\"" + std::string(unit_id) + "\">" + escape(q.unit) + "</span>\n";
    out += "</div>\n";
    return out;
}

// The question with its help, hint, error and inputs.
std::string field_html(const question_page& page, int heading_level) {
    const question_view& q = page.question;
    const std::string& language = page.frame.language;
    std::string const hint = hint_text(page);

    std::string described_by;
    auto describe = [&](std::string_view id) { described_by += (described_by.empty() ? "" : " ") + std::string(id); };
    if (q.set_aside) describe(notice_id);
    if (!q.help.empty()) describe(help_id);
    if (!hint.empty()) describe(hint_id);
    bool const has_unit = (q.kind == question_kind::integer || q.kind == question_kind::decimal) && !q.unit.empty();
    if (has_unit) describe(unit_id);
    if (page.error) describe(error_id);
    std::string const described_by_attribute =
        described_by.empty() ? std::string() : " aria-describedby=\"" + described_by + "\"";

    std::string const h = "h" + std::to_string(heading_level);
    std::string details;
    if (!q.help.empty())
        details += "<div class=\"help\" id=\"" + std::string(help_id) + "\">\n" + paragraphs_html(q.help) + "</div>\n";
    if (!hint.empty()) details += "<p class=\"hint\" id=\"" + std::string(hint_id) + "\">" + escape(hint) + "</p>\n";
    if (page.error) {
        details += "<p class=\"error-message\" id=\"" + std::string(error_id) + "\"><span class=\"label\">" +
                   say_html(language, "error_label") + "</span> " + lines_html(*page.error) + "</p>\n";
    }

    std::string out = std::string("<div class=\"field") + (page.error ? " field-error" : "") + "\">\n";
    bool const grouped =
        q.kind == question_kind::yesno || q.kind == question_kind::choice || q.kind == question_kind::multi;
    if (grouped) {
        // The legend is the question, so that each option is announced with it.
        out += "<fieldset" + described_by_attribute + ">\n<legend><" + h + " class=\"question\">" + lines_html(q.ask) +
               "</" + h + "></legend>\n";
        out += details + options_html(page) + "</fieldset>\n";
    } else {
        out += "<" + h + " class=\"question\"><label for=\"" + std::string(field_id) + "\">" + lines_html(q.ask) +
               "</label></" + h + ">\n";
        out += details + typed_input_html(page, described_by_attribute);
    }
    out += "</div>\n";
    return out;
}

// A submit button that posts the form elsewhere, without asking for the field.
std::string other_button(const std::string& intake_id, std::string_view action, const std::string& label) {
    return "<button type=\"submit\" formaction=\"" + escape(intake_url(intake_id, action)) + "\" formnovalidate>" +
           label + "</button>\n";
}

std::string level_key(outcome_level level) { return std::string("level_") + to_string(level); }

}  // namespace

std::string render(const home_page& page) {
    const std::string& language = page.frame.language;
    std::string main = "<h1>Stepcare</h1>\n";
    main += "<p>" + say_html(language, "home_intro") + "</p>\n";
    main += "<p>" + say_html(language, "home_not_diagnosis") + "</p>\n";
    main += "<p><strong>" + say_html(language, "home_emergency") + "</strong></p>\n";
    if (page.questionnaires.empty()) main += "<p>" + say_html(language, "home_none") + "</p>\n";
    for (std::size_t i = 0; i < page.questionnaires.size(); ++i) {
        const home_page::entry& q = page.questionnaires[i];
        std::string const heading_id = "questionnaire-" + std::to_string(i + 1);
        std::string const select_id = "language-" + std::to_string(i + 1);
        bool offers_page_language = false;
        for (const language_choice& choice : q.languages) offers_page_language |= choice.code == language;
        // A questionnaire without the page's language shows its title and description in its own,
        // and says which, so that a screen reader reads them in that language.
        std::string const own_language = offers_page_language || q.default_language.empty()
                                             ? std::string()
                                             : " lang=\"" + escape(lang_tag(q.default_language)) + "\"";
        main += "<section aria-labelledby=\"" + heading_id + "\">\n";
        main += "<h2 id=\"" + heading_id + "\"" + own_language + ">" + lines_html(q.title) + "</h2>\n";
        if (own_language.empty() || q.description.empty()) {
            main += paragraphs_html(q.description);
        } else {
            main += "<div" + own_language + ">\n" + paragraphs_html(q.description) + "</div>\n";
        }
        main += "<form method=\"post\" action=\"/intakes\">\n";
        main += hidden_field("questionnaire", q.id) + csrf_field(page.frame);
        if (q.languages.size() > 1) {
            std::string const selected = offers_page_language ? language : q.default_language;
            main += "<div class=\"field\">\n<label for=\"" + select_id + "\">" + say_html(language, "home_language") +
                    "</label>\n<select name=\"lang\" id=\"" + select_id + "\">\n";
            for (const language_choice& choice : q.languages) {
                main += "<option value=\"" + escape(choice.code) + "\" lang=\"" + escape(lang_tag(choice.code)) + "\"" +
                        (choice.code == selected ? " selected" : "") + ">" + escape(choice.name) + "</option>\n";
            }
            main += "</select>\n</div>\n";
        } else {
            main += hidden_field("lang", q.languages.empty() ? q.default_language : q.languages.front().code);
        }
        main += "<div class=\"buttons\"><button type=\"submit\" class=\"primary\" aria-describedby=\"" + heading_id +
                "\">" + say_html(language, "home_start") + "</button></div>\n";
        main += "</form>\n</section>\n";
    }
    return document(page.frame, say(language, "home_title"), {}, main);
}

std::string render(const question_page& page) {
    const std::string& language = page.frame.language;
    const question_view& q = page.question;
    std::string const progress =
        say(language, "progress", {std::to_string(page.progress.number), std::to_string(page.progress.total)});

    // Crisis first: the urgent outcomes come before even an error in the answer.
    std::string main = urgent_html(language, page.urgent);
    if (page.error) {
        main +=
            "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus "
            "aria-labelledby=\"error-summary-title\">\n";
        main += "<h2 id=\"error-summary-title\">" + say_html(language, "error_summary_title") + "</h2>\n";
        main += "<ul>\n<li><a href=\"#" + escape(first_input_id(q)) + "\">" + lines_html(*page.error) +
                "</a></li>\n</ul>\n</div>\n";
    }
    // The section is the page's top heading when there is one, the question otherwise.
    int heading_level = 1;
    if (!q.section_title.empty()) {
        main += "<h1 class=\"section-title\">" + lines_html(q.section_title) + "</h1>\n";
        heading_level = 2;
    }
    main += "<p class=\"progress\">" + escape(progress) + "</p>\n";
    if (q.set_aside) {
        main += "<div class=\"notice\" id=\"" + std::string(notice_id) + "\">\n<p>" +
                say_html(language, "asked_again", {describe_answer(q, q.set_aside->previous, language)}) + "</p>\n" +
                paragraphs_html(q.set_aside->message) + "</div>\n";
    }

    main += "<form method=\"post\" action=\"" + escape(intake_url(page.intake_id, "answer")) + "\">\n";
    main += csrf_field(page.frame);
    main += field_html(page, heading_level);
    // Continue comes first, so that Enter in a text field answers.
    main += "<div class=\"buttons\">\n<button type=\"submit\" class=\"primary\">" + say_html(language, "continue") +
            "</button>\n";
    if (page.can_go_back) main += other_button(page.intake_id, "back", say_html(language, "back"));
    if (q.optional) main += other_button(page.intake_id, "skip", say_html(language, "skip"));
    main += other_button(page.intake_id, "leave", say_html(language, "leave"));
    main += "</div>\n</form>\n";

    std::string const title = (page.error ? say(language, "title_error_prefix") : std::string()) + progress;
    return document(page.frame, title, language_switch(page.frame, page.intake_id, page.languages), main);
}

std::string render(const ended_page& page) {
    const std::string& language = page.frame.language;
    std::string const heading = say(language, page.stopped ? "stopped_heading" : "results");

    std::string main = urgent_html(language, page.urgent);
    main += "<h1>" + escape(heading) + "</h1>\n";
    if (page.stopped) {
        main += "<p>" + say_html(language, "stopped_explain") + "</p>\n";
        if (page.can_go_back && !page.print) main += "<p>" + say_html(language, "stopped_mistake") + "</p>\n";
    } else if (!page.print) {
        main += "<p>" + say_html(language, "finished") + "</p>\n";
    }

    // The urgent box already shows some outcomes in full; the groups hold the rest.
    auto in_urgent_box = [&](const shown_outcome& shown) {
        for (const shown_outcome& u : page.urgent) {
            if (u.outcome.id == shown.outcome.id) return true;
        }
        return false;
    };
    for (outcome_level const level :
         {outcome_level::urgent, outcome_level::caution, outcome_level::guidance, outcome_level::info}) {
        std::string group;
        for (const shown_outcome& shown : page.outcomes) {
            if (shown.outcome.level == level && !in_urgent_box(shown)) group += outcome_html(language, shown);
        }
        if (group.empty()) continue;
        std::string const group_id = std::string("level-") + to_string(level);
        main += "<section class=\"level\" aria-labelledby=\"" + group_id + "\">\n<h2 id=\"" + group_id + "\">" +
                say_html(language, level_key(level)) + "</h2>\n" + group + "</section>\n";
    }
    if (page.outcomes.empty() && page.urgent.empty()) main += "<p>" + say_html(language, "nothing_fired") + "</p>\n";

    // Every path ends with the referral.
    main += "<section class=\"referral\" aria-labelledby=\"referral-title\">\n";
    main += "<p class=\"label\">" + say_html(language, "referral_label") + "</p>\n";
    main += "<h2 id=\"referral-title\">" + lines_html(page.referral.title) + "</h2>\n";
    main += paragraphs_html(page.referral.text);
    main += sources_html(language, page.referral_source_titles);
    main += "</section>\n";

    main += "<div class=\"actions\">\n";
    if (page.print) {
        main += "<p>" + say_html(language, "print_how") + "</p>\n";
        main += "<p><a href=\"" + escape(intake_url(page.intake_id, {})) + "\">" +
                say_html(language, "back_to_results") + "</a></p>\n";
    } else {
        main += "<p><a href=\"" + escape(intake_url(page.intake_id, "print")) + "\">" +
                say_html(language, "print_link") + "</a></p>\n";
        if (page.can_go_back) {
            main += "<form method=\"post\" action=\"" + escape(intake_url(page.intake_id, "back")) + "\">\n" +
                    csrf_field(page.frame) + "<button type=\"submit\">" + say_html(language, "back_to_change") +
                    "</button>\n</form>\n";
        }
    }
    main += "</div>\n";

    std::string const nav = page.print ? std::string() : language_switch(page.frame, page.intake_id, page.languages);
    return document(page.frame, heading, nav, main);
}

std::string render(const saved_page& page) {
    const std::string& language = page.frame.language;
    std::string const heading = say(language, "saved_heading");
    std::string main = "<h1>" + escape(heading) + "</h1>\n";
    main += "<p>" + say_html(language, "saved_resume") + "</p>\n";
    // The link's text is the address itself, to copy or write down.
    main += "<p class=\"resume-url\"><a href=\"" + escape(safe_url(page.resume_url)) + "\">" + escape(page.resume_url) +
            "</a></p>\n";
    main += "<p><strong>" + say_html(language, "saved_private") + "</strong></p>\n";
    if (page.retain_days == 1) {
        main += "<p>" + say_html(language, "saved_retain_day") + "</p>\n";
    } else if (page.retain_days > 1) {
        main += "<p>" + say_html(language, "saved_retain_days", {std::to_string(page.retain_days)}) + "</p>\n";
    } else {
        main += "<p>" + say_html(language, "saved_retain_kept") + "</p>\n";
    }
    main += "<p>" + say_html(language, "saved_close") + "</p>\n";
    return document(page.frame, heading, {}, main);
}

std::string render(const error_page& page) {
    const std::string& language = page.frame.language;
    std::string key;
    switch (page.status) {
        case 400:
        case 403:
        case 404:
        case 409:
        case 413:
        case 429: key = "error_" + std::to_string(page.status); break;
        default: key = "error_500";
    }
    std::string const heading = say(language, key);
    std::string const next = safe_url(page.next_url);
    std::string main = "<h1>" + escape(heading) + "</h1>\n";
    main += paragraphs_html(page.message);
    main += "<p><a href=\"" + escape(next) + "\">" +
            say_html(language, next.starts_with("/intake/") ? "error_next_intake" : "error_next_home") + "</a></p>\n";
    return document(page.frame, heading, {}, main);
}

}  // namespace stepcare::server::web
