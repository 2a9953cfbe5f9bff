#include "evaluate/answer_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "ast/question_kinds.hpp"
#include "ast/spelling.hpp"
#include "foundation/json_input.hpp"
#include "foundation/json_text.hpp"
#include "foundation/limits.hpp"
#include "foundation/name_index.hpp"
#include "foundation/plain_bytes.hpp"
#include "foundation/text.hpp"
#include "evaluate/plain_json.hpp"
#include "source/source_file.hpp"

namespace stepcare {

bool is_saved_intake_field(std::string_view key) {
    return key == "position" || key == "history" || key == "changes" || key == "questionnaire";
}

std::string to_json(const answer_value& answer) {
    return std::visit(
               [](const auto& v) -> nlohmann::json {
                   if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::monostate>) {
                       return nullptr;
                   } else {
                       return v;
                   }
               },
               answer.data())
        .dump();
}

namespace {

std::string quote(std::string_view name) {
    std::string s;
    s.reserve(name.size() + 2);
    s += '\'';
    s += name;
    s += '\'';
    return s;
}

std::string options_list(const compiled_option_set& set) {
    std::string list;
    for (std::size_t i = 0; i < set.ids.size(); ++i) {
        if (i > 0) list += ", ";
        list += set.ids[i];
    }
    return list;
}

/// What a JSON answer turned out to be, for "takes ..., not ..." messages.
enum class found { boolean, number, text, list };

const char* found_words(found kind) {
    switch (kind) {
        case found::boolean: return "true or false";
        case found::number: return "a number";
        case found::text: return "text";
        case found::list: return "a list";
    }
    return "nothing";
}

/// Whether a text in the answer is ill-formed UTF-8: typed answers come unchecked (JSON
/// ones were checked by the parser), and such text cannot be saved or shown.
bool has_invalid_utf8(const answer_value::storage& data) {
    if (const std::string* s = std::get_if<std::string>(&data)) return !find_invalid_utf8(*s).empty();
    if (const auto* ids = std::get_if<answer_value::option_ids>(&data)) {
        for (const std::string& id : *ids) {
            if (!find_invalid_utf8(id).empty()) return true;
        }
    }
    return false;
}

std::string unknown_option(const program& p, std::uint32_t q, std::string_view id) {
    const compiled_option_set& set = p.option_sets[p.questions[q].option_set];
    std::string message = quote(p.questions[q].id) + " has no option " + quote(id);
    std::vector<std::string_view> candidates(set.ids.begin(), set.ids.end());
    std::string_view const best = closest_name(id, candidates);
    if (!best.empty()) return message + "; did you mean " + quote(best) + "?";
    return message + "; its options are " + options_list(set);
}

std::string unknown_question(const program& p, std::string_view id) {
    std::vector<std::string_view> names;
    names.reserve(p.questions.size());
    for (const compiled_question& question : p.questions) names.push_back(question.id);
    std::string message = quote(id) + " is not a question of this questionnaire";
    std::string_view const best = closest_name(id, names);
    if (!best.empty()) message += "; did you mean " + quote(best) + "?";
    return message;
}

std::string answered_twice(std::string_view id) { return quote(id) + " is answered twice in the record"; }

}  // namespace

std::string describe_expected(const program& p, std::uint32_t q) {
    const compiled_question& question = p.questions[q];
    switch (question.kind) {
        case question_kind::yesno: return "yes or no (true, false, \"yes\" or \"no\")";
        case question_kind::choice:
            return "one option id as text, one of: " + options_list(p.option_sets[question.option_set]);
        case question_kind::multi:
            return "a list of option ids, among: " + options_list(p.option_sets[question.option_set]);
        case question_kind::integer:
            return "a whole number from " + ast::number_spelling(question.min) + " to " +
                   ast::number_spelling(question.max);
        case question_kind::decimal:
            return "a number from " + ast::number_spelling(question.min) + " to " + ast::number_spelling(question.max);
        case question_kind::text:
            return question.max_length ? "text of at most " + std::to_string(*question.max_length) + " characters"
                                       : std::string("text");
    }
    return "an answer";
}

