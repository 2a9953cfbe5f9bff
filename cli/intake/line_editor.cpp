// Line editing with libedit, reading through the intake's signal-aware wait.

#include "intake/line_editor.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>

namespace stepcare::cli::intake {

std::unique_ptr<edit_line_source> edit_line_source::open(int in_fd, const stop_signals& signals) {
    std::unique_ptr<edit_line_source> source(new edit_line_source(in_fd, signals));
    source->editor_ = el_init("stepcare", stdin, stdout, stderr);
    if (source->editor_ == nullptr) return nullptr;
    el_set(source->editor_, EL_CLIENTDATA, source.get());
    el_set(source->editor_, EL_EDITOR, "emacs");
    el_set(source->editor_, EL_SIGNAL, 0);  // the intake handles the stop signals itself
    el_set(source->editor_, EL_GETCFN, &edit_line_source::read_char);
    el_set(source->editor_, EL_PROMPT, &edit_line_source::prompt_text);
    // No EL_HIST: nothing typed is remembered.
    return source;
}

edit_line_source::~edit_line_source() {
    if (editor_ != nullptr) el_end(editor_);
}

char* edit_line_source::prompt_text(EditLine* editor) {
    void* data = nullptr;
    el_get(editor, EL_CLIENTDATA, &data);
    return static_cast<edit_line_source*>(data)->prompt_.data();
}

int edit_line_source::read_char(EditLine* editor, wchar_t* out) {
    void* data = nullptr;
    el_get(editor, EL_CLIENTDATA, &data);
    auto& self = *static_cast<edit_line_source*>(data);
    // UTF-8 in, one code point out: the lead byte says how many bytes follow.
    char32_t code = 0;
    int expected = 0;
    while (true) {
        if (self.signals_.received() != 0) {
            self.interrupted_ = true;
            return -1;
        }
        pollfd ready{self.fd_, POLLIN, 0};
        if (ppoll(&ready, 1, nullptr, &self.signals_.waiting_mask()) < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        unsigned char byte = 0;
        ssize_t const n = ::read(self.fd_, &byte, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return n == 0 ? 0 : -1;
        if (expected == 0) {
            if (byte < 0x80) {
                *out = static_cast<wchar_t>(byte);
                return 1;
            }
            expected = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : byte >= 0xC0 ? 1 : 0;
            if (expected == 0) continue;  // a stray continuation byte
            code = byte & (0x3F >> expected);
        } else {
            code = (code << 6) | (byte & 0x3F);
            if (--expected == 0) {
                *out = static_cast<wchar_t>(code);
                return 1;
            }
        }
    }
}

std::optional<std::string> edit_line_source::read_line() {
    int count = 0;
    const char* line = el_gets(editor_, &count);
    if (line == nullptr || count <= 0) return std::nullopt;
    std::string text(line, static_cast<std::size_t>(count));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    if (text.size() > max_input_line_bytes) text.resize(max_input_line_bytes);
    return text;
}

}  // namespace stepcare::cli::intake
