#!/bin/sh
# Tests of the TextMate grammar editors/textmate/stepcare.tmLanguage.json. Installs the npm
# packages pinned by package-lock.json when node_modules/ is missing or stale
# (tests/npm_install.sh), then, offline:
#
#   sh run_grammar_tests.sh                # the grammar file itself, then every annotated
#                                          # sample in grammar/ with vscode-tmgrammar-test
#   sh run_grammar_tests.sh words          # the engine's reserved words and functions
#   sh run_grammar_tests.sh files FILE...  # each FILE read without an invalid scope
#   sh run_grammar_tests.sh vscode         # the VS Code extension in editors/vscode/
#
# A sample is a .sq file whose first line is `# SYNTAX TEST "source.stepcare" "what"`; a
# comment line of carets under a line names the scopes of the characters above them
# (`# ^^^ keyword.other.stepcare`, `# <- ...` for the first column; ` - scope` forbids one).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v node >/dev/null || { echo "run_grammar_tests.sh: node is not installed (./build.sh test installs it)" >&2; exit 1; }
sh "$here/../npm_install.sh" "$here" || exit 2
cd "$here" || exit 2

case "${1:-samples}" in
    samples)
        [ $# -le 1 ] || { echo "usage: sh run_grammar_tests.sh [samples]" >&2; exit 2; }
        node check_grammar.js grammar "$root" || exit 1
        exec node node_modules/vscode-tmgrammar-test/dist/unit.js \
            --grammar "$root/editors/textmate/stepcare.tmLanguage.json" 'grammar/*.sq'
        ;;
    words | vscode)
        [ $# -eq 1 ] || { echo "usage: sh run_grammar_tests.sh $1" >&2; exit 2; }
        exec node check_grammar.js "$1" "$root"
        ;;
    files)
        shift
        [ $# -ge 1 ] || { echo "usage: sh run_grammar_tests.sh files FILE..." >&2; exit 2; }
        exec node check_grammar.js files "$root" "$@"
        ;;
    *)
        echo "usage: sh run_grammar_tests.sh [samples | words | files FILE... | vscode]" >&2
        exit 2
        ;;
esac
