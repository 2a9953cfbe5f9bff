// The parse driver: it reads the file item by item with the X3 rules of items.hpp and
// does the recovery itself, because recovery needs to know where items begin and end.

#include "parse/parser.hpp"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string_view>

#include "parse/items.hpp"
#include "parse/literals.hpp"

namespace stepcare {

namespace {

namespace x3 = boost::spirit::x3;
using parse::iterator_type;

constexpr std::size_t max_utf8_reports = 10;

constexpr std::array<std::string_view, 8> item_keywords = {"options", "section",  "question", "let",
                                                           "outcome", "referral", "test",     "invariant"};
constexpr std::array<std::string_view, 4> header_keywords = {"version", "languages", "description", "source"};

bool is_item_keyword(std::string_view word) {
    return std::find(item_keywords.begin(), item_keywords.end(), word) != item_keywords.end();
}
bool is_header_keyword(std::string_view word) {
    return std::find(header_keywords.begin(), header_keywords.end(), word) != header_keywords.end();
}

/// A rough token, for recovery and for saying what was found where something else was
/// expected. Strings and comments are skipped the way the grammar reads them.
struct token {
    enum class kind { end, word, number, string, punct } type = kind::end;
    iterator_type begin = nullptr;
    iterator_type end = nullptr;

    std::string_view text() const { return {begin, static_cast<std::size_t>(end - begin)}; }
    bool is(char c) const { return type == kind::punct && end - begin == 1 && *begin == c; }
};

token next_token(iterator_type it, iterator_type last) {
    parse::skipper.parse(it, last, x3::unused, x3::unused, x3::unused);
    token t;
    t.begin = it;
    if (it == last) {
        t.end = it;
        return t;
    }
    char const c = *it;
    if (parse::is_identifier_char(c) && !(c >= '0' && c <= '9')) {
        t.type = token::kind::word;
        while (it != last && parse::is_identifier_char(*it)) ++it;
    } else if (c >= '0' && c <= '9') {
        t.type = token::kind::number;
        while (it != last && ((*it >= '0' && *it <= '9') || *it == '.')) {
            if (*it == '.' && (it + 1 == last || *(it + 1) < '0' || *(it + 1) > '9')) break;
            ++it;
        }
    } else if (c == '"') {
        t.type = token::kind::string;
        ++it;
        while (it != last && *it != '"' && *it != '\n') {
            if (*it == '\\' && it + 1 != last && *(it + 1) != '\n') ++it;
            ++it;
        }
        if (it != last && *it == '"') ++it;
    } else {
        t.type = token::kind::punct;
        ++it;
        while (it != last && (static_cast<unsigned char>(*it) & 0xC0) == 0x80) ++it;  // whole UTF-8 character
    }
    t.end = it;
    return t;
}

/// A character the grammar does not expect. Quoting an invisible one (a control or format
/// character, a space other than the ASCII one) would show nothing, so it is named by its
/// code point; curly quotes, which word processors put in place of straight ones, get a hint.
std::string describe_character(std::string_view text) {
    std::int32_t i = 0;
    UChar32 c = 0;
    U8_NEXT(text.data(), i, static_cast<std::int32_t>(text.size()), c);
    if (c < 0) return quoted(text);  // not reached: the file was checked to be UTF-8
    char code[12];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    if (u_iscntrl(c) || u_isUWhiteSpace(c) || u_charType(c) == U_FORMAT_CHAR) {
        char name[128];
        UErrorCode status = U_ZERO_ERROR;
        std::int32_t const length = u_charName(c, U_UNICODE_CHAR_NAME, name, sizeof name, &status);
        std::string described = std::string("an invisible character, ") + code;
        if (U_SUCCESS(status) && length > 0) {
            std::string lower(name, static_cast<std::size_t>(length));
            for (char& letter : lower) letter = static_cast<char>(std::tolower(static_cast<unsigned char>(letter)));
            described += " (" + lower + ")";
        }
        return described;
    }
    if (c < 0x80) return quoted(text);
    std::string described = quoted(text) + " (" + code + ")";
    if (c >= 0x201C && c <= 0x201F) described += ", a curly quote; strings take straight quotes (\")";
    return described;
}

std::string describe(const token& t) {
    switch (t.type) {
        case token::kind::end: return "end of file";
        case token::kind::string: return "a string";
        case token::kind::punct: return describe_character(t.text());
        default: return quoted(t.text());
    }
}

class driver {
public:
    driver(const source_file& source, diagnostic_sink& diagnostics)
        : source_(source),
          diagnostics_(diagnostics),
          first_(source.text().data() + source.content_begin()),
          last_(source.text().data() + source.text().size()),
          state_{source.text().data(), diagnostics, tree_.expressions} {}

