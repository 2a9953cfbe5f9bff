// Texts (language.md section 3, docs/language.md section 4): every text has a string in
// the default language and only in declared languages, and every string is an ICU
// MessageFormat pattern whose arguments are questions and lets.

#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/parseerr.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "check/check_context.hpp"

namespace stepcare::check_detail {

namespace {

/// How deep braces nest in a MessageFormat pattern. Text quoted with apostrophes, as ICU
/// quotes it ('{' and '}' start a quote, '' is an apostrophe), is skipped; anything else
/// counts, so the depth is never less than ICU's.
std::size_t brace_depth(std::string_view pattern) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        char const c = pattern[i];
        if (c == '\'' && i + 1 < pattern.size() && (pattern[i + 1] == '{' || pattern[i + 1] == '}')) {
            // A quote runs to the next apostrophe that is not doubled.
            for (++i; i < pattern.size(); ++i) {
                if (pattern[i] != '\'') continue;
                if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
                    ++i;
                    continue;
                }
                break;
            }
        } else if (c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == '}' && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

/// Why ICU refused a pattern, in words an author can act on.
std::string reason(UErrorCode status) {
    switch (status) {
        case U_UNMATCHED_BRACES: return "a '{' or '}' has no partner";
        case U_DEFAULT_KEYWORD_MISSING: return "a plural or select has no 'other' branch";
        case U_DUPLICATE_KEYWORD: return "a plural or select has the same branch twice";
        case U_PATTERN_SYNTAX_ERROR: return "the text inside braces is not a valid argument";
        case U_ILLEGAL_ARGUMENT_ERROR: return "an argument has an unknown type or style";
        default: return u_errorName(status);
    }
}

class text_checker {
public:
    explicit text_checker(checker& c) : c_(c), default_language_(c.model.languages.front()) {}

    /// Checks one text; `owner` names it in messages ("the 'ask' of question 'low'").
    /// The questions and lets it shows are added to `uses`, when given, once each.
    void check(const ast::text& text, const std::string& owner, std::vector<symbol>* uses = nullptr) {
        std::vector<const ast::translation*> seen;
        for (const ast::translation& t : text.translations) {
            std::string const language = t.language.name.empty() ? default_language_ : t.language.name;
            if (!t.language.name.empty() && !check_language(t, owner, seen)) continue;
            seen.push_back(&t);
            check_pattern(t, language, owner, uses);
        }
        check_coverage(text, owner, seen);
    }

private:
    checker& c_;
    const std::string& default_language_;

    bool is_declared(std::string_view language) const {
        const auto& languages = c_.model.languages;
        return std::find(languages.begin(), languages.end(), language) != languages.end();
    }

    /// Reports an undeclared or repeated language; false when the string is to be ignored.
    bool check_language(const ast::translation& t, const std::string& owner,
                        const std::vector<const ast::translation*>& seen) {
        const std::string& language = t.language.name;
        if (!is_declared(language)) {
            std::string list;
            for (const std::string& declared : c_.model.languages) {
                if (!list.empty()) list += ", ";
                list += declared;
            }
            auto& error =
                c_.found.error("unknown-language", t.language.range,
                               cat(quoted(language), " is not one of the questionnaire's languages (", list, ")"));
            std::vector<std::string_view> candidates(c_.model.languages.begin(), c_.model.languages.end());
            std::string_view const best = closest_name(language, candidates);
            error.message += best.empty() ? std::string("; add it to 'languages' in the header")
                                          : cat("; did you mean ", quoted(best), "?");
            if (!c_.tree.languages.empty()) {
                error.notes.push_back({c_.tree.languages.front().range, "the languages are declared here"});
            }
            return false;
        }
        auto const first = std::find_if(seen.begin(), seen.end(),
                                        [&](const ast::translation* s) { return s->language.name == language; });
        if (first == seen.end()) return true;
        auto& error = c_.found.error("duplicate-part", t.language.range,
                                     cat(owner, " has a second ", quoted(language), " string; join the two into one"));
        error.notes.push_back({(*first)->language.range, "the first one is here"});
        return false;
    }

    void check_coverage(const ast::text& text, const std::string& owner,
                        const std::vector<const ast::translation*>& seen) {
        auto const has = [&](const std::string& language) {
            return std::any_of(seen.begin(), seen.end(), [&](const ast::translation* t) {
                return t->language.name.empty() ? language == default_language_ : t->language.name == language;
            });
        };
        if (!has(default_language_)) {
            c_.found.error("missing-translation", text.range,
                           cat(owner, " has no ", quoted(default_language_), " string, which it needs because ",
                               quoted(default_language_), " is the default language"));
        }
        std::vector<std::string> missing;
        for (const std::string& language : c_.model.languages) {
            if (language != default_language_ && !has(language)) {
                missing.push_back(quoted(language));
            }
        }
        if (missing.empty()) return;
        std::string list;
        for (std::size_t i = 0; i < missing.size(); ++i) {
            if (i > 0) list += i + 1 == missing.size() ? " or " : ", ";
            list += missing[i];
        }
        c_.found.warning("missing-translation", text.range,
                         cat(owner, " has no ", list, " string; people using ",
                             missing.size() == 1 ? missing.front() : std::string("those languages"), " see the ",
                             quoted(default_language_), " text instead"));
    }

    void check_pattern(const ast::translation& t, const std::string& language, const std::string& owner,
                       std::vector<symbol>* uses) {
        const std::string& value = t.value.value;
        std::string const where = t.language.name.empty() ? owner : cat(owner, " in ", quoted(language));
        if (value.size() > max_text_bytes) {
            c_.found.error("string-too-long", t.value.range,
                           cat(where, " is ", std::to_string(value.size()), " bytes long, but a text may be at most ",
                               std::to_string(max_text_bytes), " bytes in each language"));
            return;
        }
        // Without braces a string is plain text, whatever its apostrophes.
        if (value.find_first_of("{}") == std::string::npos) return;
        if (brace_depth(value) > max_text_nesting) {
            c_.found.error("too-deep", t.value.range,
                           cat(where, " nests braces more than ", std::to_string(max_text_nesting),
                               " levels deep; use fewer plural and select arguments inside one "
                               "another"));
            return;
        }
        icu::UnicodeString const pattern = icu::UnicodeString::fromUTF8(value);
        UParseError parse_error{};
        UErrorCode status = U_ZERO_ERROR;
        icu::MessageFormat const format(pattern, icu::Locale(language.c_str()), parse_error, status);
        if (U_FAILURE(status)) {
            auto& error = c_.found.error("message-format", t.value.range,
                                         cat(where, " is not a valid ICU MessageFormat pattern: ", reason(status)));
            // ICU locates only syntax errors; for the others its offset is always 0.
            if (status == U_PATTERN_SYNTAX_ERROR) {
                std::int32_t const offset = std::clamp(parse_error.offset, 0, pattern.length());
                error.message +=
                    cat(" (at character ", std::to_string(pattern.countChar32(0, offset) + 1), " of the string)");
            }
            return;
        }
        check_arguments(pattern, t, where, uses);
    }

    /// The arguments of a pattern that MessageFormat accepted.
    void check_arguments(const icu::UnicodeString& pattern, const ast::translation& t, const std::string& where,
                         std::vector<symbol>* uses) {
        UErrorCode status = U_ZERO_ERROR;
        icu::MessagePattern const parsed(pattern, nullptr, status);
        if (U_FAILURE(status)) return;
        std::int32_t arguments = 0;
        for (std::int32_t i = 0; i < parsed.countParts(); ++i) {
            if (parsed.getPartType(i) == UMSGPAT_PART_TYPE_ARG_START) ++arguments;
        }
        if (arguments > max_text_arguments) {
            c_.found.error("too-many-arguments", t.value.range,
                           cat(where, " has ", std::to_string(arguments), " arguments, but a text may have at most ",
                               std::to_string(max_text_arguments)));
            return;
        }
        std::vector<std::string> reported;
        for (std::int32_t i = 0; i < parsed.countParts(); ++i) {
            const icu::MessagePattern::Part& part = parsed.getPart(i);
            UMessagePatternPartType const type = part.getType();
            if (type != UMSGPAT_PART_TYPE_ARG_NAME && type != UMSGPAT_PART_TYPE_ARG_NUMBER) {
                continue;
            }
            std::string name;
            parsed.getSubstring(part).toUTF8String(name);
            if (std::find(reported.begin(), reported.end(), name) != reported.end()) continue;
            if (type == UMSGPAT_PART_TYPE_ARG_NUMBER) {
                reported.push_back(name);
                c_.found.error("message-format", t.value.range,
                               cat(where, " shows {", name,
                                   "}, but arguments are named by a question or let, not "
                                   "numbered"));
                continue;
            }
            symbol const what = c_.model.find(name);
            if (what.kind == symbol_kind::question || what.kind == symbol_kind::let) {
                if (what.kind == symbol_kind::let) c_.lets_named_in_texts[what.index] = true;
                if (uses != nullptr && std::find(uses->begin(), uses->end(), what) == uses->end()) {
                    uses->push_back(what);
                }
                continue;
            }
            reported.push_back(name);
            if (what.kind != symbol_kind::none) {
                auto& error =
                    c_.found.error("message-format", t.value.range,
                                   cat(where, " shows {", name, "}, but ", quoted(name), " is ",
                                       checker::a_kind_name(what.kind), "; a text can show only questions and lets"));
                error.notes.push_back({c_.definition_range(what), cat(quoted(name), " is defined here")});
                continue;
            }
            auto& error =
                c_.found.error("message-format", t.value.range,
                               cat(where, " shows {", name, "}, but no question or let is named ", quoted(name)));
            c_.add_suggestion(error, c_.suggest(name, {symbol_kind::question, symbol_kind::let}));
        }
    }
};

}  // namespace

void checker::check_texts() {
    lets_named_in_texts.assign(model.lets.size(), false);
    text_checker t(*this);
    t.check(tree.title, "the questionnaire's title");
    if (tree.description) t.check(*tree.description, "the description");
    for (const ast::source_def& source : tree.sources) {
        t.check(source.title, cat("the title of source ", quoted(source.name.name)));
    }
    auto const check_options = [&](const std::vector<ast::option_def>& options, std::vector<symbol>* uses) {
        for (const ast::option_def& option : options) {
            t.check(option.label, cat("the label of option ", quoted(option.id.name)), uses);
        }
    };
    // Questions and outcomes come in the order declare_items gave them their indices.
    std::uint32_t question_index = 0;
    std::uint32_t outcome_index = 0;
    auto const check_question = [&](const ast::question_def& question) {
        std::vector<symbol>* const uses = &model.questions[question_index++].text_uses;
        check_options(question.type.inline_options, uses);
        std::string const name = quoted(question.name.name);
        for (const ast::question_part& part : question.parts) {
            switch (part.kind) {
                case ast::question_part_kind::ask:
                    t.check(part.value, cat("the 'ask' of question ", name), uses);
                    break;
                case ast::question_part_kind::help:
                    t.check(part.value, cat("the 'help' of question ", name), uses);
                    break;
                case ast::question_part_kind::unit:
                    t.check(part.value, cat("the 'unit' of question ", name), uses);
                    break;
                case ast::question_part_kind::require:
                    t.check(part.value, cat("the 'else' text of a 'require' of question ", name), uses);
                    break;
            }
        }
    };
    auto const check_says = [&](const std::vector<ast::outcome_part>& parts, const std::string& owner,
                                std::vector<symbol>* uses) {
        for (const ast::outcome_part& part : parts) {
            if (part.kind == ast::outcome_part_kind::say) {
                t.check(part.say, cat("a 'say' of ", owner), uses);
            }
        }
    };
    for (const ast::item& item : tree.items) {
        if (const auto* options = std::get_if<ast::options_def>(&item)) {
            check_options(options->options, nullptr);
        } else if (const auto* section = std::get_if<ast::section_def>(&item)) {
            t.check(section->title, cat("the title of section ", quoted(section->name.name)));
            for (const ast::question_def& question : section->questions) check_question(question);
        } else if (const auto* question = std::get_if<ast::question_def>(&item)) {
            check_question(*question);
        } else if (const auto* outcome = std::get_if<ast::outcome_def>(&item)) {
            std::vector<symbol>* const uses = &model.outcomes[outcome_index++].text_uses;
            std::string const owner = cat("outcome ", quoted(outcome->name.name));
            t.check(outcome->title, cat("the title of ", owner), uses);
            check_says(outcome->parts, owner, uses);
        } else if (const auto* referral = std::get_if<ast::referral_def>(&item)) {
            // A second referral (an error) is checked but is not the model's.
            std::vector<symbol>* const uses =
                model.referral && model.referral->node == referral ? &model.referral->text_uses : nullptr;
            t.check(referral->title, "the referral's title", uses);
            check_says(referral->parts, "the referral", uses);
        }
    }
}

}  // namespace stepcare::check_detail
