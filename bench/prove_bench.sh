#!/usr/bin/env bash
# Figures of `stepcare check --prove` (bench/README.md, "Proofs (check --prove)"): wall time
# and peak RSS of proving on the questionnaires of questionnaires/ and on generated ones of
# 25 to 400 questions, against `check` without --prove (random sampling) on the same files.
# Prints a Markdown table, then checks the targets: ketamine-trd.sq proved in under 30 s and
# the 200-question file in under 300 s, every invariant proved, nothing unknown (exit 1
# otherwise).
#
# Usage: bench/prove_bench.sh STEPCARE [GENERATOR]
#   STEPCARE   a Release build of the stepcare command
#   GENERATOR  the generate_variants program of the same build (default: bench/ beside
#              the folder of STEPCARE)
# Environment: RUNS (default 3) timed runs of each command, of which the median is shown;
# SIZES (default "25 50 100 200 400") the generated questionnaires' numbers of questions.
set -euo pipefail
stepcare=$(realpath "$1")
generator=${2:-$(dirname "$stepcare")/../bench/generate_variants}
runs=${RUNS:-3}
sizes=${SIZES:-25 50 100 200 400}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=("$here/../questionnaires/ketamine-trd.sq" "$here/../questionnaires/mood-check.sq"
       "$here/../questionnaires/anxiety-check.sq")
for questions in $sizes; do
  "$generator" "$work/generated-$questions" --count 1 --seed 1 --questions "$questions" --invariants
  files+=("$work/generated-$questions/variant-0001.sq")
done

# Runs COMMAND... with its output in $work/out.txt and $work/err.txt, and writes its wall
# seconds and peak RSS in KB to $work/time.txt; returns its status. With /usr/bin/time when
# the machine has it, otherwise with Python's resource module.
timed_run() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt"
  else
    python3 - "$work" "$@" <<'PYTHON'
import resource, subprocess, sys, time
work = sys.argv[1]
start = time.monotonic()
with open(f"{work}/out.txt", "w") as out, open(f"{work}/err.txt", "w") as err:
    status = subprocess.run(sys.argv[2:], stdout=out, stderr=err).returncode
wall = time.monotonic() - start
with open(f"{work}/time.txt", "w") as times:  # ru_maxrss is in KB on Linux
    times.write(f"{wall:.2f} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.exit(status)
PYTHON
  fi
}

# How many lines of FILE declare KEYWORD (declarations start their line).
declared() { grep -cE "^[[:space:]]*$1[[:space:]]" "$2" || true; }

# Runs `stepcare check ARGS... FILE` RUNS times, one file at a time on one thread; sets
# `median` (wall seconds), `rss` (largest peak RSS, MB), `summary` (the last line of the
# last run's standard error) and `warnings` (the warnings it reported). A run that reports
# an error ends the script.
measure() {
  local times=()
  rss=0
  for _ in $(seq "$runs"); do
    local status=0
    timed_run "$stepcare" check --jobs 1 "$@" || status=$?
    if [ "$status" -ne 0 ]; then
      echo "stepcare check $* failed with status $status:" >&2
      cat "$work/out.txt" "$work/err.txt" >&2
      exit 1
    fi
    local wall kb
    read -r wall kb < <(tail -1 "$work/time.txt")
    times+=("$wall")
    rss=$(awk -v a="$rss" -v b="$kb" 'BEGIN { print (b / 1024 > a) ? b / 1024 : a }')
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
  summary=$(tail -1 "$work/err.txt")
  warnings=$(grep -c ': warning: ' "$work/out.txt" || true)
}

echo "| file | questions | lets | outcomes | requires | invariants | proved, refuted, unknown | lint warnings | check --prove | peak RSS | check (sampling) | peak RSS |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
failures=()
for file in "${files[@]}"; do
  name=$(basename "$file")
  case $file in */generated-*) name="generated, $(basename "$(dirname "$file")" | cut -d- -f2) questions" ;; esac
  measure "$file"
  sampling_time=$median sampling_rss=$rss sampling_warnings=$warnings
  measure --prove "$file"
  # "...; invariants proved for every possible set of answers: P, refuted: R, unknown: U; ..."
  read -r proved refuted unknown < <(sed -E 's/.*answers: ([0-9]+), refuted: ([0-9]+), unknown: ([0-9]+);.*/\1 \2 \3/' <<< "$summary")
  printf '| %s | %s | %s | %s | %s | %s | %s, %s, %s | %s | %.2f s | %.1f MB | %.2f s | %.1f MB |\n' \
    "$name" "$(declared question "$file")" "$(declared let "$file")" "$(declared outcome "$file")" \
    "$(declared require "$file")" "$(declared invariant "$file")" "$proved" "$refuted" "$unknown" \
    "$((warnings - sampling_warnings))" "$median" "$rss" "$sampling_time" "$sampling_rss"
  limit=
  case $name in ketamine-trd.sq) limit=30 ;; "generated, 200 questions") limit=300 ;; esac
  if [ -n "$limit" ]; then
    if awk -v t="$median" -v l="$limit" 'BEGIN { exit !(t >= l) }'; then
      failures+=("$name: check --prove took $median s, the target is under $limit s")
    fi
    if [ "$refuted" -ne 0 ] || [ "$unknown" -ne 0 ]; then
      failures+=("$name: $refuted invariants refuted and $unknown unknown, the target is all proved")
    fi
  fi
done

if [ "${#failures[@]}" -ne 0 ]; then
  printf 'target missed: %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "targets met: ketamine-trd.sq under 30 s and the 200-question file under 300 s, every invariant proved"
