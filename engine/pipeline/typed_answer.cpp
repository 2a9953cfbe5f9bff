// Reading typed answers, with ICU doing the language-specific parts.

#include "pipeline/typed_answer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <vector>

#include "foundation/text.hpp"

namespace stepcare {

namespace {

std::string_view trim(std::string_view s) {
    std::size_t const first = s.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string_view::npos) return {};
    std::size_t const last = s.find_last_not_of(" \t\r\n\f\v");
    return s.substr(first, last - first + 1);
}

bool all_ascii_digits(std::string_view s) {
    return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Whether `s` is a whole number written with grouping separators ("1,000", "-12.345.678");
/// `digits` receives it without them.
bool looks_grouped(std::string_view s, std::string& digits) {
    std::size_t i = 0;
    if (!s.empty() && s[0] == '-') {
        digits += '-';
        i = 1;
    }
    std::size_t const lead_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') digits += s[i++];
    std::size_t const lead = i - lead_start;
    if (lead == 0 || lead > 3 || i == s.size() || (s[i] != '.' && s[i] != ',')) return false;
    char const separator = s[i];
    while (i < s.size()) {
        if (s[i] != separator || i + 3 >= s.size() || !all_ascii_digits(s.substr(i + 1, 3))) return false;
        digits += s.substr(i + 1, 3);
        i += 4;
    }
    return true;
}

std::vector<std::string_view> split_list(std::string_view line) {
    std::vector<std::string_view> items;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == ',' || line[i] == ';') {
            std::string_view const item = trim(line.substr(start, i - start));
            if (!item.empty()) items.push_back(item);
            start = i + 1;
        }
    }
    return items;
}

// The words a person types for yes, no and "none of them" (a multi answered with no
// option). Yes and no also take 1 and 2, as choices take numbers.
std::vector<std::string_view> yes_words(bool spanish) {
    if (spanish) return {"sí", "s", "1"};
    return {"yes", "y", "1"};
}
std::vector<std::string_view> no_words(bool) { return {"no", "n", "2"}; }
std::vector<std::string_view> none_words(bool spanish) {
    if (spanish) return {"ninguna", "ninguno", "nada"};
    return {"none", "nothing"};
}

parsed_answer accepted(answer_value value) { return {std::move(value), std::nullopt}; }

parsed_answer refused(answer_problem::kind what, std::string text, std::string message) {
    answer_problem problem;
    problem.what = what;
    problem.text = std::move(text);
    problem.message = std::move(message);
    return {std::nullopt, std::move(problem)};
}

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

/// How one typed item matched the options of a question.
struct option_match {
    enum class kind { found, unknown, ambiguous, no_such_option } what = kind::unknown;
    std::size_t index = 0;                ///< found; no_such_option: the number typed
    std::vector<std::size_t> candidates;  ///< ambiguous
};

bool lettered(const std::vector<option_view>& options) {
    return !options.empty() && !options.front().key.empty() &&
           !std::isdigit(static_cast<unsigned char>(options.front().key[0]));
}

}  // namespace

const char* to_string(answer_problem::kind what) {
    switch (what) {
        case answer_problem::kind::empty: return "empty";
        case answer_problem::kind::not_yes_no: return "not_yes_no";
        case answer_problem::kind::unknown_option: return "unknown_option";
        case answer_problem::kind::no_such_option: return "no_such_option";
        case answer_problem::kind::ambiguous_option: return "ambiguous_option";
        case answer_problem::kind::one_option_only: return "one_option_only";
        case answer_problem::kind::not_a_number: return "not_a_number";
        case answer_problem::kind::decimal_separator: return "decimal_separator";
        case answer_problem::kind::grouping: return "grouping";
        case answer_problem::kind::not_whole: return "not_whole";
        case answer_problem::kind::out_of_range: return "out_of_range";
        case answer_problem::kind::too_long: return "too_long";
    }
    return "";
}

void assign_option_keys(std::vector<option_view>& options) {
    constexpr std::size_t letters = 26;
    bool const use_letters =
        options.size() <= letters && std::any_of(options.begin(), options.end(), [](const option_view& o) {
            return std::any_of(o.label.begin(), o.label.end(), [](char c) { return c >= '0' && c <= '9'; });
        });
    for (std::size_t i = 0; i < options.size(); ++i) {
        options[i].key = use_letters ? std::string(1, static_cast<char>('a' + i)) : std::to_string(i + 1);
    }
}

typed_answer_reader::typed_answer_reader(std::string_view language_tag)
    : language_(language_tag), spanish_(language_tag.substr(0, language_tag.find_first_of("_-")) == "es") {}

