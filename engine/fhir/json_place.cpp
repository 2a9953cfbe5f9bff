#include "fhir/json_place.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace stepcare::fhir {

json_path json_path::key(std::string_view name) const {
    json_path child = *this;
    child.steps_.emplace_back(std::string(name));
    return child;
}

json_path json_path::index(std::size_t position) const {
    json_path child = *this;
    child.steps_.emplace_back(position);
    return child;
}

std::string json_path::text() const {
    std::string out;
    for (const step& s : steps_) {
        if (const auto* name = std::get_if<std::string>(&s)) {
            if (!out.empty()) out += '.';
            out += *name;
        } else {
            out += '[' + std::to_string(std::get<std::size_t>(s)) + ']';
        }
    }
    return out;
}

namespace {

/// Reads valid JSON text value by value, without building anything.
class json_scanner {
public:
    explicit json_scanner(std::string_view text) : text_(text) {}

    std::size_t offset() const { return at_; }

    void skip_space() {
        while (at_ < text_.size() &&
               (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) {
            ++at_;
        }
    }

    /// The next character after space, consumed when it is `c`.
    bool accept(char c) {
        skip_space();
        if (at_ < text_.size() && text_[at_] == c) {
            ++at_;
            return true;
        }
        return false;
    }

    /// A string's content with its escapes decoded, the scanner at its opening quote.
    std::string read_string() {
        std::string out;
        ++at_;  // the opening quote
        while (at_ < text_.size() && text_[at_] != '"') {
            if (text_[at_] != '\\') {
                out += text_[at_++];
                continue;
            }
            char const escaped = at_ + 1 < text_.size() ? text_[at_ + 1] : '\\';
            at_ += 2;
            switch (escaped) {
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'u': append_escaped_code_point(out); break;
                default: out += escaped;
            }
        }
        ++at_;  // the closing quote
        return out;
    }

    /// Moves past one value, the scanner at its first character.
    void skip_value() {
        skip_space();
        if (at_ >= text_.size()) return;
        char const c = text_[at_];
        if (c == '"') {
            read_string();
        } else if (c == '{' || c == '[') {
            char const close = c == '{' ? '}' : ']';
            ++at_;
            if (accept(close)) return;
            do {
                if (c == '{') {
                    skip_space();
                    read_string();
                    accept(':');
                }
                skip_value();
            } while (accept(','));
            accept(close);
        } else {
            while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '}' && text_[at_] != ']' &&
                   text_[at_] != ' ' && text_[at_] != '\n' && text_[at_] != '\r' && text_[at_] != '\t') {
                ++at_;
            }
        }
    }

    /// Records where the value that starts here and those inside it are, for every one
    /// whose path text is in `wanted` (as path text, the indexes into `places` it goes to).
    void visit(const std::string& path, const std::map<std::string, std::vector<std::size_t>>& wanted,
               std::vector<std::pair<std::size_t, std::size_t>>& places) {
        skip_space();
        std::size_t const start = at_;
        auto const found = wanted.find(path);
        if (at_ < text_.size() && (text_[at_] == '{' || text_[at_] == '[')) {
            bool const object = text_[at_] == '{';
            char const close = object ? '}' : ']';
            ++at_;
            if (!accept(close)) {
                std::size_t position = 0;
                do {
                    std::string child;
                    if (object) {
                        skip_space();
                        child = path.empty() ? read_string() : path + '.' + read_string();
                        accept(':');
                    } else {
                        child = path + '[' + std::to_string(position++) + ']';
                    }
                    visit(child, wanted, places);
                } while (accept(','));
                accept(close);
            }
        } else {
            skip_value();
        }
        if (found != wanted.end()) {
            for (std::size_t k : found->second) places[k] = {start, at_};
        }
    }

