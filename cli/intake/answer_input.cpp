// Commands typed at the intake, and answers read by the session with their problems worded.

#include "intake/answer_input.hpp"

#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <variant>

namespace stepcare::cli::intake {

namespace {

/// "a, b or c" with the language's "or".
std::string either(ui_language language, const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " " + text(language, text_id::or_word) + " " : ", ";
        out += items[i];
    }
    return out;
}

}  // namespace

std::string_view trim(std::string_view s) {
    std::size_t const first = s.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string_view::npos) return {};
    std::size_t const last = s.find_last_not_of(" \t\r\n\f\v");
    return s.substr(first, last - first + 1);
}

std::string valid_utf8(std::string_view s) {
    // ICU's conversion replaces each ill-formed sequence with U+FFFD.
    std::string out;
    icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size()))).toUTF8String(out);
    return out;
}

answer_input::answer_input(std::string_view language_tag)
    : language_(language_tag), words_(ui_language_for(language_tag)) {
    std::string const sample = language_.format_number(1.5);
    decimal_separator_ = sample.substr(1, sample.size() - 2);
}

bool answer_input::same_words(std::string_view a, std::string_view b) const { return language_.same_words(a, b); }

std::optional<command> answer_input::command_of(std::string_view line) const {
    std::string_view const typed = trim(line);
    // Only spaces and punctuation is no command ("?" aside, matched as itself).
    if (language_.same_words(typed, {})) return typed == "?" ? std::optional(command::help) : std::nullopt;
    for (command const c : {command::back, command::skip, command::help, command::why, command::quit}) {
        for (const std::string& word : command_words(words_, c)) {
            if (word != "?" && language_.same_words(typed, word)) return c;
        }
    }
    return std::nullopt;
}

std::string answer_input::format_number(double number) const { return language_.format_number(number); }

std::string answer_input::number_range(const question_view& q) const {
    return text(words_, q.kind == question_kind::integer ? text_id::hint_integer : text_id::hint_decimal,
                {format_number(q.min), format_number(q.max)});
}

bool keyed_by_letters(const question_view& q) {
    return !q.options.empty() && !q.options.front().key.empty() &&
           !std::isdigit(static_cast<unsigned char>(q.options.front().key.front()));
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
                        {quoted(words_, text(words_, text_id::none_label))});
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

read_answer answer_input::read(const session& s, const question_view& q, std::string_view line) const {
    parsed_answer parsed = s.parse_answer(q, line);
    if (parsed.value) return {std::move(parsed.value), {}};
    return {std::nullopt, problem_text(q, *parsed.problem)};
}

std::string answer_input::problem_text(const question_view& q, const answer_problem& problem) const {
    bool const letters = keyed_by_letters(q);
    std::string const typed = quoted(words_, problem.text);
    std::string const count = std::to_string(q.options.size());
    std::string const last_key = q.options.empty() ? std::string() : q.options.back().key;
    switch (problem.what) {
        case answer_problem::kind::empty: return text(words_, text_id::err_empty);
        case answer_problem::kind::not_yes_no: return text(words_, text_id::err_yesno);
        case answer_problem::kind::unknown_option:
            if (letters) return text(words_, text_id::err_choice_unknown_letters, {typed, last_key});
            return text(words_, text_id::err_choice_unknown, {typed, count});
        case answer_problem::kind::no_such_option:
            if (letters && problem.text.front() != '#')
                return text(words_, text_id::err_choice_letter, {typed, last_key});
            return text(words_, text_id::err_choice_number,
                        {std::to_string(static_cast<std::size_t>(problem.number)), count});
        case answer_problem::kind::ambiguous_option: {
            std::vector<std::string> names;
            for (const std::string& id : problem.options) {
                for (const option_view& o : q.options) {
                    if (o.id == id) names.push_back(quoted(words_, o.label) + " (" + o.key + ")");
                }
            }
            return text(words_, letters ? text_id::err_choice_ambiguous_letters : text_id::err_choice_ambiguous,
                        {typed, either(words_, names)});
        }
        case answer_problem::kind::one_option_only: return text(words_, text_id::err_choice_one);
        case answer_problem::kind::not_a_number: return text(words_, text_id::err_not_number, {typed, number_range(q)});
        case answer_problem::kind::decimal_separator:
            return text(words_, text_id::err_decimal_separator,
                        {quoted(words_, decimal_separator_), problem.suggestion, number_range(q)});
        case answer_problem::kind::grouping:
            return text(words_, text_id::err_grouping, {problem.suggestion, number_range(q)});
        case answer_problem::kind::not_whole:
            return text(words_, text_id::err_not_whole, {format_number(problem.number), number_range(q)});
        case answer_problem::kind::out_of_range:
            return text(words_, text_id::err_out_of_range, {format_number(problem.number), number_range(q)});
        case answer_problem::kind::too_long:
            return text(words_, text_id::err_too_long,
                        {std::to_string(problem.length), std::to_string(q.max_length.value_or(0))});
    }
    return expected(q);
}

}  // namespace stepcare::cli::intake
