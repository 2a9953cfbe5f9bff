#!/usr/bin/env bash
# Figures of eval's FHIR formats (bench/README.md, "FHIR formats"): records per second of
# `stepcare eval` on 1,000,000 generated records of the reference questionnaire, JSON in
# and out (the native formats), JSON in and QuestionnaireResponses out, and
# QuestionnaireResponses in with JSON out: those the second run wrote, and the same with
# only the answered questions (bench/answers_only.py), each with --jobs 1 and 2. Columns as in batch_bench.sh; results go to /dev/null, so that the figures are
# the engine's and not the disk's.
#
# Usage: bench/fhir_bench.sh BUILD_DIR WORK_DIR [RUNS]
#   BUILD_DIR  a Release build with the targets stepcare and generate_records
#   WORK_DIR   where the inputs are generated (about 14 GB); kept between runs
set -euo pipefail
build=$1 work=$2 runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
questionnaire=$here/../questionnaires/ketamine-trd.sq
stepcare=$build/cli/stepcare
mkdir -p "$work"

[ -s "$work/records-1m.jsonl" ] || "$build/bench/generate_records" --records 1000000 --seed 1 > "$work/records-1m.jsonl"
[ -s "$work/responses-1m.jsonl" ] ||
  "$stepcare" eval "$questionnaire" --input "$work/records-1m.jsonl" --output "$work/responses-1m.jsonl" \
    --output-format fhir-r4 2> /dev/null
[ -s "$work/answers-only-1m.jsonl" ] ||
  python3 "$here/answers_only.py" < "$work/responses-1m.jsonl" > "$work/answers-only-1m.jsonl"

. "$here/timed.sh"

echo "input: $(du -h "$work/records-1m.jsonl" | cut -f1) of records, $(du -h "$work/responses-1m.jsonl" | cut -f1) of responses," \
  "$(du -h "$work/answers-only-1m.jsonl" | cut -f1) with the answers only"
echo
echo "| run | wall | per second | cpu time | cpu | per cpu second | peak RSS |"
echo "|---|---|---|---|---|---|---|"
for jobs in 1 2; do
  for run in $(seq "$runs"); do
    timed "json in, json out, --jobs $jobs, run $run" 1000000 \
      "$stepcare" eval "$questionnaire" --input "$work/records-1m.jsonl" --output /dev/null --jobs "$jobs"
    timed "json in, fhir-r4 out, --jobs $jobs, run $run" 1000000 \
      "$stepcare" eval "$questionnaire" --input "$work/records-1m.jsonl" --output /dev/null --jobs "$jobs" \
        --output-format fhir-r4
    timed "fhir-r4 in, json out, --jobs $jobs, run $run" 1000000 \
      "$stepcare" eval "$questionnaire" --input "$work/responses-1m.jsonl" --output /dev/null --jobs "$jobs" \
        --input-format fhir-r4
    timed "fhir-r4 in (answers only), json out, --jobs $jobs, run $run" 1000000 \
      "$stepcare" eval "$questionnaire" --input "$work/answers-only-1m.jsonl" --output /dev/null --jobs "$jobs" \
        --input-format fhir-r4
  done
done
