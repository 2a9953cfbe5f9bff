#!/usr/bin/env python3
"""Checks that every questionnaire file of the repository is in the canonical layout of
`stepcare fmt`, except those listed with a reason in not_formatted.txt.

    python3 check_layout.py STEPCARE SOURCE_DIR

Runs `stepcare fmt --check questionnaires tests` in SOURCE_DIR. Files with errors (the
corpora of bad input) are not formatted and not counted, nor are the paths that cannot be
read on purpose (status 2). Fails on a file that would change
and is not listed, and on a listed file that is formatted after all or no longer exists.
"""
import os
import subprocess
import sys

STEPCARE, ROOT = os.path.abspath(sys.argv[1]), sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))

allowed = {}
with open(os.path.join(here, "not_formatted.txt"), encoding="utf-8") as listing:
    for line in listing:
        if line.strip() and not line.startswith("#"):
            path, reason = line.split(maxsplit=1)
            allowed[path] = reason.strip()

run = subprocess.run([STEPCARE, "fmt", "--check", "questionnaires", "tests"], cwd=ROOT,
                     capture_output=True, text=True, timeout=600)
if run.returncode not in (0, 1, 2) or not run.stderr.rstrip().splitlines()[-1].startswith("checked "):
    print(run.stderr[-2000:])
    sys.exit(f"stepcare fmt --check ended with status {run.returncode}")
would_change = set(run.stdout.split())
problems = []
for path in sorted(would_change - allowed.keys()):
    problems.append(f"{path} is not in the canonical layout: run 'stepcare fmt {path}'")
for path in sorted(allowed.keys() - would_change):
    if os.path.exists(os.path.join(ROOT, path)):
        problems.append(f"{path} is listed in not_formatted.txt but is formatted; remove it from the list")
    else:
        problems.append(f"{path} is listed in not_formatted.txt but does not exist; remove it from the list")
for problem in problems:
    print(problem)
print(f"{len(would_change)} files not in the canonical layout, {len(allowed)} of them on purpose")
sys.exit(1 if problems else 0)
