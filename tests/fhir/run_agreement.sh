#!/bin/sh
# The agreement test (README.md): for each questionnaire, its FHIR export, generated answer
# records, Stepcare's results and responses for them, every resource validated, and what an SDC
# form filler computes from the export compared with Stepcare's results.
#
#   sh run_agreement.sh STEPCARE WORK_DIR RECORDS FILE.sq...
#   sh run_agreement.sh --exports-only STEPCARE WORK_DIR FILE.sq...   only export and validate
#
# STEPCARE: the stepcare program; WORK_DIR: where the exports, records and results are written
# (kept, to look at after a failure); RECORDS: records per questionnaire (seed 1, or SEED).
# The last line is `N passed, M failed` (one case per questionnaire, one for the validation);
# with --exports-only a questionnaire passes when it exports;
# the exit status is 0 only when none failed.
# NODE=/path/to/node runs another node binary; SEED=S draws other records.
set -u
here=$(cd "$(dirname "$0")" && pwd) || exit 2
NODE=${NODE:-node}
usage() {
    echo "usage: sh run_agreement.sh STEPCARE WORK_DIR RECORDS FILE.sq..." >&2
    echo "       sh run_agreement.sh --exports-only STEPCARE WORK_DIR FILE.sq..." >&2
    exit 2
}
exports_only=no
if [ "${1:-}" = --exports-only ]; then
    exports_only=yes
    shift
    [ $# -ge 3 ] || usage
    stepcare=$1
    work=$2
    records=0
    shift 2
else
    [ $# -ge 4 ] || usage
    stepcare=$1
    work=$2
    records=$3
    shift 3
fi
sh "$here/../npm_install.sh" "$here" || exit 2
mkdir -p "$work" || exit 2

# With only the exports to validate, no records are evaluated, so there are no responses.
with_responses=yes
[ "$exports_only" = no ] || with_responses=no

passed=0
failed=0
to_validate=""
index=0
for sq in "$@"; do
    started=$(date +%s)
    index=$((index + 1))
    # Named by folder and file (tests/data/eval/flow.sq is eval/flow); files numbered, as two
    # questionnaires may have one name.
    name=$(basename "$(dirname "$sq")")/$(basename "$sq" .sq)
    out="$work/$index-$(basename "$sq" .sq)"
    if ! "$stepcare" export "$sq" --format fhir-r4 --output "$out.questionnaire.json" 2>"$out.export.log"; then
        failed=$((failed + 1))
        echo "FAIL $name: stepcare export failed:"
        cat "$out.export.log"
        continue
    fi
    to_validate="$to_validate $out.questionnaire.json"
    if [ "$exports_only" = yes ]; then
        passed=$((passed + 1))
        continue
    fi
    if ! "$NODE" "$here/records.js" "$out.questionnaire.json" --records "$records" --seed "${SEED:-1}" >"$out.records.jsonl"; then
        failed=$((failed + 1))
        echo "FAIL $name: records.js could not generate records"
        continue
    fi
    if ! "$stepcare" eval "$sq" --input "$out.records.jsonl" --output "$out.results.jsonl" --with-answers --jobs 1 2>"$out.eval.log"; then
        failed=$((failed + 1))
        echo "FAIL $name: stepcare eval failed:"
        cat "$out.eval.log"
        continue
    fi
    responses=""
    if [ "$with_responses" = yes ]; then
        if ! "$stepcare" eval "$sq" --input "$out.records.jsonl" --output "$out.responses.jsonl" --output-format fhir-r4 --jobs 1 2>"$out.eval-fhir.log"; then
            failed=$((failed + 1))
            echo "FAIL $name: stepcare eval --output-format fhir-r4 failed:"
            cat "$out.eval-fhir.log"
            continue
        fi
        responses="--responses $out.responses.jsonl"
        # Each distinct response once (most stopped records give the same one but for their id).
        "$NODE" "$here/distinct_responses.js" "$out.responses.jsonl" "$out.responses.distinct.jsonl" >"$out.distinct.txt" || exit 2
        to_validate="$to_validate $out.responses.distinct.jsonl"
    fi
    # shellcheck disable=SC2086 # responses is an option and its value, or nothing
    if "$NODE" "$here/agreement.js" --questionnaire "$out.questionnaire.json" --records "$out.records.jsonl" \
        --results "$out.results.jsonl" $responses --name "$name" >"$out.agreement.txt" 2>&1; then
        passed=$((passed + 1))
        distinct=""
        [ -f "$out.distinct.txt" ] && distinct="; responses: $(cat "$out.distinct.txt") validated"
        echo "$(head -n 1 "$out.agreement.txt") ($(($(date +%s) - started)) s$distinct)"
    else
        failed=$((failed + 1))
        echo "FAIL $name:"
        cat "$out.agreement.txt"
    fi
done

# Every export and every response in one run: the validator's start-up (about 3 s) is paid once.
if [ -n "$to_validate" ]; then
    # shellcheck disable=SC2086 # a list of files
    if "$NODE" "$here/validate.js" --errors-only $to_validate >"$work/validation.txt" 2>&1; then
        passed=$((passed + 1))
        tail -n 1 "$work/validation.txt"
    else
        failed=$((failed + 1))
        echo "FAIL validation (the first 40 lines of $work/validation.txt):"
        head -n 40 "$work/validation.txt"
        tail -n 1 "$work/validation.txt"
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