std::string typed_answer_reader::format_number(double number) const { return language_.format_number(number); }

parsed_answer typed_answer_reader::read(const question_view& q, std::string_view text) const {
    text = trim(text);
    if (text.empty()) return refused(answer_problem::kind::empty, {}, "the answer is empty");
    switch (q.kind) {
        case question_kind::yesno: return read_yes_no(text);
        case question_kind::choice:
        case question_kind::multi: return read_options(q, text);
        case question_kind::integer:
        case question_kind::decimal: return read_number(q, text);
        case question_kind::text: return read_text(q, text);
    }
    return refused(answer_problem::kind::empty, {}, "the answer is empty");
}

parsed_answer typed_answer_reader::read_yes_no(std::string_view text) const {
    for (std::string_view const w : yes_words(spanish_)) {
        if (language_.same_words(text, w)) return accepted(true);
    }
    for (std::string_view const w : no_words(spanish_)) {
        if (language_.same_words(text, w)) return accepted(false);
    }
    return refused(answer_problem::kind::not_yes_no, std::string(text), quote(text) + " is neither yes nor no");
}

parsed_answer typed_answer_reader::read_number(const question_view& q, std::string_view text) const {
    std::string const range = " (from " + format_number(q.min) + " to " + format_number(q.max) + ")";
    // The unit shown with the question may follow the number: "16 years", "16 años".
    if (!q.unit.empty() && text.size() > q.unit.size()) {
        std::size_t const space = text.find_last_of(" \t");
        if (space != std::string_view::npos && language_.same_words(text.substr(space + 1), q.unit)) {
            text = trim(text.substr(0, space));
        }
    }
    std::optional<double> const number = language_.parse_number(text);
    if (!number) {
        // Grouped thousands ("1,000" or "1.000"): grouping is never read, so say so.
        std::string digits;
        if (looks_grouped(text, digits) && language_.parse_number(digits)) {
            parsed_answer r = refused(answer_problem::kind::grouping, std::string(text),
                                      quote(text) + " has grouping separators; write it as " + digits);
            r.problem->suggestion = digits;
            return r;
        }
        // The other decimal convention ("2.5" in Spanish, "2,5" in English).
        std::string swapped(text);
        bool const has_separator = swapped.find_first_of(".,") != std::string::npos;
        for (char& c : swapped) c = c == '.' ? ',' : c == ',' ? '.' : c;
        if (has_separator && language_.parse_number(swapped)) {
            parsed_answer r = refused(answer_problem::kind::decimal_separator, std::string(text),
                                      quote(text) + " has the other decimal separator; write it as " + swapped);
            r.problem->suggestion = swapped;
            return r;
        }
        return refused(answer_problem::kind::not_a_number, std::string(text), quote(text) + " is not a number" + range);
    }
    if (q.kind == question_kind::integer && std::floor(*number) != *number) {
        parsed_answer r = refused(answer_problem::kind::not_whole, std::string(text),
                                  format_number(*number) + " is not a whole number" + range);
        r.problem->number = *number;
        return r;
    }
    if (*number < q.min || *number > q.max) {
        parsed_answer r = refused(answer_problem::kind::out_of_range, std::string(text),
                                  format_number(*number) + " is out of range" + range);
        r.problem->number = *number;
        return r;
    }
    if (q.kind == question_kind::integer) return accepted(static_cast<std::int64_t>(*number));
    return accepted(*number == 0 ? 0.0 : *number);
}

parsed_answer typed_answer_reader::read_text(const question_view& q, std::string_view text) const {
    if (q.max_length) {
        // Counted as the engine counts an answer: in code points, after NFC.
        std::size_t const length = code_point_count(normalize_nfc(text));
        if (length > *q.max_length) {
            parsed_answer r = refused(answer_problem::kind::too_long, std::string(text),
                                      "the text is " + std::to_string(length) + " characters long; at most " +
                                          std::to_string(*q.max_length) + " fit");
            r.problem->length = length;
            return r;
        }
    }
    return accepted(std::string(text));
}

