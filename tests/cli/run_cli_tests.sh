#!/usr/bin/env bash
# End-to-end tests of the `stepcare` program: each case runs the real binary and
# compares its whole output and exit code with the expected files.
# STEPCARE_UPDATE_GOLDEN=1 rewrites the expected files from the actual output instead.
set -u
here=$1
failures=0
passed=0
for case_dir in "$here"/cases/*/; do
  name=$(basename "$case_dir")
  expected_code=$(cat "$case_dir/exit_code")
  actual_out=$(cd "$case_dir" && bash ./command 2>stderr.actual)
  actual_code=$?
  actual_err=$(cat "$case_dir/stderr.actual"); rm -f "$case_dir/stderr.actual"
  if [ "${STEPCARE_UPDATE_GOLDEN:-}" = 1 ]; then
    printf '%s\n' "$actual_code" > "$case_dir/exit_code"
    printf '%s\n' "$actual_out" > "$case_dir/stdout"
    printf '%s\n' "$actual_err" > "$case_dir/stderr"
    continue
  fi
  ok=1
  # Every case states its whole output: a missing expected file would check nothing.
  for expected in stdout stderr; do
    if [ ! -f "$case_dir/$expected" ]; then
      echo "FAIL $name: no expected $expected (STEPCARE_UPDATE_GOLDEN=1 writes it)"; ok=0
    fi
  done
  if [ "$actual_code" != "$expected_code" ]; then
    echo "FAIL $name: exit code $actual_code, expected $expected_code"; ok=0
  fi
  if [ -f "$case_dir/stdout" ] && [ "$actual_out" != "$(cat "$case_dir/stdout")" ]; then
    echo "FAIL $name: stdout differs"; diff <(printf '%s\n' "$actual_out") "$case_dir/stdout"; ok=0
  fi
  if [ -f "$case_dir/stderr" ] && [ "$actual_err" != "$(cat "$case_dir/stderr")" ]; then
    echo "FAIL $name: stderr differs"; diff <(printf '%s\n' "$actual_err") "$case_dir/stderr"; ok=0
  fi
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failures=$((failures + 1)); fi
done
echo "$passed passed, $failures failed"
[ $failures = 0 ]
