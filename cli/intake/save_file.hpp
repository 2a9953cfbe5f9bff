#pragma once
// Writing a file so that it is always either the old content or the new, whole and on
// disk: a temporary file in the same folder, written, flushed to disk, renamed over the
// target, then the folder flushed so that the rename itself survives a crash.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stepcare::cli::intake {

/// Replaces `path` with `content` atomically (permissions 0600: answers are personal).
/// Returns what went wrong, or nothing on success.
std::optional<std::string> save_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace stepcare::cli::intake
