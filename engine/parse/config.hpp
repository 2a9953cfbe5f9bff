#pragma once
// The one place that fixes X3's iterator, skipper and context types. Every grammar
// translation unit instantiates its rules for exactly these types.

#include <boost/spirit/home/x3.hpp>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "diagnostics/quote.hpp"
#include "foundation/limits.hpp"

namespace stepcare::parse {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;

/// What the grammar's semantic actions need besides the attribute: where the source
/// starts (to turn iterators into offsets), the diagnostics, and the expression table.
struct parse_state {
    iterator_type begin;
    diagnostic_sink& diagnostics;
    std::vector<ast::expr_node>& expressions;
    int depth = 0;

    std::uint32_t offset(iterator_type it) const { return static_cast<std::uint32_t>(it - begin); }
    source_range range(iterator_type first, iterator_type last) const { return {offset(first), offset(last)}; }
};

struct parse_state_tag;

template <typename Context>
parse_state& state_of(Context const& context) {
    return x3::get<parse_state_tag>(context);
}

inline bool is_identifier_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// Skips whitespace and `#` comments in one call.
struct skipper_parser : x3::parser<skipper_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const&, RContext&, Attribute&) const {
        Iterator const start = first;
        while (first != last) {
            char const c = *first;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
                ++first;
            } else if (c == '#') {
                while (first != last && *first != '\n') ++first;
            } else {
                break;
            }
        }
        return first != start;
    }
};

using skipper_type = skipper_parser;
inline constexpr skipper_type skipper{};

using phrase_context_type = x3::phrase_parse_context<skipper_type>::type;
using context_type = x3::context<parse_state_tag, parse_state, phrase_context_type>;

/// A fixed spelling: a keyword, matched as a whole word (`when` never matches the start
/// of `whenever`), or punctuation such as `{`, `..` or `<=`. Its name in "expected ..."
/// messages is the spelling in quotes.
struct literal_parser : x3::parser<literal_parser> {
    using attribute_type = x3::unused_type;
    static bool const has_attribute = false;

    std::string_view text;
    bool whole_word;

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute&) const {
        Iterator it = first;
        x3::skip_over(it, last, context);
        for (char const c : text) {
            if (it == last || *it != c) return false;
            ++it;
        }
        if (whole_word && it != last && is_identifier_char(*it)) return false;
        first = it;
        return true;
    }
};

// Every primitive here leaves `first` alone when it fails, skipped whitespace included,
// so a rule's range ends at its last token rather than at the whitespace after it.

constexpr literal_parser kw(std::string_view word) { return literal_parser{{}, word, true}; }
constexpr literal_parser punct(std::string_view text) { return literal_parser{{}, text, false}; }

using raw_range = boost::iterator_range<iterator_type>;

/// Like x3::raw, with the matched range as an iterator_range attribute even inside
/// sequences, and without moving `first` when the subject fails.
template <typename Subject>
struct token_directive : x3::unary_parser<Subject, token_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, token_directive<Subject>>;
    using attribute_type = raw_range;
    static bool const has_attribute = true;
    static bool const handles_container = false;

    constexpr token_directive(Subject const& subject) : base_type(subject) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
               Attribute& attr) const {
        Iterator it = first;
        x3::skip_over(it, last, context);
        Iterator const start = it;
        if (!this->subject.parse(it, last, context, rcontext, x3::unused)) return false;
        x3::traits::move_to(raw_range(start, it), attr);
        first = it;
        return true;
    }
};

/// A token named for "expected ..." messages, e.g. `token("'('", punct("("))`.
template <typename Subject>
constexpr auto token(char const* name, Subject const& subject) {
    return x3::rule<struct raw_token_class, raw_range>{name} =
               token_directive<typename x3::extension::as_parser<Subject>::value_type>{x3::as_parser(subject)};
}

/// One of a few operator spellings, longest match first, with the operator as attribute.
struct operator_parser : x3::parser<operator_parser> {
    using attribute_type = ast::op;
    static bool const has_attribute = true;

    struct entry {
        std::string_view spelling;
        ast::op oper;
    };
    std::array<entry, 6> entries{};
    std::size_t count = 0;

