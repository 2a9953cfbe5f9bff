#include "batch/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

namespace stepcare::cli {

namespace fs = std::filesystem;

namespace {

std::string failure(const std::string& what) { return what + ": " + std::strerror(errno); }

/// The permissions a newly created file gets: 0666 less the process's umask (mkstemp
/// itself creates 0600).
mode_t new_file_mode() {
    mode_t const mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

}  // namespace

output_file::~output_file() {
    if (owned_ && fd_ >= 0) ::close(fd_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

bool output_file::open(const std::string& path, std::string& error) {
    if (path == "-") {
        fd_ = STDOUT_FILENO;
        return true;
    }
    struct stat status {};
    if (::stat(path.c_str(), &status) == 0 && !S_ISREG(status.st_mode)) {
        // /dev/null, a pipe, a terminal: nothing to replace, and renaming over them would be wrong.
        fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd_ < 0) {
            error = failure("cannot write '" + path + "'");
            return false;
        }
        owned_ = true;
        return true;
    }
    // Through a symbolic link, the file it names is the one replaced.
    std::error_code ignored;
    fs::path const resolved = fs::weakly_canonical(path, ignored);
    target_ = resolved.empty() ? path : resolved.string();
    fs::path const folder = fs::path(target_).has_parent_path() ? fs::path(target_).parent_path() : fs::path(".");
    std::string pattern = (folder / ("." + fs::path(target_).filename().string() + ".tmp-XXXXXX")).string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    fd_ = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd_ < 0) {
        error = failure("cannot create a temporary file next to '" + path + "'");
        return false;
    }
    owned_ = true;
    temporary_ = name.data();
    if (::fchmod(fd_, new_file_mode()) != 0) {
        error = failure("cannot set the permissions of a temporary file next to '" + path + "'");
        return false;
    }
    return true;
}

bool output_file::write(std::string_view bytes, std::string& error) {
    while (!bytes.empty()) {
        ssize_t const n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            error = failure("writing the output failed");
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool output_file::commit(std::string& error) {
    if (temporary_.empty()) return true;
    if (::fsync(fd_) != 0) {
        error = failure("cannot flush the output to disk");
        return false;
    }
    int const closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) {
        error = failure("cannot close the output");
        return false;
    }
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
        error = failure("cannot rename the output to '" + target_ + "'");
        return false;
    }
    temporary_.clear();
    fs::path const folder = fs::path(target_).has_parent_path() ? fs::path(target_).parent_path() : fs::path(".");
    int const dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0 || ::fsync(dir) != 0) {
        error = failure("cannot flush the folder of '" + target_ + "' to disk");
        if (dir >= 0) ::close(dir);
        return false;
    }
    ::close(dir);
    return true;
}

}  // namespace stepcare::cli
