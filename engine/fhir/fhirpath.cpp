#include "fhir/fhirpath.hpp"

#include <charconv>
#include <cmath>

namespace stepcare {

using ast::expr_kind;
using ast::op;
using type_kind = expr_type::kind;

fhirpath_writer::fhirpath_writer(const program& p, const fhir_names& names)
    : p_(p), m_(*p.model), tree_(*p.tree), names_(names) {}

std::string fhirpath_writer::number(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buffer[64];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed);
    (void)error;  // 64 characters hold any decimal a `.sq` file can write
    return std::string(buffer, end);
}

std::string fhirpath_writer::answer_items(std::uint32_t question) const {
    return "%resource.repeat(item).where(linkId=" + fhirpath_string(p_.questions[question].id) + ")";
}

std::string fhirpath_writer::expression(ast::expr_ref ref) const {
    const ast::expr_node& n = tree_.expr(ref);
    switch (n.kind) {
        case expr_kind::number: return number(n.number);
        case expr_kind::string: return fhirpath_string(n.text);
        case expr_kind::boolean: return n.boolean ? "true" : "false";
        case expr_kind::yes_no:
            // `yes` next to a choice whose set has it is that option.
            if (m_.info(ref).binding.kind == symbol_kind::option) return fhirpath_string(n.boolean ? "yes" : "no");
            return n.boolean ? "true" : "false";
        case expr_kind::name: return name(ref);
        case expr_kind::set: return "(" + join(n.operands, " | ") + ")";
        case expr_kind::unary:
            if (n.oper == op::not_) return "(" + expression(n.operands[0]) + ").not()";
            return "(-" + expression(n.operands[0]) + ")";
        case expr_kind::binary: return binary(n, ref);
        case expr_kind::conditional: {
            std::string const condition = expression(n.operands[0]);
            return "iif((" + condition + ").empty(), {}, iif(" + condition + ", " + expression(n.operands[1]) + ", " +
                   expression(n.operands[2]) + "))";
        }
        case expr_kind::call: return call(n, ref);
    }
    return "{}";
}

std::string fhirpath_writer::name(ast::expr_ref ref) const {
    symbol const s = m_.info(ref).binding;
    switch (s.kind) {
        case symbol_kind::question: {
            std::string value = answer_items(s.index) + ".answer.value";
            question_kind const kind = p_.questions[s.index].kind;
            if (kind == question_kind::choice || kind == question_kind::multi) value += ".code";
            return value;
        }
        case symbol_kind::let: return let_variable(s.index);
        case symbol_kind::outcome: return outcome_variable(s.index);
        case symbol_kind::option: return fhirpath_string(m_.option_sets[s.option_set].options[s.index].id);
        default: return "{}";  // only in a questionnaire with errors, which never compiles
    }
}

std::string fhirpath_writer::chosen(ast::expr_ref multi) const { return expression(multi); }

std::string fhirpath_writer::known(ast::expr_ref multi) const {
    symbol const s = m_.info(multi).binding;
    // A multi question answered with no option has an item and no answer (docs/fhir.md).
    if (tree_.expr(multi).kind == expr_kind::name && s.kind == symbol_kind::question) {
        return answer_items(s.index) + ".exists()";
    }
    return "(" + expression(multi) + ").exists()";
}