namespace {

std::string wrong_type(const program& p, std::uint32_t q, found kind) {
    return quote(p.questions[q].id) + " takes " + describe_expected(p, q) + ", not " + found_words(kind);
}

/// The index of option `id` in question `q`'s set, or no_index.
std::uint32_t find_option(const program& p, std::uint32_t q, std::string_view id) {
    std::uint32_t const found = p.option_sets[p.questions[q].option_set].id_index.find(id);
    return found == name_index::not_found ? no_index : found;
}

// One function per JSON type of answer, so that the JSON reader can assign what it reads
// without first building an answer_value; assign_answer dispatches to them.

std::optional<std::string> assign_bool(const program& p, std::uint32_t q, bool b, answer_slots& slots) {
    if (p.questions[q].kind != question_kind::yesno) return wrong_type(p, q, found::boolean);
    slots.set(q, value::of_bool(b));
    return std::nullopt;
}

std::optional<std::string> assign_string(const program& p, std::uint32_t q, std::string_view s, answer_slots& slots) {
    const compiled_question& question = p.questions[q];
    switch (question.kind) {
        case question_kind::yesno:
            if (s == "yes" || s == "no") {
                slots.set(q, value::of_bool(s == "yes"));
                return std::nullopt;
            }
            return quote(question.id) + " takes yes or no (true, false, \"yes\" or \"no\"), not \"" + std::string(s) +
                   "\"";
        case question_kind::choice: {
            std::uint32_t const option = find_option(p, q, s);
            if (option == no_index) return unknown_option(p, q, s);
            slots.set(q, value::of_option(option));
            return std::nullopt;
        }
        case question_kind::text: {
            // NFC, so that answers compare equal to the questionnaire's (normalized) strings.
            std::string text = normalize_nfc(s);
            std::size_t const max_length = question.max_length.value_or(max_text_answer_length);
            std::size_t const length = code_point_count(text);
            if (length > max_length) {
                return quote(question.id) + " is " + std::to_string(length) + " characters long; it may be at most " +
                       std::to_string(max_length);
            }
            slots.set_text(q, text);
            return std::nullopt;
        }
        case question_kind::multi:
        case question_kind::integer:
        case question_kind::decimal: return wrong_type(p, q, found::text);
    }
    return wrong_type(p, q, found::text);
}

/// `whole`: the JSON number had no fraction or exponent.
std::optional<std::string> assign_number(const program& p, std::uint32_t q, double number, bool whole,
                                         answer_slots& slots) {
    const compiled_question& question = p.questions[q];
    const question_kind_traits& traits = traits_of(question.kind);
    if (!traits.has_range) return wrong_type(p, q, found::number);
    if (!whole && traits.whole_numbers && number != std::floor(number)) {
        return quote(question.id) + " takes a whole number, not " + ast::number_spelling(number);
    }
    if (!std::isfinite(number) || number < question.min || number > question.max) {
        return quote(question.id) + " is " +
               (std::isfinite(number) ? ast::number_spelling(number) : "not a finite number") + ", outside its range " +
               ast::number_spelling(question.min) + " to " + ast::number_spelling(question.max);
    }
    slots.set(q, value::of_number(number));
    return std::nullopt;
}

}  // namespace

std::optional<std::string> assign_answer(const program& p, std::uint32_t q, const answer_value& answer,
                                         answer_slots& slots) {
    const answer_value::storage& data = answer.data();
    if (has_invalid_utf8(data)) {
        return quote(p.questions[q].id) + " takes " + describe_expected(p, q) + ", not text with invalid UTF-8";
    }
    if (const bool* b = std::get_if<bool>(&data)) return assign_bool(p, q, *b, slots);
    if (const auto* i = std::get_if<std::int64_t>(&data))
        return assign_number(p, q, static_cast<double>(*i), true, slots);
    if (const double* d = std::get_if<double>(&data)) return assign_number(p, q, *d, false, slots);
    if (const std::string* s = std::get_if<std::string>(&data)) return assign_string(p, q, *s, slots);
    if (const auto* ids = std::get_if<answer_value::option_ids>(&data)) {
        if (p.questions[q].kind != question_kind::multi) return wrong_type(p, q, found::list);
        std::uint64_t mask = 0;
        for (const std::string& id : *ids) {
            std::uint32_t const option = find_option(p, q, id);
            if (option == no_index) return unknown_option(p, q, id);
            mask |= std::uint64_t{1} << option;
        }
        slots.set(q, value::of_options(mask));
        return std::nullopt;
    }
    slots.clear(q);
    return std::nullopt;
}

