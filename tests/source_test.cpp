#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "source/source_file.hpp"

using stepcare::find_invalid_utf8;
using stepcare::source_file;
using stepcare::source_range;

namespace {

/// `line:column` of a byte offset, so that a position is checked as one whole string.
std::string where(const source_file& source, std::uint32_t offset) {
    const stepcare::line_column position = source.position_of(offset);
    return std::to_string(position.line) + ':' + std::to_string(position.column);
}

/// The ranges as `[begin,end)` text, so that a failure shows them.
std::string ranges(const std::vector<source_range>& found) {
    std::string out;
    for (const source_range& range : found) {
        out += '[' + std::to_string(range.begin) + ',' + std::to_string(range.end) + ')';
    }
    return out;
}

}  // namespace

TEST_CASE("lines split on LF", "[source]") {
    const source_file source("q.sq", "ab\ncd\n");
    CHECK(source.name() == "q.sq");
    CHECK(source.line_count() == 3);
    CHECK(source.line_text(1) == "ab");
    CHECK(source.line_text(2) == "cd");
    CHECK(source.line_text(3) == "");
    CHECK(where(source, 0) == "1:1");
    CHECK(where(source, 1) == "1:2");
    CHECK(where(source, 2) == "1:3");  // the line break itself
    CHECK(where(source, 3) == "2:1");
    CHECK(where(source, 5) == "2:3");
    CHECK(where(source, 6) == "3:1");  // offset == size
}

TEST_CASE("CRLF line breaks leave the CR out of the line text", "[source]") {
    const source_file source("q.sq", "ab\r\ncd\r\n");
    CHECK(source.line_count() == 3);
    CHECK(source.line_text(1) == "ab");
    CHECK(source.line_text(2) == "cd");
    CHECK(source.line_text(3) == "");
    CHECK(where(source, 2) == "1:3");
    CHECK(where(source, 4) == "2:1");
    CHECK(where(source, 8) == "3:1");
}

TEST_CASE("a last line without a line break", "[source]") {
    const source_file source("q.sq", "ab\ncd");
    CHECK(source.line_count() == 2);
    CHECK(source.line_text(2) == "cd");
    CHECK(where(source, 3) == "2:1");
    CHECK(where(source, 5) == "2:3");  // offset == size
}

TEST_CASE("an empty file has one empty line", "[source]") {
    const source_file source("q.sq", "");
    CHECK(source.line_count() == 1);
    CHECK(source.line_text(1) == "");
    CHECK(source.content_begin() == 0);
    CHECK(where(source, 0) == "1:1");
}

TEST_CASE("lines outside the file have no text", "[source]") {
    const source_file source("q.sq", "ab\n");
    CHECK(source.line_text(0) == "");
    CHECK(source.line_text(3) == "");
}

TEST_CASE("columns count code points, not bytes", "[source]") {
    // é is 2 bytes, 😀 is 4 and 中 is 3.
    const source_file source("q.sq", "\xC3\xA9\xF0\x9F\x98\x80\xE4\xB8\xADx\n\xE4\xB8\xADy");
    CHECK(where(source, 2) == "1:2");   // after é
    CHECK(where(source, 6) == "1:3");   // after 😀
    CHECK(where(source, 9) == "1:4");   // after 中
    CHECK(where(source, 10) == "1:5");  // after x
    CHECK(where(source, 14) == "2:2");  // after 中 on line 2
    CHECK(where(source, 15) == "2:3");
}

TEST_CASE("a byte-order mark is skipped", "[source]") {
    const source_file source("q.sq", "\xEF\xBB\xBFxy\ncd");
    CHECK(source.content_begin() == 3);
    CHECK(source.line_text(1) == "xy");
    CHECK(where(source, 0) == "1:1");
    CHECK(where(source, 3) == "1:1");
    CHECK(where(source, 4) == "1:2");
    CHECK(where(source, 6) == "2:1");
}

TEST_CASE("only a byte-order mark at the start is one", "[source]") {
    const source_file partial("q.sq", "\xEF\xBBx");
    CHECK(partial.content_begin() == 0);

    // U+FEFF later in the file is an ordinary character and takes a column.
    const source_file later("q.sq", "ab\n\xEF\xBB\xBFx");
    CHECK(later.content_begin() == 0);
    CHECK(later.line_text(2) == "\xEF\xBB\xBFx");
    CHECK(where(later, 6) == "2:2");
}

TEST_CASE("valid UTF-8 has no invalid ranges", "[source]") {
    CHECK(find_invalid_utf8("").empty());
    CHECK(find_invalid_utf8("plain \xC3\xA9\xF0\x9F\x98\x80\xE4\xB8\xAD").empty());
    CHECK(find_invalid_utf8(std::string("a\0b", 3)).empty());  // NUL is valid UTF-8
}

TEST_CASE("a lone continuation byte is invalid", "[source]") { CHECK(ranges(find_invalid_utf8("a\x80z")) == "[1,2)"); }

TEST_CASE("a truncated sequence is one invalid range", "[source]") {
    CHECK(ranges(find_invalid_utf8("a\xE2\x82")) == "[1,3)");       // at end of text
    CHECK(ranges(find_invalid_utf8("\xE2\x82z")) == "[0,2)");       // before ASCII
    CHECK(ranges(find_invalid_utf8("\xF0\x9F\x98\n")) == "[0,3)");  // before a line break
}

TEST_CASE("an overlong encoding is invalid byte by byte", "[source]") {
    // C0 can never start a sequence, so 80 after it is a lone continuation byte.
    CHECK(ranges(find_invalid_utf8("x\xC0\x80y")) == "[1,2)[2,3)");
}

TEST_CASE("an encoded surrogate is invalid byte by byte", "[source]") {
    // ED may only be followed by 80..9F, so A0 and 80 are lone continuation bytes.
    CHECK(ranges(find_invalid_utf8("\xED\xA0\x80")) == "[0,1)[1,2)[2,3)");
}

TEST_CASE("each ill-formed sequence takes one column", "[source]") {
    const source_file truncated("q.sq", "\xE2\x82z");
    CHECK(where(truncated, 2) == "1:2");
    CHECK(where(truncated, 3) == "1:3");

    const source_file overlong("q.sq", "x\xC0\x80y");
    CHECK(where(overlong, 3) == "1:4");
    CHECK(where(overlong, 4) == "1:5");
}
