// The source index of stepcare/source_index.hpp, for the language server.
#include "stepcare/source_index.hpp"

#include <unicode/messagepattern.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <variant>

#include "ast/spelling.hpp"
#include "check/builtins.hpp"
#include "check/checker.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "parse/literals.hpp"
#include "parse/parser.hpp"

namespace stepcare {

namespace {

source_span span_of(source_range r) { return {r.begin, r.end}; }

/// A text in the language it is written first in, for hover.
std::string first_translation(const ast::text* t) {
    if (t == nullptr || t->translations.empty()) return {};
    return t->translations.front().value.value;
}

const char* kind_word(question_kind kind) {
    switch (kind) {
        case question_kind::yesno: return "yesno";
        case question_kind::choice: return "choice";
        case question_kind::multi: return "multi";
        case question_kind::integer: return "integer";
        case question_kind::decimal: return "decimal";
        case question_kind::text: return "text";
    }
    return "";
}

/// Every text of the questionnaire, with the question or outcome it belongs to, if any.
template <typename Visit>
void for_each_text(const ast::questionnaire& tree, Visit&& visit) {
    visit(tree.title);
    if (tree.description) visit(*tree.description);
    for (const ast::source_def& source : tree.sources) visit(source.title);
    auto const options = [&](const std::vector<ast::option_def>& list) {
        for (const ast::option_def& option : list) visit(option.label);
    };
    auto const question = [&](const ast::question_def& q) {
        options(q.type.inline_options);
        for (const ast::question_part& part : q.parts) visit(part.value);
    };
    auto const says = [&](const std::vector<ast::outcome_part>& parts) {
        for (const ast::outcome_part& part : parts) {
            if (part.kind == ast::outcome_part_kind::say) visit(part.say);
        }
    };
    for (const ast::item& item : tree.items) {
        if (const auto* set = std::get_if<ast::options_def>(&item)) options(set->options);
        if (const auto* section = std::get_if<ast::section_def>(&item)) {
            visit(section->title);
            for (const ast::question_def& q : section->questions) question(q);
        }
        if (const auto* q = std::get_if<ast::question_def>(&item)) question(*q);
        if (const auto* outcome = std::get_if<ast::outcome_def>(&item)) {
            visit(outcome->title);
            says(outcome->parts);
        }
        if (const auto* referral = std::get_if<ast::referral_def>(&item)) {
            visit(referral->title);
            says(referral->parts);
        }
    }
}

/// The names a string literal's MessageFormat pattern shows as arguments, each with the
/// place in the file where it is written. A name written with an escape is left out: it
/// cannot be renamed in place.
std::vector<std::pair<std::string, source_span>> argument_names(std::string_view file, source_range literal) {
    std::vector<std::pair<std::string, source_span>> names;
    // Most texts show no argument, and need no decoding.
    if (file.substr(literal.begin, literal.end - literal.begin).find('{') == std::string_view::npos) return names;
    // Decode the literal's pieces again, keeping where each byte came from (the tree holds
    // the value normalized to NFC, whose offsets no longer match the file's).
    std::string decoded;
    std::vector<std::uint32_t> offsets;
    diagnostic_sink ignored;
    std::uint32_t at = literal.begin;
    while (at < literal.end) {
        if (file[at] == '#') {  // a comment between two pieces
            while (at < literal.end && file[at] != '\n') ++at;
            continue;
        }
        if (file[at] != '"') {
            ++at;
            continue;
        }
        std::uint32_t end = at + 1;
        while (end < literal.end && file[end] != '"' && file[end] != '\n') end += file[end] == '\\' ? 2 : 1;
        end = std::min(end, literal.end);
        parse::decode_string_body(file.substr(at + 1, end - at - 1), at + 1, decoded, ignored, &offsets);
        at = end + 1;
    }
    icu::UnicodeString const pattern = icu::UnicodeString::fromUTF8(decoded);
    UErrorCode status = U_ZERO_ERROR;
    icu::MessagePattern const parsed(pattern, nullptr, status);
    if (U_FAILURE(status)) return names;
    for (std::int32_t i = 0; i < parsed.countParts(); ++i) {
        const icu::MessagePattern::Part& part = parsed.getPart(i);
        if (part.getType() != UMSGPAT_PART_TYPE_ARG_NAME) continue;
        std::string name;
        parsed.getSubstring(part).toUTF8String(name);
        // The name's first byte in `decoded`: the UTF-8 length of the pattern before it.
        std::string before;
        pattern.tempSubString(0, part.getIndex()).toUTF8String(before);
        std::size_t const first = before.size();
        std::size_t const last = first + name.size() - 1;
        if (name.empty() || last >= offsets.size() ||
            static_cast<std::size_t>(offsets[last] - offsets[first]) != last - first)
            continue;
        names.push_back({name, {offsets[first], offsets[last] + 1}});
    }
    return names;
}

class index_builder {
public:
    index_builder(std::string_view text, const ast::questionnaire& tree, const checked_questionnaire* model)
        : text_(text), tree_(tree), model_(model) {}

