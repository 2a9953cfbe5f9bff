#!/usr/bin/env bash
# Figures of the batch commands (bench/README.md, "Batch figures"): eval throughput on
# 1,000,000 generated records with --jobs 1 and 2, eval's peak memory on 10,000 and
# 1,000,000 records, and check over 1,000 generated questionnaires. Each run is timed with
# /usr/bin/time. `cpu time` is the process's user and system time; `cpu` is that over the
# wall time, which shows how much of the machine it had (200% is both cores of a two-core
# machine); `per cpu second` is the work done per second of CPU time, which other programs
# on the machine affect far less than the wall time.
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

. "$here/timed.sh"

echo "| run | wall | per second | cpu time | cpu | per cpu second | peak RSS |"
echo "|---|---|---|---|---|---|---|"
for jobs in 1 2; do
  for run in $(seq "$runs"); do
    timed "eval 1M records, --jobs $jobs, run $run" 1000000 \
      "$stepcare" eval "$questionnaire" --input "$work/records-1m.jsonl" --output /dev/null --jobs "$jobs"
  done
done
timed "eval 10k records, --jobs 2" 10000 \
  "$stepcare" eval "$questionnaire" --input "$work/records-10k.jsonl" --output /dev/null --jobs 2
for run in $(seq "$runs"); do
  timed "check 1000 questionnaires, run $run" 1000 "$stepcare" check "$work/variants"
done