parsed_answer typed_answer_reader::read_options(const question_view& q, std::string_view line) const {
    bool const letters = lettered(q.options);
    // A single letter, where the options are keyed by letters: its position from 0.
    auto const letter_position = [&](std::string_view item) -> std::optional<std::size_t> {
        if (!letters || item.size() != 1) return std::nullopt;
        char const c = static_cast<char>(std::tolower(static_cast<unsigned char>(item.front())));
        if (c < 'a' || c > 'z') return std::nullopt;
        return static_cast<std::size_t>(c - 'a');
    };
    auto const match = [&](std::string_view item) {
        option_match m;
        if (auto const position = letter_position(item); position && *position < q.options.size()) {
            m.what = option_match::kind::found;
            m.index = *position;
            return m;
        }
        // "#3" is the third option in every question, whatever its keys.
        bool const hashed = item.size() > 1 && item.front() == '#' && all_ascii_digits(item.substr(1));
        if (hashed) item.remove_prefix(1);
        if ((hashed || !letters) && all_ascii_digits(item)) {
            std::size_t const n = std::stoul(std::string(item));
            if (n >= 1 && n <= q.options.size()) {
                m.what = option_match::kind::found;
                m.index = n - 1;
            } else {
                m.what = option_match::kind::no_such_option;
                m.index = n;
            }
            return m;
        }
        if (language_.same_words(item, {})) return m;  // only spaces and punctuation
        auto const settle = [&](const std::vector<std::size_t>& found) {
            if (found.size() == 1) {
                m.what = option_match::kind::found;
                m.index = found.front();
            } else if (found.size() > 1) {
                m.what = option_match::kind::ambiguous;
                m.candidates = found;
            }
        };
        std::vector<std::size_t> exact;
        for (std::size_t i = 0; i < q.options.size(); ++i) {
            if (language_.same_words(item, q.options[i].label)) exact.push_back(i);
        }
        if (exact.empty()) {
            for (std::size_t i = 0; i < q.options.size(); ++i) {
                if (language_.same_words(item, q.options[i].id)) exact.push_back(i);
            }
        }
        settle(exact);
        if (!exact.empty()) return m;
        std::vector<std::size_t> prefixed;
        for (std::size_t i = 0; i < q.options.size(); ++i) {
            if (language_.starts_with_words(q.options[i].label, item) ||
                language_.starts_with_words(q.options[i].id, item)) {
                prefixed.push_back(i);
            }
        }
        settle(prefixed);
        if (m.what == option_match::kind::unknown && letter_position(item)) m.what = option_match::kind::no_such_option;
        return m;
    };
    auto const problem = [&](std::string_view item, const option_match& m) {
        switch (m.what) {
            case option_match::kind::no_such_option: {
                parsed_answer r = refused(answer_problem::kind::no_such_option, std::string(item),
                                          "there is no option " + quote(item));
                r.problem->number = static_cast<double>(m.index);
                return r;
            }
            case option_match::kind::ambiguous: {
                parsed_answer r = refused(answer_problem::kind::ambiguous_option, std::string(item), {});
                std::string names;
                for (std::size_t const i : m.candidates) {
                    r.problem->options.push_back(q.options[i].id);
                    names += (names.empty() ? "" : ", ") + quote(q.options[i].label);
                }
                r.problem->message = quote(item) + " could be any of " + names;
                return r;
            }
            default:
                return refused(answer_problem::kind::unknown_option, std::string(item),
                               quote(item) + " is not one of the options");
        }
    };

    // The whole line first: an option's label may itself hold a comma.
    option_match const whole = match(line);
    if (whole.what == option_match::kind::found) {
        if (q.kind == question_kind::choice) return accepted(q.options[whole.index].id);
        return accepted(answer_value::option_ids{q.options[whole.index].id});
    }
    if (q.kind == question_kind::multi) {
        for (std::string_view const w : none_words(spanish_)) {
            if (!language_.same_words(line, w)) continue;
            // "none" is that question's own "none of these" option where it has one (its
            // `require` may refuse an empty answer), else no option at all.
            for (const option_view& o : q.options) {
                if (o.id == "none") return accepted(answer_value::option_ids{o.id});
            }
            return accepted(answer_value::option_ids{});
        }
    }
    std::vector<std::string_view> const items = split_list(line);
    if (items.size() <= 1) return problem(line, whole);
    std::vector<std::size_t> chosen;
    for (std::string_view const item : items) {
        option_match const m = match(item);
        if (m.what != option_match::kind::found) {
            // A one-answer question quotes the whole line: "1,5" is not "answer number 5".
            if (q.kind == question_kind::choice) return problem(line, whole);
            return problem(item, m);
        }
        if (std::find(chosen.begin(), chosen.end(), m.index) == chosen.end()) chosen.push_back(m.index);
    }
    if (q.kind == question_kind::choice) {
        if (chosen.size() == 1) return accepted(q.options[chosen.front()].id);
        return refused(answer_problem::kind::one_option_only, std::string(line), "only one option can be chosen");
    }
    std::sort(chosen.begin(), chosen.end());
    answer_value::option_ids ids_chosen;
    for (std::size_t const i : chosen) ids_chosen.push_back(q.options[i].id);
    return accepted(std::move(ids_chosen));
}

}  // namespace stepcare