    void run(source_index& out) {
        out_ = &out;
        std::size_t const root = define(definition_kind::questionnaire, tree_.name.name, tree_.name.range, tree_.range,
                                        SIZE_MAX, "questionnaire", first_translation(&tree_.title));
        for (std::uint32_t i = 0; i < tree_.sources.size(); ++i) {
            const ast::source_def& s = tree_.sources[i];
            remember(symbol_kind::source, i, no_index,
                     define(definition_kind::source, s.name.name, s.name.range, s.range, root, "source",
                            first_translation(&s.title)));
        }
        if (model_ != nullptr) semantic_definitions(root);
        // The referral, tests and invariants: in the outline, never named by anything.
        for (const ast::item& item : tree_.items) {
            if (const auto* referral = std::get_if<ast::referral_def>(&item)) {
                source_range const keyword{referral->range.begin, referral->range.begin + 8};
                define(definition_kind::referral, "referral", keyword, referral->range, root, "referral",
                       first_translation(&referral->title));
            } else if (const auto* test = std::get_if<ast::test_def>(&item)) {
                define(definition_kind::test, test->name.value, test->name.range, test->range, root, "test", {});
            } else if (const auto* invariant = std::get_if<ast::invariant_def>(&item)) {
                define(definition_kind::invariant, invariant->name.value, invariant->name.range, invariant->range, root,
                       "invariant", {});
            }
        }
        if (model_ != nullptr) uses();
        std::sort(out.uses.begin(), out.uses.end(),
                  [](const name_use& a, const name_use& b) { return a.span.begin < b.span.begin; });
    }

private:
    std::string_view text_;
    const ast::questionnaire& tree_;
    const checked_questionnaire* model_;
    source_index* out_ = nullptr;
    std::map<std::tuple<symbol_kind, std::uint32_t, std::uint32_t>, std::size_t> by_symbol_;

    std::size_t define(definition_kind kind, std::string name, source_range name_range, source_range range,
                       std::size_t parent, std::string detail, std::string documentation) {
        definition d;
        d.kind = kind;
        d.name = std::move(name);
        d.name_span = span_of(name_range);
        d.span = span_of(range);
        d.parent = parent;
        d.detail = std::move(detail);
        d.documentation = std::move(documentation);
        out_->definitions.push_back(std::move(d));
        std::size_t const index = out_->definitions.size() - 1;
        out_->uses.push_back({index, span_of(name_range), true});
        return index;
    }

    void remember(symbol_kind kind, std::uint32_t index, std::uint32_t set, std::size_t definition) {
        by_symbol_[{kind, index, set}] = definition;
    }

    /// "`often` (2): Most days", a line of an option list in hover.
    static std::string option_line(const option_info& option) {
        std::string line = "- `" + option.id + "`";
        if (option.score) line += " (" + ast::number_spelling(*option.score) + ")";
        std::string const label = first_translation(option.label);
        if (!label.empty()) line += ": " + label;
        return line + "\n";
    }

    std::string option_list(std::uint32_t s) const {
        std::string list;
        for (const option_info& option : model_->option_sets[s].options) list += option_line(option);
        return list;
    }

    /// The options of set `s`, under definition `parent`.
    void options(std::uint32_t s, std::size_t parent) {
        const option_set_info& set = model_->option_sets[s];
        for (std::uint32_t o = 0; o < set.options.size(); ++o) {
            const option_info& option = set.options[o];
            std::string detail = "option of '" + set.name + "'";
            if (option.score) detail += ", score " + ast::number_spelling(*option.score);
            remember(symbol_kind::option, o, s,
                     define(definition_kind::option, option.id, option.node->id.range, option.node->range, parent,
                            detail, first_translation(option.label)));
        }
    }

