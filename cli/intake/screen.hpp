#pragma once
// Where the intake writes: an output sink that knows the width and whether it may use
// colour. The intake lays text out itself (intake/wrap.hpp); the sink only adds styles.

#include <cstddef>
#include <ostream>
#include <string_view>

namespace stepcare::cli::intake {

/// How a line is shown. Without colour every style is plain text.
enum class style { plain, bold, dim, heading, urgent, problem, prompt };

class screen {
public:
    virtual ~screen() = default;
    /// Writes `text` (no line end is added). Styles apply to the text as a whole.
    virtual void write(std::string_view text, style how = style::plain) = 0;
    /// Makes everything written so far visible, before the intake waits for input.
    virtual void flush() = 0;
    /// The columns available to a line.
    virtual std::size_t width() const = 0;
};

/// A screen over a stream; colour as ANSI escape sequences when `color` is true.
class stream_screen : public screen {
public:
    stream_screen(std::ostream& out, std::size_t width, bool color) : out_(out), width_(width), color_(color) {}

    void write(std::string_view text, style how = style::plain) override;
    void flush() override { out_.flush(); }
    std::size_t width() const override { return width_; }

private:
    std::ostream& out_;
    std::size_t width_;
    bool color_;
};

}  // namespace stepcare::cli::intake
