/// Text and JSON renderings of diagnostics (interfaces.md section 5: the formats are a
/// contract that editors, CI and users' scripts parse).

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/diagnostic.hpp"

namespace stepcare {

namespace {

constexpr std::string_view reset = "\x1b[0m";
constexpr std::string_view bold = "\x1b[1m";
constexpr std::string_view bold_red = "\x1b[1;31m";
constexpr std::string_view bold_magenta = "\x1b[1;35m";
constexpr std::string_view bold_cyan = "\x1b[1;36m";
constexpr std::string_view green = "\x1b[32m";

/// The gutter is at least this wide so that excerpts of short files line up with the
/// usual compiler output.
constexpr std::size_t min_gutter_width = 5;

/// Appends `text`, wrapped in `style` and a reset when colour is on.
void append_styled(std::string& out, std::string_view text, std::string_view style, bool color) {
    if (color) {
        out.append(style);
    }
    out.append(text);
    if (color) {
        out.append(reset);
    }
}

std::string_view level_style(severity level) {
    switch (level) {
        case severity::error: return bold_red;
        case severity::warning: return bold_magenta;
        case severity::note: return bold_cyan;
    }
    return bold_red;  // only reached through a cast to an enumerator that does not exist
}

/// `file:line:col: level: message`, the start of every heading line.
void append_heading(std::string& out, const diagnostic& d, bool color) {
    const std::string location = d.file + ':' + std::to_string(d.line) + ':' + std::to_string(d.column) + ':';
    append_styled(out, location, bold, color);
    out += ' ';
    append_styled(out, std::string(to_string(d.level)) + ':', level_style(d.level), color);
    out += ' ';
    append_styled(out, d.message, bold, color);
}

/// The code points of `text`; an ill-formed sequence is one negative value, as it is one
/// column.
std::vector<UChar32> code_points(std::string_view text) {
    std::vector<UChar32> points;
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int64_t>(text.size());
    std::int64_t i = 0;
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(bytes, i, length, c);
        points.push_back(c);
    }
    return points;
}

/// Terminals give East Asian wide and fullwidth characters two cells.
std::size_t cells_of(UChar32 c) {
    if (c < 0) {
        return 1;
    }
    const auto width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
    return width == U_EA_WIDE || width == U_EA_FULLWIDTH ? 2 : 1;
}

/// The source line and the `^~~~` under the diagnostic's range on it.
void append_excerpt(std::string& out, const diagnostic& d, bool color) {
    const std::string number = std::to_string(d.line);
    const std::size_t gutter_width = std::max(min_gutter_width, number.size());
    out.append(gutter_width - number.size(), ' ');
    out += number;
    out += " | ";
    out += *d.source_line;
    out += '\n';

    const std::vector<UChar32> points = code_points(*d.source_line);
    const std::size_t first = std::max<std::uint32_t>(d.column, 1) - 1;
    std::size_t underlined = 0;
    if (d.end_line == d.line) {
        underlined = d.end_column > d.column ? d.end_column - d.column : 0;
    } else if (points.size() > first) {
        // A range over several lines is underlined to the end of its first line.
        underlined = points.size() - first;
    }

    out.append(gutter_width, ' ');
    out += " | ";
    // Past the end of the line (a range at the line break or end of file) there are no
    // characters to copy, and each column is one cell.
    for (std::size_t k = 0; k < first; ++k) {
        if (k < points.size() && points[k] == '\t') {
            // The terminal expands the tab in the source line; copying it keeps the caret
            // under the same cell whatever its tab width.
            out += '\t';
        } else {
            out.append(k < points.size() ? cells_of(points[k]) : 1, ' ');
        }
    }
    std::string caret = "^";
    for (std::size_t k = 0; k < underlined; ++k) {
        const std::size_t index = first + k;
        const std::size_t cells = index < points.size() ? cells_of(points[index]) : 1;
        caret.append(k == 0 ? cells - 1 : cells, '~');
    }
    append_styled(out, caret, green, color);
    out += '\n';
}

nlohmann::ordered_json json_of(const diagnostic& d) {
    nlohmann::ordered_json notes = nlohmann::ordered_json::array();
    for (const diagnostic& note : d.notes) {
        notes.push_back(json_of(note));
    }
    nlohmann::ordered_json object;
    object["file"] = d.file;
    object["line"] = d.line;
    object["column"] = d.column;
    object["end_line"] = d.end_line;
    object["end_column"] = d.end_column;
    object["severity"] = to_string(d.level);
    object["code"] = d.code;
    object["message"] = d.message;
    object["notes"] = std::move(notes);
    return object;
}

diagnostic diagnostic_of(const nlohmann::json& object) {
    diagnostic d;
    d.file = object.at("file").get<std::string>();
    d.line = object.at("line").get<std::uint32_t>();
    d.column = object.at("column").get<std::uint32_t>();
    d.end_line = object.at("end_line").get<std::uint32_t>();
    d.end_column = object.at("end_column").get<std::uint32_t>();
    std::string const level = object.at("severity").get<std::string>();
    if (level == "error") {
        d.level = severity::error;
    } else if (level == "warning") {
        d.level = severity::warning;
    } else if (level == "note") {
        d.level = severity::note;
    } else {
        throw std::invalid_argument("unknown severity '" + level + "'");
    }
    d.code = object.at("code").get<std::string>();
    d.message = object.at("message").get<std::string>();
    for (const nlohmann::json& note : object.at("notes")) d.notes.push_back(diagnostic_of(note));
    return d;
}

}  // namespace

std::optional<std::vector<diagnostic>> diagnostics_from_json(std::string_view json, std::string* error) {
    try {
        nlohmann::json const array = nlohmann::json::parse(json);
        if (!array.is_array()) throw std::invalid_argument("diagnostics JSON must be an array");
        std::vector<diagnostic> out;
        for (const nlohmann::json& object : array) out.push_back(diagnostic_of(object));
        return out;
    } catch (const std::exception& e) {
        if (error != nullptr) *error = e.what();
        return std::nullopt;
    }
}

const char* to_string(severity level) {
    switch (level) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";  // only reached through a cast to an enumerator that does not exist
}

std::string render_text(const diagnostic& d, const render_options& options) {
    std::string out;
    append_heading(out, d, options.color);
    if (!d.code.empty()) {
        out += " [";
        out += d.code;
        out += ']';
    }
    out += '\n';
    if (d.source_line) append_excerpt(out, d, options.color);
    for (const diagnostic& note : d.notes) {
        append_heading(out, note, options.color);
        out += '\n';
    }
    return out;
}

std::string to_json(const std::vector<diagnostic>& diagnostics) {
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const diagnostic& d : diagnostics) {
        array.push_back(json_of(d));
    }
    // `replace` so that a message or file name with invalid UTF-8 cannot make this throw.
    return array.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::size_t count(const std::vector<diagnostic>& diagnostics, severity level) {
    return static_cast<std::size_t>(std::count_if(diagnostics.begin(), diagnostics.end(),
                                                  [level](const diagnostic& d) { return d.level == level; }));
}

}  // namespace stepcare
