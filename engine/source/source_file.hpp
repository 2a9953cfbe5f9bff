#pragma once
/// A questionnaire's source text with a precomputed line table, so that any byte offset
/// renders as line:column (columns in code points) without rescanning the file.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "source/source_range.hpp"
#include "foundation/limits.hpp"

namespace stepcare {

struct line_column {
    std::uint32_t line = 1;    ///< 1-based
    std::uint32_t column = 1;  ///< 1-based, in code points
};

class source_file {
public:
    /// `name` is how diagnostics refer to the file; `text` is its bytes, unchanged.
    source_file(std::string name, std::string text);

    const std::string& name() const { return name_; }
    const std::string& text() const { return text_; }

    /// Offset of the first byte after a UTF-8 byte-order mark, or 0.
    std::uint32_t content_begin() const;

    /// The line and column of a byte offset (offset <= size). A UTF-8 BOM is not counted.
    /// Each maximal ill-formed byte sequence counts as one column.
    line_column position_of(std::uint32_t offset) const;

    /// The text of a 1-based line, without its line break (and without a trailing '\r').
    /// Line 1 starts after a UTF-8 BOM, matching `position_of`'s columns.
    std::string_view line_text(std::uint32_t line) const;

    std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }

private:
    std::string name_;
    std::string text_;
    std::vector<std::uint32_t> line_starts_;
};

/// The byte ranges of every ill-formed UTF-8 sequence in `text` (empty when valid).
std::vector<source_range> find_invalid_utf8(std::string_view text);

}  // namespace stepcare
