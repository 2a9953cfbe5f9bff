#!/usr/bin/env bash
# Golden tests of `stepcare eval`: runs the real program on every record file in a
# folder and compares its whole output, line for line, with the expected file.
#
# In the folder (tests/data/eval), a run is named R and uses:
#   NAME.sq               the questionnaire, where NAME is R up to its first '.'
#   R.jsonl               the records; when absent, NAME.jsonl
#   R.args                optional: more arguments for `stepcare eval`, one per line
#   R.expected.jsonl      the whole expected standard output
# There is a run for every R.jsonl (other than *.expected.jsonl) and every R.args, so
# `texts.jsonl` plus `texts.es.args` (holding `--lang` and `es`) evaluates the same
# records twice. The program must also exit with 0.
#
# Usage: STEPCARE=path/to/stepcare run_eval_goldens.sh FOLDER
# STEPCARE_UPDATE_GOLDEN=1 rewrites the expected files from the actual output instead
# (read every changed line before committing).
set -u
folder=$1
: "${STEPCARE:?set STEPCARE to the stepcare program}"
failures=0
passed=0

runs=()
for file in "$folder"/*.jsonl "$folder"/*.args; do
  [ -e "$file" ] || continue
  case "$file" in *.expected.jsonl) continue ;; esac
  run=$(basename "$file")
  run=${run%.jsonl}
  run=${run%.args}
  case " ${runs[*]:-} " in *" $run "*) ;; *) runs+=("$run") ;; esac
done

for run in "${runs[@]}"; do
  name=${run%%.*}
  input="$folder/$run.jsonl"
  [ -f "$input" ] || input="$folder/$name.jsonl"
  args=()
  if [ -f "$folder/$run.args" ]; then
    while IFS= read -r arg || [ -n "$arg" ]; do
      [ -n "$arg" ] && args+=("$arg")
    done < "$folder/$run.args"
  fi
  expected="$folder/$run.expected.jsonl"
  actual=$(mktemp)
  "$STEPCARE" eval "$folder/$name.sq" --input "$input" "${args[@]}" > "$actual" 2> "$actual.err"
  code=$?
  if [ "${STEPCARE_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$actual" "$expected"
  fi
  ok=1
  if [ "$code" != 0 ]; then
    echo "FAIL $run: exit code $code, expected 0"; cat "$actual.err"; ok=0
  fi
  if [ ! -f "$expected" ]; then
    echo "FAIL $run: no expected file $expected"; ok=0
  elif ! diff -u "$expected" "$actual" > "$actual.diff"; then
    echo "FAIL $run: output differs from $expected"; cat "$actual.diff"; ok=0
  fi
  rm -f "$actual" "$actual.err" "$actual.diff"
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failures=$((failures + 1)); fi
done
echo "$passed passed, $failures failed"
[ ${#runs[@]} -gt 0 ] && [ $failures = 0 ]
