#include "fhir/fhirpath_import.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <cstdint>
#include <memory>
#include <utility>

#include "foundation/limits.hpp"
#include "foundation/text.hpp"

namespace stepcare::fhir {

namespace {

// ---- parsing -----------------------------------------------------------------------------

/// One node of a parsed FHIRPath expression.
struct fp_node {
    enum class kind { string, number, boolean, empty, constant, identifier, member, call, binary, unary, index };
    kind what = kind::identifier;
    /// The string's value, the number as written, `true`/`false`, the constant's name
    /// (without `%`), the identifier, member or function name, or the operator.
    std::string text;
    /// member: the target; call: the target (nullptr for a function without one), then the
    /// arguments; binary: both sides; unary: the operand; index: the target and the index.
    std::vector<std::unique_ptr<fp_node>> children;
    std::size_t offset = 0;  ///< of its first character in the expression, in bytes
    int depth = 1;           ///< of the tree below it, itself included
};

/// The deepest tree an expression may make, so that walking it recursively never runs out
/// of stack: far more than any real expression, counting each operator and step of a path.
constexpr int max_fhirpath_depth = 1000;

using fp_ref = std::unique_ptr<fp_node>;

fp_ref make_node(fp_node::kind what, std::string text, std::size_t offset) {
    auto n = std::make_unique<fp_node>();
    n->what = what;
    n->text = std::move(text);
    n->offset = offset;
    return n;
}

struct token {
    enum class kind { end, word, string, number, constant, symbol };
    kind what = kind::end;
    std::string text;
    std::size_t offset = 0;
};

/// Binding strength of FHIRPath's binary operators (the specification's table, loosest
/// first); 0 for a token that is none.
int binary_level(const token& t) {
    static const std::vector<std::pair<std::string_view, int>> levels = {
        {"implies", 1}, {"or", 2}, {"xor", 2}, {"and", 3}, {"in", 4}, {"contains", 4}, {"=", 5},    {"~", 5},
        {"!=", 5},      {"!~", 5}, {"<", 6},   {">", 6},   {"<=", 6}, {">=", 6},       {"|", 7},    {"is", 8},
        {"as", 8},      {"+", 9},  {"-", 9},   {"&", 9},   {"*", 10}, {"/", 10},       {"div", 10}, {"mod", 10}};
    if (t.what != token::kind::symbol && t.what != token::kind::word) return 0;
    for (const auto& [op, level] : levels) {
        if (op == t.text) return level;
    }
    return 0;
}

/// A number written as FHIRPath and `.sq` write them (an optional `-`, digits, an optional
/// fraction); infinity when it is too large for a double.
double to_double(std::string_view text) {
    double value = 0;
    auto const result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (result.ec == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
    return value;
}

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

class fp_parser {
public:
    explicit fp_parser(std::string_view text) : text_(text) {}

    /// The expression's tree; nullptr when it does not parse (`error` and `error_offset`
    /// then say why and where).
    fp_ref parse() {
        if (!tokenize()) return nullptr;
        fp_ref root = expression(1);
        if (root && peek().what != token::kind::end) return fail(peek(), "unexpected " + describe(peek()));
        return root;
    }

    std::string error;
    std::size_t error_offset = 0;

private:
    fp_ref fail(std::size_t offset, std::string message) {
        if (error.empty()) {
            error = std::move(message);
            error_offset = offset;
        }
        return nullptr;
    }
    fp_ref fail(const token& t, std::string message) { return fail(t.offset, std::move(message)); }
    bool lex_error(std::size_t offset, std::string message) {
        fail(offset, std::move(message));
        return false;
    }

    static std::string describe(const token& t) {
        if (t.what == token::kind::end) return "end of the expression";
        if (t.what == token::kind::string) return "string '" + t.text + "'";
        return "'" + t.text + "'";
    }

    bool tokenize() {
        std::size_t i = 0;
        while (true) {
            while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r')) {
                ++i;
            }
            if (i >= text_.size()) break;
            token t;
            t.offset = i;
            char const c = text_[i];
            if (is_letter(c) || c == '$') {
                std::size_t j = i + 1;
                while (j < text_.size() && (is_letter(text_[j]) || is_digit(text_[j]))) ++j;
                t.what = token::kind::word;
                t.text = std::string(text_.substr(i, j - i));
                i = j;
            } else if (is_digit(c)) {
                std::size_t j = i;
                while (j < text_.size() && is_digit(text_[j])) ++j;
                if (j + 1 < text_.size() && text_[j] == '.' && is_digit(text_[j + 1])) {
                    ++j;
                    while (j < text_.size() && is_digit(text_[j])) ++j;
                }
                t.what = token::kind::number;
                t.text = std::string(text_.substr(i, j - i));
                i = j;
            } else if (c == '\'' || c == '`') {
                t.what = c == '\'' ? token::kind::string : token::kind::word;
                if (!read_quoted(i, c, t.text)) return false;
            } else if (c == '%') {
                t.what = token::kind::constant;
                ++i;
                if (i < text_.size() && (text_[i] == '\'' || text_[i] == '`')) {
                    if (!read_quoted(i, text_[i], t.text)) return false;
                } else {
                    std::size_t j = i;
                    while (j < text_.size() && (is_letter(text_[j]) || is_digit(text_[j]))) ++j;
                    if (j == i) return lex_error(t.offset, "'%' must be followed by a name");
                    t.text = std::string(text_.substr(i, j - i));
                    i = j;
                }
            } else if (c == '@') {
                return lex_error(t.offset, "date and time literals are not recognised");
            } else {
                static const std::vector<std::string_view> symbols = {"!=", "!~", "<=", ">=", ".", "(", ")", "[",
                                                                      "]",  "{",  "}",  ",",  "=", "~", "<", ">",
                                                                      "+",  "-",  "*",  "/",  "|", "&"};
                auto const found = std::find_if(symbols.begin(), symbols.end(),
                                                [&](std::string_view s) { return text_.substr(i, s.size()) == s; });
                if (found == symbols.end()) {
                    std::size_t end = i + 1;
                    while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) ++end;
                    return lex_error(t.offset, "unexpected character '" + std::string(text_.substr(i, end - i)) + "'");
                }
                t.what = token::kind::symbol;
                t.text = std::string(*found);
                i += found->size();
            }
            tokens_.push_back(std::move(t));
        }
        token end;
        end.offset = text_.size();
        tokens_.push_back(end);
        return true;
    }

