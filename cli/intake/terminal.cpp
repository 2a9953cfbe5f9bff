// Terminal width, stop signals and interruptible line reading.

#include "intake/terminal.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string_view>

namespace stepcare::cli::intake {

namespace {

volatile sig_atomic_t stop_signal = 0;

extern "C" void on_stop_signal(int signal_number) { stop_signal = signal_number; }

constexpr int handled[3] = {SIGINT, SIGTERM, SIGHUP};

}  // namespace

std::size_t terminal_width(int fd) {
    std::size_t width = 0;
    winsize size{};
    if (isatty(fd) == 1 && ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        width = size.ws_col;
    } else if (char const* columns = std::getenv("COLUMNS"); columns != nullptr && *columns != '\0') {
        char* end = nullptr;
        long const n = std::strtol(columns, &end, 10);
        if (*end == '\0' && n > 0) width = static_cast<std::size_t>(n);
    }
    if (width == 0) width = 80;
    if (width < 20) width = 20;
    if (width > 1000) width = 1000;
    return width;
}

stop_signals::stop_signals() {
    stop_signal = 0;
    sigset_t stops;
    sigemptyset(&stops);
    for (int const s : handled) sigaddset(&stops, s);
    sigprocmask(SIG_BLOCK, &stops, &previous_mask_);
    waiting_mask_ = previous_mask_;
    for (int const s : handled) sigdelset(&waiting_mask_, s);
    for (int i = 0; i < 3; ++i) {
        struct sigaction action {};
        action.sa_handler = on_stop_signal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = 0;  // no SA_RESTART: a wait in progress returns with EINTR
        sigaction(handled[i], &action, &previous_[i]);
    }
}

stop_signals::~stop_signals() {
    for (int i = 0; i < 3; ++i) sigaction(handled[i], &previous_[i], nullptr);
    sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
}

int stop_signals::received() const { return stop_signal; }

void fd_line_source::take(std::string_view chunk) {
    if (skipping_) {
        std::size_t const end = chunk.find('\n');
        if (end == std::string_view::npos) return;
        skipping_ = false;
        chunk.remove_prefix(end + 1);
    }
    buffer_.append(chunk);
}

std::optional<std::string> fd_line_source::read_line() {
    cut_ = false;
    while (true) {
        if (signals_.received() != 0) {
            interrupted_ = true;
            return std::nullopt;
        }
        // Only the bytes not searched yet: a long line arrives in many reads.
        if (std::size_t const end = buffer_.find('\n', searched_); end != std::string::npos) {
            std::string line = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            searched_ = 0;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        searched_ = buffer_.size();
        if (buffer_.size() > max_input_line_bytes) {
            std::string line = buffer_.substr(0, max_input_line_bytes);
            buffer_.clear();
            searched_ = 0;
            skipping_ = true;
            cut_ = true;
            return line;
        }
        if (end_) {
            if (buffer_.empty()) return std::nullopt;
            std::string line = std::move(buffer_);
            buffer_.clear();
            searched_ = 0;
            if (!line.empty() && line.back() == '\r') line.pop_back();
            return line;
        }
        // Wait with the stop signals let through: one pending or arriving now ends the
        // wait with EINTR, and the loop sees it above.
        pollfd ready{fd_, POLLIN, 0};
        if (ppoll(&ready, 1, nullptr, &signals_.waiting_mask()) < 0) {
            if (errno != EINTR) end_ = true;
            continue;
        }
        // When input is ready at once, ppoll returns without delivering a pending stop
        // signal, so endless input (`yes |`, /dev/zero) would hold it off for ever: let it
        // through here.
        sigset_t blocked;
        sigprocmask(SIG_SETMASK, &signals_.waiting_mask(), &blocked);
        sigprocmask(SIG_SETMASK, &blocked, nullptr);
        char chunk[4096];
        ssize_t const n = ::read(fd_, chunk, sizeof chunk);
        if (n < 0) {
            if (errno != EINTR && errno != EAGAIN) end_ = true;
        } else if (n == 0) {
            end_ = true;
        } else {
            take({chunk, static_cast<std::size_t>(n)});
        }
    }
}

}  // namespace stepcare::cli::intake
