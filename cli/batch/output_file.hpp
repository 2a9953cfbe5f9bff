#pragma once
// Where `eval` writes its results: standard output, or a file that appears, complete, only
// when the run succeeds (a temporary file in the same folder, flushed to disk and renamed).

#include <string>
#include <string_view>

namespace stepcare::cli {

class output_file {
public:
    output_file() = default;
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    /// Removes the temporary file if `commit` was not reached.
    ~output_file();

    /// Opens `path` for writing: "-" is standard output; a path that names a device or a
    /// pipe is written directly; anything else gets a temporary file next to it. On
    /// failure returns false and sets `error`.
    bool open(const std::string& path, std::string& error);

    /// Writes all of `bytes`; false (and `error`) when the system refuses.
    bool write(std::string_view bytes, std::string& error);

    /// Makes the output final: flushes the temporary file to disk, renames it over the
    /// target and flushes the folder, so the rename survives a crash.
    bool commit(std::string& error);

private:
    int fd_ = -1;
    bool owned_ = false;     ///< fd_ is ours to close
    std::string target_;     ///< the file the results end up in ("" for a direct write)
    std::string temporary_;  ///< "" when writing directly
};

}  // namespace stepcare::cli
