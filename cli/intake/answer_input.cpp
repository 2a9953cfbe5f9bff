// Reading answers typed by a person, with ICU doing the language-specific parts.

#include "intake/answer_input.hpp"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/numfmt.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <variant>

namespace stepcare::cli::intake {

namespace {

icu::UnicodeString unicode(std::string_view s) {
    return icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
}

std::string utf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

bool all_ascii_digits(std::string_view s) {
    return !s.empty() && s.size() <= 9 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// "a, b or c" with the language's "or".
std::string either(ui_language language, const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " " + text(language, text_id::or_word) + " " : ", ";
        out += items[i];
    }
    return out;
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

}  // namespace

std::string_view trim(std::string_view s) {
    std::size_t const first = s.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string_view::npos) return {};
    std::size_t const last = s.find_last_not_of(" \t\r\n\f\v");
    return s.substr(first, last - first + 1);
}

std::string valid_utf8(std::string_view s) { return utf8(unicode(s)); }

struct answer_input::icu_parts {
    icu::Locale locale;
    std::unique_ptr<icu::Collator> collator;
    std::unique_ptr<icu::NumberFormat> numbers;
    std::string decimal_separator = ".";

    bool equal(const icu::UnicodeString& a, const icu::UnicodeString& b) const {
        UErrorCode status = U_ZERO_ERROR;
        return collator->compare(a, b, status) == UCOL_EQUAL && U_SUCCESS(status);
    }

    /// Whether `text` collates as nothing at all (only spaces and punctuation).
    bool blank(const icu::UnicodeString& text) const { return equal(text, icu::UnicodeString()); }

