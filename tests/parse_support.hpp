#pragma once
// Helpers shared by the parser tests: parse a string, dump the tree, render diagnostics.

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "ast/ast_dump.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "parse/parser.hpp"

namespace stepcare::testing {

/// The bytes of a file under tests/data.
inline std::string read_test_file(const std::string& name) {
    std::ifstream in(std::string(STEPCARE_TEST_DATA) + "/" + name, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

struct parsed {
    source_file source;
    diagnostic_sink diagnostics;
    ast::questionnaire tree;

    explicit parsed(std::string text, std::string name = "test.sq")
        : source(std::move(name), std::move(text)), tree(parse_questionnaire(source, diagnostics)) {}

    std::string dump() const { return ast::dump(tree); }

    /// Every diagnostic rendered as text, in order.
    std::string rendered() const {
        std::string out;
        for (const auto& d : resolve_all(source, diagnostics)) out += render_text(d);
        return out;
    }

    std::string json() const { return to_json(resolve_all(source, diagnostics)); }
};

/// Compares `actual` with the golden file tests/data/`relative_path`, whole. With
/// STEPCARE_UPDATE_GOLDEN set, the golden file is rewritten first (review the diff).
inline void compare_with_golden(const std::string& relative_path, const std::string& actual) {
    if (std::getenv("STEPCARE_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(std::string(STEPCARE_TEST_DATA) + "/" + relative_path, std::ios::binary) << actual;
    }
    CHECK(read_test_file(relative_path) == actual);
}

/// A questionnaire with the given items after a minimal header.
inline std::string wrap(const std::string& items) {
    return "questionnaire q \"Q\" {\n  version \"1\"\n" + items + "\n}\n";
}

/// Parses one expression (as the value of a let) and dumps it.
inline std::string expr(const std::string& source) {
    parsed const p(wrap("let x = " + source));
    if (p.diagnostics.has_errors()) return "error: " + p.rendered();
    return ast::dump_expression(p.tree, std::get<ast::let_def>(p.tree.items.at(0)).value);
}

}  // namespace stepcare::testing