std::string answer_to_json(const program& p, std::uint32_t q, value v) {
    const compiled_question& question = p.questions[q];
    switch (v.type) {
        case value::kind::unknown: return "null";
        case value::kind::boolean: return v.boolean ? "true" : "false";
        case value::kind::number: return ast::number_spelling(v.number);
        case value::kind::option: return nlohmann::json(p.option_sets[question.option_set].ids[v.option]).dump();
        case value::kind::options: {
            nlohmann::json ids = nlohmann::json::array();
            const compiled_option_set& set = p.option_sets[question.option_set];
            for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                if ((v.options >> i) & 1U) ids.push_back(set.ids[i]);
            }
            return ids.dump();
        }
        case value::kind::text: return nlohmann::json(std::string(v.text())).dump();
    }
    return "null";
}

answer_value answer_from_slot(const program& p, std::uint32_t q, value v) {
    const compiled_question& question = p.questions[q];
    switch (v.type) {
        case value::kind::unknown: return {};
        case value::kind::boolean: return answer_value(v.boolean);
        case value::kind::number:
            if (traits_of(question.kind).whole_numbers) return answer_value(static_cast<std::int64_t>(v.number));
            return answer_value(v.number);
        case value::kind::option: return answer_value(p.option_sets[question.option_set].ids[v.option]);
        case value::kind::options: {
            answer_value::option_ids ids;
            const compiled_option_set& set = p.option_sets[question.option_set];
            for (std::uint32_t i = 0; i < set.ids.size(); ++i) {
                if ((v.options >> i) & 1U) ids.push_back(set.ids[i]);
            }
            return answer_value(std::move(ids));
        }
        case value::kind::text: return answer_value(std::string(v.text()));
    }
    return {};
}

namespace {

using json = nlohmann::json;

/// Reads a record's events as the parser produces them, without building a document.
class record_reader : public nlohmann::json_sax<json> {
public:
    record_reader(const program& p, answer_record& out, bool answers_only)
        : p_(p), out_(out), level_(answers_only ? level::answers_only : level::start) {}

    bool null() override {
        if (skip_value()) return true;
        if (in_list_) {
            list_bad_ = true;
            return true;
        }
        // A null id, answers object or answer means none: as if the key were absent.
        pending_ = pending::none;
        return true;
    }
    bool boolean(bool b) override {
        return scalar(
            found::boolean, [&] { return std::string(b ? "true" : "false"); },
            [&] { return assign_bool(p_, question_, b, out_.answers); });
    }
    bool number_integer(number_integer_t n) override {
        return scalar(
            found::number, [&] { return std::to_string(n); },
            [&] { return assign_number(p_, question_, static_cast<double>(n), true, out_.answers); });
    }
    bool number_unsigned(number_unsigned_t n) override {
        // Beyond the signed range a whole number is read as a double, as assign_answer would.
        bool const whole = n <= static_cast<number_unsigned_t>(INT64_MAX);
        return scalar(
            found::number, [&] { return std::to_string(n); },
            [&] { return assign_number(p_, question_, static_cast<double>(n), whole, out_.answers); });
    }
    bool number_float(number_float_t d, const string_t& text) override {
        return scalar(
            found::number, [&] { return text; },
            [&] { return assign_number(p_, question_, static_cast<double>(d), false, out_.answers); });
    }
    bool string(string_t& s) override {
        if (in_list_ && skip_ == 0) {
            std::uint32_t const option = find_option(p_, question_, s);
            if (option != no_index) {
                list_ |= std::uint64_t{1} << option;
            } else if (!list_unknown_) {
                list_unknown_ = s;  // the first unknown one is reported, as assign_answer does
            }
            return true;
        }
        return scalar(
            found::text,
            [&] {
                std::string id;
                append_json_string(id, s);
                return id;
            },
            [&] { return assign_string(p_, question_, s, out_.answers); });
    }
    // Never produced by the JSON parser, only by binary formats.
    bool binary(binary_t&) override { return null(); }