    /// A string ('...') or delimited identifier (`...`) starting at `i`, escapes decoded.
    bool read_quoted(std::size_t& i, char quote, std::string& out) {
        std::size_t const start = i;
        ++i;
        while (i < text_.size() && text_[i] != quote) {
            if (text_[i] != '\\') {
                out += text_[i++];
                continue;
            }
            char const e = i + 1 < text_.size() ? text_[i + 1] : '\0';
            i += 2;
            switch (e) {
                case '\'':
                case '"':
                case '`':
                case '\\':
                case '/': out += e; break;
                case 'n': out += '\n'; break;
                case 't': out += '\t'; break;
                case 'r': out += '\r'; break;
                case 'f': out += '\f'; break;
                case 'u': {
                    std::uint32_t value = 0;
                    for (int k = 0; k < 4; ++k, ++i) {
                        char const h = i < text_.size() ? text_[i] : 'x';
                        int const digit = is_digit(h)                              ? h - '0'
                                          : (h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10
                                                                                   : -1;
                        if (digit < 0) return lex_error(start, "'\\u' must be followed by four hex digits");
                        value = value * 16 + static_cast<std::uint32_t>(digit);
                    }
                    if (value >= 0xD800 && value <= 0xDFFF) {
                        return lex_error(start, "surrogate escapes are not recognised");
                    }
                    append_utf8(out, value);
                    break;
                }
                default: return lex_error(start, std::string("unknown escape '\\") + e + "'");
            }
        }
        if (i >= text_.size()) return lex_error(start, "the quote opened here is not closed");
        ++i;
        return true;
    }

    static void append_utf8(std::string& out, std::uint32_t c) {
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c < 0x800) {
            out += static_cast<char>(0xC0 | (c >> 6));
            out += static_cast<char>(0x80 | (c & 0x3F));
        } else {
            out += static_cast<char>(0xE0 | (c >> 12));
            out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (c & 0x3F));
        }
    }

    const token& peek() const { return tokens_[at_]; }
    const token& take() { return tokens_[at_ < tokens_.size() - 1 ? at_++ : at_]; }
    bool take_symbol(std::string_view s) {
        if (peek().what == token::kind::symbol && peek().text == s) {
            ++at_;
            return true;
        }
        return false;
    }

    /// The node with its depth, or nullptr (and an error) when its tree is too deep.
    fp_ref checked_depth(fp_ref node) {
        for (const fp_ref& child : node->children) {
            if (child) node->depth = std::max(node->depth, child->depth + 1);
        }
        if (node->depth <= max_fhirpath_depth) return node;
        return fail(node->offset, "the expression is too long: its operators and paths are nested more than " +
                                      std::to_string(max_fhirpath_depth) + " deep");
    }

    /// Counts nesting, so that deeply nested input is refused rather than overflowing.
    struct depth_guard {
        explicit depth_guard(int& depth) : depth_(++depth) {}
        ~depth_guard() { --depth_; }
        int& depth_;
    };
    bool too_deep() const { return depth_ > max_expression_nesting; }

    fp_ref expression(int least) {
        depth_guard guard(depth_);
        if (too_deep())
            return fail(peek(), "the expression is nested more than " + std::to_string(max_expression_nesting) +
                                    " levels deep");
        fp_ref left = unary();
        while (left) {
            int const level = binary_level(peek());
            if (level < least || level == 0) break;
            token const op = take();
            fp_ref right = expression(level + 1);
            if (!right) return nullptr;
            fp_ref node = make_node(fp_node::kind::binary, op.text, op.offset);
            node->children.push_back(std::move(left));
            node->children.push_back(std::move(right));
            left = checked_depth(std::move(node));
        }
        return left;
    }

    fp_ref unary() {
        depth_guard guard(depth_);
        if (too_deep())
            return fail(peek(), "the expression is nested more than " + std::to_string(max_expression_nesting) +
                                    " levels deep");
        if (peek().what == token::kind::symbol && (peek().text == "-" || peek().text == "+")) {
            token const op = take();
            fp_ref operand = unary();
            if (!operand) return nullptr;
            fp_ref node = make_node(fp_node::kind::unary, op.text, op.offset);
            node->children.push_back(std::move(operand));
            return checked_depth(std::move(node));
        }
        return postfix();
    }

    fp_ref postfix() {
        fp_ref target = term();
        while (target) {
            if (take_symbol(".")) {
                token const name = take();
                if (name.what != token::kind::word)
                    return fail(name, "expected a name after '.', found " + describe(name));
                if (take_symbol("(")) {
                    fp_ref call = make_node(fp_node::kind::call, name.text, name.offset);
                    call->children.push_back(std::move(target));
                    if (!arguments(*call)) return nullptr;
                    target = checked_depth(std::move(call));
                } else {
                    fp_ref member = make_node(fp_node::kind::member, name.text, name.offset);
                    member->children.push_back(std::move(target));
                    target = checked_depth(std::move(member));
                }
            } else if (peek().what == token::kind::symbol && peek().text == "[") {
                token const open = take();
                fp_ref index = expression(1);
                if (!index) return nullptr;
                if (!take_symbol("]")) return fail(peek(), "expected ']', found " + describe(peek()));
                fp_ref node = make_node(fp_node::kind::index, "[]", open.offset);
                node->children.push_back(std::move(target));
                node->children.push_back(std::move(index));
                target = checked_depth(std::move(node));
            } else {
                break;
            }
        }
        return target;
    }

    bool arguments(fp_node& call) {
        if (take_symbol(")")) return true;
        do {
            fp_ref argument = expression(1);
            if (!argument) return false;
            call.children.push_back(std::move(argument));
        } while (take_symbol(","));
        if (!take_symbol(")")) return lex_error(peek().offset, "expected ')' or ',', found " + describe(peek()));
        return true;
    }

    fp_ref term() {
        token const t = take();
        switch (t.what) {
            case token::kind::end: return fail(t, "the expression ends too early");
            case token::kind::string: return make_node(fp_node::kind::string, t.text, t.offset);
            case token::kind::number:
                if (peek().what == token::kind::string)
                    return fail(peek(), "quantities (a number with a unit) are not recognised");
                return make_node(fp_node::kind::number, t.text, t.offset);
            case token::kind::constant: return make_node(fp_node::kind::constant, t.text, t.offset);
            case token::kind::word:
                if (t.text == "true" || t.text == "false") return make_node(fp_node::kind::boolean, t.text, t.offset);
                if (take_symbol("(")) {
                    fp_ref call = make_node(fp_node::kind::call, t.text, t.offset);
                    call->children.push_back(nullptr);
                    if (!arguments(*call)) return nullptr;
                    return checked_depth(std::move(call));
                }
                return make_node(fp_node::kind::identifier, t.text, t.offset);
            case token::kind::symbol:
                if (t.text == "(") {
                    fp_ref inner = expression(1);
                    if (!inner) return nullptr;
                    if (!take_symbol(")")) return fail(peek(), "expected ')', found " + describe(peek()));
                    return inner;
                }
                if (t.text == "{") {
                    if (!take_symbol("}"))
                        return fail(peek(), "expected '}' (only the empty collection {} is written with braces)");
                    return make_node(fp_node::kind::empty, "{}", t.offset);
                }
                return fail(t, "unexpected " + describe(t));
        }
        return fail(t, "unexpected " + describe(t));
    }

    std::string_view text_;
    std::vector<token> tokens_;
    std::size_t at_ = 0;
    int depth_ = 0;
};

