#pragma once
/// One open document: its text, its version, and the conversion between the protocol's
/// positions (line and character, the character counted in UTF-16 code units unless the
/// client agreed to UTF-8) and byte offsets into the text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stepcare::lsp {

/// How a position's `character` counts (LSP 3.17 `PositionEncodingKind`).
enum class position_encoding { utf16, utf8 };

struct position {
    std::uint32_t line = 0;
    std::uint32_t character = 0;
};

class text_document {
public:
    text_document(std::string text, std::int64_t version);

    const std::string& text() const { return text_; }
    std::int64_t version() const { return version_; }

    /// The byte offset of `p`. A position past the end of its line is the line's end, and
    /// a line past the last is the end of the text, as the protocol asks; a position inside
    /// a character that takes two UTF-16 units is that character's start.
    std::uint32_t offset_of(position p, position_encoding encoding) const;

    /// The byte offset of a 0-based line and a count of code points into it (the engine's
    /// diagnostics count columns in code points), clamped to the line's end.
    std::uint32_t offset_of_code_points(std::uint32_t line, std::uint32_t code_points) const;

    /// The position of a byte offset (clamped to the text).
    position position_of(std::uint32_t offset, position_encoding encoding) const;

    /// Replaces the bytes from `begin` to `end` with `replacement`, then takes `version`.
    void replace(std::uint32_t begin, std::uint32_t end, std::string_view replacement, std::int64_t version);

    /// Replaces the whole text.
    void reset(std::string text, std::int64_t version);

private:
    std::string text_;
    std::int64_t version_;
    std::vector<std::uint32_t> line_starts_;

    void index_lines();
    std::uint32_t line_end(std::uint32_t line) const;
};

}  // namespace stepcare::lsp
