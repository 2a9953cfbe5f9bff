#pragma once
/// The one writer of the result JSON (interfaces.md section 3): its keys, their order and
/// punctuation are spelled here only. `to_json(result)` writes through it with rendered
/// strings, and the result emitter's JSON sink with prepared and cached pieces.

#include <cassert>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "foundation/json_text.hpp"
#include "stepcare/result.hpp"

namespace stepcare {

/// A piece that is already JSON (an escaped string with its quotes, an array, a number).
struct json_raw {
    std::string_view json;
};

// A field's value is a piece, appended by one of these: a plain string (escaped here), a
// json_raw, a list of strings, or anything callable that appends JSON to `out`.
inline void append_piece(std::string& out, std::string_view text) { append_json_string(out, text); }
inline void append_piece(std::string& out, const std::string& text) { append_json_string(out, text); }
inline void append_piece(std::string& out, json_raw raw) { out += raw.json; }
inline void append_piece(std::string& out, const std::vector<std::string>& items) { append_json_strings(out, items); }
inline void append_piece(std::string& out, const std::optional<std::string>& text) {
    if (text) {
        append_json_string(out, *text);
    } else {
        out += "null";
    }
}
inline void append_piece(std::string& out, outcome_level level) {
    out += '"';
    out += to_string(level);
    out += '"';
}
void append_piece(std::string& out, const questionnaire_identity& q);
template <typename Write>
requires std::invocable<const Write&, std::string&>
void append_piece(std::string& out, const Write& write) { write(out); }

/// Writes one result, field by field, in the order of interfaces.md section 3. Call
/// `open`, then the fields in that order, then `close`. A list gets its brackets from the
/// first item written to it or from the next field, so a list with no items can be left
/// out; `referral`, `missing` and `ignored` cannot. `"answers"` (`eval --with-answers`)
/// is written only when `open_answers` is called.
///
/// With `result_texts::none` the rendered texts (an outcome's and the referral's `"title"`
/// and `"text"`, an answer's `"ask"` and `"labels"`) are left out, keys and all, and their
/// pieces are never called: a sink that renders a text in its piece renders nothing.
class result_json_writer {
public:
    explicit result_json_writer(std::string& out, result_texts texts = result_texts::full)
        : out_(out), with_texts_(texts == result_texts::full) {}

    void open(std::string_view id_json, result_status status) {
        out_ += "{\"id\":";
        out_ += id_json.empty() ? "null" : id_json;
        out_ += ",\"status\":\"";
        out_ += to_string(status);
        out_ += '"';
        part_ = part::head;
    }

    /// A fired outcome: `head` is written by `outcome_head`, `tail` by `cites_tail`
    /// (pieces, so that a writer of many results can prepare them once per outcome).
    template <typename Head, typename Title, typename Text, typename Tail>
    void outcome(const Head& head, const Title& title, const Text& text, const Tail& tail) {
        item(part::outcomes);
        append_piece(out_, head);
        if (with_texts_) {
            field(",\"title\":", title);
            field(",\"text\":", text);
        }
        append_piece(out_, tail);
    }
    /// `{"id":...,"level":...`.
    template <typename Id>
    static void outcome_head(std::string& out, const Id& id, outcome_level level) {
        out += "{\"id\":";
        append_piece(out, id);
        out += ",\"level\":";
        append_piece(out, level);
    }
    /// `,"cites":[...]}`, the end of an outcome and of the referral.
    template <typename Cites>
    static void cites_tail(std::string& out, const Cites& cites) {
        out += ",\"cites\":";
        append_piece(out, cites);
        out += '}';
    }

    template <typename Id, typename Missing>
    void undetermined(const Id& id, const Missing& missing) {
        item(part::undetermined);
        field("{\"id\":", id);
        field(",\"missing\":", missing);
        out_ += '}';
    }

    template <typename Title, typename Text, typename Cites>
    void referral(const Title& title, const Text& text, const Cites& cites) {
        enter(part::referral);
        if (with_texts_) {
            field("{\"title\":", title);
            field(",\"text\":", text);
            cites_tail(out_, cites);
        } else {
            field("{\"cites\":", cites);
            out_ += '}';
        }
    }

