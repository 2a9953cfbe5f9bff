#!/usr/bin/env bash
# The GNU parallel recipe of docs/scaling.md, with small blocks so that a test input is cut
# into many pieces: its output must be byte for byte that of a single run.
#
# Usage: gnu_parallel.sh STEPCARE GENERATE_RECORDS QUESTIONNAIRE
set -euo pipefail
stepcare=$1 generate=$2 questionnaire=$3
command -v parallel > /dev/null || { echo "FAIL: GNU parallel is not installed (Debian package 'parallel')"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$generate" "$questionnaire" --records 3000 --seed 5 --invalid-percent 10 --blank-permille 20 > "$work/records.jsonl"
"$stepcare" eval "$questionnaire" --input "$work/records.jsonl" > "$work/single.jsonl" 2> /dev/null

parallel --will-cite --pipe --keep-order --block 256k --halt now,fail=1 \
    "$stepcare" eval "$questionnaire" --jobs 1 < "$work/records.jsonl" > "$work/results.jsonl" 2> "$work/parallel.err"

pieces=$(grep -c '^evaluated ' "$work/parallel.err")
[ "$pieces" -gt 5 ] || { echo "FAIL: the input was cut into $pieces pieces only"; exit 1; }
cmp "$work/single.jsonl" "$work/results.jsonl" || { echo "FAIL: GNU parallel's output differs from a single run's"; exit 1; }
echo "PASS: $pieces pieces"