    /// The first repeated key inside the value that starts here, as a path below `path`.
    std::optional<json_path> repeated_key(const json_path& path) {
        skip_space();
        if (at_ >= text_.size()) return std::nullopt;
        if (text_[at_] == '{') {
            ++at_;
            if (accept('}')) return std::nullopt;
            std::set<std::string> keys;
            do {
                skip_space();
                std::string key = read_string();
                accept(':');
                json_path const member = path.key(key);
                if (!keys.insert(std::move(key)).second) return member;
                if (auto found = repeated_key(member)) return found;
            } while (accept(','));
            accept('}');
        } else if (text_[at_] == '[') {
            ++at_;
            if (accept(']')) return std::nullopt;
            std::size_t position = 0;
            do {
                if (auto found = repeated_key(path.index(position++))) return found;
            } while (accept(','));
            accept(']');
        } else {
            skip_value();
        }
        return std::nullopt;
    }

private:
    /// The four hex digits after `\u` (the scanner just past the `u`), and the low half
    /// of a surrogate pair after them, as UTF-8.
    void append_escaped_code_point(std::string& out) {
        std::uint32_t c = read_hex4();
        if (c >= 0xD800 && c <= 0xDBFF && text_.substr(at_, 2) == "\\u") {
            at_ += 2;
            c = 0x10000 + ((c - 0xD800) << 10) + (read_hex4() - 0xDC00);
        }
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (c >> 18));
            out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }

    std::uint32_t read_hex4() {
        std::uint32_t value = 0;
        for (int k = 0; k < 4 && at_ < text_.size(); ++k, ++at_) {
            char const h = text_[at_];
            value = value * 16 + static_cast<std::uint32_t>(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        return value;
    }

    std::string_view text_;
    std::size_t at_ = 0;
};

/// The line and column of each byte offset of `offsets` (ascending), columns counting
/// code points: one sweep over the text.
std::vector<std::pair<std::uint32_t, std::uint32_t>> lines_and_columns(std::string_view text,
                                                                       const std::vector<std::size_t>& offsets) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    std::size_t i = 0;
    for (std::size_t offset : offsets) {
        for (; i < offset && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
                ++column;
            }
        }
        out.emplace_back(line, column);
    }
    return out;
}

/// The place from byte `start` to byte `end`, given their lines and columns.
json_place place_between(std::string_view text, std::size_t start, std::pair<std::uint32_t, std::uint32_t> from,
                         std::pair<std::uint32_t, std::uint32_t> to) {
    json_place place;
    std::tie(place.line, place.column) = from;
    std::tie(place.end_line, place.end_column) = to;
    std::size_t const line_start = start == 0 ? std::string_view::npos : text.rfind('\n', start - 1);
    std::size_t const first = line_start == std::string_view::npos ? 0 : line_start + 1;
    std::size_t last = text.find('\n', first);
    if (last == std::string_view::npos) last = text.size();
    if (last > first && text[last - 1] == '\r') --last;
    place.line_text = std::string(text.substr(first, last - first));
    return place;
}

}  // namespace

std::vector<json_place> locate(std::string_view text, const std::vector<json_path>& paths) {
    std::map<std::string, std::vector<std::size_t>> wanted;
    for (std::size_t k = 0; k < paths.size(); ++k) wanted[paths[k].text()].push_back(k);
    std::vector<std::pair<std::size_t, std::size_t>> spans(paths.size(), {0, 0});
    json_scanner(text).visit("", wanted, spans);
    std::vector<std::size_t> offsets;
    for (const auto& [start, end] : spans) {
        offsets.push_back(start);
        offsets.push_back(end);
    }
    std::sort(offsets.begin(), offsets.end());
    offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
    auto const positions = lines_and_columns(text, offsets);
    auto position = [&](std::size_t offset) {
        return positions[static_cast<std::size_t>(std::lower_bound(offsets.begin(), offsets.end(), offset) -
                                                  offsets.begin())];
    };
    std::vector<json_place> places;
    for (const auto& [start, end] : spans) places.push_back(place_between(text, start, position(start), position(end)));
    return places;
}

json_place place_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    std::size_t end = offset;
    if (end < text.size()) {
        ++end;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    }
    auto const positions = lines_and_columns(text, {offset, end});
    return place_between(text, offset, positions[0], positions[1]);
}

std::optional<json_path> first_repeated_key(std::string_view text) { return json_scanner(text).repeated_key({}); }

}  // namespace stepcare::fhir