/// The node as FHIRPath text, every compound operand in parentheses: for messages.
std::string to_text(const fp_node& n) {
    auto operand = [](const fp_node& c) {
        bool const compound = c.what == fp_node::kind::binary || c.what == fp_node::kind::unary;
        return compound ? "(" + to_text(c) + ")" : to_text(c);
    };
    switch (n.what) {
        case fp_node::kind::string: {
            std::string out = "'";
            for (char c : n.text) out += c == '\'' ? std::string("\\'") : std::string(1, c);
            return out + "'";
        }
        case fp_node::kind::number:
        case fp_node::kind::boolean:
        case fp_node::kind::empty:
        case fp_node::kind::identifier: return n.text;
        case fp_node::kind::constant: return "%" + n.text;
        case fp_node::kind::member: return operand(*n.children[0]) + "." + n.text;
        case fp_node::kind::call: {
            std::string out = n.children[0] ? operand(*n.children[0]) + "." + n.text + "(" : n.text + "(";
            for (std::size_t k = 1; k < n.children.size(); ++k) out += (k > 1 ? ", " : "") + to_text(*n.children[k]);
            return out + ")";
        }
        case fp_node::kind::binary: return operand(*n.children[0]) + " " + n.text + " " + operand(*n.children[1]);
        case fp_node::kind::unary: return n.text + operand(*n.children[0]);
        case fp_node::kind::index: return operand(*n.children[0]) + "[" + to_text(*n.children[1]) + "]";
    }
    return n.text;
}

/// Whether two nodes are the same expression (parentheses aside).
bool same(const fp_node* a, const fp_node* b) {
    if (a == nullptr || b == nullptr) return a == b;
    if (a->what != b->what || a->text != b->text || a->children.size() != b->children.size()) return false;
    for (std::size_t k = 0; k < a->children.size(); ++k) {
        if (!same(a->children[k].get(), b->children[k].get())) return false;
    }
    return true;
}

/// `target.function()` with no arguments: its target, otherwise nullptr.
const fp_node* target_of_call(const fp_node& n, std::string_view function) {
    if (n.what != fp_node::kind::call || n.text != function || n.children.size() != 1) return nullptr;
    return n.children[0].get();
}

bool is_call(const fp_node& n, std::string_view function, std::size_t arguments) {
    return n.what == fp_node::kind::call && n.text == function && n.children[0] == nullptr &&
           n.children.size() == arguments + 1;
}

// ---- translation -------------------------------------------------------------------------

/// A translated part of an expression: a value, or a step along a path into the
/// QuestionnaireResponse that only some steps may follow.
struct part {
    enum class shape {
        value,      ///< a `.sq` value: expr, type
        resource,   ///< %resource
        item_list,  ///< %resource.item, or G.item for a group G (`chain` holds the way)
        all_items,  ///< %resource.repeat(item)
        item,       ///< one response item: `source`
        answer,     ///< its answers
        coding,     ///< the Coding answers of a choice or multi question
        codes,      ///< the codes of a multi question's answers, a collection
        numbers,    ///< a collection of numbers, each at most one value (`elements`)
        strings,    ///< string literals (`literals`): one, or joined with `|`
        empty,      ///< {}
    };
    shape form = shape::value;
    sq_ref expr;
    sq_type type = sq_type::boolean;
    const std::vector<fhir_option>* options = nullptr;
    /// item, answer, coding, codes: the question, let or outcome; value: as
    /// fhir_value::known_when_answered.
    const fhir_value* source = nullptr;
    bool never_unknown = false;
    std::vector<sq_ref> elements;
    std::vector<std::string> literals;
    std::vector<std::string> chain;
};

part value_part(sq_ref expr, sq_type type, const fhir_value* known = nullptr, bool never_unknown = false) {
    part p;
    p.expr = std::move(expr);
    p.type = type;
    p.source = known;
    p.never_unknown = never_unknown;
    return p;
}

const char* type_name(sq_type t) {
    switch (t) {
        case sq_type::boolean: return "true/false";
        case sq_type::number: return "a number";
        case sq_type::text: return "text";
        case sq_type::choice: return "a choice";
        case sq_type::multi: return "a multi";
    }
    return "a value";
}

std::string quoted_name(std::string_view name) { return "'" + std::string(name) + "'"; }

class translator {
public:
    translator(std::string_view text, fhirpath_names& names) : text_(text), names_(names) {}

    std::string error;

    std::optional<part> translate(const fp_node& n) {
        switch (n.what) {
            case fp_node::kind::string: {
                part p;
                p.form = part::shape::strings;
                p.literals = {n.text};
                return p;
            }
            case fp_node::kind::number: {
                if (sq_number(to_double(n.text)).empty()) {
                    return fail(n, "the number is larger than 1000000000000000, the most a questionnaire may hold");
                }
                return value_part(sq_number_literal(n.text), sq_type::number, nullptr, true);
            }
            case fp_node::kind::boolean:
                return value_part(sq_boolean(n.text == "true"), sq_type::boolean, nullptr, true);
            case fp_node::kind::empty: {
                part p;
                p.form = part::shape::empty;
                return p;
            }
            case fp_node::kind::constant: return constant(n);
            case fp_node::kind::identifier:
                return fail(n, "a path must start at %resource (paths relative to the item are not recognised)");
            case fp_node::kind::member: return member(n);
            case fp_node::kind::call: return call(n);
            case fp_node::kind::binary: return binary(n);
            case fp_node::kind::unary: {
                auto operand = single(*n.children[0]);
                if (!operand) return std::nullopt;
                if (operand->type != sq_type::number) return fail(n, "unary '" + n.text + "' needs a number");
                if (n.text == "+") return operand;
                return value_part(sq_negate(operand->expr), sq_type::number, operand->source, operand->never_unknown);
            }
            case fp_node::kind::index: return fail(n, "indexes ([...]) are not recognised");
        }
        return fail(n, "not recognised");
    }

    /// A part that must be one value (a string literal is text).
    std::optional<part> single(const fp_node& n) {
        auto p = translate(n);
        if (!p) return std::nullopt;
        return as_value(*p, n);
    }

private:
    std::optional<part> fail(const fp_node& at, const std::string& message) {
        if (error.empty()) {
            std::string snippet = to_text(at);
            if (code_point_count(snippet) > 60) {
                std::size_t cut = 57;
                while (cut > 0 && (static_cast<unsigned char>(snippet[cut]) & 0xC0) == 0x80) --cut;
                snippet = snippet.substr(0, cut) + "...";
            }
            error = "at character " + std::to_string(code_point_count(text_.substr(0, at.offset)) + 1) + " (" +
                    snippet + "): " + message;
        }
        return std::nullopt;
    }

    std::optional<part> as_value(const part& p, const fp_node& at) {
        switch (p.form) {
            case part::shape::value: return p;
            case part::shape::strings:
                if (p.literals.size() == 1) return value_part(sq_string(p.literals[0]), sq_type::text, nullptr, true);
                return fail(at, "'|' joins collections; it is recognised only on the right of 'in'");
            case part::shape::empty:
                return fail(at, "the empty collection {} is recognised only in the iif() forms of docs/fhir.md");
            case part::shape::coding:
                return fail(at, "this is the answer's Coding; use its .code, or .ordinal() for its score");
            case part::shape::codes: {
                part v = value_part(sq_name(p.source->name), sq_type::multi, p.source);
                v.options = p.source->options;
                return v;
            }
            case part::shape::numbers: return fail(at, "a collection of several values is recognised only with .sum()");
            case part::shape::answer: return fail(at, "add .value to take the answer's value");
            case part::shape::item: return fail(at, "add .answer.value to take the item's answer");
            default: return fail(at, "this path selects items, not a value");
        }
    }

