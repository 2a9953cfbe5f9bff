#include "fhir/sq_writing.hpp"

#include <charconv>
#include <cstdio>

#include "ast/ast.hpp"
#include "foundation/limits.hpp"

namespace stepcare::fhir {

namespace {

bool is_name_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

/// Room left after a cut name for a `_N` that makes it unique.
constexpr std::size_t cut_name_length = max_name_length - 8;

}  // namespace

bool is_sq_name(std::string_view word) {
    if (word.empty() || word.size() > max_name_length || !is_name_start(word[0])) return false;
    for (char c : word) {
        if (!is_name_char(c)) return false;
    }
    return !ast::is_reserved(word);
}

std::string sq_name_from(std::string_view text, std::string_view prefix) {
    std::string name;
    for (char c : text) {
        if (is_name_char(c)) {
            name += c;
        } else if (!name.empty() && name.back() != '_') {
            name += '_';  // one `_` for a run, whatever its bytes
        }
    }
    while (!name.empty() && name.back() == '_') name.pop_back();
    std::size_t leading = 0;
    while (leading < name.size() && name[leading] == '_') ++leading;
    name.erase(0, leading);
    if (name.empty()) return std::string(prefix);
    if (!is_name_start(name[0])) name = std::string(prefix) + '_' + name;
    if (name.size() > cut_name_length) name.resize(cut_name_length);
    if (ast::is_reserved(name)) name += '_';
    return name;
}

std::string name_table::claim(const std::string& wanted) {
    std::string name = wanted;
    for (int n = 2; !names_.insert(name).second; ++n) name = wanted + '_' + std::to_string(n);
    return name;
}

std::string sq_string_literal(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                    char buffer[16];
                    std::snprintf(buffer, sizeof buffer, "\\u{%X}",
                                  static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buffer;
                } else {
                    out += c;
                }
        }
    }
    return out + '"';
}

std::string sq_text_literal(std::string_view text) {
    // The engine shows a text without braces as written, and formats one with braces with
    // ICU, which reads `'` before `{`, `}` or `'` as the start of quoted text (or one
    // apostrophe), and braces as arguments: there, braces go inside quotes, and an
    // apostrophe is doubled where it would otherwise be read as one of those.
    if (text.find_first_of("{}") == std::string_view::npos) return sq_string_literal(text);
    std::string pattern;
    bool quoting = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char const c = text[i];
        bool const brace = c == '{' || c == '}';
        if (quoting) {
            if (brace) {
                pattern += c;
                continue;
            }
            if (c == '\'') {
                pattern += "''";
                continue;
            }
            pattern += '\'';
            quoting = false;
        }
        if (brace) {
            pattern += '\'';
            pattern += c;
            quoting = true;
        } else if (c == '\'') {
            char const next = i + 1 < text.size() ? text[i + 1] : '\0';
            pattern += next == '\'' || next == '{' || next == '}' ? "''" : "'";
        } else {
            pattern += c;
        }
    }
    if (quoting) pattern += '\'';
    return sq_string_literal(pattern);
}

std::string sq_number(double magnitude) {
    if (!(magnitude <= max_number_literal)) return {};
    char buffer[64];
    auto const result = std::to_chars(buffer, buffer + sizeof buffer, magnitude, std::chars_format::fixed);
    return std::string(buffer, result.ptr);
}

namespace {

sq_ref make(sq_expr::kind what, std::string text, std::vector<sq_ref> operands = {}) {
    return std::make_shared<const sq_expr>(sq_expr{what, std::move(text), std::move(operands)});
}

}  // namespace

sq_ref sq_name(std::string name) { return make(sq_expr::kind::name, std::move(name)); }
sq_ref sq_number_literal(std::string digits) { return make(sq_expr::kind::number, std::move(digits)); }
sq_ref sq_string(std::string value) { return make(sq_expr::kind::string, std::move(value)); }
sq_ref sq_boolean(bool value) { return make(sq_expr::kind::boolean, value ? "true" : "false"); }
sq_ref sq_call(std::string function, std::vector<sq_ref> arguments) {
    return make(sq_expr::kind::call, std::move(function), std::move(arguments));
}
sq_ref sq_not(sq_ref operand) { return make(sq_expr::kind::not_, "not", {std::move(operand)}); }
sq_ref sq_negate(sq_ref operand) { return make(sq_expr::kind::negate, "-", {std::move(operand)}); }
sq_ref sq_binary(std::string op, sq_ref left, sq_ref right) {
    return make(sq_expr::kind::binary, std::move(op), {std::move(left), std::move(right)});
}
sq_ref sq_if(sq_ref condition, sq_ref then, sq_ref otherwise) {
    return make(sq_expr::kind::conditional, "if", {std::move(condition), std::move(then), std::move(otherwise)});
}
sq_ref sq_set(const std::vector<std::string>& options) {
    std::vector<sq_ref> members;
    for (const std::string& o : options) members.push_back(sq_name(o));
    return make(sq_expr::kind::set, "", std::move(members));
}

