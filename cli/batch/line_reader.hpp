#pragma once
// Splitting a stream of JSON Lines into batches of lines, with a limit on a line's length
// that holds without ever keeping a longer line in memory.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stepcare::cli {

/// The longest input line `eval` reads, in bytes, not counting its line feed
/// (docs/limits.md). A longer line gives an `invalid` result and is skipped unread.
inline constexpr std::size_t max_line_bytes = 1 << 20;

/// One non-blank line of input.
struct input_line {
    std::size_t begin = 0;     ///< where its bytes start in line_batch::text
    std::size_t size = 0;      ///< 0 when too long
    std::uint64_t number = 0;  ///< 1-based, counting every line of the input, blank ones too
    bool too_long = false;
};

/// A run of consecutive lines and, once evaluated, their results. Batches are reused, so
/// their buffers keep their capacity.
struct line_batch {
    std::uint64_t sequence = 0;  ///< its place in the input, from 0
    std::string text;            ///< the lines' bytes, without line breaks
    std::vector<input_line> lines;
    std::string results;            ///< one result line per line, each ending in '\n'
    std::size_t by_status[4] = {};  ///< results per stepcare::result_status

    std::string_view line_text(const input_line& line) const { return {text.data() + line.begin, line.size}; }
};

/// Reads lines from a file descriptor into batches. A line ending in CR LF is read as one
/// ending in LF; blank lines (only spaces, tabs and CR) are left out but counted.
class line_reader {
public:
    line_reader(int fd, std::size_t max_line = max_line_bytes);

    /// Replaces `batch`'s lines with the next ones: whole lines, until it holds
    /// `max_lines` lines or `max_bytes` bytes, the input ends, or (with at least one line
    /// read) no more input is ready without waiting. It may come back empty (only blank
    /// lines were left).
    void fill(line_batch& batch, std::size_t max_lines, std::size_t max_bytes);

    /// Whether the input has ended (or failed): `fill` finds nothing more.
    bool done() const { return end_of_input_ && position_ == available_ && !in_line_; }
    /// The `errno` of a failed read, or 0.
    int error() const { return error_; }

private:
    int fd_;
    std::size_t max_line_;
    std::vector<char> buffer_;
    std::size_t position_ = 0;
    std::size_t available_ = 0;
    bool end_of_input_ = false;
    int error_ = 0;
    // The line being read, which may span reads.
    bool in_line_ = false;
    bool too_long_ = false;
    std::size_t line_size_ = 0;
    std::size_t line_begin_ = 0;
    std::uint64_t line_number_ = 0;

    void read_more();
    void end_line(line_batch& batch);
};

}  // namespace stepcare::cli
