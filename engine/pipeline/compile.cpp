#include "stepcare/compile.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "check/checker.hpp"
#include "diagnostics/diagnostic_sink.hpp"
#include "parse/parser.hpp"

namespace stepcare {

compile_result compile_source(std::string_view text, std::string name) {
    source_file const source(std::move(name), std::string(text));
    diagnostic_sink sink;
    ast::questionnaire const tree = parse_questionnaire(source, sink);
    // Checking a tree with syntax errors would report the gaps they left as mistakes.
    if (!sink.has_errors()) check_questionnaire(tree, sink);
    return {resolve_all(source, sink), true};
}

compile_result compile_file(const std::filesystem::path& path) {
    std::string const name = path.string();
    auto unreadable = [&](const std::string& why) {
        diagnostic d;
        d.code = "unreadable-file";
        d.file = name;
        d.message = "cannot read '" + name + "': " + why;
        return compile_result{{std::move(d)}, false};
    };
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) return unreadable("it is a folder");
    auto const size = std::filesystem::file_size(path, error);
    if (error) return unreadable(error.message());
    if (size > max_source_bytes) {
        diagnostic d;
        d.code = "file-too-large";
        d.file = name;
        d.message = "the file is " + std::to_string(size) + " bytes; questionnaire files may be at most " +
                    std::to_string(max_source_bytes) + " bytes";
        return {{std::move(d)}, true};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return unreadable(std::strerror(errno));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return unreadable("read error");
    return compile_source(content.str(), name);
}

}  // namespace stepcare
