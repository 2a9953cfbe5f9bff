#!/usr/bin/env bash
# Golden tests of the compiled program's listing (engine/compile/program_printer.hpp):
# for every NAME.sq in SOURCES, the whole output of `print_program NAME.sq` is compared
# with EXPECTED/NAME.listing, and a listing without its questionnaire fails too.
#
# Usage: run_program_goldens.sh PRINT_PROGRAM SOURCES EXPECTED
# STEPCARE_UPDATE_GOLDEN=1 rewrites the listings from the actual output instead (read
# every changed line before committing: it is the change in what the compiler makes).
set -u
printer=$1
sources=$2
expected_dir=$3
failures=0
passed=0
actual=$(mktemp)
trap 'rm -f "$actual" "$actual.err"' EXIT

for source in "$sources"/*.sq; do
  [ -e "$source" ] || continue
  name=$(basename "$source" .sq)
  expected="$expected_dir/$name.listing"
  ok=1
  if ! "$printer" "$source" > "$actual" 2> "$actual.err"; then
    echo "FAIL $name: $source does not compile"; cat "$actual.err"; ok=0
  elif [ "${STEPCARE_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
  elif [ ! -f "$expected" ]; then
    echo "FAIL $name: no expected $expected (STEPCARE_UPDATE_GOLDEN=1 writes it)"; ok=0
  elif ! diff -u --label "expected $expected" --label "actual" "$expected" "$actual"; then
    echo "FAIL $name: the listing differs from $expected"; ok=0
  fi
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failures=$((failures + 1)); fi
done

for listing in "$expected_dir"/*.listing; do
  [ -e "$listing" ] || continue
  name=$(basename "$listing" .listing)
  if [ ! -f "$sources/$name.sq" ]; then
    echo "FAIL $name: $listing has no questionnaire $sources/$name.sq"; failures=$((failures + 1))
  fi
done

echo "$passed passed, $failures failed"
[ $passed -gt 0 ] && [ $failures = 0 ]