    /// Whether some prefix of `whole`, ending at a character boundary, equals `part`.
    bool starts_with(const icu::UnicodeString& whole, const icu::UnicodeString& part) const {
        for (std::int32_t end = 0; end <= whole.length(); end = whole.moveIndex32(end, 1)) {
            if (end > 0 && equal(whole.tempSubString(0, end), part)) return true;
            if (end == whole.length()) break;
        }
        return false;
    }
};

answer_input::answer_input(std::string_view language_tag)
    : icu_(std::make_unique<icu_parts>()), words_(ui_language_for(language_tag)) {
    icu_->locale = icu::Locale(std::string(language_tag).c_str());
    UErrorCode status = U_ZERO_ERROR;
    icu_->collator.reset(icu::Collator::createInstance(icu_->locale, status));
    if (U_FAILURE(status) || !icu_->collator) {
        status = U_ZERO_ERROR;
        icu_->collator.reset(icu::Collator::createInstance(icu::Locale::getRoot(), status));
    }
    icu_->collator->setStrength(icu::Collator::PRIMARY);
    icu_->collator->setAttribute(UCOL_ALTERNATE_HANDLING, UCOL_SHIFTED, status);
    status = U_ZERO_ERROR;
    icu_->numbers.reset(icu::NumberFormat::createInstance(icu_->locale, status));
    if (U_FAILURE(status) || !icu_->numbers) {
        status = U_ZERO_ERROR;
        icu_->numbers.reset(icu::NumberFormat::createInstance(icu::Locale::getRoot(), status));
    }
    // No grouping, in reading as in writing: in Spanish "2.5" must not be read as 25.
    icu_->numbers->setGroupingUsed(false);
    icu_->numbers->setLenient(false);
    icu_->numbers->setMaximumFractionDigits(12);
    icu::UnicodeString sample;
    icu_->numbers->format(1.5, sample);
    icu::UnicodeString const separator = sample.tempSubString(1, sample.length() - 2);
    icu_->decimal_separator = utf8(separator);
}

answer_input::~answer_input() = default;

bool answer_input::same_words(std::string_view a, std::string_view b) const {
    return icu_->equal(unicode(a), unicode(b));
}

std::optional<command> answer_input::command_of(std::string_view line) const {
    icu::UnicodeString const typed = unicode(trim(line));
    if (typed.isEmpty()) return std::nullopt;
    for (command const c : {command::back, command::skip, command::help, command::why, command::quit}) {
        for (const std::string& word : command_words(words_, c)) {
            if (word == "?") {
                if (trim(line) == "?") return c;
            } else if (!icu_->blank(typed) && icu_->equal(typed, unicode(word))) {
                return c;
            }
        }
    }
    return std::nullopt;
}

std::string answer_input::format_number(double number) const {
    icu::UnicodeString out;
    icu_->numbers->format(number, out);
    return utf8(out);
}

std::optional<double> answer_input::parse_number(std::string_view text) const {
    icu::UnicodeString const typed = unicode(text);
    icu::Formattable result;
    icu::ParsePosition position(0);
    icu_->numbers->parse(typed, result, position);
    if (position.getIndex() != typed.length() || position.getErrorIndex() >= 0 || typed.isEmpty()) {
        return std::nullopt;
    }
    UErrorCode status = U_ZERO_ERROR;
    double const number = result.getDouble(status);
    if (U_FAILURE(status) || !std::isfinite(number)) return std::nullopt;
    return number;
}

std::string answer_input::number_range(const question_view& q) const {
    return text(words_, q.kind == question_kind::integer ? text_id::hint_integer : text_id::hint_decimal,
                {format_number(q.min), format_number(q.max)});
}

bool keyed_by_letters(const question_view& q) {
    constexpr std::size_t letters = 26;
    return q.options.size() <= letters && std::any_of(q.options.begin(), q.options.end(), [](const option_view& o) {
               return std::any_of(o.label.begin(), o.label.end(), [](char c) { return c >= '0' && c <= '9'; });
           });
}

std::string option_key(const question_view& q, std::size_t i) {
    return keyed_by_letters(q) ? std::string(1, static_cast<char>('a' + i)) : std::to_string(i + 1);
}

std::string answer_input::expected(const question_view& q) const {
    std::string hint;
    switch (q.kind) {
        case question_kind::yesno: hint = text(words_, text_id::hint_yesno); break;
        case question_kind::choice:
            hint = text(words_, keyed_by_letters(q) ? text_id::hint_choice_letters : text_id::hint_choice);
            break;
        case question_kind::multi:
            hint = text(words_, keyed_by_letters(q) ? text_id::hint_multi_letters : text_id::hint_multi,
                        {quoted(words_, none_words(words_).front())});
            break;
        case question_kind::integer:
        case question_kind::decimal: hint = number_range(q); break;
        case question_kind::text:
            hint = q.max_length ? text(words_, text_id::hint_text_max, {std::to_string(*q.max_length)})
                                : text(words_, text_id::hint_text);
            break;
    }
    if (!q.unit.empty()) hint = text(words_, text_id::hint_with_unit, {hint, q.unit});
    return hint;
}

std::string answer_input::describe(const question_view& q, const answer_value& answer) const {
    auto const label = [&](const std::string& id) {
        for (const option_view& o : q.options) {
            if (o.id == id) return o.label;
        }
        return id;
    };
    return std::visit(
        [&](const auto& v) -> std::string {
            using type = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<type, std::monostate>) {
                return {};
            } else if constexpr (std::is_same_v<type, bool>) {
                return text(words_, v ? text_id::yes_label : text_id::no_label);
            } else if constexpr (std::is_same_v<type, std::int64_t>) {
                return format_number(static_cast<double>(v));
            } else if constexpr (std::is_same_v<type, double>) {
                return format_number(v);
            } else if constexpr (std::is_same_v<type, std::string>) {
                if (q.kind == question_kind::yesno) {
                    return text(words_, v == "yes" ? text_id::yes_label : text_id::no_label);
                }
                if (q.kind == question_kind::choice) return label(v);
                return quoted(words_, v);
            } else {
                if (v.empty()) return text(words_, text_id::none_label);
                std::string out;
                for (const std::string& id : v) out += (out.empty() ? "" : ", ") + label(id);
                return out;
            }
        },
        answer.data());
}

