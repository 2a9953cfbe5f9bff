#include "ast/ast.hpp"

#include <algorithm>

namespace stepcare::ast {

const std::vector<std::string_view>& reserved_words() {
    static const std::vector<std::string_view> words = {
        "questionnaire", "version",  "languages", "source",    "description", "options",
        "section",       "question", "choice",    "multi",     "yesno",       "integer",
        "decimal",       "text",     "optional",  "when",      "ask",         "help",
        "unit",          "require",  "let",       "outcome",   "urgent",      "caution",
        "guidance",      "info",     "say",       "cite",      "stop",        "referral",
        "test",          "given",    "expect",    "invariant", "and",         "or",
        "not",           "implies",  "in",        "has",       "if",          "then",
        "else",          "yes",      "no",        "true",      "false"};
    return words;
}

bool is_reserved(std::string_view word) {
    const auto& words = reserved_words();
    return std::find(words.begin(), words.end(), word) != words.end();
}

const char* spelling(op o) {
    switch (o) {
        case op::none: return "";
        case op::implies: return "implies";
        case op::or_: return "or";
        case op::and_: return "and";
        case op::not_: return "not";
        case op::eq: return "==";
        case op::ne: return "!=";
        case op::lt: return "<";
        case op::le: return "<=";
        case op::gt: return ">";
        case op::ge: return ">=";
        case op::in: return "in";
        case op::has: return "has";
        case op::add: return "+";
        case op::sub: return "-";
        case op::mul: return "*";
        case op::div: return "/";
        case op::negate: return "-";
        case op::coalesce: return "??";
    }
    return "";
}

const char* spelling(level l) {
    switch (l) {
        case level::urgent: return "urgent";
        case level::caution: return "caution";
        case level::guidance: return "guidance";
        case level::info: return "info";
    }
    return "";
}

}  // namespace stepcare::ast
