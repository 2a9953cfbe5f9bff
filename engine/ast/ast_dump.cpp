#include "ast/ast_dump.hpp"

#include "ast/question_kinds.hpp"
#include "ast/spelling.hpp"

#include <charconv>

namespace stepcare::ast {

namespace {

class dumper {
public:
    dumper(const questionnaire& tree, const dump_options& options) : tree_(tree), options_(options) {}

    std::string questionnaire_dump() {
        line(0, "questionnaire " + tree_.name.name + " " + text_of(tree_.title), tree_.range);
        if (tree_.version) line(1, "version " + string_spelling(tree_.version->value), tree_.version->range);
        if (!tree_.languages.empty()) {
            std::string languages = "languages ";
            for (std::size_t i = 0; i < tree_.languages.size(); ++i)
                languages += (i ? ", " : "") + tree_.languages[i].name + at(tree_.languages[i].range);
            line(1, languages, {});
        }
        if (tree_.description) line(1, "description " + text_of(*tree_.description), tree_.description->range);
        for (const auto& source : tree_.sources)
            line(1, "source " + source.name.name + " " + text_of(source.title), source.range);
        for (const auto& item : tree_.items) std::visit([this](const auto& i) { this->item(i); }, item);
        return std::move(out_);
    }

    std::string expression(expr_ref ref) const {
        if (ref == no_expr) return "<none>";
        const expr_node& node = tree_.expr(ref);
        std::string const where = at(node.range);
        switch (node.kind) {
            case expr_kind::number: return number_spelling(node.number) + where;
            case expr_kind::string: return string_spelling(node.text) + where;
            case expr_kind::boolean: return (node.boolean ? "true" : "false") + where;
            case expr_kind::yes_no: return (node.boolean ? "yes" : "no") + where;
            case expr_kind::name: return node.text + where;
            case expr_kind::set: return "{" + joined(node.operands) + "}" + where;
            case expr_kind::call: return node.text + where + "(" + joined(node.operands) + ")";
            case expr_kind::conditional:
                return "(if" + where + " " + expression(node.operands[0]) + " " + expression(node.operands[1]) + " " +
                       expression(node.operands[2]) + ")";
            case expr_kind::unary:
            case expr_kind::binary: {
                std::string s = "(" + std::string(spelling(node.oper)) + where;
                for (expr_ref const operand : node.operands) {
                    s += ' ';
                    s += expression(operand);
                }
                return s + ")";
            }
        }
        return "";
    }

private:
    const questionnaire& tree_;
    const dump_options& options_;
    std::string out_;

    std::string at(source_range range) const {
        if (options_.ranges_from == nullptr) return "";
        auto const b = options_.ranges_from->position_of(range.begin);
        auto const e = options_.ranges_from->position_of(range.end);
        std::string s(1, '@');
        for (auto const& [number, separator] : {std::pair{b.line, ':'}, {b.column, '-'}, {e.line, ':'}}) {
            s += std::to_string(number);
            s += separator;
        }
        s += std::to_string(e.column);
        return s;
    }

    void line(int indent, const std::string& text, source_range range) {
        out_.append(static_cast<std::size_t>(indent) * 2, ' ');
        out_ += text;
        if (range.end > range.begin) {
            out_ += ' ';
            out_ += at(range);
        }
        while (!out_.empty() && out_.back() == ' ') out_.pop_back();
        out_ += '\n';
    }

    std::string text_of(const text& t) const {
        if (t.translations.size() == 1 && t.translations[0].language.name.empty())
            return string_spelling(t.translations[0].value.value);
        std::string s = "{";
        for (std::size_t i = 0; i < t.translations.size(); ++i) {
            s += (i ? ", " : "") + t.translations[i].language.name + " " +
                 string_spelling(t.translations[i].value.value);
        }
        return s + "}";
    }

