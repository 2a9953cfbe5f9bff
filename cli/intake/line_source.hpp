#pragma once
// Where the intake's input comes from: one line at a time, until the end of the input
// or an interruption (Ctrl-C).

#include <istream>
#include <optional>
#include <string>

namespace stepcare::cli::intake {

/// A line longer than this is cut there and the rest of it dropped: no answer is this
/// long (docs/limits.md), and endless input without a line break must not fill the memory.
inline constexpr std::size_t max_input_line_bytes = 1024 * 1024;

class line_source {
public:
    virtual ~line_source() = default;
    /// The next line without its line end, or nothing at the end of input or when interrupted.
    virtual std::optional<std::string> read_line() = 0;
    /// Whether reading stopped because of an interruption rather than the end of input.
    virtual bool interrupted() const = 0;
    /// Whether the last line read was cut at the longest line accepted (the rest was dropped).
    virtual bool last_line_cut() const { return false; }
    /// Whether the source shows the prompt itself, as a line editor must to redraw the line.
    virtual bool takes_prompt() const { return false; }
    /// The prompt to show before the next line, where the source shows it.
    virtual void set_prompt(std::string /*prompt*/) {}
};

/// Lines from a stream (for tests).
class stream_line_source : public line_source {
public:
    explicit stream_line_source(std::istream& in) : in_(in) {}
    std::optional<std::string> read_line() override {
        std::string line;
        if (!std::getline(in_, line)) return std::nullopt;
        return line;
    }
    bool interrupted() const override { return false; }

private:
    std::istream& in_;
};

}  // namespace stepcare::cli::intake
