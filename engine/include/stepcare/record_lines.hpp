#pragma once
/// Reading JSON Lines input into runs of records, as `stepcare eval` reads it: with a limit
/// on a line's length that holds without ever keeping a longer line in memory. The
/// program's `eval` and the Python package's `evaluate_many` read through this.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/export.h"

namespace stepcare {

/// The longest record line read, in bytes, not counting its line break (docs/limits.md).
/// A longer line gets an `invalid` result (`too_long_line_message`) and is skipped unread.
inline constexpr std::size_t max_record_line_bytes = 1 << 20;

/// One non-blank line of input.
struct record_line {
    std::size_t begin = 0;     ///< where its bytes start in record_lines::text
    std::size_t size = 0;      ///< 0 when too long
    std::uint64_t number = 0;  ///< 1-based, counting every line of the input, blank ones too
    bool too_long = false;     ///< longer than the limit: not read
};

/// A run of consecutive lines. Reused from run to run, it keeps its buffers' capacity.
struct record_lines {
    std::string text;  ///< the lines' bytes, one after another, without line breaks
    std::vector<record_line> lines;

    std::string_view text_of(const record_line& line) const { return {text.data() + line.begin, line.size}; }
};

/// Where a reader's bytes come from.
struct record_source {
    /// Reads at most `size` bytes into `into` and returns how many it read: 0 at the end of
    /// the input, minus an `errno` value when reading failed (which also ends it).
    std::function<std::ptrdiff_t(char* into, std::size_t size)> read;
    /// Whether `read` would return now, without waiting; left empty: always. A reader
    /// hands on the lines it has rather than wait for more (see `fill`).
    std::function<bool()> ready;
};

/// A source reading a file descriptor (a file, a pipe, standard input), which it does not
/// close; reads interrupted by a signal are tried again.
STEPCARE_API record_source file_descriptor_source(int fd);

/// Splits a source's bytes into lines. A line ending in CR LF is read as one ending in LF;
/// blank lines (only spaces, tabs and CR) are left out but counted. Not thread-safe.
class STEPCARE_API record_line_reader {
public:
    explicit record_line_reader(record_source source, std::size_t max_line = max_record_line_bytes);
    ~record_line_reader();
    record_line_reader(record_line_reader&&) noexcept;
    record_line_reader& operator=(record_line_reader&&) noexcept;

    /// Replaces `run`'s lines with the next ones: whole lines, until it holds `max_lines`
    /// lines or `max_bytes` bytes, the input ends, or (with at least one line read) the
    /// source has nothing ready. It may come back empty (only blank lines were left).
    void fill(record_lines& run, std::size_t max_lines, std::size_t max_bytes);

    /// Whether the input has ended (or failed): `fill` finds nothing more.
    bool done() const;
    /// The `errno` of a failed read, or 0.
    int error() const;

private:
    struct state;
    std::unique_ptr<state> state_;
};

/// The one error of the `invalid` result of a line over the limit, which names it:
/// "line 7 is longer than 1048576 bytes, the most a record may take; it was not read".
STEPCARE_API std::string too_long_line_message(std::uint64_t line_number);

}  // namespace stepcare
