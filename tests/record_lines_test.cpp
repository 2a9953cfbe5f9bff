// The reader of record lines that `stepcare eval` and the Python package's evaluate_many
// read their input with: lines split at LF with CR LF taken as LF, blank lines counted but
// left out, lines over the limit never held, and reads of any size giving the same lines.

#include <catch2/catch.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "stepcare/record_lines.hpp"

using namespace stepcare;

namespace {

/// A source handing out `input` at most `step` bytes a read, then failing with `error` if set.
record_source chopped(const std::string& input, std::size_t step, int error = 0) {
    auto at = std::make_shared<std::size_t>(0);
    return {[input, step, error, at](char* into, std::size_t size) -> std::ptrdiff_t {
                std::size_t const n = std::min({step, size, input.size() - *at});
                if (n == 0) return error != 0 ? -error : 0;
                std::memcpy(into, input.data() + *at, n);
                *at += n;
                return static_cast<std::ptrdiff_t>(n);
            },
            {}};
}

struct seen {
    std::string text;  ///< "!" for a line over the limit
    std::uint64_t number;
    bool operator==(const seen&) const = default;
};

std::vector<seen> read_all(record_line_reader& reader, std::size_t max_lines = 1000) {
    std::vector<seen> out;
    record_lines run;
    while (!reader.done()) {
        reader.fill(run, max_lines, 1 << 20);
        REQUIRE(run.lines.size() <= max_lines);
        for (const record_line& line : run.lines) {
            out.push_back({line.too_long ? std::string("!") : std::string(run.text_of(line)), line.number});
        }
    }
    return out;
}

}  // namespace

TEST_CASE("record lines: line ends, blank lines, the last line and numbering, whatever the read size") {
    std::string const input = "{\"a\":1}\r\n\n  \t\r\n{\"b\":2}\n\r\n{\"c\":\"x\\r\"}\r\r\n{\"d\":4}";
    std::vector<seen> const expected = {
        {"{\"a\":1}", 1}, {"{\"b\":2}", 4}, {"{\"c\":\"x\\r\"}\r", 6}, {"{\"d\":4}", 7}};
    for (std::size_t step : {1, 2, 3, 7, 64, 100000}) {
        for (std::size_t max_lines : {1, 2, 1000}) {
            INFO("step " << step << ", max_lines " << max_lines);
            record_line_reader reader(chopped(input, step));
            CHECK(read_all(reader, max_lines) == expected);
            CHECK(reader.error() == 0);
        }
    }
}

TEST_CASE("record lines: a line over the limit is counted and dropped, never held") {
    std::string const input =
        "ok\n" + std::string(40, 'x') + "\n" + std::string(20, 'y') + "\n" + std::string(21, 'z') + "\nlast";
    for (std::size_t step : {1, 5, 1000}) {
        INFO("step " << step);
        record_line_reader reader(chopped(input, step), 20);
        record_lines run;
        std::vector<seen> out;
        while (!reader.done()) {
            reader.fill(run, 1000, 1 << 20);
            CHECK(run.text.size() <= 2 + 20 + 4);  // nothing of the long lines is kept
            for (const record_line& line : run.lines) {
                out.push_back({line.too_long ? std::string("!") : std::string(run.text_of(line)), line.number});
            }
        }
        CHECK(out == std::vector<seen>{{"ok", 1}, {"!", 2}, {std::string(20, 'y'), 3}, {"!", 4}, {"last", 5}});
    }
    CHECK(too_long_line_message(4) ==
          "line 4 is longer than 1048576 bytes, the most a record may take; it was not read");
}

TEST_CASE("record lines: a failed read ends the input with its errno, keeping the lines before") {
    record_line_reader reader(chopped("one\ntwo", 3, EIO));
    CHECK(read_all(reader) == std::vector<seen>{{"one", 1}, {"two", 2}});
    CHECK(reader.error() == EIO);
}

TEST_CASE("record lines: with a source that has nothing ready, the lines read so far are handed on") {
    std::string const input = "one\ntwo\nthree\n";
    auto reads = std::make_shared<int>(0);
    record_source source = chopped(input, 4);  // "one\n", then "two\n", ...
    auto read = source.read;
    source.read = [read, reads](char* into, std::size_t size) {
        ++*reads;
        return read(into, size);
    };
    source.ready = [] { return false; };
    record_line_reader reader(std::move(source));
    record_lines run;
    reader.fill(run, 1000, 1 << 20);
    REQUIRE(run.lines.size() == 1);
    CHECK(run.text_of(run.lines[0]) == "one");
    CHECK(*reads == 1);
}

TEST_CASE("record lines: a file descriptor source reads a pipe to its end") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    std::string const input = "{\"a\":1}\n\n{\"b\":2}\n";
    REQUIRE(::write(fds[1], input.data(), input.size()) == static_cast<ssize_t>(input.size()));
    ::close(fds[1]);
    record_line_reader reader(file_descriptor_source(fds[0]));
    CHECK(read_all(reader) == std::vector<seen>{{"{\"a\":1}", 1}, {"{\"b\":2}", 3}});
    CHECK(reader.error() == 0);
    ::close(fds[0]);
    record_line_reader closed(file_descriptor_source(fds[0]));
    record_lines run;
    closed.fill(run, 10, 100);
    CHECK(run.lines.empty());
    CHECK(closed.done());
    CHECK(closed.error() == EBADF);
}
