#!/usr/bin/env bash
# Figures of the batch commands (bench/README.md, "Batch figures"): eval throughput on
# 1,000,000 generated records with --jobs 1 and 2, eval's peak memory on 10,000 and
# 1,000,000 records, and check over 1,000 generated questionnaires. Each run is timed with
# /usr/bin/time; the `cpu` column is the process's CPU time over its wall time, which shows
# how much of the machine it had (200% is both cores of a two-core machine).
#
# Usage: bench/batch_bench.sh BUILD_DIR WORK_DIR [RUNS]
#   BUILD_DIR  a Release build with the targets stepcare, generate_records, generate_variants
#   WORK_DIR   where the inputs are generated (about 1.5 GB); kept between runs
set -euo pipefail
build=$1 work=$2 runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
questionnaire=$here/../questionnaires/ketamine-trd.sq
stepcare=$build/cli/stepcare
mkdir -p "$work"

[ -s "$work/records-10k.jsonl" ] || "$build/bench/generate_records" --records 10000 --seed 1 > "$work/records-10k.jsonl"
[ -s "$work/records-1m.jsonl" ] || "$build/bench/generate_records" --records 1000000 --seed 1 > "$work/records-1m.jsonl"
[ -d "$work/variants" ] || "$build/bench/generate_variants" "$work/variants" --count 1000 --seed 1

# Runs a command once; prints wall seconds, CPU share and peak RSS, and the figure given
# by an awk expression of the wall time `w`.
timed() {
  local label=$1 rate=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt" \
    || { cat "$work/stderr.txt"; exit 1; }
  read -r wall user sys rss < "$work/time.txt"
  awk -v label="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" "BEGIN {
    printf \"| %s | %.2f s | %s | %.0f%% | %.1f MB |\n\", label, w, $rate, 100 * (u + s) / w, r / 1024 }"
}

echo "| run | wall | figure | cpu | peak RSS |"
echo "|---|---|---|---|---|"
for jobs in 1 2; do
  for run in $(seq "$runs"); do
    timed "eval 1M records, --jobs $jobs, run $run" 'sprintf("%.0f records/s", 1000000 / w)' \
      "$stepcare" eval "$questionnaire" --input "$work/records-1m.jsonl" --output /dev/null --jobs "$jobs"
  done
done
for records in 10k 1m; do
  timed "eval $records records, --jobs 2, memory" 'sprintf("%s records", "'$records'")' \
    "$stepcare" eval "$questionnaire" --input "$work/records-$records.jsonl" --output /dev/null --jobs 2
done
for run in $(seq "$runs"); do
  timed "check 1000 questionnaires, run $run" '"1000 files"' "$stepcare" check "$work/variants"
done
