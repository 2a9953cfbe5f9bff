#pragma once
/// A readable listing of a compiled program: every table with the names written in the
/// source, the code and the flow code one instruction per line with operands decoded.
///
/// The listing holds nothing that varies between runs or machines (no addresses, no
/// hashes), so golden tests (tests/program/) show a compiler change as a readable diff.
/// The format is described in docs/architecture.md, "The program".

#include <string>

#include "compile/program.hpp"

namespace stepcare {

/// The whole listing of `p`, each line ending with a newline.
std::string program_listing(const program& p);

}  // namespace stepcare