read_answer answer_input::read(const question_view& q, std::string_view line) const {
    line = trim(line);
    switch (q.kind) {
        case question_kind::yesno: {
            icu::UnicodeString const typed = unicode(line);
            for (const std::string& w : yes_words(words_)) {
                if (icu_->equal(typed, unicode(w))) return {answer_value(true), {}};
            }
            for (const std::string& w : no_words(words_)) {
                if (icu_->equal(typed, unicode(w))) return {answer_value(false), {}};
            }
            return {std::nullopt, text(words_, text_id::err_yesno)};
        }
        case question_kind::choice:
        case question_kind::multi: return read_options(q, line);
        case question_kind::integer:
        case question_kind::decimal: return read_number(q, line);
        case question_kind::text: return read_text(q, line);
    }
    return {std::nullopt, expected(q)};
}

read_answer answer_input::read_number(const question_view& q, std::string_view line) const {
    std::string const hint = number_range(q);
    // The unit shown with the question may follow the number: "16 years", "16 años".
    if (!q.unit.empty() && line.size() > q.unit.size()) {
        std::size_t const space = line.find_last_of(" \t");
        if (space != std::string_view::npos && same_words(line.substr(space + 1), q.unit)) {
            line = trim(line.substr(0, space));
        }
    }
    std::optional<double> const number = parse_number(line);
    if (!number) {
        // Grouped thousands ("1,000" or "1.000"): grouping is never read, so say so.
        std::string digits;
        bool const grouped = looks_grouped(line, digits);
        if (grouped && parse_number(digits)) {
            return {std::nullopt, text(words_, text_id::err_grouping, {digits, hint})};
        }
        // The other decimal convention ("2.5" in Spanish, "2,5" in English): say how to write it.
        std::string swapped(line);
        bool const has_separator = swapped.find_first_of(".,") != std::string::npos;
        for (char& c : swapped) c = c == '.' ? ',' : c == ',' ? '.' : c;
        if (has_separator && parse_number(swapped)) {
            return {std::nullopt, text(words_, text_id::err_decimal_separator,
                                       {quoted(words_, icu_->decimal_separator), swapped, hint})};
        }
        return {std::nullopt, text(words_, text_id::err_not_number, {quoted(words_, line), hint})};
    }
    if (q.kind == question_kind::integer && std::floor(*number) != *number) {
        return {std::nullopt, text(words_, text_id::err_not_whole, {format_number(*number), hint})};
    }
    if (*number < q.min || *number > q.max) {
        return {std::nullopt, text(words_, text_id::err_out_of_range, {format_number(*number), hint})};
    }
    if (q.kind == question_kind::integer) return {answer_value(static_cast<std::int64_t>(*number)), {}};
    return {answer_value(*number == 0 ? 0.0 : *number), {}};
}

read_answer answer_input::read_text(const question_view& q, std::string_view line) const {
    if (q.max_length) {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
        icu::UnicodeString const normalized = nfc->normalize(unicode(line), status);
        auto const length = static_cast<std::size_t>(normalized.countChar32());
        if (U_SUCCESS(status) && length > *q.max_length) {
            return {std::nullopt, text(words_, text_id::err_too_long,
                                       {std::to_string(length), std::to_string(*q.max_length)})};
        }
    }
    return {answer_value(std::string(line)), {}};
}

namespace {

/// How one typed item matched the options of a question.
struct option_match {
    enum class kind { found, unknown, ambiguous, no_such_number } what = kind::unknown;
    std::size_t index = 0;               ///< found
    std::vector<std::size_t> candidates;  ///< ambiguous
};

}  // namespace

