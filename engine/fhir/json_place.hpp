#pragma once
/// Places in a JSON document, for diagnostics about JSON input: the path of a value as FHIR
/// tools write it (`item[2].enableWhen[0].operator`) and its line and column in the text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace stepcare::fhir {

/// The way from a document's root to one of its values: object keys and array indexes.
class json_path {
public:
    json_path key(std::string_view name) const;
    json_path index(std::size_t position) const;
    /// `item[2].enableWhen[0].operator`; empty for the root.
    std::string text() const;

    using step = std::variant<std::string, std::size_t>;
    const std::vector<step>& steps() const { return steps_; }

private:
    std::vector<step> steps_;
};

/// Where a value is in a document's text. Lines and columns are 1-based, columns count code
/// points, and the end is just after the value's last character.
struct json_place {
    std::uint32_t line = 1;
    std::uint32_t column = 1;
    std::uint32_t end_line = 1;
    std::uint32_t end_column = 1;
    std::string line_text;  ///< the text of `line`, without its line break
};

/// Where each value of `paths` is in `text`, which must be valid JSON nested no deeper
/// than max_json_nesting; the start of the document for a path that is not in it. One pass
/// over the text, however many paths.
std::vector<json_place> locate(std::string_view text, const std::vector<json_path>& paths);

/// The place of byte `offset` of `text`, as a range of one character.
json_place place_of(std::string_view text, std::size_t offset);

/// The path of the first member whose key appears earlier in the same object, if any.
/// `text` must be valid JSON nested no deeper than max_json_nesting.
std::optional<json_path> first_repeated_key(std::string_view text);

}  // namespace stepcare::fhir
