// The check phase's driver and its first pass: every declaration (languages, sources,
// option sets, sections, questions, lets, outcomes, the referral, tests, invariants) goes
// into the model and the one namespace, with the checks that need nothing else.

#include "check/checker.hpp"

#include <algorithm>
#include <cmath>

#include "check/check_context.hpp"
#include "foundation/value.hpp"

namespace stepcare {

std::uint32_t option_set_info::find(std::string_view id) const {
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (options[i].id == id) return static_cast<std::uint32_t>(i);
    }
    return no_index;
}

symbol checked_questionnaire::find(std::string_view name) const {
    auto const found = names.find(name);
    return found == names.end() ? symbol{} : found->second;
}

checked_questionnaire check_questionnaire(const ast::questionnaire& tree, diagnostic_sink& diagnostics) {
    return check_detail::checker(tree, diagnostics).run();
}

namespace check_detail {

source_range keyword_range(source_range whole, std::string_view keyword) {
    return {whole.begin, whole.begin + static_cast<std::uint32_t>(keyword.size())};
}

checker::checker(const ast::questionnaire& tree, diagnostic_sink& diagnostics) : tree(tree), out(diagnostics) {
    model.tree = &tree;
    model.expressions.resize(tree.expressions.size());
}

checked_questionnaire checker::run() {
    declare_languages();
    declare_items();
    resolve_declared_names();
    check_types();
    check_flow();
    check_texts();
    check_warnings();
    report_sorted();
    return std::move(model);
}

void checker::report_sorted() {
    std::vector<pending_diagnostic> sorted = found.items();
    std::stable_sort(sorted.begin(), sorted.end(), [](const pending_diagnostic& a, const pending_diagnostic& b) {
        return a.range.begin < b.range.begin;
    });
    for (pending_diagnostic& d : sorted) {
        pending_diagnostic& copy = d.level == severity::error
                                       ? out.error(std::move(d.code), d.range, std::move(d.message))
                                       : out.warning(std::move(d.code), d.range, std::move(d.message));
        copy.notes = std::move(d.notes);
    }
    out.add_unlisted(found);
}

// ---- names --------------------------------------------------------------------------------

const char* checker::kind_name(symbol_kind kind) {
    switch (kind) {
        case symbol_kind::none: return "name";
        case symbol_kind::question: return "question";
        case symbol_kind::let: return "let";
        case symbol_kind::outcome: return "outcome";
        case symbol_kind::option: return "option";
        case symbol_kind::option_set: return "option set";
        case symbol_kind::section: return "section";
        case symbol_kind::source: return "source";
    }
    return "name";
}

const std::string& checker::name_of(symbol what) const {
    static const std::string nothing;
    switch (what.kind) {
        case symbol_kind::question: return model.questions[what.index].name;
        case symbol_kind::let: return model.lets[what.index].name;
        case symbol_kind::outcome: return model.outcomes[what.index].name;
        case symbol_kind::option: return model.option_sets[what.option_set].options[what.index].id;
        case symbol_kind::option_set: return model.option_sets[what.index].name;
        case symbol_kind::section: return model.sections[what.index].name;
        case symbol_kind::source: return model.sources[what.index].name;
        case symbol_kind::none: break;
    }
    return nothing;
}

std::string checker::a_kind_name(symbol_kind kind) {
    bool const vowel = kind == symbol_kind::outcome || kind == symbol_kind::option || kind == symbol_kind::option_set;
    return cat(vowel ? "an " : "a ", kind_name(kind));
}

std::string checker::describe(symbol what) const { return cat(kind_name(what.kind), " ", quoted(name_of(what))); }

source_range checker::definition_range(symbol what) const {
    switch (what.kind) {
        case symbol_kind::question: return model.questions[what.index].node->name.range;
        case symbol_kind::let: return model.lets[what.index].node->name.range;
        case symbol_kind::outcome: return model.outcomes[what.index].node->name.range;
        case symbol_kind::option: return model.option_sets[what.option_set].options[what.index].node->id.range;
        case symbol_kind::option_set: {
            const option_set_info& set = model.option_sets[what.index];
            return set.is_inline ? model.questions[set.question].node->type.range : set.node->name.range;
        }
        case symbol_kind::section: return model.sections[what.index].node->name.range;
        case symbol_kind::source: return model.sources[what.index].node->name.range;
        case symbol_kind::none: break;
    }
    return {};
}

symbol checker::suggest(std::string_view name, std::initializer_list<symbol_kind> kinds) const {
    std::vector<std::string_view> candidates;
    for (const auto& [candidate, what] : model.names) {
        if (std::find(kinds.begin(), kinds.end(), what.kind) != kinds.end()) {
            candidates.push_back(candidate);
        }
    }
    std::string_view const best = closest_name(name, candidates);
    if (best.empty()) return {};
    return model.find(best);
}

bool checker::add_suggestion(pending_diagnostic& diagnostic, symbol suggestion) {
    if (suggestion.kind == symbol_kind::none) return false;
    suggested.push_back(suggestion);
    diagnostic.message += cat("; did you mean ", quoted(name_of(suggestion)), "?");
    diagnostic.notes.push_back({definition_range(suggestion), cat(quoted(name_of(suggestion)), " is defined here")});
    return true;
}

void checker::declare(const std::string& name, source_range range, symbol what) {
    auto const [position, inserted] = model.names.emplace(name, what);
    if (inserted) return;
    symbol const first = position->second;
    auto& error = found.error("duplicate-name", range,
                              cat(a_kind_name(first.kind), " named ", quoted(name), " already exists; give this ",
                                  kind_name(what.kind), " another name"));
    error.notes.push_back({definition_range(first), "first defined here"});
}

// ---- declarations -------------------------------------------------------------------------

void checker::declare_languages() {
    for (std::size_t i = 0; i < tree.languages.size(); ++i) {
        const ast::identifier& language = tree.languages[i];
        auto const first = std::find_if(tree.languages.begin(), tree.languages.begin() + static_cast<std::ptrdiff_t>(i),
                                        [&](const ast::identifier& other) { return other.name == language.name; });
        if (first != tree.languages.begin() + static_cast<std::ptrdiff_t>(i)) {
            auto& error = found.error("duplicate-name", language.range,
                                      cat("language ", quoted(language.name), " is listed twice; remove this one"));
            error.notes.push_back({first->range, "first listed here"});
            continue;
        }
        model.languages.push_back(language.name);
    }
    if (model.languages.empty()) model.languages.emplace_back("en");
}

void checker::declare_items() {
    for (const ast::source_def& source : tree.sources) {
        auto const index = static_cast<std::uint32_t>(model.sources.size());
        model.sources.push_back({source.name.name, &source});
        declare(source.name.name, source.name.range, {symbol_kind::source, index});
    }
    for (const ast::item& item : tree.items) {
        if (const auto* options = std::get_if<ast::options_def>(&item)) {
            option_set_info set;
            set.name = options->name.name;
            set.node = options;
            auto const index = static_cast<std::uint32_t>(model.option_sets.size());
            add_option_set(std::move(set), options->options);
            declare(options->name.name, options->name.range, {symbol_kind::option_set, index});
        } else if (const auto* section = std::get_if<ast::section_def>(&item)) {
            auto const index = static_cast<std::uint32_t>(model.sections.size());
            model.sections.push_back({section->name.name, section, static_cast<std::uint32_t>(model.questions.size()),
                                      static_cast<std::uint32_t>(section->questions.size())});
            declare(section->name.name, section->name.range, {symbol_kind::section, index});
            for (const ast::question_def& question : section->questions) {
                add_question(question, index);
            }
        } else if (const auto* question = std::get_if<ast::question_def>(&item)) {
            add_question(*question, no_index);
        } else if (const auto* let = std::get_if<ast::let_def>(&item)) {
            auto const index = static_cast<std::uint32_t>(model.lets.size());
            let_info info;
            info.name = let->name.name;
            info.value = let->value;
            info.node = let;
            model.lets.push_back(std::move(info));
            declare(let->name.name, let->name.range, {symbol_kind::let, index});
        } else if (const auto* outcome = std::get_if<ast::outcome_def>(&item)) {
            add_outcome(*outcome);
        } else if (const auto* referral = std::get_if<ast::referral_def>(&item)) {
            add_referral(*referral);
        } else if (const auto* test = std::get_if<ast::test_def>(&item)) {
            test_info info;
            info.node = test;
            model.tests.push_back(std::move(info));
        } else if (const auto* invariant = std::get_if<ast::invariant_def>(&item)) {
            model.invariants.push_back(invariant);
        }
    }
    check_counts();
    if (!model.referral) {
        found.error("missing-referral", tree.name.range,
                    cat("questionnaire ", quoted(tree.name.name),
                        " has no referral, which every result must show; add one, such as "
                        "referral \"Talk to a clinician\" { }"));
    }
    option_set_used.assign(model.option_sets.size(), false);
}

void checker::check_counts() {
    auto const limit = [&](std::size_t count, symbol_kind kind) {
        if (count <= max_definitions_per_kind) return;
        symbol const first_too_many{kind, static_cast<std::uint32_t>(max_definitions_per_kind)};
        found.error(
            cat("too-many-", kind_name(kind), "s"), definition_range(first_too_many),
            cat("the questionnaire has ", std::to_string(count), " ", kind_name(kind), "s, but it may have at most ",
                std::to_string(max_definitions_per_kind), "; this is the first one too many"));
    };
    limit(model.questions.size(), symbol_kind::question);
    limit(model.lets.size(), symbol_kind::let);
    limit(model.outcomes.size(), symbol_kind::outcome);
}

void checker::add_option_set(option_set_info set, const std::vector<ast::option_def>& options) {
    if (options.size() > max_options_per_set) {
        found.error("too-many-options", options[max_options_per_set].id.range,
                    cat(set.is_inline ? "question " : "option set ", quoted(set.name), " has ",
                        std::to_string(options.size()), " options, but a set may have at most ",
                        std::to_string(max_options_per_set), "; split it into several questions"));
    }
    set.fully_scored = true;
    for (const ast::option_def& option : options) {
        std::uint32_t const first = set.find(option.id.name);
        if (first != no_index) {
            auto& error = found.error("duplicate-name", option.id.range,
                                      cat("option ", quoted(option.id.name), " appears twice in ",
                                          set.is_inline ? "the options of question " : "option set ", quoted(set.name),
                                          "; remove or rename one of them"));
            error.notes.push_back({set.options[first].node->id.range, "first defined here"});
        }
        set.fully_scored = set.fully_scored && option.score.has_value();
        set.options.push_back({option.id.name, option.score, &option.label, &option});
    }
    model.option_sets.push_back(std::move(set));
}

void checker::add_question(const ast::question_def& question, std::uint32_t section) {
    auto const index = static_cast<std::uint32_t>(model.questions.size());
    question_info info;
    info.name = question.name.name;
    info.type = question.type.kind;
    info.optional = question.optional;
    info.node = &question;
    info.section = section;
    info.slot = index;
    if (section != no_index && model.sections[section].node->when != ast::no_expr) {
        info.visibility.push_back(model.sections[section].node->when);
    }
    if (question.when != ast::no_expr) info.visibility.push_back(question.when);
    switch (question.type.kind) {
        case question_kind::choice:
        case question_kind::multi:
            if (!question.type.inline_options.empty()) {
                info.option_set = static_cast<std::uint32_t>(model.option_sets.size());
                option_set_info set;
                set.name = question.name.name;
                set.is_inline = true;
                set.question = index;
                add_option_set(std::move(set), question.type.inline_options);
            }
            break;
        case question_kind::integer:
        case question_kind::decimal:
            info.min = question.type.min.value;
            info.max = question.type.max.value;
            break;
        case question_kind::text:
            if (question.type.max_length && question.type.max_length->value >= 1 &&
                question.type.max_length->value == std::floor(question.type.max_length->value) &&
                question.type.max_length->value <= static_cast<double>(max_text_answer_length)) {
                info.max_length = static_cast<std::uint32_t>(question.type.max_length->value);
            }
            break;
        case question_kind::yesno: break;
    }
    model.questions.push_back(std::move(info));
    declare(question.name.name, question.name.range, {symbol_kind::question, index});
    check_range(question);
    check_question_parts(question, model.questions.back());
}

void checker::check_range(const ast::question_def& question) {
    const ast::question_type& type = question.type;
    std::string const name = quoted(question.name.name);
    const question_kind_traits& traits = traits_of(type.kind);
    if (traits.has_max_length && type.max_length) {
        double const max = type.max_length->value;
        if (max < 1 || max != std::floor(max)) {
            found.error(
                "bad-range", type.max_length->range,
                cat("the maximum length of question ", name, " must be a whole number of characters, at least 1"));
        } else if (max > static_cast<double>(max_text_answer_length)) {
            found.error("bad-range", type.max_length->range,
                        cat("the maximum length of question ", name, " may be at most ",
                            std::to_string(max_text_answer_length), " characters"));
        }
        return;
    }
    if (!traits.has_range) return;
    if (traits.whole_numbers) {
        for (const ast::number_literal* bound : {&type.min, &type.max}) {
            if (bound->value != std::floor(bound->value)) {
                found.error("bad-range", bound->range,
                            cat("the range of integer question ", name,
                                " must have whole numbers as bounds; use decimal for fractions"));
            }
        }
    }
    if (type.min.value > type.max.value) {
        found.error("bad-range", {type.min.range.begin, type.max.range.end},
                    cat("the range of question ", name,
                        " is empty because its minimum is larger than its maximum; write the "
                        "smaller number first"));
    }
}

void checker::check_question_parts(const ast::question_def& question, question_info& info) {
    const ast::question_part* first[3] = {nullptr, nullptr, nullptr};
    static constexpr const char* keywords[3] = {"ask", "help", "unit"};
    for (const ast::question_part& part : question.parts) {
        if (part.kind == ast::question_part_kind::require) {
            info.requirements.push_back({part.condition, &part.value});
            continue;
        }
        auto const kind = static_cast<std::size_t>(part.kind);
        if (first[kind] != nullptr) {
            auto& error = found.error("duplicate-part", keyword_range(part.range, keywords[kind]),
                                      cat("question ", quoted(question.name.name), " has a second ",
                                          quoted(keywords[kind]), "; merge the two into one text"));
            error.notes.push_back({keyword_range(first[kind]->range, keywords[kind]), "the first one is here"});
            continue;
        }
        first[kind] = &part;
    }
    info.ask = first[0] != nullptr ? &first[0]->value : nullptr;
    info.help = first[1] != nullptr ? &first[1]->value : nullptr;
    info.unit = first[2] != nullptr ? &first[2]->value : nullptr;
    if (info.ask == nullptr) {
        found.error("missing-ask", question.name.range,
                    cat("question ", quoted(question.name.name),
                        " has no 'ask'; add the text that asks it, such as ask \"...\""));
    }
}

void checker::add_outcome(const ast::outcome_def& outcome) {
    auto const index = static_cast<std::uint32_t>(model.outcomes.size());
    outcome_info info;
    info.name = outcome.name.name;
    info.level = outcome.level;
    info.when = outcome.when;
    info.title = &outcome.title;
    info.node = &outcome;
    const ast::outcome_part* first_stop = nullptr;
    for (const ast::outcome_part& part : outcome.parts) {
        if (part.kind == ast::outcome_part_kind::say) info.says.push_back(&part.say);
        if (part.kind != ast::outcome_part_kind::stop) continue;
        if (first_stop != nullptr) {
            auto& error = found.error("duplicate-part", keyword_range(part.range, "stop"),
                                      cat("outcome ", quoted(outcome.name.name), " has a second 'stop'; remove it"));
            error.notes.push_back({keyword_range(first_stop->range, "stop"), "the first one is here"});
            continue;
        }
        first_stop = &part;
        info.stop = true;
        if (outcome.level != ast::level::urgent) {
            auto& error = found.error(
                "stop-not-urgent", keyword_range(part.range, "stop"),
                cat("'stop' is allowed only on urgent outcomes, and outcome ", quoted(outcome.name.name), " is ",
                    quoted(ast::spelling(outcome.level)), "; remove 'stop' or make the outcome urgent"));
            error.notes.push_back({outcome.name.range, "the outcome is declared here"});
        }
    }
    model.outcomes.push_back(std::move(info));
    declare(outcome.name.name, outcome.name.range, {symbol_kind::outcome, index});
}

void checker::add_referral(const ast::referral_def& referral) {
    if (model.referral) {
        auto& error = found.error("duplicate-referral", keyword_range(referral.range, "referral"),
                                  "a questionnaire has exactly one referral; merge this one into "
                                  "the first");
        error.notes.push_back({keyword_range(model.referral->node->range, "referral"), "the first referral is here"});
        return;
    }
    referral_info info;
    info.title = &referral.title;
    info.node = &referral;
    for (const ast::outcome_part& part : referral.parts) {
        if (part.kind == ast::outcome_part_kind::say) info.says.push_back(&part.say);
    }
    model.referral = std::move(info);
}

std::vector<std::uint32_t> checker::resolve_cites(const std::vector<ast::outcome_part>& parts) {
    std::vector<std::uint32_t> cites;
    for (const ast::outcome_part& part : parts) {
        for (const ast::identifier& cite : part.cites) {
            symbol const what = model.find(cite.name);
            if (what.kind == symbol_kind::source) {
                cites.push_back(what.index);
                continue;
            }
            if (what.kind != symbol_kind::none) {
                auto& error = found.error("unknown-source", cite.range,
                                          cat(quoted(cite.name), " is ", a_kind_name(what.kind),
                                              ", not a source; 'cite' names sources declared "
                                              "in the header"));
                error.notes.push_back({definition_range(what), cat(quoted(cite.name), " is defined here")});
                continue;
            }
            auto& error = found.error("unknown-source", cite.range, cat("no source is named ", quoted(cite.name)));
            if (!add_suggestion(error, suggest(cite.name, {symbol_kind::source}))) {
                error.message += cat("; declare it in the header with source ", cite.name, " \"...\"");
            }
        }
    }
    return cites;
}

void checker::resolve_declared_names() {
    // Cites and option set names may refer to anything declared anywhere in the file, so
    // they are resolved once everything is declared.
    std::size_t outcome = 0;
    for (const ast::item& item : tree.items) {
        if (const auto* o = std::get_if<ast::outcome_def>(&item)) {
            model.outcomes[outcome++].cites = resolve_cites(o->parts);
        } else if (const auto* referral = std::get_if<ast::referral_def>(&item)) {
            std::vector<std::uint32_t> cites = resolve_cites(referral->parts);
            if (model.referral->node == referral) model.referral->cites = std::move(cites);
        }
    }
    for (question_info& question : model.questions) {
        const ast::question_type& type = question.node->type;
        if (!traits_of(type.kind).has_options) continue;
        if (question.option_set != no_index) continue;  // an inline set
        symbol const what = model.find(type.option_set.name);
        if (what.kind == symbol_kind::option_set) {
            question.option_set = what.index;
            option_set_used[what.index] = true;
            continue;
        }
        if (what.kind != symbol_kind::none) {
            auto& error =
                found.error("undefined-name", type.option_set.range,
                            cat(quoted(type.option_set.name), " is ", a_kind_name(what.kind), ", not an option set"));
            error.notes.push_back({definition_range(what), cat(quoted(type.option_set.name), " is defined here")});
            continue;
        }
        auto& error = found.error("undefined-name", type.option_set.range,
                                  cat("no option set is named ", quoted(type.option_set.name)));
        if (!add_suggestion(error, suggest(type.option_set.name, {symbol_kind::option_set}))) {
            error.message += cat("; declare it with options ", type.option_set.name, " { ... }");
        }
    }
}

}  // namespace check_detail

}  // namespace stepcare