    std::string joined(const std::vector<expr_ref>& refs) const {
        std::string s;
        for (std::size_t i = 0; i < refs.size(); ++i) s += (i ? ", " : "") + expression(refs[i]);
        return s;
    }

    static std::string type_of(const question_type& type) {
        const question_kind_traits& traits = traits_of(type.kind);
        std::string s = traits.keyword;
        if (traits.has_options) {
            s += " " + (type.inline_options.empty() ? type.option_set.name : std::string("{...}"));
        }
        if (traits.has_range) s += " " + number_spelling(type.min.value) + ".." + number_spelling(type.max.value);
        if (type.max_length) s += " max " + number_spelling(type.max_length->value);
        return s;
    }

    void option(int indent, const option_def& o) {
        line(indent, o.id.name + (o.score ? " = " + number_spelling(*o.score) : "") + " " + text_of(o.label), o.range);
    }

    void item(const options_def& o) {
        line(1, "options " + o.name.name, o.range);
        for (const auto& opt : o.options) option(2, opt);
    }

    void item(const question_def& q, int indent = 1) {
        std::string head = "question " + q.name.name + ": " + type_of(q.type);
        if (q.optional) head += " optional";
        if (q.when != no_expr) head += " when " + expression(q.when);
        line(indent, head, q.range);
        for (const auto& opt : q.type.inline_options) option(indent + 1, opt);
        for (const auto& part : q.parts) {
            switch (part.kind) {
                case question_part_kind::ask: line(indent + 1, "ask " + text_of(part.value), part.range); break;
                case question_part_kind::help: line(indent + 1, "help " + text_of(part.value), part.range); break;
                case question_part_kind::unit: line(indent + 1, "unit " + text_of(part.value), part.range); break;
                case question_part_kind::require:
                    line(indent + 1, "require " + expression(part.condition) + " else " + text_of(part.value),
                         part.range);
                    break;
            }
        }
    }

    void item(const section_def& s) {
        std::string head = "section " + s.name.name + " " + text_of(s.title);
        if (s.when != no_expr) head += " when " + expression(s.when);
        line(1, head, s.range);
        for (const auto& q : s.questions) item(q, 2);
    }

    void item(const let_def& l) { line(1, "let " + l.name.name + " = " + expression(l.value), l.range); }

    void parts(const std::vector<outcome_part>& list) {
        for (const auto& part : list) {
            switch (part.kind) {
                case outcome_part_kind::say: line(2, "say " + text_of(part.say), part.range); break;
                case outcome_part_kind::stop: line(2, "stop", part.range); break;
                case outcome_part_kind::cite: {
                    std::string s = "cite ";
                    for (std::size_t i = 0; i < part.cites.size(); ++i) s += (i ? ", " : "") + part.cites[i].name;
                    line(2, s, part.range);
                    break;
                }
            }
        }
    }

    void item(const outcome_def& o) {
        line(1, "outcome " + o.name.name + " " + spelling(o.level) + " " + text_of(o.title), o.range);
        line(2, "when " + expression(o.when), {});
        parts(o.parts);
    }

    void item(const referral_def& r) {
        line(1, "referral " + text_of(r.title), r.range);
        parts(r.parts);
    }

    void item(const test_def& t) {
        line(1, "test " + string_spelling(t.name.value), t.range);
        for (const auto& g : t.given) line(2, "given " + g.question.name + " = " + expression(g.value), g.range);
        for (expr_ref const e : t.expectations) line(2, "expect " + expression(e), {});
    }

    void item(const invariant_def& i) {
        line(1, "invariant " + string_spelling(i.name.value) + ": " + expression(i.condition), i.range);
    }
};

}  // namespace

std::string dump(const questionnaire& tree, const dump_options& options) {
    return dumper(tree, options).questionnaire_dump();
}

std::string dump_expression(const questionnaire& tree, expr_ref ref, const dump_options& options) {
    return dumper(tree, options).expression(ref);
}

}  // namespace stepcare::ast