    bool start_object(std::size_t) override {
        if (!deeper()) return false;
        if (skip_ > 0) {
            ++skip_;
            return true;
        }
        switch (level_) {
            case level::start: level_ = level::record; return true;
            case level::answers_only: level_ = level::answers; return true;
            case level::record:
                if (pending_ == pending::answers) {
                    level_ = level::answers;
                    pending_ = pending::none;
                    return true;
                }
                if (pending_ == pending::id) error(std::nullopt, "'id' must be a string or a number");
                break;
            case level::answers:
                if (pending_ == pending::answer) {
                    error(question_name(),
                          quote(question_name()) + " takes " + describe_expected(p_, question_) + ", not an object");
                }
                break;
            case level::done: break;
        }
        pending_ = pending::none;
        skip_ = 1;
        return true;
    }

    bool end_object() override {
        --depth_;
        if (skip_ > 0) {
            --skip_;
            return true;
        }
        if (level_ == level::answers && !answers_only_top()) {
            level_ = level::record;
        } else {
            level_ = level::done;
        }
        return true;
    }

    bool start_array(std::size_t) override {
        if (!deeper()) return false;
        if (skip_ > 0) {
            ++skip_;
            return true;
        }
        if (in_list_) {
            list_bad_ = true;
            skip_ = 1;
            return true;
        }
        if (level_ == level::answers && pending_ == pending::answer &&
            p_.questions[question_].kind == question_kind::multi) {
            in_list_ = true;
            list_bad_ = false;
            list_ = 0;
            list_unknown_.reset();
            return true;
        }
        not_expected("a list");
        skip_ = 1;
        return true;
    }

    bool end_array() override {
        --depth_;
        if (skip_ > 0) {
            --skip_;
            return true;
        }
        in_list_ = false;
        pending_ = pending::none;
        if (list_bad_) {
            error(question_name(), quote(question_name()) + " takes " + describe_expected(p_, question_) +
                                       "; each must be an option id in quotes");
            return true;
        }
        if (list_unknown_) {
            error(question_name(), unknown_option(p_, question_, *list_unknown_));
        } else {
            out_.answers.set(question_, value::of_options(list_));
        }
        return true;
    }

