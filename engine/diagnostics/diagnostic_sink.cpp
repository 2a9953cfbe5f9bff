#include "diagnostics/diagnostic_sink.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace stepcare {

namespace {

/// `line` with every ill-formed UTF-8 sequence replaced by U+FFFD. One replacement per
/// sequence keeps one code point per column, so the caret still lines up.
std::string with_replacement_characters(std::string_view line) {
    std::string out;
    out.reserve(line.size());
    std::size_t copied = 0;
    for (const source_range& bad : find_invalid_utf8(line)) {
        out.append(line.substr(copied, bad.begin - copied));
        out.append("\xEF\xBF\xBD");
        copied = bad.end;
    }
    out.append(line.substr(copied));
    return out;
}

/// The fields a diagnostic and its notes share: where it is and the line it is on.
diagnostic located(const source_file& source, severity level, std::string code, source_range range,
                   std::string message) {
    const line_column begin = source.position_of(range.begin);
    // A reversed range would put the end before the caret; treat it as empty instead.
    const line_column end = source.position_of(std::max(range.begin, range.end));
    diagnostic d;
    d.level = level;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = source.name();
    d.line = begin.line;
    d.column = begin.column;
    d.end_line = end.line;
    d.end_column = end.column;
    std::string_view const line = source.line_text(begin.line);
    if (line.size() <= max_excerpt_bytes) d.source_line = with_replacement_characters(line);
    return d;
}

}  // namespace

pending_diagnostic& diagnostic_sink::add(severity level, std::string code, source_range range, std::string message) {
    std::size_t const kind = level == severity::error ? 0 : 1;
    if (listed_[kind] < max_listed_diagnostics) {
        ++listed_[kind];
        return items_.emplace_back(pending_diagnostic{level, std::move(code), range, std::move(message), {}});
    }
    if (unlisted_[kind].count++ == 0) unlisted_[kind].first = range;
    discarded_ = {};
    return discarded_;
}

pending_diagnostic& diagnostic_sink::error(std::string code, source_range range, std::string message) {
    ++error_count_;
    return add(severity::error, std::move(code), range, std::move(message));
}

pending_diagnostic& diagnostic_sink::warning(std::string code, source_range range, std::string message) {
    return add(severity::warning, std::move(code), range, std::move(message));
}

void diagnostic_sink::add_unlisted(const diagnostic_sink& other) {
    for (std::size_t kind = 0; kind < 2; ++kind) {
        if (other.unlisted_[kind].count == 0) continue;
        if (unlisted_[kind].count == 0) unlisted_[kind].first = other.unlisted_[kind].first;
        unlisted_[kind].count += other.unlisted_[kind].count;
        if (kind == 0) error_count_ += other.unlisted_[kind].count;
    }
}

std::vector<pending_diagnostic> diagnostic_sink::unlisted_summaries() const {
    std::vector<pending_diagnostic> summaries;
    for (std::size_t kind = 0; kind < 2; ++kind) {
        std::size_t const count = unlisted_[kind].count;
        if (count == 0) continue;
        bool const errors = kind == 0;
        std::string const what = std::string(errors ? "error" : "warning") + (count == 1 ? "" : "s");
        summaries.push_back({errors ? severity::error : severity::warning,
                             errors ? "too-many-errors" : "too-many-warnings",
                             unlisted_[kind].first,
                             std::to_string(count) + " more " + what + " " + (count == 1 ? "is" : "are") +
                                 " not listed; fix the ones above and check again",
                             {}});
    }
    return summaries;
}

diagnostic resolve(const source_file& source, const pending_diagnostic& pending) {
    diagnostic d = located(source, pending.level, pending.code, pending.range, pending.message);
    d.notes.reserve(pending.notes.size());
    for (const pending_note& note : pending.notes) {
        d.notes.push_back(located(source, severity::note, pending.code, note.range, note.message));
    }
    return d;
}

std::vector<diagnostic> resolve_all(const source_file& source, const diagnostic_sink& sink) {
    std::vector<diagnostic> resolved;
    resolved.reserve(sink.items().size() + 2);
    for (const pending_diagnostic& pending : sink.items()) {
        resolved.push_back(resolve(source, pending));
    }
    for (const pending_diagnostic& summary : sink.unlisted_summaries()) {
        resolved.push_back(resolve(source, summary));
    }
    return resolved;
}

}  // namespace stepcare