    std::optional<part> constant(const fp_node& n) {
        if (n.text == "resource") {
            part p;
            p.form = part::shape::resource;
            return p;
        }
        static const std::vector<std::string_view> reserved = {"rootResource",  "context", "questionnaire", "qitem",
                                                               "ucum",          "sct",     "loinc",         "factory",
                                                               "terminologies", "server"};
        if (std::find(reserved.begin(), reserved.end(), n.text) != reserved.end()) {
            return fail(n, "%" + n.text + " is not recognised; paths start at %resource");
        }
        std::string why;
        const fhir_value* v = names_.variable(n.text, why);
        if (v == nullptr) return fail(n, why);
        part p = value_part(sq_name(v->name), v->type, v->known_when_answered);
        p.options = v->options;
        return p;
    }

    /// The item with `link_id`, checked against the way the path took to it (`chain`, or
    /// any depth when `anywhere`).
    std::optional<part> item_step(const fp_node& at, const std::string& link_id, const std::vector<std::string>& chain,
                                  bool anywhere) {
        std::string why;
        const fhir_value* v = names_.item(link_id, why);
        if (v == nullptr) return fail(at, why);
        if (!anywhere) {
            bool const follows =
                v->link_ids.size() == chain.size() + 1 && std::equal(chain.begin(), chain.end(), v->link_ids.begin());
            if (!follows) {
                return fail(at, "the item '" + link_id +
                                    "' is not there: follow its groups with .item.where(linkId=...), or write "
                                    "%resource.repeat(item).where(linkId='" +
                                    link_id + "')");
            }
        }
        part p;
        p.form = part::shape::item;
        p.source = v;
        return p;
    }

    std::optional<part> member(const fp_node& n) {
        auto target = translate(*n.children[0]);
        if (!target) return std::nullopt;
        const fhir_value* s = target->source;
        bool const group = target->form == part::shape::item && s->what == fhir_value::role::group;
        if (n.text == "item" && (target->form == part::shape::resource || group)) {
            part p;
            p.form = part::shape::item_list;
            if (group) p.chain = s->link_ids;
            return p;
        }
        if (group) return fail(n, quoted_name(s->link_ids.back()) + " is a group, which has no answer");
        if (target->form == part::shape::item && n.text == "item") {
            return fail(n, "the items under a question are under its answers, which is not recognised");
        }
        if (target->form == part::shape::item && n.text == "answer") {
            part p = *target;
            p.form = part::shape::answer;
            return p;
        }
        if (target->form == part::shape::answer && n.text == "value") {
            if (s->what == fhir_value::role::question && (s->type == sq_type::choice || s->type == sq_type::multi)) {
                part p = *target;
                p.form = part::shape::coding;
                return p;
            }
            part p = value_part(sq_name(s->name), s->type,
                                s->what == fhir_value::role::question ? s : s->known_when_answered);
            p.options = s->options;
            return p;
        }
        if (target->form == part::shape::coding && n.text == "code") {
            if (s->type == sq_type::multi) {
                part p = *target;
                p.form = part::shape::codes;
                return p;
            }
            part p = value_part(sq_name(s->name), sq_type::choice, s);
            p.options = s->options;
            return p;
        }
        return fail(n, "the element '" + n.text + "' is not recognised here");
    }

    /// `where(linkId = 'X')`'s X, if that is the argument.
    static const fp_node* link_id_argument(const fp_node& n) {
        if (n.children.size() != 2) return nullptr;
        const fp_node& a = *n.children[1];
        if (a.what != fp_node::kind::binary || a.text != "=") return nullptr;
        const fp_node* left = a.children[0].get();
        const fp_node* right = a.children[1].get();
        if (left->what == fp_node::kind::string) std::swap(left, right);
        if (left->what != fp_node::kind::identifier || left->text != "linkId" || right->what != fp_node::kind::string) {
            return nullptr;
        }
        return right;
    }

    std::optional<part> call(const fp_node& n) {
        if (n.children[0] == nullptr) {
            if (n.text == "iif") return iif(n);
            return fail(n, "the function " + n.text + "() is not recognised");
        }
        if (n.text == "iif") return fail(n, "iif() is recognised only as a function of its own, not after '.'");
        auto target = translate(*n.children[0]);
        if (!target) return std::nullopt;
        std::size_t const arguments = n.children.size() - 1;
        bool const no_arguments = arguments == 0;

        if (n.text == "repeat" && target->form == part::shape::resource && arguments == 1 &&
            n.children[1]->what == fp_node::kind::identifier && n.children[1]->text == "item") {
            part p;
            p.form = part::shape::all_items;
            return p;
        }
        if (n.text == "where" && (target->form == part::shape::item_list || target->form == part::shape::all_items)) {
            const fp_node* link_id = link_id_argument(n);
            if (link_id == nullptr) return fail(n, "where() is recognised only as where(linkId = '...')");
            return item_step(n, link_id->text, target->chain, target->form == part::shape::all_items);
        }
        if ((n.text == "exists" || n.text == "empty") && no_arguments) return presence(n, *target, n.text == "exists");
        if (n.text == "not" && no_arguments) {
            auto v = as_value(*target, *n.children[0]);
            if (!v) return std::nullopt;
            if (v->type != sq_type::boolean)
                return fail(n, "not() needs true/false, not " + std::string(type_name(v->type)));
            return value_part(sq_not(v->expr), sq_type::boolean, nullptr, v->never_unknown);
        }
        if (n.text == "count" && no_arguments) {
            auto multi = multi_value(*n.children[0]);
            if (!multi) return fail(n, "count() is recognised only on the answers of a multi question");
            // FHIRPath counts no answers as 0, where Stepcare's count() is unknown.
            return value_part(sq_binary("??", sq_call("count", {multi->expr}), sq_number_literal("0")), sq_type::number,
                              nullptr, true);
        }
        if ((n.text == "ordinal" || n.text == "weight") && no_arguments) {
            if (target->form != part::shape::coding || target->source->type != sq_type::choice) {
                return fail(n, n.text + "() is recognised only on the answer of a choice question (.answer.value)");
            }
            const fhir_value* q = target->source;
            for (const fhir_option& o : *q->options) {
                if (!o.score) {
                    return fail(n, "the option '" + o.code + "' of '" + q->name +
                                       "' has no ordinalValue, so its score is unknown");
                }
            }
            return value_part(sq_call("score", {sq_name(q->name)}), sq_type::number, q);
        }
        if (n.text == "combine" && arguments == 1) {
            auto left = numbers(*target, *n.children[0]);
            auto right = left ? translate(*n.children[1]) : std::nullopt;
            auto more = right ? numbers(*right, *n.children[1]) : std::nullopt;
            if (!more) return std::nullopt;
            left->elements.insert(left->elements.end(), more->elements.begin(), more->elements.end());
            return left;
        }
        if (n.text == "sum" && no_arguments) {
            auto collection = numbers(*target, *n.children[0]);
            if (!collection) return std::nullopt;
            // FHIRPath sums what is there (0 for nothing): each unknown counts as 0.
            sq_ref total;
            for (const sq_ref& e : collection->elements) {
                sq_ref const term = sq_binary("??", e, sq_number_literal("0"));
                total = total ? sq_binary("+", total, term) : term;
            }
            return value_part(total, sq_type::number, nullptr, true);
        }
        return fail(n, "the function " + n.text + "() is not recognised here");
    }

