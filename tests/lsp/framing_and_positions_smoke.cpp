#include <cassert>
#include <iostream>
#include <sstream>
#include "jsonrpc.hpp"
#include "text_document.hpp"
using namespace stepcare::lsp;
int main() {
    text_document d("ab\r\ncé😀x\ry\n", 1);
    auto u16 = position_encoding::utf16, u8 = position_encoding::utf8;
    assert(d.offset_of({0, 0}, u16) == 0);
    assert(d.offset_of({0, 5}, u16) == 2);       // past the end of the line: its end, before \r\n
    assert(d.offset_of({1, 1}, u16) == 5);       // after 'c'
    assert(d.offset_of({1, 2}, u16) == 7);       // after 'é' (2 bytes)
    assert(d.offset_of({1, 3}, u16) == 7);       // inside the surrogate pair: the character's start
    assert(d.offset_of({1, 4}, u16) == 11);      // after 😀
    assert(d.offset_of({1, 4}, u8) == 7);        // utf-8: c(1)+é(2)=3 bytes, 4 is inside 😀
    assert(d.offset_of({2, 0}, u16) == 13);      // after lone \r
    assert(d.offset_of({9, 9}, u16) == d.text().size());
    auto p = d.position_of(11, u16);
    assert(p.line == 1 && p.character == 4);
    p = d.position_of(14, u16);
    assert(p.line == 2 && p.character == 1);
    d.replace(d.offset_of({1, 1}, u16), d.offset_of({1, 2}, u16), "E", 2);
    assert(d.text() == "ab\r\ncE😀x\ry\n" && d.version() == 2);
    std::istringstream in("Content-Length: 17\r\n\r\n{\"jsonrpc\":\"2.0\"}\r\n\r\nContent-Length: 3\r\n\r\n[1]Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}");
    auto m = read_message(in);
    assert(m.what == incoming::kind::message && m.body["jsonrpc"] == "2.0");
    m = read_message(in);
    assert(m.what == incoming::kind::malformed);
    std::cout << m.problem << "\n";
    m = read_message(in);
    assert(m.what == incoming::kind::malformed);
    std::cout << m.problem << "\n";
    m = read_message(in);
    assert(m.what == incoming::kind::message);
    m = read_message(in);
    assert(m.what == incoming::kind::end);
    std::ostringstream out;
    write_message(out, {{"a", 1}});
    assert(out.str() == "Content-Length: 7\r\n\r\n{\"a\":1}");
    std::cout << "all ok\n";
}