sq_ref sq_all_of(const std::vector<sq_ref>& conditions) {
    sq_ref all;
    for (const sq_ref& c : conditions) all = all ? sq_binary("and", all, c) : c;
    return all;
}

namespace {

/// Binding strength, loosest first, as in the language's precedence table.
enum level : int {
    implies_level = 1,
    or_level,
    and_level,
    not_level,
    comparison_level,
    additive_level,
    multiplicative_level,
    negate_level,
    coalesce_level,
    atom_level
};

int level_of(const sq_expr& e) {
    switch (e.what) {
        case sq_expr::kind::not_: return not_level;
        case sq_expr::kind::negate: return negate_level;
        case sq_expr::kind::binary:
            if (e.text == "implies") return implies_level;
            if (e.text == "or") return or_level;
            if (e.text == "and") return and_level;
            if (e.text == "+" || e.text == "-") return additive_level;
            if (e.text == "*" || e.text == "/") return multiplicative_level;
            if (e.text == "??") return coalesce_level;
            return comparison_level;
        default: return atom_level;
    }
}

bool is_logical(const sq_expr& e) {
    return e.what == sq_expr::kind::binary && (e.text == "and" || e.text == "or" || e.text == "implies");
}

void print_to(std::string& out, const sq_expr& e, bool top);

/// An operand that binds at least as strongly as `least`, in parentheses otherwise; also
/// a conditional, and a different logical operator under a logical one.
void print_operand(std::string& out, const sq_expr& operand, int least, const sq_expr* parent = nullptr) {
    bool const mixed_logic =
        parent != nullptr && is_logical(*parent) && is_logical(operand) && operand.text != parent->text;
    bool const wrap = level_of(operand) < least || operand.what == sq_expr::kind::conditional || mixed_logic;
    if (wrap) out += '(';
    print_to(out, operand, true);
    if (wrap) out += ')';
}

void print_to(std::string& out, const sq_expr& e, bool top) {
    switch (e.what) {
        case sq_expr::kind::name:
        case sq_expr::kind::number:
        case sq_expr::kind::boolean: out += e.text; return;
        case sq_expr::kind::string: out += sq_string_literal(e.text); return;
        case sq_expr::kind::call:
        case sq_expr::kind::set: {
            out += e.what == sq_expr::kind::call ? e.text + "(" : "{";
            for (std::size_t k = 0; k < e.operands.size(); ++k) {
                if (k > 0) out += ", ";
                print_to(out, *e.operands[k], true);
            }
            out += e.what == sq_expr::kind::call ? ")" : "}";
            return;
        }
        case sq_expr::kind::not_:
            out += "not ";
            print_operand(out, *e.operands[0], atom_level);
            return;
        case sq_expr::kind::negate:
            out += '-';
            print_operand(out, *e.operands[0], negate_level);
            return;
        case sq_expr::kind::conditional:
            if (!top) out += '(';
            out += "if ";
            print_to(out, *e.operands[0], true);
            out += " then ";
            print_to(out, *e.operands[1], true);
            out += " else ";
            print_to(out, *e.operands[2], true);
            if (!top) out += ')';
            return;
        case sq_expr::kind::binary: {
            int const own = level_of(e);
            // `implies` groups to the right, comparisons not at all, the rest to the left.
            int const left = own == implies_level || own == comparison_level ? own + 1 : own;
            int const right = own == implies_level ? own : own + 1;
            print_operand(out, *e.operands[0], left, &e);
            out += ' ' + e.text + ' ';
            print_operand(out, *e.operands[1], right, &e);
            return;
        }
    }
}

}  // namespace

std::string print(const sq_expr& e) {
    std::string out;
    print_to(out, e, true);
    return out;
}

}  // namespace stepcare::fhir
