// Atomic replacement of a file: write a temporary file, fsync, rename, fsync the folder.

#include "intake/save_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stepcare::cli::intake {

namespace {

std::string failure(const char* what, const std::filesystem::path& path) {
    return std::string(what) + " " + path.string() + ": " + std::strerror(errno);
}

/// Closes a descriptor when it goes out of scope.
struct descriptor {
    int fd = -1;
    ~descriptor() {
        if (fd >= 0) ::close(fd);
    }
};

bool write_all(int fd, std::string_view content) {
    while (!content.empty()) {
        ssize_t const n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

std::optional<std::string> save_atomically(const std::filesystem::path& path, std::string_view content) {
    std::filesystem::path const folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::filesystem::path const temporary =
        folder / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()));
    {
        descriptor file;
        file.fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (file.fd < 0) return failure("cannot create a temporary file next to", path);
        if (!write_all(file.fd, content)) {
            std::string problem = failure("cannot write a temporary file next to", path);
            ::unlink(temporary.c_str());
            return problem;
        }
        if (::fsync(file.fd) != 0) {
            std::string problem = failure("cannot flush to disk a temporary file next to", path);
            ::unlink(temporary.c_str());
            return problem;
        }
        int const closed = ::close(file.fd);
        file.fd = -1;
        if (closed != 0) {
            std::string problem = failure("cannot close a temporary file next to", path);
            ::unlink(temporary.c_str());
            return problem;
        }
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        std::string problem = failure("cannot rename a temporary file to", path);
        ::unlink(temporary.c_str());
        return problem;
    }
    descriptor dir;
    dir.fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir.fd < 0 || ::fsync(dir.fd) != 0) return failure("cannot flush the folder", folder);
    return std::nullopt;
}

}  // namespace stepcare::cli::intake
