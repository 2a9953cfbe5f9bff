#!/usr/bin/env bash
# Figures of `stepcare eval --texts none` and `--texts full` (bench/README.md, "Results
# without texts"): a million generated records of the reference questionnaire with --jobs 2,
# the results written to /dev/null (the program's own pace) and to a file on the disk (the
# whole run, with the flush to disk that `--output FILE` does before its rename), beside what
# `dd` writes to the same disk, with and without conv=fdatasync: the physical limit.
#
# Usage: bench/texts_bench.sh BUILD_DIR WORK_DIR [RUNS]
#   BUILD_DIR  a Release build with the targets stepcare and generate_records
#   WORK_DIR   a folder on the disk to measure: the input (1.4 GB) is generated there and kept
#              between runs; the outputs (up to 8 GB) and dd's file are removed after each run
set -euo pipefail
build=$1 work=$2 runs=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
questionnaire=$here/../questionnaires/ketamine-trd.sq
stepcare=$build/cli/stepcare
records=1000000
mkdir -p "$work"
input=$work/records-1m.jsonl
[ -s "$input" ] || "$build/bench/generate_records" --records "$records" --seed 1 > "$input"
cat "$input" > /dev/null  # into the page cache, so that no run reads the disk

# run LABEL OUTPUT: one eval run with --texts $texts into OUTPUT, as a table row: wall and
# CPU time, CPU share, records per second, the output's size and megabytes (10^6 bytes) per
# second.
run() {
  local label=$1 output=$2
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$stepcare" eval "$questionnaire" --input "$input" \
    --output "$output" --jobs 2 --texts "$texts" 2> "$work/stderr.txt" \
    || { cat "$work/stderr.txt"; exit 1; }
  local bytes=${size[$texts]}
  if [ "$output" != /dev/null ]; then
    bytes=$(stat -c %s "$output")
    rm -f "$output"
  fi
  read -r wall user sys < "$work/time.txt"
  awk -v label="$label" -v n="$records" -v w="$wall" -v u="$user" -v s="$sys" -v b="$bytes" 'BEGIN {
    printf "| %s | %.2f s | %.2f s | %.0f%% | %.0f/s | %.0f MB | %.0f MB/s |\n",
           label, w, u + s, 100 * (u + s) / w, n / w, b / 1e6, b / 1e6 / w }'
}

# disk LABEL MEGABYTES DD-FLAGS...: dd of MEGABYTES MiB of zeros into a file on the same disk.
disk() {
  local label=$1 count=$2; shift 2
  dd if=/dev/zero of="$work/dd.bin" bs=1M count="$count" "$@" 2> "$work/dd.txt"
  rm -f "$work/dd.bin"
  # "N bytes (...) copied, S s, R MB/s"
  awk -v label="$label" '/copied/ { printf "| %s | %.2f s | | | | %.0f MB | %.0f MB/s |\n",
                                        label, $(NF - 3), $1 / 1e6, $1 / 1e6 / $(NF - 3) }' "$work/dd.txt"
}

# The outputs' sizes, for the runs into /dev/null.
declare -A size
for texts in none full; do
  size[$texts]=$("$stepcare" eval "$questionnaire" --input "$input" --jobs 2 --texts "$texts" 2> /dev/null | wc -c)
done

echo "| run | wall | cpu time | cpu | records/s | output | output MB/s |"
echo "|---|---|---|---|---|---|---|"
for n in $(seq "$runs"); do
  for texts in none full; do
    run "--texts $texts, to /dev/null, run $n" /dev/null
  done
done
for n in $(seq "$runs"); do
  for texts in none full; do
    sync
    run "--texts $texts, to a file, run $n" "$work/results.jsonl"
    megabytes=$((size[$texts] / 1048576))
    sync
    disk "dd, as many bytes, conv=fdatasync, run $n" "$megabytes" conv=fdatasync
    sync
    disk "dd, as many bytes, no fdatasync, run $n" "$megabytes"
  done
done
