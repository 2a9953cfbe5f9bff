#pragma once
// The pages of the web intake: server-rendered HTML that works with JavaScript off.
// Pure functions from a page's content to its HTML, so that tests can render any page.

#include <optional>
#include <string>
#include <vector>

#include "stepcare/result.hpp"
#include "stepcare/session.hpp"

namespace stepcare::server::web {

/// A language the person may switch to: its code and its name in itself ("Español").
struct language_choice {
    std::string code;
    std::string name;
};

/// What every page has.
struct page_frame {
    std::string language;             ///< the page's `lang`; the interface texts follow it (English otherwise)
    std::string questionnaire_title;  ///< empty on pages that belong to no questionnaire
    std::string csrf_token;           ///< put in every form as the field `csrf`
};

/// An outcome as a page shows it: its texts and the titles of the sources it cites.
struct shown_outcome {
    fired_outcome outcome;
    std::vector<std::string> source_titles;  ///< in `outcome.cites` order
};

/// `GET /`: the questionnaires, each with a form that starts an intake
/// (`POST /intakes` with `questionnaire` and `lang`).
struct home_page {
    page_frame frame;
    struct entry {
        std::string id;
        std::string title;        ///< in the page's language when it has it
        std::string description;  ///< may be empty
        std::vector<language_choice> languages;
        std::string default_language;
    };
    std::vector<entry> questionnaires;
};

/// `GET /intake/ID` while a question is open. Its form posts to `/intake/ID/answer`; the
/// buttons Back (`/intake/ID/back`, when `can_go_back`), Skip (`/intake/ID/skip`, when the
/// question is optional) and Save and leave (`/intake/ID/leave`) use `formaction`.
/// The language switch posts `lang` to `/intake/ID/language`.
struct question_page {
    page_frame frame;
    std::string intake_id;
    std::vector<language_choice> languages;  ///< the questionnaire's; no switch when only one
    /// Urgent outcomes that the last step made fire: shown in full before anything else.
    std::vector<shown_outcome> urgent;
    question_view question;
    session_progress progress;
    bool can_go_back = false;
    /// Field values: `answer` (a radio's option id, "yes"/"no", or the typed text) and,
    /// for multi questions, `answer` once per checked option id.
    std::vector<std::string> kept;     ///< what was submitted (after an error) or the answer given before
    std::optional<std::string> error;  ///< why the submitted answer was refused, for the error summary
};

/// `GET /intake/ID` when the intake is over (finished or stopped), and `GET /intake/ID/print`
/// (`print`: no buttons, no language switch, laid out for paper).
struct ended_page {
    page_frame frame;
    std::string intake_id;
    std::vector<language_choice> languages;
    bool print = false;
    bool stopped = false;
    std::vector<shown_outcome> urgent;    ///< urgent outcomes that the last step made fire
    std::vector<shown_outcome> outcomes;  ///< every fired outcome, by level then file order
    referral_text referral;
    std::vector<std::string> referral_source_titles;
    bool can_go_back = true;  ///< Back to change the last answer (`/intake/ID/back`)
};

/// After Save and leave: the link that resumes the intake (absolute, from the request's host).
struct saved_page {
    page_frame frame;
    std::string resume_url;
    /// How many days after its last answer a saved intake is deleted; 0 when intakes are kept
    /// until someone deletes them.
    int retain_days = 0;
};

/// Any refusal: the status, a plain explanation and what to do.
struct error_page {
    page_frame frame;
    int status = 400;
    std::string message;   ///< what went wrong, in the page's language
    std::string next_url;  ///< where to go from here ("/" or the intake)
};

// Complete HTML5 documents. Every text is escaped; no script and no style attribute, so
// that a Content-Security-Policy without 'unsafe-inline' holds; forms post without JavaScript.

std::string render(const home_page& page);
std::string render(const question_page& page);
std::string render(const ended_page& page);
std::string render(const saved_page& page);
std::string render(const error_page& page);

/// The interface's own texts (buttons, headings, messages) in `language` (its primary subtag:
/// "es-MX" is "es"), English when the language has none: `text(language, "back")`. {1}, {2}...
/// stand for arguments that the caller puts in. An unknown key gives the key itself, so that a
/// missing text shows on the page instead of failing. Keys are listed in web_texts.cpp.
std::string text(const std::string& language, const std::string& key);

/// Every key of `language`'s own table, in table order; empty for a language without one.
std::vector<std::string> text_keys(const std::string& language);

/// The stylesheet served at `/static/stepcare.css`.
const std::string& stylesheet();

}  // namespace stepcare::server::web