    /// A number, or numbers joined with combine(), as a collection of single values.
    std::optional<part> numbers(const part& p, const fp_node& at) {
        if (p.form == part::shape::numbers) return p;
        auto v = as_value(p, at);
        if (!v) return std::nullopt;
        if (v->type != sq_type::number)
            return fail(at, "sum() and combine() need numbers, not " + std::string(type_name(v->type)));
        part collection;
        collection.form = part::shape::numbers;
        collection.elements = {v->expr};
        return collection;
    }

    /// exists() (or empty(), `exists` false) of a part.
    std::optional<part> presence(const fp_node& n, const part& p, bool exists) {
        auto answered = [](const fhir_value* q) { return sq_call("answered", {sq_name(q->name)}); };
        const fhir_value* q = p.source;
        bool const question = q != nullptr && q->what == fhir_value::role::question;
        if (p.form == part::shape::item && question) {
            return value_part(exists ? answered(q) : sq_not(answered(q)), sq_type::boolean, nullptr, true);
        }
        bool const answers =
            p.form == part::shape::answer || p.form == part::shape::coding || p.form == part::shape::codes;
        if (answers && question && q->type == sq_type::multi) {
            // An answered multi with no option chosen has no answer in FHIR.
            sq_ref const chosen = sq_binary(">", sq_call("count", {sq_name(q->name)}), sq_number_literal("0"));
            sq_ref const none = sq_binary("==", sq_call("count", {sq_name(q->name)}), sq_number_literal("0"));
            return value_part(
                exists ? sq_binary("and", answered(q), chosen) : sq_binary("or", sq_not(answered(q)), none),
                sq_type::boolean, nullptr, true);
        }
        if (answers && question) {
            return value_part(exists ? answered(q) : sq_not(answered(q)), sq_type::boolean, nullptr, true);
        }
        if (p.form == part::shape::value && p.never_unknown) {
            return value_part(sq_boolean(exists), sq_type::boolean, nullptr, true);
        }
        if (p.form == part::shape::value && p.type == sq_type::multi) {
            // A multi value with no option chosen is empty in FHIRPath, as an unknown one is.
            sq_ref const count = sq_call("count", {p.expr});
            sq_ref const test =
                exists ? sq_binary(">", count, sq_number_literal("0")) : sq_binary("==", count, sq_number_literal("0"));
            return value_part(sq_binary("??", test, sq_boolean(!exists)), sq_type::boolean, nullptr, true);
        }
        if (p.form == part::shape::value && p.source != nullptr && p.source->type != sq_type::multi) {
            return value_part(exists ? answered(p.source) : sq_not(answered(p.source)), sq_type::boolean, nullptr,
                              true);
        }
        return fail(n, n.text +
                           "() is recognised on a question's answer, and on a value that is known exactly when one "
                           "question is answered");
    }

    std::optional<part> binary(const fp_node& n) {
        const std::string& op = n.text;
        if (op == "|") {
            auto left = translate(*n.children[0]);
            auto right = left ? translate(*n.children[1]) : std::nullopt;
            if (!right) return std::nullopt;
            if (left->form != part::shape::strings || right->form != part::shape::strings) {
                return fail(n,
                            "'|' is a union, which drops repeated values (a sum over it is not a plain sum); it is "
                            "recognised only between strings on the right of 'in'");
            }
            left->literals.insert(left->literals.end(), right->literals.begin(), right->literals.end());
            return left;
        }
        if (op == "in" || op == "contains") return membership(n);
        bool const logical = op == "and" || op == "or" || op == "implies";
        bool const arithmetic = op == "+" || op == "-" || op == "*" || op == "/";
        bool const ordering = op == "<" || op == "<=" || op == ">" || op == ">=";
        if (op == "=" || op == "!=") return equality(n);
        // Stepcare writes unary minus as `0 - x`, which fhirpath.js reads.
        if (op == "-" && n.children[0]->what == fp_node::kind::number && n.children[0]->text == "0") {
            auto operand = single(*n.children[1]);
            if (!operand) return std::nullopt;
            if (operand->type != sq_type::number) return fail(n, "'-' needs a number");
            return value_part(sq_negate(operand->expr), sq_type::number, operand->source, operand->never_unknown);
        }
        if (!logical && !arithmetic && !ordering) return fail(n, "the operator '" + op + "' is not recognised");
        auto left = single(*n.children[0]);
        auto right = left ? single(*n.children[1]) : std::nullopt;
        if (!right) return std::nullopt;
        sq_type const needed = logical ? sq_type::boolean : sq_type::number;
        for (const part* side : {&*left, &*right}) {
            if (side->type != needed) {
                std::string const more =
                    op == "+" && side->type == sq_type::text ? " (joining text is not recognised)" : "";
                return fail(n, "'" + op + "' needs " + type_name(needed) + " on both sides, not " +
                                   type_name(side->type) + more);
            }
        }
        std::string const sq_op = op == "=" ? "==" : op;
        bool const known = left->never_unknown && right->never_unknown && op != "/";
        return value_part(sq_binary(sq_op, left->expr, right->expr),
                          logical || ordering ? sq_type::boolean : sq_type::number, nullptr, known);
    }

    /// The option id of `code` in a choice's options.
    std::optional<std::string> option_id(const fp_node& at, const part& choice, const std::string& code) {
        for (const fhir_option& o : *choice.options) {
            if (o.code == code) return o.id;
        }
        fail(at, "'" + code + "' is not one of the codes of the options of " +
                     (choice.source != nullptr ? quoted_name(choice.source->name) : std::string("this choice")));
        return std::nullopt;
    }

    std::optional<part> equality(const fp_node& n) {
        auto left = translate(*n.children[0]);
        auto right = left ? translate(*n.children[1]) : std::nullopt;
        if (!right) return std::nullopt;
        if (left->form == part::shape::strings && right->form != part::shape::strings) std::swap(left, right);
        std::string const op = n.text == "=" ? "==" : "!=";
        if (right->form == part::shape::strings && right->literals.size() == 1 && left->form == part::shape::value &&
            left->type == sq_type::choice) {
            auto id = option_id(n, *left, right->literals[0]);
            if (!id) return std::nullopt;
            return value_part(sq_binary(op, left->expr, sq_name(*id)), sq_type::boolean);
        }
        auto l = as_value(*left, *n.children[0]);
        auto r = l ? as_value(*right, *n.children[1]) : std::nullopt;
        if (!r) return std::nullopt;
        if (l->type != r->type) {
            return fail(n, "'" + n.text + "' compares " + type_name(l->type) + " with " + type_name(r->type));
        }
        if (l->type == sq_type::choice && l->options != r->options) {
            return fail(n, "'" + n.text + "' compares choices of different options");
        }
        if (l->type == sq_type::multi) return fail(n, "'" + n.text + "' between multi answers is not recognised");
        // `Q = true` is Q itself, `Q = false` its negation: the same three values.
        if (l->type == sq_type::boolean &&
            (r->expr->what == sq_expr::kind::boolean || l->expr->what == sq_expr::kind::boolean)) {
            if (l->expr->what == sq_expr::kind::boolean) std::swap(l, r);
            bool const same_value = (r->expr->text == "true") == (op == "==");
            return value_part(same_value ? l->expr : sq_not(l->expr), sq_type::boolean, nullptr, l->never_unknown);
        }
        return value_part(sq_binary(op, l->expr, r->expr), sq_type::boolean, nullptr,
                          l->never_unknown && r->never_unknown);
    }

