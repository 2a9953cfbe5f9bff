// `stepcare fmt FILE|FOLDER...`: rewrites questionnaire files in the canonical layout, or,
// with --check, --diff or --stdout, says what would change without writing.

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "stepcare/format.hpp"

namespace stepcare::cli {

namespace fs = std::filesystem;

namespace {

struct fmt_options {
    std::vector<std::string> paths;
    bool check = false;
    bool diff = false;
    bool to_stdout = false;
};

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t const end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start + 1));
        start = end + 1;
    }
    return lines;
}

/// One line of a diff: ' ' kept, '-' only in the old text, '+' only in the new one.
struct diff_line {
    char kind;
    std::string_view text;
};

/// The lines of `before` and `after` as a shortest edit (a longest common subsequence),
/// after their common beginning and end; past a size where that would take too long, the
/// middle is shown as removed and added whole, which is still a correct diff.
std::vector<diff_line> line_diff(const std::vector<std::string_view>& before,
                                 const std::vector<std::string_view>& after) {
    std::size_t prefix = 0;
    while (prefix < before.size() && prefix < after.size() && before[prefix] == after[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < before.size() - prefix && suffix < after.size() - prefix &&
           before[before.size() - 1 - suffix] == after[after.size() - 1 - suffix]) {
        ++suffix;
    }
    std::vector<diff_line> out;
    for (std::size_t i = 0; i < prefix; ++i) out.push_back({' ', before[i]});
    std::size_t const n = before.size() - prefix - suffix;
    std::size_t const m = after.size() - prefix - suffix;
    if (n * m <= 16'000'000) {
        // common[i][j]: the longest common subsequence of before[i..] and after[j..] (middles).
        std::vector<std::uint32_t> common((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return common[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;) {
            for (std::size_t j = m; j-- > 0;) {
                at(i, j) = before[prefix + i] == after[prefix + j] ? at(i + 1, j + 1) + 1
                                                                   : std::max(at(i + 1, j), at(i, j + 1));
            }
        }
        std::size_t i = 0;
        std::size_t j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before[prefix + i] == after[prefix + j]) {
                out.push_back({' ', before[prefix + i]});
                ++i;
                ++j;
            } else if (j < m && (i == n || at(i, j + 1) >= at(i + 1, j))) {
                out.push_back({'+', after[prefix + j++]});
            } else {
                out.push_back({'-', before[prefix + i++]});
            }
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) out.push_back({'-', before[prefix + i]});
        for (std::size_t j = 0; j < m; ++j) out.push_back({'+', after[prefix + j]});
    }
    for (std::size_t i = before.size() - suffix; i < before.size(); ++i) out.push_back({' ', before[i]});
    return out;
}

/// A unified diff (`diff -u`, three lines of context) from `before` to `after` of `name`.
std::string unified_diff(const std::string& name, std::string_view before, std::string_view after) {
    std::vector<diff_line> const lines = line_diff(lines_of(before), lines_of(after));
    std::string out = "--- " + name + "\n+++ " + name + " (formatted)\n";
    constexpr std::size_t context = 3;
    std::size_t k = 0;
    std::size_t old_line = 1;
    std::size_t new_line = 1;
    while (k < lines.size()) {
        if (lines[k].kind == ' ') {
            ++old_line;
            ++new_line;
            ++k;
            continue;
        }
        // A hunk: from `context` kept lines before this change to `context` after the last
        // change that is no more than twice the context away from the one before.
        std::size_t start = k;
        std::size_t back = 0;
        while (start > 0 && back < context && lines[start - 1].kind == ' ') {
            --start;
            ++back;
        }
        std::size_t end = k;
        std::size_t last_change = k;
        while (end < lines.size()) {
            if (lines[end].kind != ' ') {
                last_change = end;
            } else if (end - last_change > 2 * context) {
                break;
            }
            ++end;
        }
        end = std::min(lines.size(), last_change + 1 + context);
        std::size_t old_count = 0;
        std::size_t new_count = 0;
        for (std::size_t i = start; i < end; ++i) {
            if (lines[i].kind != '+') ++old_count;
            if (lines[i].kind != '-') ++new_count;
        }
        std::size_t const old_start = old_line - back;
        std::size_t const new_start = new_line - back;
        out += "@@ -" + std::to_string(old_count == 0 ? old_start - 1 : old_start) + "," + std::to_string(old_count) +
               " +" + std::to_string(new_count == 0 ? new_start - 1 : new_start) + "," + std::to_string(new_count) +
               " @@\n";
        for (std::size_t i = start; i < end; ++i) {
            out += lines[i].kind;
            out += lines[i].text;
            if (lines[i].text.empty() || lines[i].text.back() != '\n') out += "\n\\ No newline at end of file\n";
        }
        for (std::size_t i = k; i < end; ++i) {
            if (lines[i].kind != '+') ++old_line;
            if (lines[i].kind != '-') ++new_line;
        }
        k = end;
    }
    return out;
}

/// Replaces `path` with `text` through a new file beside it, so that a failure leaves the
/// old file whole; the file keeps its permissions.
bool write_in_place(const fs::path& path, const std::string& text, std::string& why) {
    std::error_code error;
    fs::perms const permissions = fs::status(path, error).permissions();
    std::random_device random;
    fs::path const temporary =
        path.parent_path() / ("." + path.filename().string() + ".fmt-" + std::to_string(random()));
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            why = "cannot write " + temporary.string();
            fs::remove(temporary, error);
            return false;
        }
    }
    if (!error) fs::permissions(temporary, permissions, error);
    fs::rename(temporary, path, error);
    if (error) {
        why = error.message();
        fs::remove(temporary, error);
        return false;
    }
    return true;
}

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

