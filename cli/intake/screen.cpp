// Styles as ANSI escape sequences, only when colour is allowed.

#include "intake/screen.hpp"

namespace stepcare::cli::intake {

namespace {

const char* escape(style how) {
    switch (how) {
        case style::plain: return "";
        case style::bold: return "\x1b[1m";
        case style::dim: return "\x1b[2m";
        case style::heading: return "\x1b[1;4m";
        case style::urgent: return "\x1b[1;31m";
        case style::problem: return "\x1b[33m";
        case style::prompt: return "\x1b[1;36m";
    }
    return "";
}

}  // namespace

void stream_screen::write(std::string_view text, style how) {
    if (!color_ || how == style::plain || text.empty()) {
        out_ << text;
        return;
    }
    // Styles stop at line ends, so that a terminal never carries one over to the next line.
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) out_ << escape(how) << text.substr(start, end - start) << "\x1b[0m";
        if (end < text.size()) out_ << '\n';
        start = end + 1;
    }
}

}  // namespace stepcare::cli::intake
