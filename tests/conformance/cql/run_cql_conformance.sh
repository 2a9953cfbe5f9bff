#!/usr/bin/env bash
# Runs the CQL conformance cases (docs/language.md, "Conformance with CQL's published
# tests"). `stepcare check --werror` must pass every test in generated/, as many as the
# files hold and as SKIPPED.md says were translated, with no failure and no warning.
# Given the folder of the published suites (they are not kept in this repository; see
# SOURCE.md), generated/ must also be exactly what translate.py writes from it.
# Usage: run_cql_conformance.sh STEPCARE [SUITES_DIR]
#        (SUITES_DIR may also be given as the environment variable STEPCARE_CQL_TESTS)
set -euo pipefail
stepcare=$1
suites=${2:-${STEPCARE_CQL_TESTS:-}}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "$suites" ]; then
  python3 "$here/translate.py" "$suites" "$work/generated" --stepcare "$stepcare" >/dev/null
  if ! diff -r "$here/generated" "$work/generated"; then
    echo "FAIL: generated/ differs from what translate.py writes from $suites; re-run it and commit the result"
    exit 1
  fi
  echo "generated/ is what translate.py writes from $suites"
else
  echo "NOTE: regeneration of generated/ skipped, because the CQL suites are not redistributed;" \
       "give their folder as SUITES_DIR or STEPCARE_CQL_TESTS to check it (see SOURCE.md)"
fi

# The tests the files hold, and the number SKIPPED.md says were translated: a test
# deleted by hand, or a file left out, shows as a difference between the two.
written=$(cat "$here"/generated/*.sq | grep -cE '^[[:space:]]*test "' || true)
pattern='cases in the suites, ([0-9]+) are translated and run'
if [[ ! $(cat "$here/generated/SKIPPED.md") =~ $pattern ]]; then
  echo "FAIL: generated/SKIPPED.md does not say how many cases are translated"
  exit 1
fi
if [ "$written" -ne "${BASH_REMATCH[1]}" ]; then
  echo "FAIL: generated/*.sq hold $written tests, SKIPPED.md says ${BASH_REMATCH[1]} were translated"
  exit 1
fi

status=0
"$stepcare" check --werror "$here/generated" >"$work/stdout" 2>"$work/stderr" || status=$?
cat "$work/stdout" "$work/stderr"
summary=$(grep '^checked ' "$work/stderr" || true)
pattern='tests: ([0-9]+) passed, ([0-9]+) failed'
if [[ ! $summary =~ $pattern ]]; then
  echo "FAIL: no summary line from stepcare check"
  exit 1
fi
passed=${BASH_REMATCH[1]}
failed=${BASH_REMATCH[2]}
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  echo "FAIL: stepcare check exited with $status, $failed tests failed"
  exit 1
fi
# A case the check silently dropped would otherwise go unnoticed.
if [ "$passed" -ne "$written" ]; then
  echo "FAIL: generated/*.sq hold $written tests, stepcare check passed $passed"
  exit 1
fi
echo "PASS: all $written translated CQL cases"