    /// `X in ('a' | 'b')`, `M.code contains 'a'`, `'a' in M.code`.
    std::optional<part> membership(const fp_node& n) {
        bool const in = n.text == "in";
        const fp_node& element_node = in ? *n.children[0] : *n.children[1];
        const fp_node& collection_node = in ? *n.children[1] : *n.children[0];
        auto element = translate(element_node);
        auto collection = element ? translate(collection_node) : std::nullopt;
        if (!collection) return std::nullopt;
        if (element->form == part::shape::value && element->type == sq_type::choice &&
            collection->form == part::shape::strings) {
            std::vector<std::string> ids;
            for (const std::string& code : collection->literals) {
                auto id = option_id(n, *element, code);
                if (!id) return std::nullopt;
                ids.push_back(*id);
            }
            if (ids.size() == 1) return value_part(sq_binary("==", element->expr, sq_name(ids[0])), sq_type::boolean);
            return value_part(sq_binary("in", element->expr, sq_set(ids)), sq_type::boolean);
        }
        if (element->form == part::shape::strings && element->literals.size() == 1 &&
            collection->form == part::shape::codes) {
            part multi = *collection;
            multi.options = collection->source->options;
            auto id = option_id(n, multi, element->literals[0]);
            if (!id) return std::nullopt;
            // In FHIRPath a question with no answers contains nothing: false, not unknown.
            sq_ref const name = sq_name(collection->source->name);
            return value_part(sq_binary("and", sq_call("answered", {name}), sq_binary("has", name, sq_name(*id))),
                              sq_type::boolean, nullptr, true);
        }
        if (element->form == part::shape::strings && element->literals.size() == 1 &&
            collection->form == part::shape::value && collection->type == sq_type::multi) {
            auto id = option_id(n, *collection, element->literals[0]);
            if (!id) return std::nullopt;
            // An unknown multi value is empty in FHIRPath, which contains nothing.
            return value_part(sq_binary("??", sq_binary("has", collection->expr, sq_name(*id)), sq_boolean(false)),
                              sq_type::boolean, nullptr, true);
        }
        return fail(n, "'" + n.text +
                           "' is recognised only as X in ('a' | 'b') for a choice, and with the codes of a multi "
                           "question's answers");
    }

    std::optional<part> iif(const fp_node& n) {
        std::size_t const arguments = n.children.size() - 1;
        if (arguments != 2 && arguments != 3) return fail(n, "iif() takes two or three arguments");
        const fp_node& condition = *n.children[1];
        const fp_node& then = *n.children[2];
        const fp_node* otherwise = arguments == 3 ? n.children[3].get() : nullptr;
        bool const otherwise_empty = otherwise == nullptr || otherwise->what == fp_node::kind::empty;

        if (auto text = text_question(n)) return text;
        if (!error.empty()) return std::nullopt;
        if (auto score = score_chain(n)) return score;
        if (!error.empty()) return std::nullopt;
        // min and max of a number literal and another value need no test for empty.
        if (auto e = extreme_of(n); e && e->left->what == fp_node::kind::number) return extreme(*e);

        // iif(X.empty() [or Y.empty()], {}, F): unknown when X (or Y) is, else F.
        std::vector<const fp_node*> const tested = empty_tests(condition);
        if (!tested.empty() && then.what == fp_node::kind::empty && !otherwise_empty) {
            auto is_tested = [&](const fp_node* x) {
                return std::any_of(tested.begin(), tested.end(), [&](const fp_node* t) { return same(t, x); });
            };
            // iif((C).empty(), {}, iif(C, A, B)): `if C then A else B`.
            if (tested.size() == 1 && is_call(*otherwise, "iif", 3) && same(tested[0], otherwise->children[1].get())) {
                auto test = single(*tested[0]);
                auto a = test ? single(*otherwise->children[2]) : std::nullopt;
                auto b = a ? single(*otherwise->children[3]) : std::nullopt;
                if (!b) return std::nullopt;
                if (!check_condition(*tested[0], *test) || !check_branches(n, *a, *b)) return std::nullopt;
                part p = value_part(sq_if(test->expr, a->expr, b->expr), a->type);
                p.options = a->options;
                return p;
            }
            // iif((A).empty() or (B).empty(), {}, iif((A <= B), A, B)): min(A, B); `>=`: max.
            auto e = extreme_of(*otherwise);
            bool const covered = e && std::all_of(tested.begin(), tested.end(), [&](const fp_node* t) {
                                     return same(t, e->left) || same(t, e->right);
                                 });
            if (covered && (is_tested(e->left) || e->left->what == fp_node::kind::number)) return extreme(*e);
        }

        // iif(E.exists(), E, D) and iif(E.empty(), D, E): `E ?? D`.
        const fp_node* fallback = nullptr;
        const fp_node* value = nullptr;
        if (const fp_node* e = target_of_call(condition, "exists");
            e != nullptr && same(e, &then) && !otherwise_empty) {
            value = e;
            fallback = otherwise;
        } else if (const fp_node* f = target_of_call(condition, "empty");
                   f != nullptr && !otherwise_empty && same(f, otherwise) && then.what != fp_node::kind::empty) {
            value = f;
            fallback = &then;
        }
        if (value != nullptr) {
            auto known = single(*value);
            auto d = known ? single(*fallback) : std::nullopt;
            if (!d) return std::nullopt;
            if (!check_branches(n, *known, *d)) return std::nullopt;
            part p = value_part(sq_binary("??", known->expr, d->expr), known->type, nullptr, d->never_unknown);
            p.options = known->options;
            return p;
        }

        // Stepcare's `M has o`, `count(M)` and `M == N`: unknown while a multi is.
        if (otherwise_empty) {
            if (auto guarded = guarded_multi(condition, then)) return guarded;
            if (!error.empty()) return std::nullopt;
        }

        if (otherwise_empty || then.what == fp_node::kind::empty) {
            return fail(n,
                        "iif() with an empty result is recognised only in the forms of docs/fhir.md "
                        "(Stepcare has no empty value to give)");
        }
        auto test = single(condition);
        auto a = test ? single(then) : std::nullopt;
        auto b = a ? single(*otherwise) : std::nullopt;
        if (!b) return std::nullopt;
        if (!check_condition(condition, *test) || !check_branches(n, *a, *b)) return std::nullopt;
        // iif() takes the otherwise branch when the condition is empty; `if` would be unknown.
        sq_ref const guarded = test->never_unknown ? test->expr : sq_binary("??", test->expr, sq_boolean(false));
        part p = value_part(sq_if(guarded, a->expr, b->expr), a->type, nullptr, a->never_unknown && b->never_unknown);
        p.options = a->options;
        return p;
    }

