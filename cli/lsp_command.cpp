// `stepcare lsp`: the language server, over standard input and output (docs/authoring.md).

#include <iostream>
#include <memory>

#include "commands.hpp"
#include "server.hpp"

namespace stepcare::cli {

command add_lsp_command(CLI::App& app) {
    CLI::App* sub = app.add_subcommand(
        "lsp", "Serve an editor over the Language Server Protocol on standard input and output (docs/authoring.md).");
    // Many clients pass --stdio to say which transport; standard input and output is the only one.
    auto const stdio = std::make_shared<bool>(false);
    sub->add_flag("--stdio", *stdio,
                  "Accepted for clients that pass it; standard input and output is the only transport");
    return [stdio] {
        std::ios::sync_with_stdio(false);
        return stepcare::lsp::serve(std::cin, std::cout);
    };
}

}  // namespace stepcare::cli
