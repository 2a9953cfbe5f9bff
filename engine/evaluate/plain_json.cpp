#include "evaluate/plain_json.hpp"

#include <cstdint>
#include <cstring>
#include <string>

#include "foundation/plain_bytes.hpp"

namespace stepcare {

namespace {

using sax_t = nlohmann::json_sax<nlohmann::json>;

/// Beyond this depth the text is left to nlohmann's parser, so that the scanner's
/// recursion stays shallow.
constexpr int max_depth = 32;

class scanner {
public:
    scanner(std::string_view text, sax_t& sax) : p_(text.data()), end_(text.data() + text.size()), sax_(sax) {}

    plain_scan run() {
        skip_spaces();
        if (!value(0)) return result_;
        skip_spaces();
        return p_ == end_ ? plain_scan::done : plain_scan::not_plain;
    }

private:
    const char* p_;
    const char* end_;
    sax_t& sax_;
    plain_scan result_ = plain_scan::not_plain;
    std::string text_;  ///< the last string or key, handed to the handler

    bool give_up() {
        result_ = plain_scan::not_plain;
        return false;
    }

    /// Passes on a handler's answer: false stops the scan, as it stops nlohmann's parser.
    bool delivered(bool accepted) {
        if (!accepted) result_ = plain_scan::stopped;
        return accepted;
    }

    void skip_spaces() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
    }

    bool next_is(char c) {
        skip_spaces();
        return p_ != end_ && *p_ == c;
    }

    bool value(int depth) {
        if (p_ == end_) return give_up();
        switch (*p_) {
            case '{': return container(depth + 1, true);
            case '[': return container(depth + 1, false);
            case '"': return string() && delivered(sax_.string(text_));
            case 't': return literal("true") && delivered(sax_.boolean(true));
            case 'f': return literal("false") && delivered(sax_.boolean(false));
            case 'n': return literal("null") && delivered(sax_.null());
            default: return number();
        }
    }

    /// An object or an array, at its opening brace or bracket.
    bool container(int depth, bool is_object) {
        if (depth > max_depth) return give_up();
        ++p_;
        char const close = is_object ? '}' : ']';
        auto const end = [&] { return delivered(is_object ? sax_.end_object() : sax_.end_array()); };
        if (!delivered(is_object ? sax_.start_object(static_cast<std::size_t>(-1))
                                 : sax_.start_array(static_cast<std::size_t>(-1)))) {
            return false;
        }
        if (next_is(close)) {
            ++p_;
            return end();
        }
        for (;;) {
            if (is_object) {
                if (!next_is('"')) return give_up();
                if (!string() || !delivered(sax_.key(text_))) return false;
                if (!next_is(':')) return give_up();
                ++p_;
            }
            skip_spaces();
            if (!value(depth)) return false;
            skip_spaces();
            if (p_ == end_) return give_up();
            if (*p_ == close) {
                ++p_;
                return end();
            }
            if (*p_ != ',') return give_up();
            ++p_;
        }
    }

    /// A string at p_ (its opening quote) into text_.
    bool string() {
        const char* const start = p_ + 1;
        const char* const at = skip_plain_string_bytes(start, end_);
        // Escapes, control characters and non-ASCII text are left to nlohmann.
        if (at == end_ || *at != '"') return give_up();
        text_.assign(start, static_cast<std::size_t>(at - start));
        p_ = at + 1;
        return true;
    }

    bool literal(std::string_view word) {
        if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) {
            return give_up();
        }
        p_ += word.size();
        return true;
    }

    bool number() {
        bool negative = false;
        std::uint64_t magnitude = 0;
        const char* const after = read_plain_integer(p_, end_, negative, magnitude);
        if (after == nullptr) return give_up();
        p_ = after;
        // As nlohmann: a number with a minus sign is signed, one without is unsigned.
        if (negative) return delivered(sax_.number_integer(-static_cast<std::int64_t>(magnitude)));
        return delivered(sax_.number_unsigned(magnitude));
    }
};

}  // namespace

plain_scan scan_plain_json(std::string_view text, nlohmann::json_sax<nlohmann::json>& sax) {
    return scanner(text, sax).run();
}

}  // namespace stepcare
