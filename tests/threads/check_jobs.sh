#!/usr/bin/env bash
# `stepcare check --jobs N` compiles, tests and samples many files at once: the report
# must be the same as with one job. Run in the ThreadSanitizer build (build.sh), where
# any data race between the files' workers fails the run.
#
# Usage: check_jobs.sh STEPCARE PATH...
set -euo pipefail
stepcare=$1
shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status_one=0
"$stepcare" check --samples 300 --jobs 1 "$@" > "$work/one.out" 2> "$work/one.err" || status_one=$?
status_many=0
"$stepcare" check --samples 300 --jobs 4 "$@" > "$work/many.out" 2> "$work/many.err" || status_many=$?
[ "$status_one" = "$status_many" ] || { echo "FAIL: exit $status_one with --jobs 1, $status_many with --jobs 4"; exit 1; }
cmp "$work/one.out" "$work/many.out" || { echo "FAIL: --jobs 4 reports otherwise than --jobs 1"; diff "$work/one.out" "$work/many.out" | head -20; exit 1; }
cmp "$work/one.err" "$work/many.err" || { echo "FAIL: --jobs 4 writes another summary"; cat "$work/many.err"; exit 1; }
grep -q "^checked [1-9]" "$work/one.err" "$work/one.out" || { echo "FAIL: no file was checked"; exit 1; }
echo "same report for --jobs 1 and --jobs 4 (exit $status_one)"
