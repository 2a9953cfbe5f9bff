#!/usr/bin/env bash
# `stepcare eval` over a generated input of thousands of records (valid and invalid ones,
# blank lines, CR LF line ends): the output must be byte for byte the same whatever
# --jobs is, and the same when the input is cut into pieces that are evaluated apart and
# then concatenated (the way docs/scaling.md runs it on many machines).
#
# Usage: batch_identity.sh jobs|pieces STEPCARE GENERATE_RECORDS QUESTIONNAIRE
set -euo pipefail
mode=$1 stepcare=$2 generate=$3 questionnaire=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$generate" "$questionnaire" --records 3000 --seed 11 --invalid-percent 10 --blank-permille 20 > "$work/generated.jsonl"
# Every seventh line ends in CR LF, as files written on Windows do.
awk 'NR % 7 == 0 { printf "%s\r\n", $0; next } { print }' "$work/generated.jsonl" > "$work/in.jsonl"
records=$(grep -cv '^[[:space:]]*$' "$work/in.jsonl")

"$stepcare" eval "$questionnaire" --input "$work/in.jsonl" --jobs 1 > "$work/one.jsonl" 2> "$work/one.err"
lines=$(wc -l < "$work/one.jsonl")
if [ "$lines" != "$records" ]; then
  echo "FAIL: $lines result lines for $records records"; exit 1
fi
grep -q '"status":"invalid"' "$work/one.jsonl" || { echo "FAIL: no invalid result in the input"; exit 1; }
grep -q '"status":"complete"' "$work/one.jsonl" || { echo "FAIL: no complete result in the input"; exit 1; }

case "$mode" in
  jobs)
    for jobs in 2 3 8; do
      "$stepcare" eval "$questionnaire" --input "$work/in.jsonl" --jobs "$jobs" > "$work/many.jsonl" 2> "$work/many.err"
      cmp "$work/one.jsonl" "$work/many.jsonl" || { echo "FAIL: --jobs $jobs writes other results than --jobs 1"; exit 1; }
      cmp "$work/one.err" "$work/many.err" || { echo "FAIL: --jobs $jobs writes another summary"; exit 1; }
    done
    # Standard input and output work the same way.
    "$stepcare" eval "$questionnaire" --jobs 2 < "$work/in.jsonl" 2> /dev/null | cmp "$work/one.jsonl" - \
      || { echo "FAIL: through pipes the results differ"; exit 1; }
    ;;
  pieces)
    split -l 997 "$work/in.jsonl" "$work/piece."
    for piece in "$work"/piece.*; do
      "$stepcare" eval "$questionnaire" --input "$piece" --jobs 2 2> /dev/null
    done > "$work/pieces.jsonl"
    cmp "$work/one.jsonl" "$work/pieces.jsonl" || { echo "FAIL: the pieces' results differ from one run's"; exit 1; }
    ;;
  *) echo "usage: batch_identity.sh jobs|pieces STEPCARE GENERATE_RECORDS QUESTIONNAIRE" >&2; exit 2 ;;
esac
echo "PASS: $records records"
