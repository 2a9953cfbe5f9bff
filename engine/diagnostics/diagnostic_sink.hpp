#pragma once
/// Diagnostics as the phases produce them: byte ranges into one source file. They are
/// resolved to lines and columns only when handed to the caller.

#include <string>
#include <vector>

#include "source/source_file.hpp"
#include "stepcare/diagnostic.hpp"

namespace stepcare {

struct pending_note {
    source_range range;
    std::string message;
};

struct pending_diagnostic {
    severity level = severity::error;
    std::string code;
    source_range range;
    std::string message;
    std::vector<pending_note> notes;
};

/// Collects the diagnostics of one source file, in the order they are reported.
class diagnostic_sink {
public:
    pending_diagnostic& error(std::string code, source_range range, std::string message);
    pending_diagnostic& warning(std::string code, source_range range, std::string message);

    const std::vector<pending_diagnostic>& items() const { return items_; }
    std::size_t error_count() const { return error_count_; }
    bool has_errors() const { return error_count_ > 0; }

private:
    std::vector<pending_diagnostic> items_;
    std::size_t error_count_ = 0;
};

/// Turns byte ranges into lines and columns, with the source line for the excerpt.
diagnostic resolve(const source_file& source, const pending_diagnostic& pending);
std::vector<diagnostic> resolve_all(const source_file& source, const diagnostic_sink& sink);

}  // namespace stepcare
