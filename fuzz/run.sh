#!/usr/bin/env bash
# Builds the fuzz targets (clang, libFuzzer, AddressSanitizer, UBSan) and runs each in
# turn for SECONDS.
#
#   fuzz/run.sh SECONDS [TARGET...]    TARGET: compile, answers, session, fhir, serve or lsp (default: all)
#
# Seeds are made afresh from questionnaires/ and tests/ (tests/bad/ included) each run;
# what a run adds to the corpus is kept in BUILD/fuzz-corpus/TARGET for the next run.
# A crash, hang (an input taking over STEPCARE_FUZZ_TIMEOUT seconds), leak or sanitizer
# report ends the run with exit 1 and leaves the input in BUILD/fuzz-findings/TARGET/. Replay one with
# `BUILD/fuzz/TARGET_fuzzer FILE`. BUILD is build-fuzz/ unless STEPCARE_FUZZ_BUILD says.
# STEPCARE_FUZZ_RUNS=N also stops each target after N executions (docs/limits.md records
# runs of a million). STEPCARE_FUZZ_TIMEOUT=S counts an input taking over S seconds as a
# hang (default 10); raise it when the fuzzers share the machine with other work at a
# lower priority. Several runs of this script may share BUILD: each has its own seeds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${STEPCARE_FUZZ_BUILD:-$ROOT/build-fuzz}"

if (($# < 1)) || ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: fuzz/run.sh SECONDS [compile|answers|session|fhir|serve|lsp...]" >&2
  exit 2
fi
seconds=$1
shift
targets=("$@")
((${#targets[@]})) || targets=(compile answers session fhir serve lsp)
for t in "${targets[@]}"; do
  case "$t" in
    compile | answers | session | fhir | serve | lsp) ;;
    *) echo "fuzz/run.sh: unknown target '$t' (compile, answers, session, fhir, serve or lsp)" >&2; exit 2 ;;
  esac
done

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DSTEPCARE_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTEPCARE_FUZZ=ON \
  -DSTEPCARE_BUILD_TESTS=OFF -DSTEPCARE_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" --parallel "${STEPCARE_JOBS:-$(nproc)}" \
  --target "${targets[@]/%/_fuzzer}"

seeds=$(mktemp -d "$BUILD/fuzz-seeds.XXXXXX")
trap 'rm -rf "$seeds"' EXIT
python3 "$ROOT/fuzz/make_seeds.py" "$ROOT" "$seeds"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
failed=()
for t in "${targets[@]}"; do
  corpus="$BUILD/fuzz-corpus/$t"
  findings="$BUILD/fuzz-findings/$t"
  log="$BUILD/fuzz-logs/$t.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  options=(-max_total_time="$seconds" -timeout="${STEPCARE_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1
           -artifact_prefix="$findings/")
  [[ -z "${STEPCARE_FUZZ_RUNS:-}" ]] || options+=(-runs="$STEPCARE_FUZZ_RUNS")
  # Inputs stay small enough for hundreds of executions a second: 16 KiB of source
  # reaches every part of the language, and 256 commands every state of a session.
  case "$t" in
    compile) options+=(-dict="$ROOT/fuzz/sq.dict" -max_len=16384) ;;
    answers) options+=(-dict="$seeds/answers.dict") ;;
    session) options+=(-max_len=256) ;;
    fhir) options+=(-dict="$seeds/fhir.dict") ;;
    serve) options+=(-dict="$seeds/serve.dict" -max_len=4096) ;;
    lsp) options+=(-dict="$seeds/lsp.dict" -max_len=4096) ;;
  esac
  echo "fuzzing $t for ${seconds}s: $BUILD/fuzz/${t}_fuzzer ${options[*]} $corpus $seeds/$t"
  if "$BUILD/fuzz/${t}_fuzzer" "${options[@]}" "$corpus" "$seeds/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "$t: ${runs:-?} executions, nothing found"
  else
    echo "$t: FOUND A PROBLEM (log: $log; input: $findings/)"
    grep -v -e '^#[0-9]' -e 'Uses: ' "$log" | tail -n 60
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz/run.sh: problems found by: ${failed[*]}" >&2
  exit 1
fi