    bool key(string_t& k) override {
        if (skip_ > 0) return true;
        if (level_ == level::record) {
            bool& seen = k == "id" ? seen_id_ : seen_answers_;
            if ((k == "id" || k == "answers") && seen) {
                error(std::nullopt, quote(k) + " is given twice in the record");
                pending_ = pending::skip;
            } else if (k == "id") {
                seen = true;
                pending_ = pending::id;
            } else if (k == "answers") {
                seen = true;
                pending_ = pending::answers;
            } else if (is_saved_intake_field(k)) {
                pending_ = pending::skip;
            } else {
                error(std::nullopt, quote(k) + " is not a field of a record; a record has \"id\" and \"answers\"");
                pending_ = pending::skip;
            }
            return true;
        }
        std::uint32_t const q = find_question(k);
        if (q == no_index) {
            error(k, unknown_question(p_, k));
            pending_ = pending::skip;
            return true;
        }
        if (out_.given[q]) {
            error(k, answered_twice(k));
            pending_ = pending::skip;
            return true;
        }
        out_.given[q] = true;
        question_ = q;
        expected_next_ = q + 1;
        pending_ = pending::answer;
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
        std::string what = ex.what();
        // "[json.exception.parse_error.101] parse error at ...": keep the readable part.
        if (auto const close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
        out_.errors.clear();
        out_.errors.push_back({std::nullopt, "not valid JSON: " + what});
        return false;
    }

    void finish() {
        if (level_ == level::start || level_ == level::answers_only) {
            out_.errors.push_back({std::nullopt, "a record must be a JSON object such as {\"answers\": {...}}"});
        }
    }

private:
    enum class level { start, answers_only, record, answers, done };
    enum class pending { none, id, answers, answer, skip };

    const program& p_;
    answer_record& out_;
    level level_;
    pending pending_ = pending::none;
    std::uint32_t question_ = 0;
    int skip_ = 0;
    bool in_list_ = false;
    bool seen_id_ = false;
    bool seen_answers_ = false;
    bool list_bad_ = false;
    std::uint64_t list_ = 0;  ///< the options of the list read so far
    std::optional<std::string> list_unknown_;
    std::uint32_t expected_next_ = 0;
    bool answers_only_start_ = level_ == level::answers_only;
    int depth_ = 0;

    /// Enters an array or object; past the nesting limit, the record is refused whole.
    bool deeper() {
        if (++depth_ <= max_json_nesting) return true;
        out_.errors.clear();
        out_.errors.push_back({std::nullopt, "the record is " + nesting_too_deep()});
        return false;
    }

    bool answers_only_top() const { return answers_only_start_; }

    std::string question_name() const { return p_.questions[question_].id; }

    void error(std::optional<std::string> question, std::string message) {
        out_.errors.push_back({std::move(question), std::move(message)});
    }

    bool skip_value() {
        if (skip_ > 0) return true;
        if (pending_ == pending::skip) {
            pending_ = pending::none;
            return true;
        }
        return false;
    }

    void not_expected(const char* what) {
        switch (pending_) {
            case pending::id: error(std::nullopt, std::string("'id' must be a string or a number, not ") + what); break;
            case pending::answers:
                error(std::nullopt,
                      std::string("'answers' must be an object of question ids and answers, not ") + what);
                break;
            case pending::answer:
                error(question_name(),
                      quote(question_name()) + " takes " + describe_expected(p_, question_) + ", not " + what);
                break;
            default:
                if (level_ == level::start || level_ == level::answers_only) {
                    error(std::nullopt,
                          std::string("a record must be a JSON object such as {\"answers\": {...}}, not ") + what);
                    level_ = level::done;
                }
                break;
        }
        pending_ = pending::none;
    }

    /// Records usually list their answers in question order, so the question after the
    /// last one is tried before the lookup by name.
    std::uint32_t find_question(const std::string& name) const {
        if (expected_next_ < p_.questions.size() && p_.questions[expected_next_].id == name) return expected_next_;
        return p_.find_question(name);
    }

    /// A number, string or boolean: the id's value, an answer, or misplaced. `id_text`
    /// gives its JSON text and `assign` stores it as the answer, each called only if needed.
    template <typename IdText, typename Assign>
    bool scalar(found kind, IdText id_text, Assign assign) {
        if (skip_value()) return true;
        if (in_list_) {
            list_bad_ = true;
            return true;
        }
        switch (pending_) {
            case pending::id:
                if (kind == found::boolean) {
                    error(std::nullopt, "'id' must be a string or a number, not true or false");
                } else {
                    out_.id_json = id_text();
                }
                break;
            case pending::answer:
                if (auto problem = assign()) error(question_name(), std::move(*problem));
                break;
            default: not_expected(found_words(kind)); return true;
        }
        pending_ = pending::none;
        return true;
    }
};

}  // namespace

void start_record(const program& p, answer_record& out) {
    out.id_json.clear();
    out.errors.clear();
    out.answers.reset(p.questions.size());
    out.given.assign(p.questions.size(), false);
}

namespace {

/// The quick path of read_record: a record of the usual shape read straight from its text,
/// with no events and no copies. It takes `{"id": ..., "answers": {...}}` (either key may
/// be absent, in either order) whose id is a plain string, a whole number or null, and
/// whose answers are each null, true, false, a plain string, a whole number or a list of
/// plain strings, and all fit their questions; "plain" as for the scanner (plain_json.hpp):
/// printable ASCII without escapes, at most 18 digits without a fraction or exponent. It
/// refuses anything else, an error of any kind included, and the record is then read again
/// by the reader of events, which has every message: so what it does take, it must read
/// exactly as that reader does, with the same assign_* functions.
class plain_record_reader {
public:
    plain_record_reader(const program& p, std::string_view text, answer_record& out)
        : p_(p), at_(text.data()), end_(text.data() + text.size()), out_(out) {}

