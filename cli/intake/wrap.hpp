#pragma once
// Text laid out for a terminal: display width (East Asian wide characters take two
// columns, combining marks none) and wrapping at the line breaks ICU allows.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stepcare::cli::intake {

/// The columns `text` (UTF-8) takes on a terminal.
std::size_t display_width(std::string_view text);

/// Splits `text` into lines of at most `width` columns, breaking where the language's
/// line-breaking rules allow (`locale`, an ICU locale id such as "es"). A newline in the
/// text always breaks; a word wider than a line is cut between characters. The first
/// line is prefixed with `first_indent`, the others with `indent`, both counted in the width.
std::vector<std::string> wrap(std::string_view text, std::size_t width, std::string_view locale,
                              std::string_view first_indent = {}, std::string_view indent = {});

}  // namespace stepcare::cli::intake
