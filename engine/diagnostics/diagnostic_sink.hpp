#pragma once
/// Diagnostics as the phases produce them: byte ranges into one source file. They are
/// resolved to lines and columns only when handed to the caller.

#include <string>
#include <vector>

#include "source/source_file.hpp"
#include "stepcare/diagnostic.hpp"
#include "foundation/limits.hpp"

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
    /// Reports an error. Past max_listed_diagnostics it is only counted, and the
    /// diagnostic returned (for adding notes) is a scratch one, thrown away.
    pending_diagnostic& error(std::string code, source_range range, std::string message);
    pending_diagnostic& warning(std::string code, source_range range, std::string message);

    /// The listed diagnostics, in the order reported.
    const std::vector<pending_diagnostic>& items() const { return items_; }
    /// Every error reported, listed or not.
    std::size_t error_count() const { return error_count_; }
    bool has_errors() const { return error_count_ > 0; }

    /// Counts what `other` left unlisted as left unlisted here (for a phase that collects
    /// its diagnostics apart, then reports the listed ones here).
    void add_unlisted(const diagnostic_sink& other);

    /// A diagnostic per level that had some left unlisted, saying how many.
    std::vector<pending_diagnostic> unlisted_summaries() const;

private:
    struct unlisted {
        std::size_t count = 0;
        source_range first;  ///< where the first one left out was reported
    };

    pending_diagnostic& add(severity level, std::string code, source_range range, std::string message);

    std::vector<pending_diagnostic> items_;
    std::size_t error_count_ = 0;
    std::size_t listed_[2] = {0, 0};  ///< errors, warnings
    unlisted unlisted_[2];
    pending_diagnostic discarded_;
};

/// Turns byte ranges into lines and columns, with the source line for the excerpt.
diagnostic resolve(const source_file& source, const pending_diagnostic& pending);
std::vector<diagnostic> resolve_all(const source_file& source, const diagnostic_sink& sink);

}  // namespace stepcare