    ast::questionnaire run() {
        if (!parse_head()) return std::move(tree_);
        bool closed = parse_body();
        if (closed) check_trailing_input();
        if (head_parsed_ && !tree_.version) {
            diagnostics_.error("missing-version", tree_.name.range,
                               "questionnaire '" + tree_.name.name +
                                   "' has no version; add one such as version \"1.0.0\" "
                                   "after its opening brace");
        }
        return std::move(tree_);
    }

private:
    const source_file& source_;
    diagnostic_sink& diagnostics_;
    iterator_type first_;
    iterator_type last_;
    ast::questionnaire tree_;
    parse::parse_state state_;
    bool head_parsed_ = false;
    bool seen_item_ = false;
    iterator_type closing_brace_ = nullptr;
    source_range questionnaire_keyword_;
    /// End of the last unterminated string: a syntax error right after it is a
    /// consequence of that string, not a second mistake, so it is not reported.
    iterator_type unterminated_end_ = nullptr;

    source_range range_of(iterator_type begin, iterator_type end) const { return state_.range(begin, end); }

    /// Runs one rule at the current position. On failure the error is reported, the
    /// position moves to the next place where an item can start, and false comes back.
    template <typename Rule, typename Attribute>
    bool parse_item(Rule const& rule, Attribute& attribute) {
        iterator_type const start = first_;
        iterator_type error_at = start;
        std::size_t const diagnostics_before = diagnostics_.items().size();
        try {
            iterator_type it = first_;
            if (x3::phrase_parse(it, last_, x3::with<parse::parse_state_tag>(state_)[rule], parse::skipper,
                                 attribute)) {
                first_ = it;
                note_unterminated_strings(diagnostics_before);
                return true;
            }
            report_expected(start, x3::what(rule));
        } catch (x3::expectation_failure<iterator_type> const& failure) {
            note_unterminated_strings(diagnostics_before);
            error_at = failure.where();
            report_expected(error_at, failure.which());
        } catch (parse::nesting_too_deep const& too_deep) {
            error_at = too_deep.where;
            token const t = next_token(error_at, last_);
            diagnostics_.error("too-deep", range_of(t.begin, t.end),
                               "expressions may nest at most " + std::to_string(max_expression_nesting) +
                                   " levels deep; split this one into lets");
        }
        recover(start, error_at);
        return false;
    }

    void note_unterminated_strings(std::size_t diagnostics_before) {
        const auto& items = diagnostics_.items();
        for (std::size_t i = diagnostics_before; i < items.size(); ++i) {
            if (items[i].code == "unterminated-string") unterminated_end_ = source_.text().data() + items[i].range.end;
        }
    }

    void report_expected(iterator_type where, std::string const& expected) {
        token const found = next_token(where, last_);
        if (unterminated_end_ != nullptr) {
            token const after_string = next_token(unterminated_end_, last_);
            if (after_string.begin == found.begin) return;
        }
        diagnostics_.error("syntax", range_of(found.begin, found.end),
                           "expected " + expected + ", found " + describe(found));
    }

    /// Moves past a broken item: to the next keyword that starts an item, or to a '}'
    /// that closes what encloses the item, whichever comes first. Braces are counted
    /// from the item's start so that a '}' inside the item is not mistaken for the end
    /// of its enclosure. Always moves forward.
    void recover(iterator_type item_start, iterator_type error_at) {
        int depth = 0;
        iterator_type it = item_start;
        for (token t = next_token(it, last_); t.type != token::kind::end && t.begin < error_at;
             t = next_token(it, last_)) {
            if (t.is('{')) ++depth;
            if (t.is('}')) --depth;
            it = t.end;
        }
        bool moved = it > item_start;
        while (true) {
            token const t = next_token(it, last_);
            if (t.type == token::kind::end) break;
            if (moved && t.type == token::kind::word && (is_item_keyword(t.text()) || is_header_keyword(t.text())))
                break;
            if (t.is('}')) {
                if (depth <= 0 && moved) break;
                --depth;
            } else if (t.is('{')) {
                ++depth;
            }
            it = t.end;
            moved = true;
        }
        first_ = it;
    }

