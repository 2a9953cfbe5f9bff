// WORK IN PROGRESS (not in the build yet): the source index of stepcare/source_index.hpp.
#include "stepcare/source_index.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <variant>

#include "ast/spelling.hpp"
#include "check/checker.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "parse/parser.hpp"

namespace stepcare {

namespace {

source_span span_of(source_range r) { return {r.begin, r.end}; }

/// A text in its first language, for hover.
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
        uses();
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

    /// The options of set `s`, under definition `parent`.
    void options(std::uint32_t s, std::size_t parent) {
        const option_set_info& set = model_->option_sets[s];
        for (std::uint32_t o = 0; o < set.options.size(); ++o) {
            const option_info& option = set.options[o];
            std::string detail = "option";
            if (option.score) detail += " = " + ast::number_spelling(*option.score);
            remember(symbol_kind::option, o, s,
                     define(definition_kind::option, option.id, option.node->id.range, option.node->range, parent,
                            detail, first_translation(option.label)));
        }
    }

    void semantic_definitions(std::size_t root) {
        const checked_questionnaire& m = *model_;
        // Named sets here; a question's own options under the question, below.
        for (std::uint32_t s = 0; s < m.option_sets.size(); ++s) {
            const option_set_info& set = m.option_sets[s];
            if (set.is_inline || set.node == nullptr) continue;
            std::size_t const d = define(definition_kind::option_set, set.name, set.node->name.range, set.node->range,
                                         root, "options", {});
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
            remember(symbol_kind::let, l, no_index,
                     define(definition_kind::let, let.name, let.node->name.range, let.node->range, root, "let", {}));
        }
        for (std::uint32_t o = 0; o < m.outcomes.size(); ++o) {
            const outcome_info& outcome = m.outcomes[o];
            remember(symbol_kind::outcome, o, no_index,
                     define(definition_kind::outcome, outcome.name, outcome.node->name.range, outcome.node->range, root,
                            std::string("outcome, ") + ast::spelling(outcome.level), first_translation(outcome.title)));
        }
    }

    /// A name written outside expressions (a cite, a test's answer, a question's option
    /// set), resolved in the file's one namespace.
    void use_name(const ast::identifier& id) {
        if (id.name.empty()) return;
        symbol const meant = model_->find(id.name);
        auto const found = by_symbol_.find({meant.kind, meant.index, no_index});
        if (found != by_symbol_.end()) out_->uses.push_back({found->second, span_of(id.range), false});
    }

    void uses() {
        if (model_ == nullptr) return;
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
            const ast::expr_node& e = tree_.expressions[r];
            const symbol& binding = m.info(r).binding;
            if (binding.kind == symbol_kind::none) continue;
            auto const found = by_symbol_.find({binding.kind, binding.index, binding.option_set});
            if (found == by_symbol_.end()) continue;
            out_->uses.push_back({found->second, name_span(e), false});
        }
    }

    /// Where a name node's identifier is, its parentheses aside.
    source_span name_span(const ast::expr_node& e) const {
        std::uint32_t begin = e.range.begin;
        std::uint32_t end = e.range.end;
        while (begin < end && (text_[begin] == '(' || text_[begin] == ' ')) ++begin;
        while (end > begin && (text_[end - 1] == ')' || text_[end - 1] == ' ')) --end;
        return {begin, end};
    }
};

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
    }
    out.diagnostics = resolve_all(source, sink);
    return out;
}

}  // namespace stepcare
