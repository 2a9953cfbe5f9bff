#!/usr/bin/env bash
# A run of `stepcare eval --output` killed half way leaves the previous output as it was:
# results go to a temporary file that only a finished run renames over the target.
#
# Usage: killed_run.sh STEPCARE GENERATE_RECORDS QUESTIONNAIRE
set -euo pipefail
stepcare=$1 generate=$2 questionnaire=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$generate" "$questionnaire" --records 2000 --seed 3 > records.jsonl
echo "previous results" > out.jsonl
mkfifo input
"$stepcare" eval "$questionnaire" --input input --output out.jsonl --jobs 2 2> /dev/null &
pid=$!
# The input stays open, so the run is still going when it is killed.
exec 3> input
cat records.jsonl >&3

# Wait until results have reached the temporary file, then kill the run.
for _ in $(seq 200); do
  temporary=$(find . -maxdepth 1 -name '.out.jsonl.tmp-*' -size +0 | head -1)
  [ -n "$temporary" ] && break
  sleep 0.1
done
[ -n "$temporary" ] || { echo "FAIL: no results were written to a temporary file"; exit 1; }
kill -9 "$pid"
wait "$pid" 2> /dev/null || true
exec 3>&-

if [ "$(cat out.jsonl)" != "previous results" ]; then
  echo "FAIL: the killed run changed out.jsonl"; exit 1
fi
# What the killed run wrote is only in the temporary file, whose name says so.
head -1 "$temporary" | grep -q '"status"' || { echo "FAIL: the temporary file holds no results"; exit 1; }

# A run that finishes replaces the output.
"$stepcare" eval "$questionnaire" --input records.jsonl --output out.jsonl 2> /dev/null
[ "$(wc -l < out.jsonl)" = "$(grep -cv '^[[:space:]]*$' records.jsonl)" ] || { echo "FAIL: the finished run's output is incomplete"; exit 1; }
echo "PASS"
