#pragma once
/// Diagnostics: what the engine reports about a questionnaire file.
///
/// Diagnostics are plain values. Every phase collects them and returns them; the library
/// never throws for a problem in the questionnaire.

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "stepcare/export.h"

namespace stepcare {

/// How serious a diagnostic is. `note` only appears inside `diagnostic::notes`.
enum class severity { error, warning, note };

/// The spelling used in text and JSON output: "error", "warning" or "note".
STEPCARE_API const char* to_string(severity level);

/// One problem found in a questionnaire file, at a place in it.
///
/// Lines and columns are 1-based; columns count Unicode code points. The range is
/// half-open: (`end_line`, `end_column`) is the position just after its last character.
struct diagnostic {
    severity level = severity::error;
    std::string code;     ///< stable kebab-case identifier, e.g. "undefined-name"
    std::string message;  ///< one sentence, no trailing period
    std::string file;     ///< the file name as given to the engine
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    std::uint32_t end_line = 1;
    std::uint32_t end_column = 1;
    /// The text of `line` (no line break), shown under the message. None when there is no
    /// source to show: a file that could not be read or is too large to read, a diagnostic
    /// read back from JSON, a line too long to quote.
    std::optional<std::string> source_line;
    std::vector<diagnostic> notes;  ///< related places, each with level `note`
};

/// How `render_text` decorates its output.
struct render_options {
    bool color = false;  ///< ANSI colour and bold, for a terminal
};

/// Renders one diagnostic as compilers do:
/// `file:line:col: error: message [code]`, the source line, a `^~~~` caret under the range,
/// then one `file:line:col: note: message` line per note. Ends with a newline.
STEPCARE_API std::string render_text(const diagnostic& d, const render_options& options = {});

/// Renders diagnostics as a JSON array of objects with the keys
/// "file", "line", "column", "end_line", "end_column", "severity", "code", "message" and
/// "notes" (an array of objects of the same shape).
STEPCARE_API std::string to_json(const std::vector<diagnostic>& diagnostics);

/// Reads diagnostics written by `to_json` (source lines are not part of the JSON, so they
/// come back empty). On failure returns nothing and, when `error` is given, says why.
STEPCARE_API std::optional<std::vector<diagnostic>> diagnostics_from_json(std::string_view json,
                                                                          std::string* error = nullptr);

/// Counts the diagnostics of one level (notes inside diagnostics are not counted).
STEPCARE_API std::size_t count(const std::vector<diagnostic>& diagnostics, severity level);

}  // namespace stepcare