    bool read() {
        if (!opens('{')) return false;
        bool seen_id = false;
        bool seen_answers = false;
        if (next_is('}')) {
            ++at_;
            return at_end();
        }
        do {
            std::string_view key;
            if (!string(key) || !colon()) return false;
            if (key == "id" && !seen_id) {
                seen_id = true;
                if (!id()) return false;
            } else if (key == "answers" && !seen_answers) {
                seen_answers = true;
                if (!answers()) return false;
            } else {
                return false;
            }
        } while (comma());
        return closes('}') && at_end();
    }

private:
    const program& p_;
    const char* at_;
    const char* end_;
    answer_record& out_;
    std::uint32_t expected_next_ = 0;

    /// Records seldom have spaces between their tokens: one comparison tells.
    void skip_spaces() {
        while (at_ != end_ && static_cast<unsigned char>(*at_) <= ' ' &&
               (*at_ == ' ' || *at_ == '\t' || *at_ == '\n' || *at_ == '\r')) {
            ++at_;
        }
    }
    [[gnu::always_inline]] bool next_is(char c) { return (at_ != end_ && *at_ == c) || next_is_after_spaces(c); }
    [[gnu::noinline]] bool next_is_after_spaces(char c) {
        skip_spaces();
        return at_ != end_ && *at_ == c;
    }
    bool opens(char c) {
        if (!next_is(c)) return false;
        ++at_;
        return true;
    }
    bool closes(char c) { return opens(c); }
    bool colon() { return opens(':'); }
    /// After a member or an element: true past a comma, false at anything else.
    bool comma() { return opens(','); }
    bool at_end() {
        skip_spaces();
        return at_ == end_;
    }
    /// `true`, `false` or `null`, at at_.
    template <std::size_t N>
    bool word(const char (&w)[N]) {
        if (static_cast<std::size_t>(end_ - at_) < N - 1 || std::memcmp(at_, w, N - 1) != 0) return false;
        at_ += N - 1;
        return true;
    }

    bool string(std::string_view& s) {
        if (!next_is('"')) return false;
        const char* const start = at_ + 1;
        const char* const stop = skip_plain_string_bytes(start, end_);
        if (stop == end_ || *stop != '"') return false;
        s = std::string_view(start, static_cast<std::size_t>(stop - start));
        at_ = stop + 1;
        return true;
    }

    /// A plain whole number, as the scanner takes it; with its sign, as nlohmann's events
    /// give it to the reader of events.
    bool integer(std::int64_t& n) {
        skip_spaces();
        bool negative = false;
        std::uint64_t magnitude = 0;
        const char* const after = read_plain_integer(at_, end_, negative, magnitude);
        if (after == nullptr) return false;
        at_ = after;
        n = negative ? -static_cast<std::int64_t>(magnitude) : static_cast<std::int64_t>(magnitude);
        return true;
    }

    bool id() {
        if (next_is('"')) {
            std::string_view s;
            if (!string(s)) return false;
            append_json_string(out_.id_json, s);
            return true;
        }
        if (at_ != end_ && *at_ == 'n') return word("null");
        std::int64_t n = 0;
        if (!integer(n)) return false;
        out_.id_json = std::to_string(n);
        return true;
    }

