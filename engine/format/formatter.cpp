#include "format/formatter.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <variant>
#include <string_view>
#include <vector>

#include "ast/spelling.hpp"

namespace stepcare {

namespace {

constexpr std::uint32_t no_offset = UINT32_MAX;

/// A `#` comment of the source: where it is, and what surrounds it there.
struct comment {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;  ///< before the line break
    bool own_line = false;  ///< nothing but whitespace before it on its line
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

/// Every comment from `from` on, reading strings as the grammar does (a `#` inside one is
/// text, and a string ends at its line's end at the latest).
std::vector<comment> scan_comments(std::string_view text, std::uint32_t from) {
    std::vector<comment> found;
    bool code_on_line = false;
    for (std::size_t i = from; i < text.size(); ++i) {
        char const c = text[i];
        if (c == '\n') {
            code_on_line = false;
        } else if (c == '#') {
            comment k;
            k.begin = static_cast<std::uint32_t>(i);
            while (i < text.size() && text[i] != '\n') ++i;
            std::size_t end = i;
            while (end > k.begin && (text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
            k.end = static_cast<std::uint32_t>(end);
            k.own_line = !code_on_line;
            found.push_back(k);
            code_on_line = false;
        } else if (c == '"') {
            code_on_line = true;
            for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i) {
                if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n') ++i;
            }
            if (i < text.size() && text[i] == '\n') code_on_line = false;
        } else if (!is_space(c)) {
            code_on_line = true;
        }
    }
    return found;
}

/// Characters on screen: UTF-8 bytes that start a character.
int width_of(std::string_view text) {
    int width = 0;
    for (char const c : text) width += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return width;
}

/// A string literal's pieces (`"a" "b"`), each without its quotes, as written.
std::vector<std::string_view> string_pieces(std::string_view text, source_range range) {
    std::vector<std::string_view> pieces;
    for (std::uint32_t i = range.begin; i < range.end; ++i) {
        if (text[i] == '#') {
            while (i < range.end && text[i] != '\n') ++i;
            continue;
        }
        if (text[i] != '"') continue;
        std::uint32_t const start = ++i;
        while (i < range.end && text[i] != '"') {
            if (text[i] == '\\') ++i;
            ++i;
        }
        pieces.push_back(text.substr(start, i - start));
    }
    return pieces;
}

/// `raw` (a string's contents as written) cut after spaces into pieces of at most `room`
/// characters where the words allow it.
std::vector<std::string_view> split_string(std::string_view raw, int room) {
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    std::size_t last_break = std::string_view::npos;  // a place after a run of spaces
    for (std::size_t i = 0; i < raw.size(); ++i) {
        bool const breakable = i > 0 && raw[i - 1] == ' ' && raw[i] != ' ';
        if (breakable) {
            if (width_of(raw.substr(start, i - start)) > room && last_break != std::string_view::npos) {
                pieces.push_back(raw.substr(start, last_break - start));
                start = last_break;
            }
            last_break = i;
        }
    }
    if (width_of(raw.substr(start)) > room && last_break != std::string_view::npos && last_break > start) {
        pieces.push_back(raw.substr(start, last_break - start));
        start = last_break;
    }
    pieces.push_back(raw.substr(start));
    return pieces;
}

class printer {
public:
    printer(const source_file& source, const ast::questionnaire& tree)
        : text_(source.text()), tree_(tree), comments_(scan_comments(text_, source.content_begin())) {}

    std::string run() {
        file();
        end_line();
        for (; next_comment_ < comments_.size(); ++next_comment_) own_line_comment(comments_[next_comment_], 0);
        return out_;
    }

private:
    std::string_view text_;
    const ast::questionnaire& tree_;
    std::vector<comment> comments_;
    std::size_t next_comment_ = 0;

    std::string out_;
    bool line_open_ = false;  ///< something is on the current line
    int line_indent_ = 0;     ///< the indentation of the current (or next) line
    int column_ = 0;          ///< characters on the current line
    int spaces_before_next_ = 0;
    bool blank_line_wanted_ = false;
    bool block_just_opened_ = true;  ///< nothing written in the innermost block yet
    std::uint32_t last_end_ = 0;     ///< the source offset after the last thing written
    int nested_indent_ = 0;          ///< the least indentation of an expression's continuation lines

    // ---- writing ------------------------------------------------------------------------

    void end_line() {
        if (!line_open_) return;
        // A comment right after the last thing written (punctuation aside), on its source
        // line, stays at the end of the line.
        auto const right_after = [&](const comment& k) {
            if (k.own_line || k.begin < last_end_) return false;
            std::string_view const between = text_.substr(last_end_, k.begin - last_end_);
            return between.find_first_not_of(" \t{}(),:=") == std::string_view::npos;
        };
        while (next_comment_ < comments_.size() && right_after(comments_[next_comment_])) {
            const comment& k = comments_[next_comment_++];
            out_ += "  ";
            out_ += text_.substr(k.begin, k.end - k.begin);
        }
        out_ += '\n';
        line_open_ = false;
        column_ = 0;
        spaces_before_next_ = 0;
    }

    /// The next thing written starts a line indented by `indent` spaces.
    void start_line(int indent) {
        end_line();
        line_indent_ = indent;
    }

    /// A blank line before the next line when the source has one before `offset`.
    void keep_blank_line(std::uint32_t offset) {
        if (offset == no_offset || block_just_opened_) return;
        int newlines = 0;
        for (std::uint32_t i = offset; i > 0 && is_space(text_[i - 1]); --i) newlines += text_[i - 1] == '\n' ? 1 : 0;
        if (newlines >= 2) blank_line_wanted_ = true;
    }

    void own_line_comment(const comment& k, int indent) {
        end_line();
        keep_blank_line(k.begin);
        write_line_start(indent);
        out_ += text_.substr(k.begin, k.end - k.begin);
        line_open_ = true;
        last_end_ = k.end;
        block_just_opened_ = false;
        end_line();
    }

    void write_line_start(int indent) {
        if (blank_line_wanted_ && !out_.empty()) out_ += '\n';
        blank_line_wanted_ = false;
        out_.append(static_cast<std::size_t>(indent), ' ');
        column_ = indent;
        line_indent_ = indent;
    }

    /// Writes the comments before `offset`. One that falls inside a line ends it; what
    /// follows continues on the next line, indented further.
    void comments_before(std::uint32_t offset) {
        if (offset == no_offset) return;
        bool const was_open = line_open_;
        int const continuation = line_indent_ + (was_open ? 4 : 0);
        bool moved = false;
        while (next_comment_ < comments_.size() && comments_[next_comment_].begin < offset) {
            const comment& k = comments_[next_comment_];
            if (!k.own_line && line_open_) {
                end_line();  // writes it at the end of the line
                moved = true;
                continue;
            }
            ++next_comment_;
            own_line_comment(k, continuation);
            moved = true;
        }
        if (moved && was_open) line_indent_ = continuation;
        if (moved) spaces_before_next_ = 0;
    }

    void space(int count = 1) { spaces_before_next_ = count; }

    /// Writes `piece`, which the source has at `offset` (no_offset: not from the source).
    void put(std::string_view piece, std::uint32_t offset = no_offset, std::uint32_t source_end = no_offset) {
        comments_before(offset);
        if (!line_open_) {
            write_line_start(line_indent_);
        } else {
            out_.append(static_cast<std::size_t>(spaces_before_next_), ' ');
            column_ += spaces_before_next_;
        }
        spaces_before_next_ = 0;
        out_ += piece;
        column_ += width_of(piece);
        line_open_ = true;
        block_just_opened_ = false;
        if (source_end != no_offset)
            last_end_ = source_end;
        else if (offset != no_offset)
            last_end_ = std::max(last_end_, offset);
    }

    /// Where the next thing written starts: after the spaces asked for, or at the
    /// indentation of a line not yet begun.
    int next_column() const { return line_open_ ? column_ + spaces_before_next_ : line_indent_; }

    bool fits(int width) const { return next_column() + width <= format_line_width; }

    bool has_comment_in(source_range range) const {
        auto const at =
            std::lower_bound(comments_.begin() + static_cast<std::ptrdiff_t>(next_comment_), comments_.end(),
                             range.begin, [](const comment& k, std::uint32_t o) { return k.begin < o; });
        return at != comments_.end() && at->begin < range.end;
    }

    /// Where the source's next token after `offset` starts (skipping whitespace and comments).
    std::uint32_t token_start(std::uint32_t offset) const {
        while (offset < text_.size()) {
            if (is_space(text_[offset])) {
                ++offset;
            } else if (text_[offset] == '#') {
                while (offset < text_.size() && text_[offset] != '\n') ++offset;
            } else {
                break;
            }
        }
        return offset;
    }

    /// Opens a block: `{` ends the line, what follows is indented by `indent`.
    void open_block(int indent) {
        put("{");
        start_line(indent);
        block_just_opened_ = true;
    }

    /// Closes the block that ends at `end` (just after its `}`), indented by `indent`.
    void close_block(std::uint32_t end, int indent) {
        end_line();
        std::uint32_t const brace = end > 0 ? end - 1 : 0;
        while (next_comment_ < comments_.size() && comments_[next_comment_].begin < brace) {
            own_line_comment(comments_[next_comment_++], indent + 2);
        }
        blank_line_wanted_ = false;
        start_line(indent);
        put("}", no_offset, end);
        block_just_opened_ = false;
    }

    /// Starts an item or entry at `offset` on its own line, after a blank line if the source has one.
    void item_line(std::uint32_t offset, int indent) {
        std::uint32_t const start = token_start(offset);
        start_line(indent);
        comments_before(start);
        keep_blank_line(start);
    }

    // ---- strings and texts --------------------------------------------------------------

    std::string joined(const std::vector<std::string_view>& pieces) const {
        std::string raw;
        for (std::string_view piece : pieces) raw += piece;
        return raw;
    }

    std::optional<std::string> flat_string(const ast::string_literal& s) const {
        if (has_comment_in(s.range)) return std::nullopt;
        return "\"" + joined(string_pieces(text_, s.range)) + "\"";
    }

    /// A string literal; pieces past the line's width continue under its first quote, unless
    /// it is a name (of a test or an invariant), which stays whole.
    void string(const ast::string_literal& s, bool name = false) {
        std::vector<std::string_view> const pieces = string_pieces(text_, s.range);
        int const column = next_column();
        if (has_comment_in(s.range)) {
            // Each piece as written, on its own line, so that the comments between them
            // keep their places.
            for (std::size_t i = 0; i < pieces.size(); ++i) {
                if (i > 0) start_line(column);
                auto const quote = static_cast<std::uint32_t>(pieces[i].data() - text_.data()) - 1;
                put("\"" + std::string(pieces[i]) + "\"", quote,
                    quote + 2 + static_cast<std::uint32_t>(pieces[i].size()));
            }
            return;
        }
        std::string const raw = joined(pieces);
        if (name || fits(width_of(raw) + 2)) {
            put("\"" + raw + "\"", s.range.begin, s.range.end);
            return;
        }
        std::vector<std::string_view> const lines = split_string(raw, std::max(format_line_width - column - 2, 40));
        for (std::size_t i = 0; i < lines.size(); ++i) {
            if (i > 0) start_line(column);
            put("\"" + std::string(lines[i]) + "\"", i == 0 ? s.range.begin : no_offset,
                i + 1 == lines.size() ? s.range.end : no_offset);
        }
    }

    std::optional<std::string> flat_text(const ast::text& t) const {
        if (has_comment_in(t.range)) return std::nullopt;
        if (t.translations.size() == 1 && t.translations[0].language.name.empty()) {
            return flat_string(t.translations[0].value);
        }
        std::string flat = "{";
        for (const ast::translation& translation : t.translations) {
            std::optional<std::string> const value = flat_string(translation.value);
            if (!value) return std::nullopt;
            flat += " " + translation.language.name + " " + *value;
        }
        return flat + " }";
    }

    /// A text: on the line when it fits, otherwise one translation per line.
    void text(const ast::text& t) {
        if (t.translations.size() == 1 && t.translations[0].language.name.empty()) {
            string(t.translations[0].value);
            return;
        }
        if (std::optional<std::string> const flat = flat_text(t); flat && fits(width_of(*flat))) {
            put(*flat, t.range.begin, t.range.end);
            return;
        }
        // One translation per line: each language under the first when every string then
        // fits whole, otherwise in a block, long strings continued under their first quote.
        int const column = next_column() + 2;
        bool aligned = !has_comment_in(t.range);
        for (const ast::translation& translation : t.translations) {
            std::optional<std::string> const value = flat_string(translation.value);
            // Room for the closing brace, and for a block's opening one after it.
            aligned = aligned && value &&
                      column + width_of(translation.language.name) + 1 + width_of(*value) + 4 <= format_line_width;
        }
        int const indent = line_indent_;
        put("{", t.range.begin);
        space();
        for (std::size_t i = 0; i < t.translations.size(); ++i) {
            const ast::translation& translation = t.translations[i];
            if (i > 0 || !aligned) start_line(aligned ? column : indent + 2);
            put(translation.language.name, translation.language.range.begin, translation.language.range.end);
            space();
            string(translation.value);
        }
        if (aligned) {
            space();
            put("}", no_offset, t.range.end);
        } else {
            close_block(t.range.end, indent);
        }
    }

    // ---- expressions --------------------------------------------------------------------

    /// Whether the node's range starts with parentheses of its own (the parser widens a
    /// parenthesized node's range over them; a binary node starts where its left operand does).
    bool parenthesized(ast::expr_ref ref) const {
        const ast::expr_node& e = tree_.expr(ref);
        if (text_[e.range.begin] != '(') return false;
        return !((e.kind == ast::expr_kind::binary) && tree_.expr(e.operands[0]).range.begin == e.range.begin);
    }

    /// The source of a leaf node, parentheses aside.
    std::string_view leaf(const ast::expr_node& e) const {
        std::uint32_t begin = e.range.begin;
        std::uint32_t end = e.range.end;
        while (begin < end && (text_[begin] == '(' || is_space(text_[begin]))) ++begin;
        while (end > begin && (text_[end - 1] == ')' || is_space(text_[end - 1]))) --end;
        return text_.substr(begin, end - begin);
    }

    /// A string expression's literal, parentheses aside.
    ast::string_literal leaf_string(const ast::expr_node& e) const {
        std::string_view const source = leaf(e);
        ast::string_literal s;
        s.range.begin = static_cast<std::uint32_t>(source.data() - text_.data());
        s.range.end = s.range.begin + static_cast<std::uint32_t>(source.size());
        return s;
    }

    std::optional<std::string> flat_expr(ast::expr_ref ref) const {
        const ast::expr_node& e = tree_.expr(ref);
        if (has_comment_in(e.range)) return std::nullopt;
        std::string inner;
        auto const operand = [&](std::size_t i) { return *flat_expr(e.operands[i]); };
        switch (e.kind) {
            case ast::expr_kind::number: inner = std::string(leaf(e)); break;
            case ast::expr_kind::string: inner = *flat_string(leaf_string(e)); break;
            case ast::expr_kind::boolean: inner = e.boolean ? "true" : "false"; break;
            case ast::expr_kind::yes_no: inner = e.boolean ? "yes" : "no"; break;
            case ast::expr_kind::name: inner = e.text; break;
            case ast::expr_kind::set: {
                inner = "{";
                for (std::size_t i = 0; i < e.operands.size(); ++i) inner += (i > 0 ? ", " : "") + operand(i);
                inner += "}";
                break;
            }
            case ast::expr_kind::unary: inner = e.oper == ast::op::not_ ? "not " + operand(0) : "-" + operand(0); break;
            case ast::expr_kind::binary: inner = operand(0) + " " + ast::spelling(e.oper) + " " + operand(1); break;
            case ast::expr_kind::conditional:
                inner = "if " + operand(0) + " then " + operand(1) + " else " + operand(2);
                break;
            case ast::expr_kind::call: {
                inner = e.text + "(";
                for (std::size_t i = 0; i < e.operands.size(); ++i) inner += (i > 0 ? ", " : "") + operand(i);
                inner += ")";
                break;
            }
        }
        return parenthesized(ref) ? "(" + inner + ")" : inner;
    }

    /// An expression: on the line when it fits, otherwise broken before its operators and
    /// between its arguments, continuation lines indented four spaces more.
    void expr(ast::expr_ref ref) {
        const ast::expr_node& e = tree_.expr(ref);
        if (std::optional<std::string> const flat = flat_expr(ref); flat && fits(width_of(*flat))) {
            put(*flat, e.range.begin, e.range.end);
            return;
        }
        bool const parens = parenthesized(ref);
        if (parens) put("(", e.range.begin);
        broken(ref);
        if (parens) put(")", no_offset, e.range.end);
    }

    void broken(ast::expr_ref ref) {
        const ast::expr_node& e = tree_.expr(ref);
        int const continuation = std::max(line_indent_ + 4, nested_indent_);
        switch (e.kind) {
            case ast::expr_kind::binary: {
                // The operands of a chain of one operator, each after a line break.
                std::vector<ast::expr_ref> chain;
                bool const right = e.oper == ast::op::implies;
                ast::expr_ref at = ref;
                while (true) {
                    const ast::expr_node& link = tree_.expr(at);
                    ast::expr_ref const inner = link.operands[right ? 1 : 0];
                    chain.push_back(link.operands[right ? 0 : 1]);
                    const ast::expr_node& next = tree_.expr(inner);
                    if (next.kind == ast::expr_kind::binary && next.oper == e.oper && !parenthesized(inner)) {
                        at = inner;
                        continue;
                    }
                    chain.push_back(inner);
                    break;
                }
                if (!right) std::reverse(chain.begin(), chain.end());
                // Operands that break are indented past this chain's operators.
                int const enclosing = nested_indent_;
                nested_indent_ = continuation + 4;
                expr(chain[0]);
                for (std::size_t i = 1; i < chain.size(); ++i) {
                    start_line(continuation);
                    put(ast::spelling(e.oper), tree_.expr(chain[i]).range.begin);
                    space();
                    expr(chain[i]);
                }
                nested_indent_ = enclosing;
                return;
            }
            case ast::expr_kind::call:
            case ast::expr_kind::set: {
                bool const call = e.kind == ast::expr_kind::call;
                put(call ? e.text + "(" : "{", e.range.begin);
                int const indent = line_indent_;
                for (std::size_t i = 0; i < e.operands.size(); ++i) {
                    start_line(continuation);
                    expr(e.operands[i]);
                    if (i + 1 < e.operands.size()) put(",");
                }
                start_line(indent);
                put(call ? ")" : "}", no_offset, e.range.end);
                return;
            }
            case ast::expr_kind::conditional: {
                put("if", e.range.begin);
                space();
                expr(e.operands[0]);
                start_line(continuation);
                put("then", tree_.expr(e.operands[1]).range.begin);
                space();
                expr(e.operands[1]);
                start_line(continuation);
                put("else", tree_.expr(e.operands[2]).range.begin);
                space();
                expr(e.operands[2]);
                return;
            }
            case ast::expr_kind::unary:
                put(e.oper == ast::op::not_ ? "not" : "-", e.range.begin);
                if (e.oper == ast::op::not_) space();
                expr(e.operands[0]);
                return;
            case ast::expr_kind::string: string(leaf_string(e)); return;
            default: put(*flat_expr(ref), e.range.begin, e.range.end); return;
        }
    }

    // ---- items --------------------------------------------------------------------------

    void name(const ast::identifier& id) { put(id.name, id.range.begin, id.range.end); }

    std::string number(const ast::number_literal& n) const {
        return std::string(text_.substr(n.range.begin, n.range.end - n.range.begin));
    }

    /// One option per line, as a table: ids, scores and (where every label is written in
    /// the same languages and the table fits the width) each language's string aligned.
    void options(const std::vector<ast::option_def>& list, int indent) {
        int id_width = 0;
        int score_width = -1;  // none scored
        for (const ast::option_def& option : list) {
            id_width = std::max(id_width, width_of(option.id.name));
            if (option.score) score_width = std::max(score_width, width_of(ast::number_spelling(*option.score)));
        }
        std::vector<std::string> heads;
        for (const ast::option_def& option : list) {
            std::string head =
                option.id.name + std::string(static_cast<std::size_t>(id_width - width_of(option.id.name)), ' ');
            if (score_width >= 0) {
                std::string const score = option.score ? " = " + ast::number_spelling(*option.score) : "";
                head += score + std::string(static_cast<std::size_t>(score_width + 3 - width_of(score)), ' ');
            }
            heads.push_back(std::move(head));
        }
        std::vector<std::string> const table =
            label_table(list, indent + id_width + 1 + (score_width >= 0 ? score_width + 3 : 0));
        for (std::size_t i = 0; i < list.size(); ++i) {
            item_line(list[i].range.begin, indent);
            put(heads[i], list[i].id.range.begin);
            space();
            if (!table.empty()) {
                put(table[i], list[i].label.range.begin, list[i].label.range.end);
            } else {
                text(list[i].label);
            }
        }
    }

    /// The labels of an option list with each language's string padded to the widest, when
    /// every label is written in the same languages, without comments, and each line fits
    /// from `column`; otherwise nothing.
    std::vector<std::string> label_table(const std::vector<ast::option_def>& list, int column) const {
        std::vector<std::vector<std::string>> cells;
        std::vector<int> widths;
        for (const ast::option_def& option : list) {
            const ast::text& label = option.label;
            if (has_comment_in(label.range) || label.translations.empty() ||
                label.translations[0].language.name.empty() ||
                label.translations.size() != list.front().label.translations.size()) {
                return {};
            }
            std::vector<std::string> row;
            for (std::size_t j = 0; j < label.translations.size(); ++j) {
                const ast::translation& translation = label.translations[j];
                if (translation.language.name != list.front().label.translations[j].language.name) return {};
                row.push_back(translation.language.name + " " + *flat_string(translation.value));
                if (widths.size() <= j) widths.push_back(0);
                widths[j] = std::max(widths[j], width_of(row.back()));
            }
            cells.push_back(std::move(row));
        }
        std::vector<std::string> lines;
        for (const std::vector<std::string>& row : cells) {
            std::string line = "{";
            for (std::size_t j = 0; j < row.size(); ++j) {
                line += " " + row[j];
                if (j + 1 < row.size())
                    line += std::string(static_cast<std::size_t>(widths[j] - width_of(row[j])), ' ');
            }
            line += " }";
            if (column + width_of(line) > format_line_width) return {};
            lines.push_back(std::move(line));
        }
        return lines;
    }

    void type(const ast::question_type& t, int indent) {
        switch (t.kind) {
            case question_kind::yesno: put("yesno"); return;
            case question_kind::choice:
            case question_kind::multi:
                put(t.kind == question_kind::choice ? "choice" : "multi");
                space();
                if (!t.option_set.name.empty()) {
                    name(t.option_set);
                    return;
                }
                open_block(indent + 2);
                options(t.inline_options, indent + 2);
                close_block(t.range.end, indent);
                return;
            case question_kind::integer:
            case question_kind::decimal:
                put(t.kind == question_kind::integer ? "integer" : "decimal");
                space();
                put(number(t.min) + ".." + number(t.max), t.min.range.begin, t.max.range.end);
                return;
            case question_kind::text:
                put("text");
                if (t.max_length) {
                    space();
                    put("max");
                    space();
                    put(number(*t.max_length), t.max_length->range.begin, t.max_length->range.end);
                }
                return;
        }
    }

    /// A section's or question's `when`, on the next line when it would not fit before the `{`.
    void when(ast::expr_ref condition, int indent) {
        if (condition == ast::no_expr) return;
        std::optional<std::string> const flat = flat_expr(condition);
        if (flat && fits(width_of(*flat) + 8)) {
            space();
        } else {
            start_line(indent + 4);
        }
        put("when", tree_.expr(condition).range.begin);
        space();
        expr(condition);
    }

    /// An expression after the words that introduce it: on the same line when it fits
    /// there, otherwise on the next line when it fits there or the line is already half
    /// full, broken where it must be.
    void expr_after(ast::expr_ref ref, int indent) {
        std::optional<std::string> const flat = flat_expr(ref);
        if (!flat || !fits(width_of(*flat))) {
            bool const fits_below = flat && indent + 4 + width_of(*flat) <= format_line_width;
            if (fits_below || next_column() > format_line_width / 2) start_line(indent + 4);
        }
        expr(ref);
    }

    void question(const ast::question_def& q, int indent) {
        item_line(q.range.begin, indent);
        put("question", token_start(q.range.begin));
        space();
        name(q.name);
        put(":");
        space();
        type(q.type, indent);
        if (q.optional) {
            space();
            put("optional", q.optional_range.begin, q.optional_range.end);
        }
        when(q.when, indent);
        space();
        open_block(indent + 2);
        for (const ast::question_part& part : q.parts) {
            item_line(part.range.begin, indent + 2);
            static constexpr const char* keywords[] = {"ask", "help", "unit", "require"};
            put(keywords[static_cast<int>(part.kind)], token_start(part.range.begin));
            space();
            if (part.kind == ast::question_part_kind::require) {
                expr_after(part.condition, indent + 2);
                space();
                put("else", part.value.range.begin);
                space();
            }
            text(part.value);
        }
        close_block(q.range.end, indent);
    }

    void outcome_parts(const std::vector<ast::outcome_part>& parts, int indent) {
        for (const ast::outcome_part& part : parts) {
            item_line(part.range.begin, indent);
            switch (part.kind) {
                case ast::outcome_part_kind::say:
                    put("say", token_start(part.range.begin));
                    space();
                    text(part.say);
                    break;
                case ast::outcome_part_kind::cite:
                    put("cite", token_start(part.range.begin));
                    for (std::size_t i = 0; i < part.cites.size(); ++i) {
                        if (i > 0) put(",");
                        space();
                        if (!fits(width_of(part.cites[i].name) + 1)) start_line(indent + 4);
                        name(part.cites[i]);
                    }
                    break;
                case ast::outcome_part_kind::stop: put("stop", token_start(part.range.begin)); break;
            }
        }
    }

    void item(const ast::item& entry, int indent) {
        std::visit([&](const auto& node) { item_of(node, indent); }, entry);
    }

    void item_of(const ast::options_def& o, int indent) {
        item_line(o.range.begin, indent);
        put("options", token_start(o.range.begin));
        space();
        name(o.name);
        space();
        open_block(indent + 2);
        options(o.options, indent + 2);
        close_block(o.range.end, indent);
    }

    void item_of(const ast::section_def& s, int indent) {
        item_line(s.range.begin, indent);
        put("section", token_start(s.range.begin));
        space();
        name(s.name);
        space();
        text(s.title);
        when(s.when, indent);
        space();
        open_block(indent + 2);
        for (const ast::question_def& q : s.questions) question(q, indent + 2);
        close_block(s.range.end, indent);
    }

    void item_of(const ast::question_def& q, int indent) { question(q, indent); }

    void item_of(const ast::let_def& l, int indent) {
        item_line(l.range.begin, indent);
        put("let", token_start(l.range.begin));
        space();
        name(l.name);
        space();
        put("=");
        space();
        expr_after(l.value, indent);
    }

    void item_of(const ast::outcome_def& o, int indent) {
        item_line(o.range.begin, indent);
        put("outcome", token_start(o.range.begin));
        space();
        name(o.name);
        space();
        put(ast::spelling(o.level));
        space();
        text(o.title);
        space();
        open_block(indent + 2);
        item_line(tree_.expr(o.when).range.begin, indent + 2);
        put("when");
        space();
        expr_after(o.when, indent + 2);
        outcome_parts(o.parts, indent + 2);
        close_block(o.range.end, indent);
    }

    void item_of(const ast::referral_def& r, int indent) {
        item_line(r.range.begin, indent);
        put("referral", token_start(r.range.begin));
        space();
        text(r.title);
        space();
        open_block(indent + 2);
        outcome_parts(r.parts, indent + 2);
        close_block(r.range.end, indent);
    }

    std::optional<std::string> flat_given(const ast::test_def& t) const {
        std::string flat = "given {";
        for (const ast::given_answer& answer : t.given) {
            std::optional<std::string> const value = flat_expr(answer.value);
            if (!value || has_comment_in(answer.range)) return std::nullopt;
            flat += (&answer == &t.given.front() ? " " : "  ") + answer.question.name + " = " + *value;
        }
        return flat + (t.given.empty() ? "}" : " }");
    }

    void item_of(const ast::test_def& t, int indent) {
        item_line(t.range.begin, indent);
        put("test", token_start(t.range.begin));
        space();
        string(t.name, true);
        space();
        open_block(indent + 2);
        std::optional<std::string> const flat = flat_given(t);
        bool const comments_between =
            !t.given.empty() && has_comment_in({t.given.front().range.begin, t.given.back().range.end});
        if (flat && !comments_between && fits(width_of(*flat) + indent + 2)) {
            put(*flat, t.given.empty() ? no_offset : t.given.front().range.begin,
                t.given.empty() ? no_offset : t.given.back().range.end);
        } else {
            put("given");
            space();
            open_block(indent + 4);
            for (const ast::given_answer& answer : t.given) {
                item_line(answer.range.begin, indent + 4);
                name(answer.question);
                space();
                put("=");
                space();
                expr(answer.value);
            }
            end_line();
            start_line(indent + 2);
            put("}");
        }
        for (ast::expr_ref const expectation : t.expectations) {
            item_line(tree_.expr(expectation).range.begin, indent + 2);
            put("expect");
            space();
            expr_after(expectation, indent + 2);
        }
        close_block(t.range.end, indent);
    }

    void item_of(const ast::invariant_def& i, int indent) {
        item_line(i.range.begin, indent);
        put("invariant", token_start(i.range.begin));
        space();
        string(i.name, true);
        put(":");
        space();
        expr_after(i.condition, indent);
    }

    // ---- the file -----------------------------------------------------------------------

    /// Where a header entry's keyword starts, found back from its first part.
    std::uint32_t keyword_before(std::uint32_t offset, std::string_view keyword) const {
        std::uint32_t at = offset;
        while (at > 0 && is_space(text_[at - 1])) --at;
        if (at >= keyword.size() && text_.substr(at - keyword.size(), keyword.size()) == keyword) {
            return at - static_cast<std::uint32_t>(keyword.size());
        }
        return offset;
    }

    void file() {
        std::uint32_t const head = token_start(tree_.range.begin);
        comments_before(head);
        keep_blank_line(head);
        start_line(0);
        put("questionnaire", head);
        space();
        name(tree_.name);
        space();
        text(tree_.title);
        space();
        open_block(2);

        // The header entries in the order written, then the items.
        struct entry {
            std::uint32_t at;
            int kind;  // 0 version, 1 languages, 2 description, 3 source
            std::size_t index;
        };
        std::vector<entry> entries;
        if (tree_.version) entries.push_back({keyword_before(tree_.version->range.begin, "version"), 0, 0});
        if (!tree_.languages.empty()) {
            entries.push_back({keyword_before(tree_.languages.front().range.begin, "languages"), 1, 0});
        }
        if (tree_.description) {
            entries.push_back({keyword_before(tree_.description->range.begin, "description"), 2, 0});
        }
        for (std::size_t i = 0; i < tree_.sources.size(); ++i) {
            entries.push_back({token_start(tree_.sources[i].range.begin), 3, i});
        }
        std::sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) { return a.at < b.at; });
        for (const entry& e : entries) {
            item_line(e.at, 2);
            switch (e.kind) {
                case 0:
                    put("version", e.at);
                    space();
                    string(*tree_.version);
                    break;
                case 1:
                    put("languages", e.at);
                    for (std::size_t i = 0; i < tree_.languages.size(); ++i) {
                        if (i > 0) put(",");
                        space();
                        name(tree_.languages[i]);
                    }
                    break;
                case 2:
                    put("description", e.at);
                    space();
                    text(*tree_.description);
                    break;
                default: {
                    const ast::source_def& source = tree_.sources[e.index];
                    put("source", e.at);
                    space();
                    name(source.name);
                    space();
                    text(source.title);
                }
            }
        }
        // A blank line after the header, and around every item that is a block.
        bool block_before = !entries.empty();
        for (const ast::item& entry : tree_.items) {
            bool const block =
                !std::holds_alternative<ast::let_def>(entry) && !std::holds_alternative<ast::invariant_def>(entry);
            if (block || block_before) blank_line_wanted_ = !block_just_opened_;
            item(entry, 2);
            block_before = block;
        }
        close_block(tree_.range.end, 0);
    }
};

}  // namespace

std::string format_questionnaire(const source_file& source, const ast::questionnaire& tree) {
    return printer(source, tree).run();
}

std::vector<std::string> comments_of(const source_file& source) {
    std::vector<std::string> out;
    for (const comment& k : scan_comments(source.text(), source.content_begin())) {
        out.emplace_back(source.text().substr(k.begin, k.end - k.begin));
    }
    return out;
}

}  // namespace stepcare
