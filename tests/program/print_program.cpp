// Prints the listing of a questionnaire's compiled program (compile/program_printer.hpp),
// for the golden tests of run_program_goldens.sh. Diagnostics go to standard error; a file
// that does not compile exits with 1.
#include <iostream>

#include "compile/program_printer.hpp"
#include "pipeline/program_access.hpp"
#include "stepcare/compile.hpp"

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: print_program FILE.sq\n";
        return 2;
    }
    stepcare::compile_result const result = stepcare::compile_file(argv[1]);
    for (const stepcare::diagnostic& d : result.diagnostics) std::cerr << stepcare::render_text(d);
    if (!result.compiled) return 1;
    std::cout << stepcare::program_listing(stepcare::program_access::of(*result.compiled));
    return 0;
}
