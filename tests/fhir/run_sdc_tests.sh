#!/bin/sh
# Tests of the SDC evaluator (sdc_evaluate.js) and of the responses records.js builds.
#
# Each sdc_fixtures/NAME.questionnaire.json with NAME.responses.jsonl is evaluated, by default and
# with --literal (every expression as written), and each whole output (stdout, then `--- stderr`
# and stderr if any, then `--- exit status N`) is compared with NAME.expected: both ways must give
# it. Where NAME.records.jsonl exists (answer records of NAME.sq), `records.js --responses` must
# turn it into NAME.responses.jsonl exactly.
#
# Given STEPCARE (the program), the agreement check (agreement.js) is run on those records with
# Stepcare's results: with the hand-written export NAME.questionnaire.json it must find no
# disagreement; with a copy in which one condition or expression is changed (MUTATIONS below)
# it must fail, and its whole output is compared with NAME.mutated.expected.
# The last line is `N passed, M failed`.
#
#   sh run_sdc_tests.sh [STEPCARE]                # from any directory
#   STEPCARE_UPDATE_GOLDEN=1 sh run_sdc_tests.sh  # rewrite the .expected files; review with git diff
#   NODE=/path/to/node sh run_sdc_tests.sh        # another node binary (default: node on PATH)
set -u
cd "$(dirname "$0")" || exit 2
NODE=${NODE:-node}
stepcare=${1:-}
sh ../npm_install.sh . || exit 2

passed=0
failed=0
tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp" "$tmp.err" "$tmp.all"' EXIT
for questionnaire in sdc_fixtures/*.questionnaire.json; do
    name=${questionnaire%.questionnaire.json}
    [ -f "$name.responses.jsonl" ] || continue
    if [ -f "$name.records.jsonl" ]; then
        "$NODE" records.js --responses "$questionnaire" "$name.records.jsonl" >"$tmp" 2>&1
        if cmp -s "$tmp" "$name.responses.jsonl"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL records.js --responses $questionnaire $name.records.jsonl"
            diff -u "$name.responses.jsonl" "$tmp"
        fi
    fi
    for mode in default --literal; do
        option=""
        [ "$mode" = --literal ] && option=--literal
        # shellcheck disable=SC2086 # option is one option or nothing
        "$NODE" sdc_evaluate.js $option "$questionnaire" "$name.responses.jsonl" >"$tmp" 2>"$tmp.err"
        status=$?
        {
            cat "$tmp"
            if [ -s "$tmp.err" ]; then echo "--- stderr"; cat "$tmp.err"; fi
            echo "--- exit status $status"
        } >"$tmp.all"
        if [ "${STEPCARE_UPDATE_GOLDEN:-}" = 1 ] && [ "$mode" = default ]; then
            cp "$tmp.all" "$name.expected"
        fi
        if [ -f "$name.expected" ] && cmp -s "$tmp.all" "$name.expected"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL $name ($mode)"
            if [ -f "$name.expected" ]; then diff -u "$name.expected" "$tmp.all"; else echo "  no $name.expected (STEPCARE_UPDATE_GOLDEN=1 writes it)"; fi
        fi
    done
done

# One change each that Stepcare's results must expose: a `>=` made `>` in an enableWhen (record 1
# answers 3 to `times`), and `is_adult`'s `>= 18` made `>= 31` (record 1 is 30).
mutate() { # NAME FILE: writes the changed export of NAME to FILE
    "$NODE" -e '
const fs = require("fs");
const [name, from, to] = process.argv.slice(1);
const q = JSON.parse(fs.readFileSync(from, "utf8"));
if (name === "enable_when") {
  const item = q.item.find((i) => i.linkId === "if_times_at_least_3");
  item.enableWhen[0].operator = ">";
} else if (name === "expressions") {
  const v = q.extension.find((e) => e.valueExpression && e.valueExpression.name === "isAdult");
  v.valueExpression.expression = v.valueExpression.expression.replace(">= 18", ">= 31");
} else {
  throw new Error("no mutation for " + name);
}
fs.writeFileSync(to, JSON.stringify(q));
' "$1" "sdc_fixtures/$1.questionnaire.json" "$2"
}
if [ -n "$stepcare" ]; then
    for sq in sdc_fixtures/*.sq; do
        name=$(basename "$sq" .sq)
        records=sdc_fixtures/$name.records.jsonl
        if ! "$stepcare" eval "$sq" --input "$records" --output "$tmp.results" --with-answers --jobs 1 2>"$tmp.err"; then
            failed=$((failed + 1))
            echo "FAIL stepcare eval $sq:"
            cat "$tmp.err"
            continue
        fi
        if "$NODE" agreement.js --questionnaire "sdc_fixtures/$name.questionnaire.json" --records "$records" \
            --results "$tmp.results" >"$tmp" 2>&1; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL agreement of the hand-written export of $name with Stepcare:"
            cat "$tmp"
        fi
        mutate "$name" "$tmp.mutated.json" || exit 2
        "$NODE" agreement.js --questionnaire "$tmp.mutated.json" --records "$records" --results "$tmp.results" \
            --name "$name (changed)" >"$tmp" 2>&1
        echo "--- exit status $?" >>"$tmp"
        if [ "${STEPCARE_UPDATE_GOLDEN:-}" = 1 ]; then
            cp "$tmp" "sdc_fixtures/$name.mutated.expected"
        fi
        if cmp -s "$tmp" "sdc_fixtures/$name.mutated.expected"; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            echo "FAIL agreement of a changed export of $name:"
            diff -u "sdc_fixtures/$name.mutated.expected" "$tmp"
        fi
        rm -f "$tmp.results" "$tmp.mutated.json"
    done
fi

# Usage errors: exit status 2 and the usage on stderr.
for args in "" "sdc_fixtures/fhir_only.questionnaire.json" "--strict sdc_fixtures/fhir_only.questionnaire.json sdc_fixtures/fhir_only.responses.jsonl"; do
    # shellcheck disable=SC2086 # a list of arguments
    "$NODE" sdc_evaluate.js $args >"$tmp" 2>"$tmp.err"
    status=$?
    if [ "$status" = 2 ] && grep -q '^usage: node sdc_evaluate.js' "$tmp.err"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL sdc_evaluate.js $args: exit status $status, want 2 and the usage"
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
