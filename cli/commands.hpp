#pragma once
// The subcommands of the `stepcare` program. Each registers its options on the
// command line parser and returns the function that runs it.

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepcare/compile.hpp"

namespace stepcare::cli {

/// Exit codes shared by every subcommand (docs/cli.md).
enum exit_code : int { exit_ok = 0, exit_errors = 1, exit_usage = 2, exit_invalid_records = 3 };

using command = std::function<int()>;

command add_run_command(CLI::App& app);
command add_check_command(CLI::App& app);
command add_eval_command(CLI::App& app);
command add_explain_command(CLI::App& app);
command add_export_command(CLI::App& app);
command add_import_command(CLI::App& app);
command add_serve_command(CLI::App& app);
command add_fmt_command(CLI::App& app);
command add_lsp_command(CLI::App& app);

/// The questionnaire files under the given paths, folders searched recursively for
/// `*.sq`, each folder's files sorted by path so that the order is stable; paths that
/// cannot be read are described in `unreadable`.
std::vector<std::filesystem::path> collect_files(const std::vector<std::string>& paths,
                                                 std::vector<std::string>& unreadable);

/// The folder of the bundled questionnaires (beside an installed program, or the source tree's).
std::string bundled_questionnaire_folder();

/// Compiles a questionnaire for use; on errors prints them to stderr and returns nothing.
std::optional<questionnaire> load_questionnaire(const std::string& path);

/// Answers files and saved intakes may be at most this large (docs/limits.md), whatever
/// they are: reading stops there, so a device such as /dev/zero cannot fill the memory.
inline constexpr std::size_t max_answers_file_bytes = 32u * 1024u * 1024u;

/// Reads a whole file of at most `max_bytes` (`what` names such a file in the message when it
/// is larger); on failure says why on stderr and returns nothing.
std::optional<std::string> read_limited_file(const std::string& path, std::size_t max_bytes, std::string_view what);

/// Reads an answers file or a saved intake; on failure says why on stderr and returns
/// nothing.
std::optional<std::string> read_answers_file(const std::string& path);

/// Whether `language` (empty: the default) is one of the questionnaire's; says so if not.
bool check_language(const questionnaire& q, const std::string& language);

/// Whether output to this stream may use colour: a terminal, and NO_COLOR unset.
bool color_allowed(int file_descriptor);

}  // namespace stepcare::cli
