#!/usr/bin/env python3
"""`stepcare eval` shows a progress line on standard error only when it is a terminal:
run it with standard error on a pseudo-terminal and check the line, its erasure and the
summary that takes its place.

Usage: progress_pty.py STEPCARE QUESTIONNAIRE RECORDS
"""
import os
import pty
import subprocess
import sys

stepcare, questionnaire, records = sys.argv[1:4]
controller, terminal = pty.openpty()
run = subprocess.Popen([stepcare, "eval", questionnaire, "--input", records, "--jobs", "2"],
                       stdout=subprocess.PIPE, stderr=terminal, stdin=subprocess.DEVNULL)
os.close(terminal)
shown = b""
while True:
    try:
        chunk = os.read(controller, 4096)
    except OSError:  # the program has ended and closed the terminal
        break
    if not chunk:
        break
    shown += chunk
results = run.stdout.read()
code = run.wait()

failures = []
if code != 0:
    failures.append(f"exit code {code}")
lines = results.count(b"\n")
if lines != 4:
    failures.append(f"{lines} result lines on standard output, not 4")
progress = b"\r\x1b[Kevaluating: 4 records, 1 invalid"
if progress not in shown:
    failures.append("no progress line")
summary = b"evaluated 4 records: 2 complete, 1 incomplete, 0 stopped, 1 invalid\r\n"
if not shown.endswith(b"\r\x1b[K" + summary):
    failures.append("the progress line is not erased before the summary")
if failures:
    print("FAIL:", "; ".join(failures), "; the terminal showed", repr(shown))
    sys.exit(1)
print("PASS")
