#pragma once
/// The texts of a compiled questionnaire: ICU MessageFormat patterns, one per language,
/// rendered with the answers and lets as arguments (language.md section 3).
///
/// Immutable once built, so one catalog may be shared by any number of threads; rendering
/// keeps its ICU formatters per thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"
#include "check/checked_questionnaire.hpp"

namespace stepcare {

/// A question's or let's value as a text shows it: a number, or words (`yes`, an option
/// id, option ids joined by ", ", the text answered, or `unknown`).
struct display_value {
    bool is_number = false;
    double number = 0;
    std::string words;
};

/// The argument values of one rendering: called once for each argument a pattern names,
/// with the question or let it names (kind `question` or `let`, as the checker bound it).
using argument_lookup = std::function<display_value(symbol)>;

class message_catalog {
public:
    /// `languages`: the questionnaire's declared languages, default first.
    explicit message_catalog(std::vector<std::string> languages);
    ~message_catalog();
    message_catalog(message_catalog&&) noexcept;
    message_catalog& operator=(message_catalog&&) noexcept;

    /// Adds a text of a questionnaire that checked without errors; returns its id.
    /// Argument names are resolved through `model` now, so rendering needs no lookups by name.
    std::uint32_t add(const ast::text& text, const checked_questionnaire& model);

    /// Text `id` in language `language` (an index into the languages), or in the default
    /// language when the text has no string in that one. Never throws for bad argument values.
    std::string render(std::uint32_t id, std::size_t language, const argument_lookup& lookup) const;

    /// Whether text `id` names any argument (if not, `render` needs no lookup and is cheap).
    bool has_arguments(std::uint32_t id) const;

    /// The questions and lets text `id` names in `language` (with the same fallback to the
    /// default language as `render`), each once. A rendering depends on nothing else, so
    /// equal values of these give equal texts; empty: the text is the same every time.
    const std::vector<symbol>& arguments(std::uint32_t id, std::size_t language) const;

    std::size_t size() const;

private:
    struct entry;
    std::vector<entry> entries_;
    std::vector<std::string> languages_;
    std::uint64_t serial_;  ///< tells this catalog's per-thread formatters from another's
};

}  // namespace stepcare
