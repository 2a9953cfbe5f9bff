#!/usr/bin/env python3
"""The include check must fail on a tree with wrong includes, naming each one: its whole
output on wrong_way/ is compared with wrong_way.expected."""
import pathlib
import subprocess
import sys

here = pathlib.Path(__file__).parent
run = subprocess.run([sys.executable, str(here / "check_includes.py"), str(here / "wrong_way")],
                     capture_output=True, text=True)
expected = (here / "wrong_way.expected").read_text()
if run.returncode != 1 or run.stdout != expected:
    print(f"exit status {run.returncode} (expected 1); output:\n{run.stdout}{run.stderr}")
    print(f"expected output:\n{expected}")
    sys.exit(1)
print("the include check names every wrong include of wrong_way/")
