#include "batch/line_reader.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stepcare::cli {

namespace {

constexpr std::size_t read_size = 1 << 16;

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

/// Whether a read of `fd` would return at once (data, the end, or an error to report).
bool readable_now(int fd) {
    pollfd waiting{fd, POLLIN, 0};
    int const ready = ::poll(&waiting, 1, 0);
    return ready != 0;
}

}  // namespace

line_reader::line_reader(int fd, std::size_t max_line) : fd_(fd), max_line_(max_line), buffer_(read_size) {}

void line_reader::read_more() {
    position_ = 0;
    available_ = 0;
    for (;;) {
        ssize_t const n = ::read(fd_, buffer_.data(), buffer_.size());
        if (n > 0) {
            available_ = static_cast<std::size_t>(n);
            return;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) error_ = errno;
        end_of_input_ = true;
        return;
    }
}

void line_reader::end_line(line_batch& batch) {
    in_line_ = false;
    if (too_long_) {
        batch.lines.push_back({line_begin_, 0, line_number_, true});
        return;
    }
    if (batch.text.size() > line_begin_ && batch.text.back() == '\r') batch.text.pop_back();
    std::string_view const line(batch.text.data() + line_begin_, batch.text.size() - line_begin_);
    if (blank(line)) {
        batch.text.resize(line_begin_);
        return;
    }
    batch.lines.push_back({line_begin_, line.size(), line_number_, false});
}

void line_reader::fill(line_batch& batch, std::size_t max_lines, std::size_t max_bytes) {
    batch.text.clear();
    batch.lines.clear();
    // A line is never split between batches: once started, it is read to its end.
    while (in_line_ || (batch.lines.size() < max_lines && batch.text.size() < max_bytes)) {
        if (position_ == available_) {
            if (end_of_input_) break;
            // Input that pauses (a program sending one record and waiting for its result)
            // gets the results of what it sent, rather than waiting for a full batch.
            if (!in_line_ && !batch.lines.empty() && !readable_now(fd_)) break;
            read_more();
            continue;
        }
        const char* const start = buffer_.data() + position_;
        std::size_t const left = available_ - position_;
        const auto* const newline = static_cast<const char*>(std::memchr(start, '\n', left));
        std::size_t const piece = newline != nullptr ? static_cast<std::size_t>(newline - start) : left;
        if (!in_line_) {
            in_line_ = true;
            too_long_ = false;
            line_size_ = 0;
            line_begin_ = batch.text.size();
            ++line_number_;
        }
        line_size_ += piece;
        if (!too_long_ && line_size_ > max_line_) {
            // From here on the line's bytes are counted and dropped, never stored.
            too_long_ = true;
            batch.text.resize(line_begin_);
        }
        if (!too_long_) batch.text.append(start, piece);
        position_ += piece;
        if (newline != nullptr) {
            ++position_;
            end_line(batch);
        }
    }
    // The last line may lack its line feed.
    if (in_line_ && end_of_input_ && position_ == available_) end_line(batch);
}

}  // namespace stepcare::cli