std::string fhirpath_writer::binary(const ast::expr_node& n, ast::expr_ref ref) const {
    (void)ref;
    ast::expr_ref const left = n.operands[0];
    ast::expr_ref const right = n.operands[1];
    bool const multi = m_.info(left).type.type == type_kind::multi;
    auto infix = [&](std::string_view spelling) {
        return "(" + expression(left) + " " + std::string(spelling) + " " + expression(right) + ")";
    };
    switch (n.oper) {
        case op::implies: return infix("implies");
        case op::or_: return infix("or");
        case op::and_: return infix("and");
        case op::eq:
        case op::ne: {
            if (!multi) return infix(n.oper == op::eq ? "=" : "!=");
            // Two sets of options are equal when each holds the other, whatever the order.
            std::string const a = chosen(left);
            std::string const b = chosen(right);
            std::string same = "((" + a + ").subsetOf(" + b + ") and (" + b + ").subsetOf(" + a + "))";
            if (n.oper == op::ne) same = "(" + same + ").not()";
            return "iif(" + known(left) + " and " + known(right) + ", " + same + ", {})";
        }
        case op::lt: return infix("<");
        case op::le: return infix("<=");
        case op::gt: return infix(">");
        case op::ge: return infix(">=");
        case op::in: return infix("in");
        case op::has: return "iif(" + known(left) + ", (" + chosen(left) + " contains " + expression(right) + "), {})";
        case op::add: return infix("+");
        case op::sub: return infix("-");
        case op::mul: return infix("*");
        case op::div: return infix("/");
        case op::coalesce: {
            std::string const value = expression(left);
            return "iif((" + value + ").exists(), " + value + ", " + expression(right) + ")";
        }
        case op::none:
        case op::not_:
        case op::negate: break;
    }
    return "{}";
}

std::string fhirpath_writer::join(const std::vector<ast::expr_ref>& operands, std::string_view separator) const {
    std::string out;
    for (std::size_t i = 0; i < operands.size(); ++i) {
        if (i > 0) out += separator;
        out += expression(operands[i]);
    }
    return out;
}

std::string fhirpath_writer::fold_extreme(const std::vector<ast::expr_ref>& operands,
                                          std::string_view keep_left_when) const {
    std::string result = expression(operands[0]);
    bool result_may_be_empty = tree_.expr(operands[0]).kind != expr_kind::number;
    for (std::size_t i = 1; i < operands.size(); ++i) {
        std::string const next = expression(operands[i]);
        // Unknown when any operand is: a number literal never is.
        std::string unknown;
        if (result_may_be_empty) unknown = "(" + result + ").empty()";
        if (tree_.expr(operands[i]).kind != expr_kind::number) {
            unknown += (unknown.empty() ? "(" : " or (") + next + ").empty()";
        }
        std::string const pick =
            "iif((" + result + " " + std::string(keep_left_when) + " " + next + "), " + result + ", " + next + ")";
        result = unknown.empty() ? pick : "iif(" + unknown + ", {}, " + pick + ")";
        result_may_be_empty = !unknown.empty();
    }
    return result;
}

std::string fhirpath_writer::score(ast::expr_ref choice) const {
    const option_set_info& set = m_.option_sets[m_.info(choice).type.option_set];
    std::string const value = expression(choice);
    std::string out;
    for (const option_info& option : set.options) {
        out += "iif((" + value + " = " + fhirpath_string(option.id) + "), " + number(option.score.value_or(0)) + ", ";
    }
    out += "{}";
    out.append(set.options.size(), ')');
    return out;
}

std::string fhirpath_writer::call(const ast::expr_node& n, ast::expr_ref ref) const {
    switch (*m_.info(ref).function) {
        case builtin::answered: {
            ast::expr_ref const argument = n.operands[0];
            symbol const s = m_.info(argument).binding;
            if (s.kind == symbol_kind::question && p_.questions[s.index].kind == question_kind::multi) {
                return answer_items(s.index) + ".exists()";
            }
            if (s.kind == symbol_kind::question) return answer_items(s.index) + ".answer.exists()";
            return "(" + expression(argument) + ").exists()";
        }
        case builtin::score: return score(n.operands[0]);
        case builtin::count: {
            ast::expr_ref const argument = n.operands[0];
            return "iif(" + known(argument) + ", (" + chosen(argument) + ").count(), {})";
        }
        case builtin::sum: return "(" + join(n.operands, " + ") + ")";
        case builtin::min: return fold_extreme(n.operands, "<=");
        case builtin::max: return fold_extreme(n.operands, ">=");
        case builtin::any: return "(" + join(n.operands, " or ") + ")";
        case builtin::all: return "(" + join(n.operands, " and ") + ")";
    }
    return "{}";
}

}  // namespace stepcare