    /// A let's value (JSON): `key` is written by `let_key`, a piece for the same reason as
    /// an outcome's head.
    template <typename Key, typename Value>
    void let_value(const Key& key, const Value& value) {
        item(part::values);
        append_piece(out_, key);
        append_piece(out_, value);
    }
    /// A let's key and value prepared as one piece: `let_key`, then the value.
    template <typename Entry>
    void let_value(const Entry& entry) {
        item(part::values);
        append_piece(out_, entry);
    }
    /// `"id":`.
    static void let_key(std::string& out, std::string_view id) {
        append_json_string(out, id);
        out += ':';
    }

    template <typename Questions>
    void missing(const Questions& questions) {
        enter(part::missing);
        append_piece(out_, questions);
    }

    template <typename Questions>
    void ignored(const Questions& questions) {
        enter(part::ignored);
        append_piece(out_, questions);
    }

    void error(const answer_error& e) {
        item(part::errors);
        field("{\"question\":", e.question);
        field(",\"message\":", e.message);
        out_ += '}';
    }

    void open_answers() { enter(part::answers); }

    /// One answer of `"answers"` (after `open_answers`): `labels` is null or an array.
    template <typename Question, typename Ask, typename Labels>
    void answer(const Question& question, const Ask& ask, json_raw answer, const Labels& labels) {
        item(part::answers);
        field("{\"question\":", question);
        if (with_texts_) field(",\"ask\":", ask);
        field(",\"answer\":", answer);
        if (with_texts_) field(",\"labels\":", labels);
        out_ += '}';
    }

    template <typename Identity>
    void close(const Identity& questionnaire) {
        enter(part::questionnaire);
        append_piece(out_, questionnaire);
        out_ += '}';
    }

private:
    /// The fields after `open`, in their order.
    enum class part : std::uint8_t {
        head,
        outcomes,
        undetermined,
        referral,
        values,
        missing,
        ignored,
        errors,
        answers,
        questionnaire,
    };
    struct part_syntax {
        std::string_view opening;  ///< `,"key":` and, for a list, its bracket
        char closing;              ///< a list's closing bracket, or 0
    };
    static constexpr part_syntax syntax[] = {
        {"", 0},
        {",\"outcomes\":[", ']'},
        {",\"undetermined\":[", ']'},
        {",\"referral\":", 0},
        {",\"values\":{", '}'},
        {",\"missing\":", 0},
        {",\"ignored\":", 0},
        {",\"errors\":[", ']'},
        {",\"answers\":[", ']'},
        {",\"questionnaire\":", 0},
    };

    std::string& out_;
    bool with_texts_;
    part part_ = part::head;
    bool first_ = true;  ///< no item yet in the current list

    static const part_syntax& of(part p) { return syntax[static_cast<std::size_t>(p)]; }

    /// `key` (with the punctuation before it and the colon), then `piece`.
    template <typename Piece>
    void field(std::string_view key, const Piece& piece) {
        out_ += key;
        append_piece(out_, piece);
    }

    /// Moves on to field `next`: closes the current list and writes any list in between
    /// empty (but `"answers"`, which is there only when opened).
    void enter(part next) {
        assert(next > part_);
        if (of(part_).closing != 0) out_ += of(part_).closing;
        for (auto between = static_cast<part>(static_cast<std::uint8_t>(part_) + 1); between < next;
             between = static_cast<part>(static_cast<std::uint8_t>(between) + 1)) {
            if (between == part::answers) continue;
            assert(of(between).closing != 0);  // a field that is not a list cannot be left out
            out_ += of(between).opening;
            out_ += of(between).closing;
        }
        out_ += of(next).opening;
        part_ = next;
        first_ = true;
    }

    /// Starts an item of list `list`.
    void item(part list) {
        if (part_ != list) enter(list);
        if (!first_) out_ += ',';
        first_ = false;
    }
};

}  // namespace stepcare
