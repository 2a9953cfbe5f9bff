#!/bin/sh
# Tests of validate.js: runs it on each fixture in fixtures/ (*.json, *.jsonl) and compares its whole
# output (stdout, then stderr, then the exit status) with fixtures/NAME.expected.
# A fixture's extra arguments, if any, are in fixtures/NAME.args (one line).
#
#   sh run_tests.sh                           # from any directory
#   STEPCARE_UPDATE_GOLDEN=1 sh run_tests.sh  # rewrite the .expected files; review them with git diff
#   NODE=/path/to/node sh run_tests.sh        # another node binary (default: node on PATH)
#
# Installs the pinned npm packages first when node_modules/ is missing or older than
# package-lock.json (tests/npm_install.sh).
set -u
cd "$(dirname "$0")" || exit 2
NODE=${NODE:-node}

sh ../npm_install.sh . || exit 2

passed=0
failed=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp" "$tmp.err"' EXIT
for fixture in fixtures/*.json fixtures/*.jsonl; do
    [ -f "$fixture" ] || continue
    name=${fixture%.*}
    args=""
    [ -f "$name.args" ] && args=$(cat "$name.args")
    # shellcheck disable=SC2086 # args is a list of options
    "$NODE" validate.js $args "$fixture" >"$tmp" 2>"$tmp.err"
    status=$?
    {
        cat "$tmp"
        if [ -s "$tmp.err" ]; then echo "--- stderr"; cat "$tmp.err"; fi
        echo "--- exit status $status"
    } >"$tmp.all"
    if [ "${STEPCARE_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$tmp.all" "$name.expected"
    fi
    if [ -f "$name.expected" ] && cmp -s "$tmp.all" "$name.expected"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $fixture"
        if [ -f "$name.expected" ]; then diff -u "$name.expected" "$tmp.all"; else echo "  no $name.expected (STEPCARE_UPDATE_GOLDEN=1 writes it)"; fi
    fi
    rm -f "$tmp.all"
done

# Usage errors: exit status 2 and a message on stderr.
usage_case() { # expected-stderr-first-line, args...
    want=$1
    shift
    "$NODE" validate.js "$@" >"$tmp" 2>"$tmp.err"
    status=$?
    got=$(head -n 1 "$tmp.err")
    if [ "$status" = 2 ] && [ "$got" = "$want" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL validate.js $*: exit status $status, stderr '$got', want 2 and '$want'"
    fi
}
usage_case "validate.js: no FILE given"
usage_case "validate.js: unknown option '--strict'" --strict fixtures/valid-questionnaire.json
usage_case "fixtures/no-such-file.json: cannot read (ENOENT); give the path of a readable file" fixtures/no-such-file.json

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