int run_fmt(const fmt_options& options) {
    std::vector<std::string> unreadable;
    std::vector<fs::path> const files = collect_files(options.paths, unreadable);
    for (const std::string& why : unreadable) std::cerr << "stepcare fmt: " << why << '\n';
    bool const color = color_allowed(STDERR_FILENO);
    bool const writing = !options.check && !options.diff && !options.to_stdout;
    std::size_t changed = 0;
    std::size_t refused = 0;
    bool unreadable_file = !unreadable.empty();
    for (const fs::path& file : files) {
        format_result const result = format_file(file);
        if (!result.formatted) {
            if (!result.readable) unreadable_file = true;
            ++refused;
            for (const diagnostic& d : result.diagnostics) std::cerr << render_text(d, {color});
            std::cerr << "stepcare fmt: " << file.string()
                      << " was not formatted: it has errors; correct them first ('stepcare check')\n";
            continue;
        }
        std::ifstream in(file, std::ios::binary);
        std::string const before((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        bool const differs = before != *result.formatted;
        changed += differs ? 1 : 0;
        if (options.to_stdout) std::cout << *result.formatted;
        if (options.diff && differs) std::cout << unified_diff(file.string(), before, *result.formatted);
        if (options.check && differs && !options.diff) std::cout << file.string() << '\n';
        if (writing && differs) {
            std::string why;
            if (!write_in_place(file, *result.formatted, why)) {
                std::cerr << "stepcare fmt: cannot write " << file.string() << ": " << why << '\n';
                unreadable_file = true;
            }
        }
    }
    std::cout.flush();
    std::cerr << (writing ? "formatted " : "checked ") << plural(files.size(), "file") << ": " << changed
              << (writing ? " rewritten" : " would change") << ", " << refused << " with errors left as they are\n";
    if (unreadable_file) return exit_usage;
    if (refused > 0 || (options.check && changed > 0)) return exit_errors;
    return exit_ok;
}

}  // namespace

command add_fmt_command(CLI::App& app) {
    auto options = std::make_shared<fmt_options>();
    CLI::App* fmt = app.add_subcommand(
        "fmt", "Rewrite questionnaire files in the canonical layout, keeping every comment (docs/authoring.md).");
    fmt->add_option("PATH", options->paths, "Questionnaire files, or folders searched recursively for *.sq")
        ->type_name("")
        ->required();
    fmt->add_flag("--check", options->check,
                  "Write nothing; list the files that would change and exit with status 1 if any would");
    fmt->add_flag("--diff", options->diff, "Write nothing; print what would change as a unified diff");
    fmt->add_flag("--stdout", options->to_stdout, "Write nothing; print each file in the canonical layout");
    return [options] { return run_fmt(*options); };
}

}  // namespace stepcare::cli