    /// The X of each `X.empty()` in `X.empty() or Y.empty() or ...`; none for anything else.
    static std::vector<const fp_node*> empty_tests(const fp_node& n) {
        if (const fp_node* x = target_of_call(n, "empty")) return {x};
        if (n.what != fp_node::kind::binary || n.text != "or") return {};
        std::vector<const fp_node*> left = empty_tests(*n.children[0]);
        std::vector<const fp_node*> right = empty_tests(*n.children[1]);
        if (left.empty() || right.empty()) return {};
        left.insert(left.end(), right.begin(), right.end());
        return left;
    }

    /// `iif((A <= B), A, B)`, min(A, B) (`>=`: max), as Stepcare writes them.
    struct extreme_form {
        std::string function;
        const fp_node* left;
        const fp_node* right;
    };
    static std::optional<extreme_form> extreme_of(const fp_node& n) {
        if (!is_call(n, "iif", 3)) return std::nullopt;
        const fp_node& test = *n.children[1];
        if (test.what != fp_node::kind::binary || (test.text != "<=" && test.text != ">=")) return std::nullopt;
        if (!same(test.children[0].get(), n.children[2].get()) || !same(test.children[1].get(), n.children[3].get())) {
            return std::nullopt;
        }
        return extreme_form{test.text == "<=" ? "min" : "max", n.children[2].get(), n.children[3].get()};
    }

    std::optional<part> extreme(const extreme_form& e) {
        auto left = single(*e.left);
        auto right = left ? single(*e.right) : std::nullopt;
        if (!right) return std::nullopt;
        if (left->type != sq_type::number || right->type != sq_type::number)
            return fail(*e.left, "min and max need numbers");
        std::vector<sq_ref> operands{left->expr};
        // min(min(a, b), c) as min(a, b, c)
        if (left->expr->what == sq_expr::kind::call && left->expr->text == e.function) operands = left->expr->operands;
        operands.push_back(right->expr);
        return value_part(sq_call(e.function, operands), sq_type::number, nullptr,
                          left->never_unknown && right->never_unknown);
    }

    /// A multi value, from the codes of a multi question's answers or a multi let.
    std::optional<part> multi_value(const fp_node& n) {
        auto p = translate(n);
        if (!p) return std::nullopt;
        bool const answers = p->form == part::shape::answer || p->form == part::shape::coding;
        if (answers && p->source->type == sq_type::multi) p->form = part::shape::codes;
        if (p->form == part::shape::codes || (p->form == part::shape::value && p->type == sq_type::multi)) {
            return as_value(*p, n);
        }
        return std::nullopt;
    }

    /// `iif((C).empty(), {}, iif(C, A, B))`, Stepcare's `if C then A else B`: C, A and B.
    static bool if_form(const fp_node& n, const fp_node*& c, const fp_node*& a, const fp_node*& b) {
        if (!is_call(n, "iif", 3) || n.children[2]->what != fp_node::kind::empty) return false;
        const fp_node* tested = target_of_call(*n.children[1], "empty");
        const fp_node& inner = *n.children[3];
        if (tested == nullptr || !is_call(inner, "iif", 3) || !same(tested, inner.children[1].get())) return false;
        c = tested;
        a = inner.children[2].get();
        b = inner.children[3].get();
        return true;
    }

    /// Whether `k` is KNOWN(X) for the multi value X, which tells a known set of no option
    /// from an unknown one as a FHIRPath collection cannot (docs/fhir.md): `ITEM(M).exists()`
    /// for a multi question M, KNOWN of its definition for a let, `iif((C).empty(), false,
    /// iif(C, KNOWN(A), KNOWN(B)))` for `if C then A else B`, `(KNOWN(A) or KNOWN(D))` for
    /// `A ?? D`, `(X).exists()` otherwise.
    bool is_known(const fp_node& k, const fp_node& x, int lets_followed = 0) {
        const fp_node* c = nullptr;
        const fp_node* a = nullptr;
        const fp_node* b = nullptr;
        if (if_form(x, c, a, b)) {
            return is_call(k, "iif", 3) && same(target_of_call(*k.children[1], "empty"), c) &&
                   k.children[2]->what == fp_node::kind::boolean && k.children[2]->text == "false" &&
                   is_call(*k.children[3], "iif", 3) && same(k.children[3]->children[1].get(), c) &&
                   is_known(*k.children[3]->children[2], *a, lets_followed) &&
                   is_known(*k.children[3]->children[3], *b, lets_followed);
        }
        const fp_node* value = is_call(x, "iif", 3) ? target_of_call(*x.children[1], "exists") : nullptr;
        if (value != nullptr && same(value, x.children[2].get())) {  // `A ?? D`
            return k.what == fp_node::kind::binary && k.text == "or" &&
                   is_known(*k.children[0], *value, lets_followed) &&
                   is_known(*k.children[1], *x.children[3], lets_followed);
        }
        if (x.what == fp_node::kind::constant && lets_followed < max_expression_nesting) {
            std::string why;
            const fhir_value* let = names_.variable(x.text, why);
            if (let != nullptr && !let->fhirpath.empty()) {
                fp_parser parser(let->fhirpath);
                fp_ref definition = parser.parse();
                if (definition && is_known(k, *definition, lets_followed + 1)) return true;
            }
        }
        const fp_node* subject = target_of_call(k, "exists");
        if (subject == nullptr) return false;
        if (same(subject, &x)) return true;
        // ITEM(M).exists() for M's answers, ITEM(M).answer(.value.code)
        const fp_node* path = &x;
        for (std::string_view step : {"code", "value", "answer"}) {
            if (path->what == fp_node::kind::member && path->text == step) path = path->children[0].get();
            if (same(subject, path)) return true;
        }
        return false;
    }

