#pragma once
/// `stepcare lsp`: a Language Server Protocol 3.17 server over standard input and output
/// (docs/authoring.md), built on the engine's public API only.

#include <istream>
#include <ostream>

namespace stepcare::lsp {

/// Serves one client until it sends `exit` or closes its end. Returns the process's exit
/// status: 0 after `shutdown` then `exit`, 1 otherwise, as the protocol asks.
int serve(std::istream& in, std::ostream& out);

}  // namespace stepcare::lsp
