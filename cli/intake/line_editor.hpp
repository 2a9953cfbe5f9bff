#pragma once
// Line editing at a terminal with libedit: the arrow keys move within the answer, and
// Home, End, Backspace and Delete work as people expect. History is never kept, neither in
// memory nor on disk: answers are private. Reading waits with the stop signals let
// through, exactly as fd_line_source does, so Ctrl-C interrupts it cleanly.

#include <histedit.h>

#include <memory>
#include <optional>
#include <string>

#include "intake/line_source.hpp"
#include "intake/terminal.hpp"

namespace stepcare::cli::intake {

class edit_line_source : public line_source {
public:
    /// Edits lines typed on the terminal `in_fd`, echoed on `out`; nothing when libedit
    /// cannot set it up (the caller then reads plain lines).
    static std::unique_ptr<edit_line_source> open(int in_fd, const stop_signals& signals);
    ~edit_line_source() override;
    edit_line_source(const edit_line_source&) = delete;
    edit_line_source& operator=(const edit_line_source&) = delete;

    std::optional<std::string> read_line() override;
    bool interrupted() const override { return interrupted_; }
    bool takes_prompt() const override { return true; }
    void set_prompt(std::string prompt) override { prompt_ = std::move(prompt); }

private:
    edit_line_source(int in_fd, const stop_signals& signals) : fd_(in_fd), signals_(signals) {}

    /// libedit's character reader: one code point, waiting with the stop signals let through.
    static int read_char(EditLine* editor, wchar_t* out);
    static char* prompt_text(EditLine* editor);

    int fd_;
    const stop_signals& signals_;
    EditLine* editor_ = nullptr;
    std::string prompt_;
    bool interrupted_ = false;
};

}  // namespace stepcare::cli::intake