    /// iif(KNOWN(M), BODY, {}) as Stepcare writes `M has o` (BODY `M contains 'o'`) and
    /// `count(M)` (BODY `(M).count()`); iif(KNOWN(M) and KNOWN(N), SAME, {}) as `M == N`,
    /// SAME being `((M).subsetOf(N) and (N).subsetOf(M))`, and `M != N` with `.not()`.
    std::optional<part> guarded_multi(const fp_node& condition, const fp_node& body) {
        const fp_node* same_sets = target_of_call(body, "not") != nullptr ? target_of_call(body, "not") : &body;
        bool const subsets = same_sets->what == fp_node::kind::binary && same_sets->text == "and" &&
                             same_sets->children[0]->what == fp_node::kind::call &&
                             same_sets->children[0]->text == "subsetOf" && same_sets->children[0]->children.size() == 2;
        if (subsets && condition.what == fp_node::kind::binary && condition.text == "and") {
            const fp_node& first = *same_sets->children[0];
            const fp_node& second = *same_sets->children[1];
            bool const shape = second.what == fp_node::kind::call && second.text == "subsetOf" &&
                               second.children.size() == 2 && same(first.children[0].get(), second.children[1].get()) &&
                               same(first.children[1].get(), second.children[0].get()) &&
                               is_known(*condition.children[0], *first.children[0]) &&
                               is_known(*condition.children[1], *first.children[1]);
            if (!shape) return std::nullopt;
            auto a = multi_value(*first.children[0]);
            auto b = a ? multi_value(*first.children[1]) : std::nullopt;
            if (!b) return std::nullopt;
            bool const negated = same_sets != &body;
            return value_part(sq_binary(negated ? "!=" : "==", a->expr, b->expr), sq_type::boolean);
        }
        if (body.what == fp_node::kind::binary && body.text == "contains" &&
            body.children[1]->what == fp_node::kind::string && is_known(condition, *body.children[0])) {
            auto chosen = multi_value(*body.children[0]);
            if (!chosen) return std::nullopt;
            auto id = option_id(body, *chosen, body.children[1]->text);
            if (!id) return std::nullopt;
            return value_part(sq_binary("has", chosen->expr, sq_name(*id)), sq_type::boolean);
        }
        const fp_node* counted = target_of_call(body, "count");
        if (counted != nullptr && is_known(condition, *counted)) {
            auto chosen = multi_value(*counted);
            if (!chosen) return std::nullopt;
            return value_part(sq_call("count", {chosen->expr}), sq_type::number);
        }
        return std::nullopt;
    }

    /// `iif(ITEM(T).answer.exists(), ITEM(T).answer.value, iif(ITEM(T).exists(), '', {}))`,
    /// Stepcare's text question T: an item without an answer is the empty text.
    std::optional<part> text_question(const fp_node& n) {
        if (!is_call(n, "iif", 3)) return std::nullopt;
        const fp_node* answers = target_of_call(*n.children[1], "exists");
        const fp_node& value = *n.children[2];
        const fp_node& otherwise = *n.children[3];
        bool const shape = answers != nullptr && answers->what == fp_node::kind::member && answers->text == "answer" &&
                           value.what == fp_node::kind::member && value.text == "value" &&
                           same(value.children[0].get(), answers) && is_call(otherwise, "iif", 3) &&
                           same(target_of_call(*otherwise.children[1], "exists"), answers->children[0].get()) &&
                           otherwise.children[2]->what == fp_node::kind::string &&
                           otherwise.children[2]->text.empty() && otherwise.children[3]->what == fp_node::kind::empty;
        if (!shape) return std::nullopt;
        auto item = translate(*answers->children[0]);
        if (!item || item->form != part::shape::item || item->source->type != sq_type::text) return std::nullopt;
        return value_part(sq_name(item->source->name), sq_type::text, item->source);
    }

    /// iif((X = 'a'), 0, iif((X = 'b'), 1, ... {})) over every option of the choice X with
    /// its score: Stepcare's `score(X)`. Nothing (and no error) when `n` is not such a chain.
    std::optional<part> score_chain(const fp_node& n) {
        std::vector<std::pair<std::string, const fp_node*>> scores;
        const fp_node* subject = nullptr;
        const fp_node* at = &n;
        while (at->what == fp_node::kind::call && at->children[0] == nullptr && at->text == "iif" &&
               (at->children.size() == 3 || at->children.size() == 4)) {
            const fp_node& test = *at->children[1];
            if (test.what != fp_node::kind::binary || test.text != "=" ||
                test.children[1]->what != fp_node::kind::string) {
                return std::nullopt;
            }
            if (subject == nullptr) subject = test.children[0].get();
            if (!same(subject, test.children[0].get())) return std::nullopt;
            scores.emplace_back(test.children[1]->text, at->children[2].get());
            if (at->children.size() == 3) {
                at = nullptr;
                break;
            }
            at = at->children[3].get();
        }
        if (at != nullptr && at->what != fp_node::kind::empty) return std::nullopt;
        auto choice = single(*subject);
        if (!choice) return std::nullopt;
        std::string const not_scores =
            "an iif() chain over the codes of a choice is recognised only when it gives every option its score, "
            "as score() does";
        if (choice->type != sq_type::choice || scores.size() != choice->options->size()) return fail(n, not_scores);
        for (const fhir_option& o : *choice->options) {
            auto const found =
                std::find_if(scores.begin(), scores.end(), [&](const auto& s) { return s.first == o.code; });
            if (found == scores.end() || !o.score ||
                number_value(*found->second) != std::optional<double>(to_double(*o.score))) {
                return fail(n, not_scores);
            }
        }
        return value_part(sq_call("score", {choice->expr}), sq_type::number, choice->source);
    }

    /// A number literal, with its sign.
    static std::optional<double> number_value(const fp_node& n) {
        if (n.what == fp_node::kind::number) return to_double(n.text);
        if (n.what == fp_node::kind::unary && n.children[0]->what == fp_node::kind::number) {
            double const magnitude = to_double(n.children[0]->text);
            return n.text == "-" ? -magnitude : magnitude;
        }
        return std::nullopt;
    }

    bool check_condition(const fp_node& at, const part& condition) {
        if (condition.type == sq_type::boolean) return true;
        fail(at, "the condition must be true/false, not " + std::string(type_name(condition.type)));
        return false;
    }

    bool check_branches(const fp_node& at, const part& a, const part& b) {
        if (a.type == b.type && (a.type != sq_type::choice || a.options == b.options)) return true;
        fail(at, std::string("both results must be of one type; they are ") + type_name(a.type) + " and " +
                     type_name(b.type));
        return false;
    }

    std::string_view text_;
    fhirpath_names& names_;
};

}  // namespace

fhirpath_translation translate_fhirpath(std::string_view expression, fhirpath_names& names, fhirpath_use use) {
    fhirpath_translation out;
    fp_parser parser(expression);
    fp_ref root = parser.parse();
    if (!root) {
        out.error = "at character " + std::to_string(code_point_count(expression.substr(0, parser.error_offset)) + 1) +
                    ": " + parser.error;
        return out;
    }
    translator t(expression, names);
    const fp_node* subject = root.get();
    bool not_false = false;
    if (use == fhirpath_use::constraint && root->what == fp_node::kind::binary && root->text == "or") {
        const fp_node* e = target_of_call(*root->children[0], "empty");
        if (e != nullptr && same(e, root->children[1].get())) {
            subject = e;
            not_false = true;
        }
    }
    auto result = t.single(*subject);
    if (!result) {
        out.error = t.error;
        return out;
    }
    out.expr = result->expr;
    out.type = result->type;
    out.options = result->options;
    out.known_when_answered = result->source;
    if (use == fhirpath_use::constraint && !not_false && !result->never_unknown && result->type == sq_type::boolean) {
        // A constraint holds only when true; a `require` lets an unknown value pass.
        out.expr = sq_binary("??", result->expr, sq_boolean(false));
    }
    return out;
}

std::optional<std::string> lone_variable(std::string_view expression) {
    fp_parser parser(expression);
    fp_ref root = parser.parse();
    if (!root || root->what != fp_node::kind::constant || root->text == "resource") return std::nullopt;
    return root->text;
}

}  // namespace stepcare::fhir
