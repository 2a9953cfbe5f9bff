#pragma once
// What the intake needs from a real terminal: its width, and reading lines from a file
// descriptor in a way that Ctrl-C interrupts cleanly.

#include <signal.h>

#include <cstddef>
#include <optional>
#include <string>

#include "intake/line_source.hpp"
#include "intake/screen.hpp"

namespace stepcare::cli::intake {

/// The width of the terminal on `fd` (TIOCGWINSZ); otherwise `COLUMNS`; otherwise 80.
std::size_t terminal_width(int fd);

/// A screen on standard output that asks the terminal its width each time, so that a
/// window resized during the intake is filled again.
class terminal_screen : public stream_screen {
public:
    terminal_screen(std::ostream& out, int fd, bool color) : stream_screen(out, terminal_width(fd), color), fd_(fd) {}
    std::size_t width() const override { return terminal_width(fd_); }

private:
    int fd_;
};

/// While it lives, SIGINT, SIGTERM and SIGHUP do not kill the program: they set a flag
/// and interrupt a read in progress. They are blocked except while waiting for input, so
/// one that arrives at any other moment is seen at the next wait, never lost. The handler
/// only stores the signal's number; everything else happens in normal code.
class stop_signals {
public:
    stop_signals();
    ~stop_signals();
    stop_signals(const stop_signals&) = delete;
    stop_signals& operator=(const stop_signals&) = delete;

    /// The signal received, or 0.
    int received() const;
    /// The signal mask to wait with: the usual one, with the stop signals let through.
    const sigset_t& waiting_mask() const { return waiting_mask_; }

private:
    sigset_t waiting_mask_;
    sigset_t previous_mask_;
    struct sigaction previous_[3];
};

/// Lines read from a file descriptor (standard input), interrupted by a stop signal.
class fd_line_source : public line_source {
public:
    fd_line_source(int fd, const stop_signals& signals) : fd_(fd), signals_(signals) {}
    std::optional<std::string> read_line() override;
    bool interrupted() const override { return interrupted_; }
    bool last_line_cut() const override { return cut_; }

private:
    /// Takes in what one read() brought.
    void take(std::string_view chunk);

    int fd_;
    const stop_signals& signals_;
    std::string buffer_;
    std::size_t searched_ = 0;  ///< bytes of buffer_ known to hold no line break
    bool skipping_ = false;     ///< dropping the rest of a line that was cut
    bool end_ = false;
    bool interrupted_ = false;
    bool cut_ = false;
};

}  // namespace stepcare::cli::intake
