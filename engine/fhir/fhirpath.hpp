#pragma once
/// `.sq` expressions as FHIRPath (docs/fhir.md, Expressions): one value, or the empty
/// collection where Stepcare's value is unknown.

#include <cstdint>
#include <string>

#include "compile/program.hpp"
#include "fhir/fhir_names.hpp"

namespace stepcare {

class fhirpath_writer {
public:
    /// `p` must have its checked model; both must outlive the writer.
    fhirpath_writer(const program& p, const fhir_names& names);

    /// The FHIRPath of expression `ref`.
    std::string expression(ast::expr_ref ref) const;

    /// `%resource.repeat(item).where(linkId='Q')`: the response items of question `q`.
    std::string answer_items(std::uint32_t question) const;

    /// `%V` for let `let`.
    std::string let_variable(std::uint32_t let) const { return "%" + names_.let_variables[let]; }
    std::string outcome_variable(std::uint32_t outcome) const { return "%" + names_.outcome_variables[outcome]; }

    /// A number as a FHIRPath literal: an integer, or a decimal with a point.
    static std::string number(double v);

private:
    std::string name(ast::expr_ref ref) const;
    std::string binary(const ast::expr_node& n, ast::expr_ref ref) const;
    std::string call(const ast::expr_node& n, ast::expr_ref ref) const;
    std::string score(ast::expr_ref choice) const;
    /// For a multi-valued operand: the codes chosen, and whether it has a value at all.
    std::string chosen(ast::expr_ref multi) const;
    std::string known(ast::expr_ref multi) const;
    std::string join(const std::vector<ast::expr_ref>& operands, std::string_view separator) const;
    std::string fold_extreme(const std::vector<ast::expr_ref>& operands, std::string_view keep_left_when) const;

    const program& p_;
    const checked_questionnaire& m_;
    const ast::questionnaire& tree_;
    const fhir_names& names_;
};

}  // namespace stepcare
