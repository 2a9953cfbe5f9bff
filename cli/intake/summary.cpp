// The clinician summary, as text or Markdown.

#include "intake/summary.hpp"

#include <algorithm>

#include "intake/answer_input.hpp"
#include "intake/texts.hpp"

namespace stepcare::cli::intake {

namespace {

/// Writes headings, items and paragraphs in one of the two formats.
class writer {
public:
    explicit writer(summary_format format) : format_(format) {}

    void title(const std::string& text) {
        out_ += format_ == summary_format::markdown ? "# " + text + "\n\n"
                                                    : text + "\n" + std::string(width(text), '=') + "\n\n";
    }
    void heading(const std::string& text) {
        out_ += format_ == summary_format::markdown ? "\n## " + text + "\n\n"
                                                    : "\n" + text + "\n" + std::string(width(text), '-') + "\n";
    }
    void line(const std::string& text) {
        out_ += text + (format_ == summary_format::markdown && !text.empty() ? "  \n" : "\n");
    }
    /// A numbered item with indented lines under it.
    void numbered(std::size_t n, const std::vector<std::string>& lines) {
        std::string const mark = std::to_string(n) + ". ";
        for (std::size_t i = 0; i < lines.size(); ++i) {
            out_ += (i == 0 ? mark : std::string(mark.size(), ' ')) + lines[i] +
                    (format_ == summary_format::markdown && i + 1 < lines.size() ? "  \n" : "\n");
        }
    }
    void bullet(const std::string& text) { out_ += "- " + text + "\n"; }
    std::string done() { return std::move(out_); }

private:
    /// Display width, counting each UTF-8 code point once (the headings are plain words).
    static std::size_t width(const std::string& text) {
        return static_cast<std::size_t>(
            std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    }

    summary_format format_;
    std::string out_;
};

text_id status_text(result_status status) {
    switch (status) {
        case result_status::complete: return text_id::status_complete;
        case result_status::incomplete: return text_id::status_incomplete;
        case result_status::stopped: return text_id::status_stopped;
        case result_status::invalid: return text_id::status_invalid;
    }
    return text_id::status_incomplete;
}

}  // namespace

std::string reference_numbers(const std::vector<std::string>& cites, std::vector<std::string>& cited) {
    std::vector<std::size_t> found;
    for (const std::string& id : cites) {
        auto place = std::find(cited.begin(), cited.end(), id);
        if (place == cited.end()) place = cited.insert(cited.end(), id);
        found.push_back(static_cast<std::size_t>(place - cited.begin()) + 1);
    }
    std::sort(found.begin(), found.end());
    std::string numbers;
    for (std::size_t const n : found) numbers += (numbers.empty() ? "" : ", ") + std::to_string(n);
    return numbers;
}

summary_format summary_format_for(const std::string& path) {
    return path.size() > 3 && path.compare(path.size() - 3, 3, ".md") == 0 ? summary_format::markdown
                                                                           : summary_format::text;
}

std::string clinician_summary(const session& s, summary_format format, const std::string& date) {
    const questionnaire& q = s.questionnaire_used();
    std::string const& language = s.language();
    std::string const& first = q.languages().front();
    bool const both = language != first;
    ui_language const words = ui_language_for(language);
    answer_input const here(language);
    answer_input const default_input(first);
    result const r = s.current_result();

    writer out(format);
    out.title(text(words, text_id::summary_title));
    out.line(q.title(language));
    out.line(text(words, text_id::summary_questionnaire, {q.id(), q.version(), q.sha256()}));
    out.line(text(words, text_id::summary_date, {date}));
    out.line(text(words, text_id::summary_status, {text(words, status_text(r.status))}));

    // Every question shown, answered or not: those that feed no rule are asked for the
    // clinician, so they belong here above all.
    out.heading(text(words, text_id::summary_answers));
    std::size_t n = 0;
    auto const described = [&](const answer_input& input, const question_view& view, const answer_value& answer) {
        return answer.empty() ? text(input.words(), text_id::summary_not_answered) : input.describe(view, answer);
    };
    for (const std::string& id : s.shown_questions()) {
        auto const view = s.question(id);
        if (!view) continue;
        answer_value const answer = s.answer_of(id).value_or(answer_value());
        std::vector<std::string> lines{view->ask, "→ " + described(here, *view, answer)};
        if (both) {
            auto const original = s.question(id, first);
            lines.push_back("(" + first + ") " + original->ask + " → " + described(default_input, *original, answer));
        }
        out.numbered(++n, lines);
    }

    if (!s.changes().empty()) {
        out.heading(text(words, text_id::summary_changes));
        for (const answer_change& c : s.changes()) {
            auto const view = s.question(c.question);
            if (!view) continue;
            std::string const to = c.to.empty() ? text(words, text_id::summary_cleared) : here.describe(*view, c.to);
            out.bullet(text(words, text_id::summary_change, {view->ask, here.describe(*view, c.from), to, c.at}));
        }
    }

    // The results, with their sources numbered once for the whole summary.
    out.heading(text(words, text_id::summary_results));
    std::vector<std::string> cited;
    auto const numbers = [&](const std::vector<std::string>& cites) {
        return cites.empty() ? std::string() : " [" + reference_numbers(cites, cited) + "]";
    };
    if (r.outcomes.empty()) out.line(text(words, text_id::summary_no_results));
    for (const fired_outcome& o : r.outcomes) {
        std::string level = level_name(words, o.level);
        if (!level.empty() && level[0] >= 'a' && level[0] <= 'z') level[0] = static_cast<char>(level[0] - 'a' + 'A');
        out.bullet(level + ": " + o.title + numbers(o.cites));
    }
    out.line("");
    out.line(text(words, text_id::summary_referral, {r.referral.title}) + numbers(r.referral.cites));
    if (!cited.empty()) {
        out.heading(text(words, text_id::sources_heading));
        for (std::size_t i = 0; i < cited.size(); ++i)
            out.numbered(i + 1, {s.source_title(cited[i]).value_or(cited[i])});
    }
    return out.done();
}

}  // namespace stepcare::cli::intake
