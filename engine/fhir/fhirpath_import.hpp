#pragma once
/// The FHIRPath that `stepcare import` reads (docs/fhir.md, "Questionnaires in"): a parser
/// for FHIRPath, and a translation of the recognised subset into `.sq` expressions with the
/// same value, the empty collection being Stepcare's unknown. Anything else is refused with
/// the place in the expression and what is not recognised.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/sq_writing.hpp"

namespace stepcare::fhir {

/// The types of `.sq` values.
enum class sq_type { boolean, number, text, choice, multi };

/// An option of a choice or multi question as FHIR names it and as the `.sq` file does.
struct fhir_option {
    std::string id;                    ///< the `.sq` option id
    std::string code;                  ///< the FHIR code (or string) it was made from
    std::optional<std::string> score;  ///< its score as `.sq` writes numbers (`-` allowed)
};

/// A question, let or outcome, as expressions reach it; or a group, which paths go through.
struct fhir_value {
    enum class role { question, let, outcome, group };
    role what = role::question;
    std::string name;  ///< its `.sq` name
    sq_type type = sq_type::boolean;
    const std::vector<fhir_option>* options = nullptr;  ///< for a choice or multi
    /// For an item: its linkId and those of the items it is inside, outermost first. Empty
    /// for a let or outcome made from a variable.
    std::vector<std::string> link_ids;
    /// The question whose being answered is exactly this value's being known (the question
    /// itself, or the one a let such as `score(q)` is made of); nullptr when there is none.
    const fhir_value* known_when_answered = nullptr;
    /// For a let: its FHIRPath, which KNOWN(...) of a multi value follows (docs/fhir.md).
    std::string fhirpath;
};

/// What the expressions of one questionnaire can name. A look-up that fails says why in
/// `why` and returns nullptr.
class fhirpath_names {
public:
    virtual ~fhirpath_names() = default;
    /// The item with this linkId.
    virtual const fhir_value* item(std::string_view link_id, std::string& why) = 0;
    /// The variable `%name`.
    virtual const fhir_value* variable(std::string_view name, std::string& why) = 0;
};

/// A FHIRPath expression in `.sq`, or why it is not.
struct fhirpath_translation {
    sq_ref expr;  ///< nullptr when the expression is refused
    sq_type type = sq_type::boolean;
    const std::vector<fhir_option>* options = nullptr;  ///< for a choice
    const fhir_value* known_when_answered = nullptr;    ///< as in fhir_value
    /// Why it is refused, naming the part of the expression ("at character 12 ...").
    std::string error;
};

/// How the value of an expression is used.
enum class fhirpath_use {
    value,       ///< as it is (a variable, a calculated item, an enableWhenExpression)
    constraint,  ///< a questionnaire-constraint: it holds only when true, so an unknown
                 ///< value must fail as false does, unless it has Stepcare's own form
                 ///< `((E).empty() or (E))`, which holds when E is not false
};

fhirpath_translation translate_fhirpath(std::string_view expression, fhirpath_names& names,
                                        fhirpath_use use = fhirpath_use::value);

/// `V` when the expression is only the variable `%V` (spaces aside).
std::optional<std::string> lone_variable(std::string_view expression);

}  // namespace stepcare::fhir
