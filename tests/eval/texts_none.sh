#!/usr/bin/env bash
# `stepcare eval --texts none` over thousands of generated records (complete, incomplete,
# stopped and invalid ones, blank lines): its output must be byte for byte the output of
# `--texts full` with the texts taken out (strip_texts.py), whatever --jobs is, with and
# without --with-answers, and its summary the same.
#
# Usage: texts_none.sh STEPCARE GENERATE_RECORDS QUESTIONNAIRE
set -euo pipefail
stepcare=$1 generate=$2 questionnaire=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$generate" "$questionnaire" --records 3000 --seed 5 --invalid-percent 10 --blank-permille 20 > "$work/in.jsonl"
"$stepcare" eval "$questionnaire" --input "$work/in.jsonl" --jobs 1 2> "$work/full.err" \
  | python3 "$here/strip_texts.py" > "$work/expected.jsonl"
for status in complete incomplete stopped invalid; do
  grep -q "\"status\":\"$status\"" "$work/expected.jsonl" || { echo "FAIL: no $status result in the input"; exit 1; }
done
for jobs in 1 2; do
  "$stepcare" eval "$questionnaire" --input "$work/in.jsonl" --jobs "$jobs" --texts none > "$work/none.jsonl" \
    2> "$work/none.err"
  cmp "$work/expected.jsonl" "$work/none.jsonl" \
    || { echo "FAIL: --texts none --jobs $jobs is not the full output without its texts"; exit 1; }
  cmp "$work/full.err" "$work/none.err" || { echo "FAIL: --texts none --jobs $jobs writes another summary"; exit 1; }
done
if grep -q '"title":\|"text":' "$work/none.jsonl"; then
  echo "FAIL: a title or a text is left"; exit 1
fi

# With the answers block: each answer loses its text and labels, keeps its question and answer.
"$stepcare" eval "$questionnaire" --input "$work/in.jsonl" --jobs 1 --with-answers 2> /dev/null \
  | python3 "$here/strip_texts.py" > "$work/expected-answers.jsonl"
"$stepcare" eval "$questionnaire" --input "$work/in.jsonl" --jobs 2 --with-answers --texts none \
  > "$work/none-answers.jsonl" 2> /dev/null
cmp "$work/expected-answers.jsonl" "$work/none-answers.jsonl" \
  || { echo "FAIL: --texts none --with-answers is not the full output without its texts"; exit 1; }
grep -q '"answers":\[{"question":"[a-z_0-9]*","answer":' "$work/none-answers.jsonl" \
  || { echo "FAIL: no answer in the answers blocks"; exit 1; }

echo "PASS: $(wc -l < "$work/none.jsonl") results, $(wc -c < "$work/none.jsonl") bytes without texts"