    std::string type_name(expr_type type) const {
        switch (type.type) {
            case expr_type::kind::boolean: return "bool";
            case expr_type::kind::number: return "number";
            case expr_type::kind::text: return "text";
            case expr_type::kind::choice: return "choice from '" + model_->option_sets[type.option_set].name + "'";
            case expr_type::kind::multi: return "options of '" + model_->option_sets[type.option_set].name + "'";
            case expr_type::kind::set:
            case expr_type::kind::invalid: break;
        }
        return "?";
    }

    std::string source_of(ast::expr_ref r) const {
        if (r == ast::no_expr) return {};
        source_range const range = tree_.expr(r).range;
        return std::string(text_.substr(range.begin, range.end - range.begin));
    }

    void semantic_definitions(std::size_t root) {
        const checked_questionnaire& m = *model_;
        // Named sets here; a question's own options under the question, below.
        for (std::uint32_t s = 0; s < m.option_sets.size(); ++s) {
            const option_set_info& set = m.option_sets[s];
            if (set.is_inline || set.node == nullptr) continue;
            std::size_t const d = define(definition_kind::option_set, set.name, set.node->name.range, set.node->range,
                                         root, "options", option_list(s));
            remember(symbol_kind::option_set, s, no_index, d);
            options(s, d);
        }
        std::vector<std::size_t> section_definitions;
        for (std::uint32_t s = 0; s < m.sections.size(); ++s) {
            const section_info& section = m.sections[s];
            section_definitions.push_back(define(definition_kind::section, section.name, section.node->name.range,
                                                 section.node->range, root, "section",
                                                 first_translation(&section.node->title)));
            remember(symbol_kind::section, s, no_index, section_definitions.back());
        }
        for (std::uint32_t q = 0; q < m.questions.size(); ++q) {
            const question_info& question = m.questions[q];
            std::string detail = kind_word(question.type);
            if (question.option_set != no_index) detail += " " + m.option_sets[question.option_set].name;
            if (question.type == question_kind::integer || question.type == question_kind::decimal) {
                detail += " " + ast::number_spelling(question.min) + ".." + ast::number_spelling(question.max);
            }
            if (question.optional) detail += " optional";
            std::string documentation = first_translation(question.ask);
            if (question.help != nullptr) documentation += "\n\n" + first_translation(question.help);
            if (question.unit != nullptr) documentation += "\n\nUnit: " + first_translation(question.unit);
            if (question.option_set != no_index) documentation += "\n\n" + option_list(question.option_set);
            std::size_t const parent = question.section == no_index ? root : section_definitions[question.section];
            std::size_t const d = define(definition_kind::question, question.name, question.node->name.range,
                                         question.node->range, parent, detail, documentation);
            remember(symbol_kind::question, q, no_index, d);
            if (question.option_set == no_index) continue;
            if (m.option_sets[question.option_set].is_inline) options(question.option_set, d);
            // Where its options are defined: the question itself or its named set.
            auto const set = by_symbol_.find({symbol_kind::option_set, question.option_set, no_index});
            out_->definitions[d].options = set != by_symbol_.end() ? set->second : d;
        }
        for (std::uint32_t l = 0; l < m.lets.size(); ++l) {
            const let_info& let = m.lets[l];
            std::string const definition = "```stepcare\nlet " + let.name + " = " + source_of(let.value) + "\n```";
            remember(symbol_kind::let, l, no_index,
                     define(definition_kind::let, let.name, let.node->name.range, let.node->range, root,
                            "let: " + type_name(let.type), definition));
        }
        for (std::uint32_t o = 0; o < m.outcomes.size(); ++o) {
            const outcome_info& outcome = m.outcomes[o];
            std::string documentation = "**" + first_translation(outcome.title) + "**";
            for (const ast::text* say : outcome.says) documentation += "\n\n" + first_translation(say);
            if (outcome.stop) documentation += "\n\nStops the questionnaire.";
            remember(symbol_kind::outcome, o, no_index,
                     define(definition_kind::outcome, outcome.name, outcome.node->name.range, outcome.node->range, root,
                            std::string("outcome, ") + ast::spelling(outcome.level), documentation));
        }
    }

    void use(symbol meant, source_span where) {
        auto const found = by_symbol_.find({meant.kind, meant.index, meant.option_set});
        if (found != by_symbol_.end()) out_->uses.push_back({found->second, where, false});
    }