read_answer answer_input::read_options(const question_view& q, std::string_view line) const {
    std::vector<icu::UnicodeString> labels;
    std::vector<icu::UnicodeString> ids;
    for (const option_view& o : q.options) {
        labels.push_back(unicode(o.label));
        ids.push_back(unicode(o.id));
    }
    bool const letters = keyed_by_letters(q);
    // A single letter, where the choices are keyed by letters: its position from 0.
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
                m.what = option_match::kind::no_such_number;
                m.index = n;
            }
            return m;
        }
        icu::UnicodeString const typed = unicode(item);
        if (icu_->blank(typed)) return m;
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
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (icu_->equal(typed, labels[i])) exact.push_back(i);
        }
        if (exact.empty()) {
            for (std::size_t i = 0; i < ids.size(); ++i) {
                if (icu_->equal(typed, ids[i])) exact.push_back(i);
            }
        }
        settle(exact);
        if (!exact.empty()) return m;
        std::vector<std::size_t> prefixed;
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (icu_->starts_with(labels[i], typed) || icu_->starts_with(ids[i], typed)) prefixed.push_back(i);
        }
        settle(prefixed);
        if (m.what == option_match::kind::unknown && letter_position(item)) m.what = option_match::kind::no_such_number;
        return m;
    };
    auto const problem = [&](std::string_view item, const option_match& m) {
        switch (m.what) {
            case option_match::kind::no_such_number:
                if (letters && (item.empty() || item.front() != '#')) {
                    return text(words_, text_id::err_choice_letter,
                                {quoted(words_, item), option_key(q, q.options.size() - 1)});
                }
                return text(words_, text_id::err_choice_number,
                            {std::to_string(m.index), std::to_string(q.options.size())});
            case option_match::kind::ambiguous: {
                std::vector<std::string> names;
                for (std::size_t const i : m.candidates) {
                    names.push_back(quoted(words_, q.options[i].label) + " (" + option_key(q, i) + ")");
                }
                return text(words_, letters ? text_id::err_choice_ambiguous_letters : text_id::err_choice_ambiguous,
                            {quoted(words_, item), either(words_, names)});
            }
            default:
                if (letters) {
                    return text(words_, text_id::err_choice_unknown_letters,
                                {quoted(words_, item), option_key(q, q.options.size() - 1)});
                }
                return text(words_, text_id::err_choice_unknown,
                            {quoted(words_, item), std::to_string(q.options.size())});
        }
    };

    // The whole line first: an option's label may itself hold a comma.
    option_match const whole = match(line);
    if (whole.what == option_match::kind::found) {
        if (q.kind == question_kind::choice) return {answer_value(q.options[whole.index].id), {}};
        return {answer_value(answer_value::option_ids{q.options[whole.index].id}), {}};
    }
    if (q.kind == question_kind::multi) {
        for (const std::string& w : none_words(words_)) {
            if (!same_words(line, w)) continue;
            // "none" is that question's own "none of these" option where it has one (its
            // `require` may refuse an empty answer), else no option at all.
            for (const option_view& o : q.options) {
                if (o.id == "none") return {answer_value(answer_value::option_ids{o.id}), {}};
            }
            return {answer_value(answer_value::option_ids{}), {}};
        }
    }
    std::vector<std::string_view> const items = split_list(line);
    if (items.size() <= 1) return {std::nullopt, problem(line, whole)};
    std::vector<std::size_t> chosen;
    for (std::string_view const item : items) {
        option_match const m = match(item);
        if (m.what != option_match::kind::found) {
            // A one-answer question quotes the whole line: "1,5" is not "answer number 5".
            if (q.kind == question_kind::choice) return {std::nullopt, problem(line, whole)};
            return {std::nullopt, problem(item, m)};
        }
        if (std::find(chosen.begin(), chosen.end(), m.index) == chosen.end()) chosen.push_back(m.index);
    }
    if (q.kind == question_kind::choice) {
        if (chosen.size() == 1) return {answer_value(q.options[chosen.front()].id), {}};
        return {std::nullopt, text(words_, text_id::err_choice_one)};
    }
    std::sort(chosen.begin(), chosen.end());
    answer_value::option_ids ids_chosen;
    for (std::size_t const i : chosen) ids_chosen.push_back(q.options[i].id);
    return {answer_value(std::move(ids_chosen)), {}};
}

}  // namespace stepcare::cli::intake
