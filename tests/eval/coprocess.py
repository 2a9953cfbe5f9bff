#!/usr/bin/env python3
"""`stepcare eval` as a co-process: a program writes one record to its standard input and
waits for that record's result before sending the next. Each result must come without
waiting for more input or for the end of it, with any --jobs, in order; invalid records
included. Closing the input then ends the run normally.

usage: coprocess.py STEPCARE QUESTIONNAIRE
"""
import json
import select
import subprocess
import sys

STEPCARE, QUESTIONNAIRE = sys.argv[1], sys.argv[2]
RECORDS = [
    (b'{"id": 1, "answers": {}}', "incomplete"),
    (b'{"id": 2, "answers": {"low": "maybe"}}', "invalid"),
    (b'not json', "invalid"),
    (b'{"id": 4, "answers": {"low": "not_at_all"}}', "complete"),
]
failures = []

for jobs in ("1", "2"):
    program = subprocess.Popen([STEPCARE, "eval", QUESTIONNAIRE, "--jobs", jobs],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for number, (record, status) in enumerate(RECORDS, 1):
        program.stdin.write(record + b"\n")
        program.stdin.flush()
        ready, _, _ = select.select([program.stdout], [], [], 10)
        if not ready:
            failures.append(f"--jobs {jobs}: no result for record {number} within 10 s")
            break
        result = json.loads(program.stdout.readline())
        if result["status"] != status:
            failures.append(f"--jobs {jobs}: record {number} is {result['status']}, expected {status}")
    program.stdin.close()
    rest = program.stdout.read()
    summary = program.stderr.read().decode()
    if program.wait(timeout=10) != 0 or rest:
        failures.append(f"--jobs {jobs}: exit {program.returncode} with {len(rest)} bytes left over")
    if "evaluated 4 records" not in summary:
        failures.append(f"--jobs {jobs}: summary {summary!r}")

for failure in failures:
    print("FAIL:", failure)
sys.exit(1 if failures else 0)