    bool parse_head() {
        token const t = next_token(first_, last_);
        if (t.type != token::kind::word || t.text() != "questionnaire") {
            diagnostics_.error("syntax", range_of(t.begin, t.end),
                               "expected 'questionnaire' at the start of the file, found " + describe(t));
            return false;
        }
        questionnaire_keyword_ = range_of(t.begin, t.end);
        iterator_type const start = first_;
        head_parsed_ = parse_item(parse::file_head(), tree_);
        if (!head_parsed_) {
            // Carry on with the items after a broken head, if its brace can be found.
            first_ = start;
            for (token u = next_token(first_, last_); u.type != token::kind::end; u = next_token(first_, last_)) {
                first_ = u.end;
                if (u.is('{')) return true;
                if (u.type == token::kind::word && is_item_keyword(u.text())) {
                    first_ = u.begin;
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /// Items up to the questionnaire's closing brace; false when the file ends first.
    bool parse_body() {
        while (true) {
            token const t = next_token(first_, last_);
            if (t.type == token::kind::end) {
                auto& error = diagnostics_.error(
                    "syntax", range_of(t.begin, t.end),
                    "expected '}' to close questionnaire '" + tree_.name.name + "', found end of file");
                error.notes.push_back({questionnaire_keyword_, "the questionnaire starts here"});
                return false;
            }
            if (t.is('}')) {
                closing_brace_ = t.begin;
                first_ = t.end;
                tree_.range = {questionnaire_keyword_.begin, state_.offset(first_)};
                return true;
            }
            if (t.type == token::kind::word && is_header_keyword(t.text())) {
                parse_header_entry(t);
            } else if (t.type == token::kind::word && is_item_keyword(t.text())) {
                seen_item_ = true;
                parse_top_level_item(t.text());
            } else {
                report_expected(t.begin,
                                "an item (question, section, let, outcome, options, referral, test "
                                "or invariant) or '}'");
                recover(t.begin, t.begin);
            }
        }
    }

    /// Parses one item with `rule` and appends it to the tree when it parsed.
    template <typename Rule>
    void parse_into_items(Rule const& rule) {
        typename Rule::attribute_type attribute;
        if (parse_item(rule, attribute)) tree_.items.emplace_back(std::move(attribute));
    }

    void parse_top_level_item(std::string_view keyword) {
        if (keyword == "section") {
            parse_section();
        } else if (keyword == "question") {
            parse_into_items(parse::question_item());
        } else if (keyword == "options") {
            parse_into_items(parse::options_item());
        } else if (keyword == "let") {
            parse_into_items(parse::let_item());
        } else if (keyword == "outcome") {
            parse_into_items(parse::outcome_item());
        } else if (keyword == "referral") {
            parse_into_items(parse::referral_item());
        } else if (keyword == "test") {
            parse_into_items(parse::test_item());
        } else {
            parse_into_items(parse::invariant_item());
        }
    }

    void parse_section() {
        ast::section_def section;
        iterator_type const start = first_;
        if (!parse_item(parse::section_head(), section)) {
            // Only go on reading questions if the broken head did open the section's body.
            iterator_type it = start;
            bool opened = false;
            for (token t = next_token(it, last_); t.type != token::kind::end && t.begin < first_;
                 t = next_token(it, last_)) {
                if (t.is('{')) opened = true;
                it = t.end;
            }
            if (!opened) return;
            section.range.begin = state_.offset(start);
        }
        while (true) {
            token const t = next_token(first_, last_);
            if (t.is('}')) {
                first_ = t.end;
                break;
            }
            if (t.type == token::kind::word && t.text() == "question") {
                ast::question_def question;
                if (parse_item(parse::question_item(), question)) section.questions.push_back(std::move(question));
                continue;
            }
            if (t.type == token::kind::end ||
                (t.type == token::kind::word && (is_item_keyword(t.text()) || is_header_keyword(t.text())))) {
                auto& error = diagnostics_.error(
                    "syntax", range_of(t.begin, t.end),
                    "expected '}' to close section '" + section.name.name + "', found " + describe(t));
                error.notes.push_back({section.name.range, "the section starts here"});
                break;
            }
            report_expected(t.begin, "a question or '}'");
            recover(t.begin, t.begin);
        }
        section.range.end = state_.offset(first_);
        tree_.items.emplace_back(std::move(section));
    }

    void parse_header_entry(const token& keyword) {
        if (seen_item_) {
            diagnostics_.error("header-after-item", range_of(keyword.begin, keyword.end),
                               quoted(keyword.text()) +
                                   " belongs in the header, before the first question, section or "
                                   "other item");
        }
        std::string_view const word = keyword.text();
        if (word == "version") {
            ast::string_literal version;
            if (parse_item(parse::version_entry(), version)) set_once(tree_.version, std::move(version), keyword);
        } else if (word == "languages") {
            std::vector<ast::identifier> languages;
            if (parse_item(parse::languages_entry(), languages)) {
                if (!tree_.languages.empty()) {
                    report_duplicate(keyword, tree_.languages.front().range);
                } else {
                    tree_.languages = std::move(languages);
                }
            }
        } else if (word == "description") {
            ast::text description;
            if (parse_item(parse::description_entry(), description))
                set_once(tree_.description, std::move(description), keyword);
        } else {
            ast::source_def source;
            if (parse_item(parse::source_entry(), source)) tree_.sources.push_back(std::move(source));
        }
    }

    template <typename T>
    void set_once(std::optional<T>& slot, T value, const token& keyword) {
        if (slot) {
            report_duplicate(keyword, slot->range);
            return;
        }
        slot = std::move(value);
    }

    void report_duplicate(const token& keyword, source_range first_value) {
        auto& error = diagnostics_.error("duplicate-header", range_of(keyword.begin, keyword.end),
                                         quoted(keyword.text()) + " may appear only once");
        error.notes.push_back({first_value, "it was first given here"});
    }

    void check_trailing_input() {
        token const t = next_token(first_, last_);
        if (t.type == token::kind::end) return;
        auto& error = diagnostics_.error("trailing-input", range_of(t.begin, t.end),
                                         "unexpected " + describe(t) + " after the questionnaire's closing '}'");
        if (t.type == token::kind::word && (is_item_keyword(t.text()) || is_header_keyword(t.text()))) {
            error.notes.push_back({range_of(closing_brace_, closing_brace_ + 1),
                                   "this '}' closes the questionnaire; is it one too many?"});
        }
    }
};

std::string hex_bytes(std::string_view bytes) {
    std::string out;
    for (unsigned char const b : bytes) {
        char buffer[4];
        std::snprintf(buffer, sizeof buffer, "%02X", b);
        if (!out.empty()) out.push_back(' ');
        out += buffer;
    }
    return out;
}

/// The first carriage return not followed by a line feed, unless it ends the file (where
/// it hides nothing).
std::optional<std::size_t> lone_carriage_return(std::string_view text) {
    for (std::size_t at = text.find('\r'); at != std::string_view::npos; at = text.find('\r', at + 1)) {
        if (at + 1 < text.size() && text[at + 1] != '\n') return at;
    }
    return std::nullopt;
}

/// Reports every name longer than max_name_length; true when there is none.
bool names_fit(const source_file& source, diagnostic_sink& diagnostics) {
    iterator_type const begin = source.text().data();
    iterator_type const last = begin + source.text().size();
    bool fit = true;
    for (token t = next_token(begin + source.content_begin(), last); t.type != token::kind::end;
         t = next_token(t.end, last)) {
        auto const length = static_cast<std::size_t>(t.end - t.begin);
        if (t.type != token::kind::word || length <= max_name_length) continue;
        fit = false;
        diagnostics.error("name-too-long",
                          {static_cast<std::uint32_t>(t.begin - begin), static_cast<std::uint32_t>(t.end - begin)},
                          "this name is " + std::to_string(length) + " characters long; names may be at most " +
                              std::to_string(max_name_length));
    }
    return fit;
}

}  // namespace

ast::questionnaire parse_questionnaire(const source_file& source, diagnostic_sink& diagnostics) {
    if (source.text().size() > max_source_bytes) {
        diagnostics.error("file-too-large", {0, 0},
                          "the file is " + std::to_string(source.text().size()) +
                              " bytes; questionnaire files may be at most " + std::to_string(max_source_bytes) +
                              " bytes");
        return {};
    }
    auto const invalid = find_invalid_utf8(source.text());
    if (!invalid.empty()) {
        for (std::size_t i = 0; i < invalid.size() && i < max_utf8_reports; ++i) {
            std::string_view const bytes(source.text().data() + invalid[i].begin, invalid[i].end - invalid[i].begin);
            diagnostics.error("invalid-utf8", invalid[i],
                              "invalid UTF-8 (bytes " + hex_bytes(bytes) + "); save the file as UTF-8");
        }
        if (invalid.size() > max_utf8_reports) {
            diagnostics.error(
                "invalid-utf8", invalid[max_utf8_reports],
                std::to_string(invalid.size() - max_utf8_reports) + " more invalid UTF-8 sequences are not listed");
        }
        return {};
    }
    // A carriage return alone is no line break here, though many editors show one: a
    // comment before it would silently hide what follows. Say so instead of reading on.
    std::string_view const text = source.text();
    if (std::optional<std::size_t> const lone = lone_carriage_return(text)) {
        auto const at = static_cast<std::uint32_t>(*lone);
        bool const no_line_feeds = text.find('\n') == std::string_view::npos;
        diagnostics.error("bad-line-endings", {at, at + 1},
                          no_line_feeds
                              ? "the lines of this file end in a carriage return alone, as on classic Mac OS; "
                                "save it with LF or CR LF line endings"
                              : "this line ends in a carriage return alone, which is not a line break "
                                "here (a comment before it would hide the next line); save the file "
                                "with LF or CR LF line endings");
        return {};
    }
    if (!names_fit(source, diagnostics)) return {};
    return driver(source, diagnostics).run();
}

}  // namespace stepcare