    bool answers() {
        skip_spaces();
        if (at_ != end_ && *at_ == 'n') return word("null");
        if (!opens('{')) return false;
        if (next_is('}')) {
            ++at_;
            return true;
        }
        do {
            std::string_view key;
            if (!string(key) || !colon()) return false;
            std::uint32_t const q = find_question(key);
            if (q == no_index || out_.given[q]) return false;
            out_.given[q] = true;
            expected_next_ = q + 1;
            if (!answer(q)) return false;
        } while (comma());
        return closes('}');
    }

    /// Records usually list their answers in question order, so the question after the
    /// last one is tried before the lookup by name.
    std::uint32_t find_question(std::string_view name) const {
        if (expected_next_ < p_.questions.size() && same_text(p_.questions[expected_next_].id, name)) {
            return expected_next_;
        }
        return p_.find_question(name);
    }

    bool answer(std::uint32_t q) {
        skip_spaces();
        if (at_ == end_) return false;
        switch (*at_) {
            case 'n': return word("null");
            case 't': return word("true") && !assign_bool(p_, q, true, out_.answers);
            case 'f': return word("false") && !assign_bool(p_, q, false, out_.answers);
            case '"': {
                std::string_view s;
                return string(s) && !assign_string(p_, q, s, out_.answers);
            }
            case '[': return options(q);
            default: {
                std::int64_t n = 0;
                return integer(n) && !assign_number(p_, q, static_cast<double>(n), true, out_.answers);
            }
        }
    }

    /// The option ids of a multi question's answer.
    bool options(std::uint32_t q) {
        if (p_.questions[q].kind != question_kind::multi) return false;
        ++at_;
        std::uint64_t chosen = 0;
        if (!next_is(']')) {
            do {
                std::string_view id;
                if (!string(id)) return false;
                std::uint32_t const option = find_option(p_, q, id);
                if (option == no_index) return false;
                chosen |= std::uint64_t{1} << option;
            } while (comma());
        }
        if (!closes(']')) return false;
        out_.answers.set(q, value::of_options(chosen));
        return true;
    }
};

/// Reads a record by its events (the scanner's, or nlohmann's parser's).
void read_by_events(const program& p, std::string_view json_text, answer_record& out, bool answers_only) {
    start_record(p, out);
    {
        record_reader reader(p, out, answers_only);
        switch (scan_plain_json(json_text, reader)) {
            case plain_scan::done: reader.finish(); return;
            case plain_scan::stopped: return;
            case plain_scan::not_plain: break;
        }
    }
    // Not plain JSON (or not JSON at all): read it again, from the start, with nlohmann's
    // parser, which also writes the message for a malformed record.
    start_record(p, out);
    record_reader reader(p, out, answers_only);
    bool const parsed = json::sax_parse(json_text.begin(), json_text.end(), &reader);
    if (parsed) reader.finish();
}

}  // namespace

bool read_plain_record(const program& p, std::string_view json_text, answer_record& out) {
    start_record(p, out);
    return plain_record_reader(p, json_text, out).read();
}

void read_record_by_events(const program& p, std::string_view json_text, answer_record& out) {
    read_by_events(p, json_text, out, false);
}

void read_record(const program& p, std::string_view json_text, answer_record& out) {
    if (!read_plain_record(p, json_text, out)) read_by_events(p, json_text, out, false);
}

void read_answers_object(const program& p, std::string_view json_text, answer_record& out) {
    read_by_events(p, json_text, out, true);
}

void read_typed_answers(const program& p, const std::vector<std::pair<std::string, answer_value>>& answers,
                        answer_record& out) {
    start_record(p, out);
    for (const auto& [id, answer] : answers) {
        std::uint32_t const q = p.find_question(id);
        if (q == no_index) {
            out.errors.push_back({id, unknown_question(p, id)});
        } else if (out.given[q]) {
            out.errors.push_back({id, answered_twice(id)});
        } else {
            out.given[q] = true;
            if (auto problem = assign_answer(p, q, answer, out.answers))
                out.errors.push_back({id, std::move(*problem)});
        }
    }
}

}  // namespace stepcare
