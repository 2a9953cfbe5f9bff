#include "stepcare/format.hpp"

#include "ast/ast_dump.hpp"
#include "check/checker.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "format/formatter.hpp"
#include "parse/parser.hpp"
#include "pipeline/read_file.hpp"

namespace stepcare {

format_result format_source(std::string_view text, std::string name) {
    format_result result;
    source_file const source(name, std::string(text));
    diagnostic_sink sink;
    ast::questionnaire const tree = parse_questionnaire(source, sink);
    // Syntax and checking errors only: a file whose tests fail is still formatted.
    if (!sink.has_errors()) check_questionnaire(tree, sink);
    if (sink.has_errors()) {
        for (diagnostic& d : resolve_all(source, sink)) {
            if (d.level == severity::error) result.diagnostics.push_back(std::move(d));
        }
        return result;
    }
    std::string formatted = format_questionnaire(source, tree);

    // The layout's own safety check: the same tree, positions aside, and the same comments.
    source_file const again(name, formatted);
    diagnostic_sink reparse;
    ast::questionnaire const reparsed = parse_questionnaire(again, reparse);
    if (reparse.has_errors() || ast::dump(reparsed) != ast::dump(tree) || comments_of(again) != comments_of(source)) {
        diagnostic_sink unsafe;
        unsafe.error("format-unsafe", tree.name.range,
                     "the canonical layout of this file would not read back as the same questionnaire with the "
                     "same comments, so it was left unchanged; this is a fault of the formatter, please report "
                     "it with the file");
        result.diagnostics = resolve_all(source, unsafe);
        return result;
    }
    result.formatted = std::move(formatted);
    return result;
}

format_result format_file(const std::filesystem::path& path) {
    format_result result;
    std::optional<std::string> const text = read_questionnaire_file(path, result.diagnostics, result.readable);
    if (!text) return result;
    return format_source(*text, path.string());
}

}  // namespace stepcare