    constexpr operator_parser(std::initializer_list<entry> list) {
        for (entry const& e : list) entries[count++] = e;
    }

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute& attr) const {
        Iterator it = first;
        x3::skip_over(it, last, context);
        std::size_t const available = static_cast<std::size_t>(last - it);
        for (std::size_t i = 0; i < count; ++i) {
            entry const& e = entries[i];
            if (e.spelling.size() <= available && std::string_view(it, e.spelling.size()) == e.spelling) {
                x3::traits::move_to(e.oper, attr);
                first = it + static_cast<std::ptrdiff_t>(e.spelling.size());
                return true;
            }
        }
        return false;
    }
};

/// Thrown inside the grammar when nesting passes `max_expression_nesting`; caught by the driver,
/// which reports it. It never leaves engine/parse/.
struct nesting_too_deep {
    iterator_type where;
};

/// Counts one level of nesting around its subject, so deep input gives a diagnostic
/// instead of exhausting the native stack.
template <typename Subject>
struct nesting_directive : x3::unary_parser<Subject, nesting_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, nesting_directive<Subject>>;
    static bool const is_pass_through_unary = true;

    constexpr nesting_directive(Subject const& subject) : base_type(subject) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
               Attribute& attr) const {
        parse_state& state = state_of(context);
        if (state.depth >= max_expression_nesting) {
            Iterator where = first;
            x3::skip_over(where, last, context);
            throw nesting_too_deep{where};
        }
        struct level_guard {
            int& depth;
            explicit level_guard(int& d) : depth(d) { ++depth; }
            ~level_guard() { --depth; }
        } const guard{state.depth};
        return this->subject.parse(first, last, context, rcontext, attr);
    }
};

struct nesting_gen {
    template <typename Subject>
    constexpr nesting_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        Subject const& subject) const {
        return {x3::as_parser(subject)};
    }
};
inline constexpr nesting_gen nested{};

/// Records the source range of the rule's own attribute (`_val`) for rules whose
/// attribute is built by semantic actions, where X3 hands `on_success` no attribute.
template <typename Subject>
struct ranged_directive : x3::unary_parser<Subject, ranged_directive<Subject>> {
    using base_type = x3::unary_parser<Subject, ranged_directive<Subject>>;
    static bool const is_pass_through_unary = true;

    constexpr ranged_directive(Subject const& subject) : base_type(subject) {}

    template <typename Iterator, typename Context, typename RContext, typename Attribute>
    bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext,
               Attribute& attr) const {
        Iterator it = first;
        x3::skip_over(it, last, context);
        Iterator const start = it;
        if (!this->subject.parse(it, last, context, rcontext, attr)) return false;
        if constexpr (std::is_base_of_v<ast::node, RContext>) rcontext.range = state_of(context).range(start, it);
        first = it;
        return true;
    }
};

struct ranged_gen {
    template <typename Subject>
    constexpr ranged_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
        Subject const& subject) const {
        return {x3::as_parser(subject)};
    }
};
inline constexpr ranged_gen ranged{};

/// Rule-ID base that records each AST node's source range once its rule matched.
struct annotate_range {
    template <typename Iterator, typename Attribute, typename Context>
    void on_success(Iterator const& first, Iterator const& last, Attribute& attr, Context const& context) const {
        if constexpr (std::is_base_of_v<ast::node, Attribute>) {
            attr.range = state_of(context).range(first, last);
        }
    }
};

}  // namespace stepcare::parse

namespace boost::spirit::x3 {
// "expected ..." messages name a wrapped parser by what it wraps, not by its C++ type.
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
    using result_type = std::string;
    std::string operator()(action<Subject, Action> const& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<stepcare::parse::ranged_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(stepcare::parse::ranged_directive<Subject> const& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<stepcare::parse::nesting_directive<Subject>> {
    using result_type = std::string;
    std::string operator()(stepcare::parse::nesting_directive<Subject> const& p) const { return what(p.subject); }
};
template <>
struct get_info<stepcare::parse::literal_parser> {
    using result_type = std::string;
    std::string operator()(stepcare::parse::literal_parser const& p) const { return stepcare::quoted(p.text); }
};
}  // namespace boost::spirit::x3