    /// A name written outside expressions (a cite, a test's answer, a question's option
    /// set), resolved in the file's one namespace.
    void use_name(const ast::identifier& id) {
        if (!id.name.empty()) use(model_->find(id.name), span_of(id.range));
    }

    void uses() {
        const checked_questionnaire& m = *model_;
        for (const question_info& question : m.questions) use_name(question.node->type.option_set);
        for (const ast::item& item : tree_.items) {
            auto const cites = [&](const std::vector<ast::outcome_part>& parts) {
                for (const ast::outcome_part& part : parts) {
                    for (const ast::identifier& cited : part.cites) use_name(cited);
                }
            };
            if (const auto* outcome = std::get_if<ast::outcome_def>(&item)) cites(outcome->parts);
            if (const auto* referral = std::get_if<ast::referral_def>(&item)) cites(referral->parts);
            if (const auto* test = std::get_if<ast::test_def>(&item)) {
                for (const ast::given_answer& answer : test->given) use_name(answer.question);
            }
        }
        for (ast::expr_ref r = 0; r < tree_.expressions.size(); ++r) {
            const symbol& binding = m.info(r).binding;
            if (binding.kind != symbol_kind::none) use(binding, name_span(tree_.expr(r)));
        }
        for_each_text(tree_, [&](const ast::text& t) {
            for (const ast::translation& translation : t.translations) {
                for (const auto& [name, where] : argument_names(text_, translation.value.range)) {
                    symbol const meant = m.find(name);
                    if (meant.kind == symbol_kind::question || meant.kind == symbol_kind::let) use(meant, where);
                }
            }
        });
    }

    /// Where a name node's identifier is, its parentheses aside.
    source_span name_span(const ast::expr_node& e) const {
        std::uint32_t begin = e.range.begin;
        std::uint32_t end = e.range.end;
        auto const outside = [](char c) {
            return c == '(' || c == ')' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
        };
        while (begin < end && outside(text_[begin])) ++begin;
        while (end > begin && outside(text_[end - 1])) --end;
        return {begin, end};
    }
};

/// What each builtin does, in a sentence (language.md, section 5).
std::string_view builtin_meaning(builtin b) {
    switch (b) {
        case builtin::answered: return "Whether the question has an answer; never unknown.";
        case builtin::score: return "The score of the chosen option.";
        case builtin::count: return "How many options are chosen.";
        case builtin::sum: return "The sum of the numbers.";
        case builtin::min: return "The smallest of the numbers.";
        case builtin::max: return "The largest of the numbers.";
        case builtin::any: return "Whether any condition is true (unknown ones aside, when one is true).";
        case builtin::all: return "Whether every condition is true (false as soon as one is false).";
    }
    return {};
}

std::string_view type_word(expr_type::kind kind) {
    return kind == expr_type::kind::boolean ? "bool" : kind == expr_type::kind::number ? "number" : "?";
}

}  // namespace

source_index index_source(std::string_view text, std::string name) {
    source_index out;
    source_file const source(name, std::string(text));
    diagnostic_sink sink;
    ast::questionnaire const tree = parse_questionnaire(source, sink);
    // The checker needs a tree without syntax errors; with them, only what parsed is named.
    if (sink.has_errors()) {
        index_builder(source.text(), tree, nullptr).run(out);
    } else {
        checked_questionnaire const model = check_questionnaire(tree, sink);
        index_builder(source.text(), tree, &model).run(out);
        out.resolved = true;
    }
    out.diagnostics = resolve_all(source, sink);
    return out;
}

const std::vector<language_word>& language_words() {
    static const std::vector<language_word> words = [] {
        std::vector<language_word> list;
        for (std::string_view const word : ast::reserved_words()) list.push_back({std::string(word), {}, {}});
        for (const builtin_traits& b : builtins) {
            std::string_view argument = b.argument_name;
            if (argument.starts_with("a ")) argument.remove_prefix(2);
            std::string signature = std::string(b.name) + "(" + std::string(argument);
            if (b.max_arguments == unbounded) signature += ", ...";
            signature += ") -> " + std::string(type_word(b.result));
            list.push_back({std::string(b.name), signature, std::string(builtin_meaning(b.id))});
        }
        return list;
    }();
    return words;
}

}  // namespace stepcare
