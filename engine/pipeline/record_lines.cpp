#include "stepcare/record_lines.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace stepcare {

namespace {

constexpr std::size_t read_size = 1 << 16;

bool blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

}  // namespace

record_source file_descriptor_source(int fd) {
    record_source source;
    source.read = [fd](char* into, std::size_t size) -> std::ptrdiff_t {
        for (;;) {
            ssize_t const n = ::read(fd, into, size);
            if (n >= 0) return n;
            if (errno != EINTR) return -errno;
        }
    };
    source.ready = [fd] {
        pollfd waiting{fd, POLLIN, 0};
        return ::poll(&waiting, 1, 0) != 0;  // data, the end, or an error to report
    };
    return source;
}

struct record_line_reader::state {
    record_source source;
    std::size_t max_line;
    std::vector<char> buffer = std::vector<char>(read_size);
    std::size_t position = 0;
    std::size_t available = 0;
    bool end_of_input = false;
    int error = 0;
    // The line being read, which may span reads.
    bool in_line = false;
    bool too_long = false;
    std::size_t line_size = 0;
    std::size_t line_begin = 0;
    std::uint64_t line_number = 0;

    void read_more() {
        position = 0;
        available = 0;
        std::ptrdiff_t const n = source.read(buffer.data(), buffer.size());
        if (n > 0) {
            available = static_cast<std::size_t>(n);
            return;
        }
        if (n < 0) error = static_cast<int>(-n);
        end_of_input = true;
    }

    void end_line(record_lines& run) {
        in_line = false;
        if (too_long) {
            run.lines.push_back({line_begin, 0, line_number, true});
            return;
        }
        if (run.text.size() > line_begin && run.text.back() == '\r') run.text.pop_back();
        std::string_view const line(run.text.data() + line_begin, run.text.size() - line_begin);
        if (blank(line)) {
            run.text.resize(line_begin);
            return;
        }
        run.lines.push_back({line_begin, line.size(), line_number, false});
    }
};

record_line_reader::record_line_reader(record_source source, std::size_t max_line)
    : state_(std::make_unique<state>(state{std::move(source), max_line})) {}
record_line_reader::~record_line_reader() = default;
record_line_reader::record_line_reader(record_line_reader&&) noexcept = default;
record_line_reader& record_line_reader::operator=(record_line_reader&&) noexcept = default;

bool record_line_reader::done() const {
    return state_->end_of_input && state_->position == state_->available && !state_->in_line;
}

int record_line_reader::error() const { return state_->error; }

void record_line_reader::fill(record_lines& run, std::size_t max_lines, std::size_t max_bytes) {
    state& s = *state_;
    run.text.clear();
    run.lines.clear();
    // A line is never split between runs: once started, it is read to its end.
    while (s.in_line || (run.lines.size() < max_lines && run.text.size() < max_bytes)) {
        if (s.position == s.available) {
            if (s.end_of_input) break;
            // Input that pauses (a program sending one record and waiting for its result)
            // gets the results of what it sent, rather than waiting for a full run.
            if (!s.in_line && !run.lines.empty() && s.source.ready && !s.source.ready()) break;
            s.read_more();
            continue;
        }
        const char* const start = s.buffer.data() + s.position;
        std::size_t const left = s.available - s.position;
        const auto* const newline = static_cast<const char*>(std::memchr(start, '\n', left));
        std::size_t const piece = newline != nullptr ? static_cast<std::size_t>(newline - start) : left;
        if (!s.in_line) {
            s.in_line = true;
            s.too_long = false;
            s.line_size = 0;
            s.line_begin = run.text.size();
            ++s.line_number;
        }
        s.line_size += piece;
        if (!s.too_long && s.line_size > s.max_line) {
            // From here on the line's bytes are counted and dropped, never stored.
            s.too_long = true;
            run.text.resize(s.line_begin);
        }
        if (!s.too_long) run.text.append(start, piece);
        s.position += piece;
        if (newline != nullptr) {
            ++s.position;
            s.end_line(run);
        }
    }
    // The last line may lack its line feed.
    if (s.in_line && s.end_of_input && s.position == s.available) s.end_line(run);
}

std::string too_long_line_message(std::uint64_t line_number) {
    return "line " + std::to_string(line_number) + " is longer than " + std::to_string(max_record_line_bytes) +
           " bytes, the most a record may take; it was not read";
}

}  // namespace stepcare
