#pragma once
/// What an editor needs to know about one questionnaire's source (`stepcare lsp`,
/// docs/authoring.md): every definition and every use of a name, with their places, and what
/// a name means, for hover, go to definition, references, highlights, rename, completion, the
/// outline and folding. Names are resolved as the checker resolves them: option ids bound
/// to the set of the question they are compared with, the arguments of the texts' ICU
/// MessageFormat patterns bound to their questions and lets.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/diagnostic.hpp"
#include "stepcare/export.h"

namespace stepcare {

/// A byte range of the source, half-open.
struct source_span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

enum class definition_kind {
    questionnaire,
    source,
    option_set,
    option,
    section,
    question,
    let,
    outcome,
    referral,
    test,
    invariant
};

struct definition {
    definition_kind kind = definition_kind::question;
    std::string name;               ///< a test's or invariant's name without quotes; "referral" for the referral
    source_span name_span;          ///< where the name is written
    source_span span;               ///< the whole definition, for the outline and folding
    std::size_t parent = SIZE_MAX;  ///< the enclosing definition (a section's questions, a set's options)
    /// One line: "yesno", "choice frequency", "integer 0..20 optional", "let: number",
    /// "outcome, guidance", "option = 2".
    std::string detail;
    /// Markdown for hover: a question's text, help, unit and options with scores; a let's
    /// definition; an outcome's level and title; a source's title; an option's label.
    std::string documentation;
    /// A choice or multi question: the definition its options are under (its named set, or
    /// the question itself for options of its own).
    std::size_t options = SIZE_MAX;
};

/// One place that names a definition: the definition itself, an expression, a `cite`, a
/// test's answer, or an argument of a text (`{tried, plural, ...}`).
struct name_use {
    std::size_t definition = 0;
    source_span span;
    bool is_definition = false;
};

struct source_index {
    std::vector<diagnostic> diagnostics;  ///< syntax and checking; tests do not run
    /// Whether the file parsed, so that the checker resolved its names. Otherwise only the
    /// questionnaire, its sources, the referral, tests and invariants are known.
    bool resolved = false;
    std::vector<definition> definitions;
    std::vector<name_use> uses;  ///< sorted by place
};

/// Indexes questionnaire source. With syntax errors the index holds what parsed.
STEPCARE_API source_index index_source(std::string_view source, std::string name);

/// A word of the language, for completion: a reserved word, or a builtin function.
struct language_word {
    std::string word;
    std::string signature;      ///< a builtin's, as in "sum(number, ...) -> number"; empty for a keyword
    std::string documentation;  ///< a builtin's meaning in one sentence; empty for a keyword
};

/// Every reserved word and builtin function, keywords first, each list in the language's order.
STEPCARE_API const std::vector<language_word>& language_words();

}  // namespace stepcare
