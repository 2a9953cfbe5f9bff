#!/usr/bin/env python3
"""Round trip through FHIR: each questionnaire is exported (`stepcare export`), imported again
(`stepcare import`), and both are evaluated on the same generated records, which must give
the same results: status, outcomes, undetermined outcomes with what they wait for, values,
missing and ignored answers, and the questions of errors. Texts are left out: the export
writes texts with arguments as shown while those are unknown ([fhir-lossy]).

usage: round_trip.py STEPCARE GENERATE_RECORDS RECORDS FILE.sq...
"""
import json
import os
import subprocess
import sys
import tempfile

STEPCARE, GENERATE, RECORDS = sys.argv[1], sys.argv[2], sys.argv[3]


def run(arguments, **kwargs):
    return subprocess.run(arguments, capture_output=True, text=True, timeout=120, **kwargs)


def essence(line):
    r = json.loads(line)
    return {
        "status": r["status"],
        "outcomes": [(o["id"], o["level"], o["cites"]) for o in r["outcomes"]],
        # in file order, and the export writes outcomes in result order
        "undetermined": sorted((u["id"], u["missing"]) for u in r["undetermined"]),
        "values": r["values"],
        "missing": r["missing"],
        "ignored": r["ignored"],
        "errors": [e["question"] for e in r["errors"]],
    }


def problems(original, folder):
    base = os.path.join(folder, os.path.basename(original))
    exported = run([STEPCARE, "export", original, "--format", "fhir-r4", "--output", base + ".json"])
    if exported.returncode != 0:
        return ["export failed: " + exported.stderr]
    imported = run([STEPCARE, "import", base + ".json", "--from", "fhir-r4", "--output", base])
    if imported.returncode != 0:
        return ["import failed: " + imported.stderr]
    checked = run([STEPCARE, "check", base])
    if checked.returncode != 0:
        return ["the import does not check: " + checked.stdout + checked.stderr]
    records = run([GENERATE, "--records", RECORDS, "--seed", "7", "--blank-permille", "0", original])
    if records.returncode != 0:
        return ["generate_records failed: " + records.stderr]
    results = []
    for sq in (original, base):
        evaluated = run([STEPCARE, "eval", sq], input=records.stdout)
        if evaluated.returncode != 0:
            return ["eval of %s failed: %s" % (sq, evaluated.stderr)]
        results.append(evaluated.stdout.splitlines())
    out = []
    for number, (a, b) in enumerate(zip(*results), 1):
        if essence(a) != essence(b):
            out.append("record %d differs:\n  original %s\n  imported %s" % (number, essence(a), essence(b)))
            if len(out) == 3:
                break
    if len(results[0]) != len(results[1]):
        out.append("%d results, %d after the round trip" % (len(results[0]), len(results[1])))
    return out


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for original in sys.argv[4:]:
            for problem in problems(original, folder):
                print("FAIL %s: %s" % (original, problem))
                failures += 1
    print("%d questionnaires, %d problems" % (len(sys.argv) - 4, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
