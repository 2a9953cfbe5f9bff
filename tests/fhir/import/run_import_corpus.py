#!/usr/bin/env python3
"""The import corpus: the real `stepcare` program on every FHIR Questionnaire in cases/.

  cases/NAME.json    stepcare import NAME.json --from fhir-r4   (run inside cases/)

The exit code and standard error are compared whole with NAME.out, and standard output
with NAME.sq: the expected .sq file, absent when the import must write nothing. Each .sq
written must then pass `stepcare check`, except that one with the referral placeholder must
fail with exactly the missing-referral error. No run may crash or take over 30 seconds.

usage: run_import_corpus.py STEPCARE CASES_DIR
STEPCARE_UPDATE_GOLDEN=1 writes NAME.out and NAME.sq from what the program does instead
(read every change before committing it).
"""
import os
import re
import subprocess
import sys
import tempfile

STEPCARE, CASES = os.path.abspath(sys.argv[1]), sys.argv[2]
UPDATE = os.environ.get("STEPCARE_UPDATE_GOLDEN") == "1"
TIMEOUT = 30
PLACEHOLDER = "# TODO referral:"


def run(arguments, cwd):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run([STEPCARE] + arguments, cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=TIMEOUT, env=env)


def read(path):
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return f.read()
    except FileNotFoundError:
        return None


def write(path, text):
    if text is None:
        if os.path.exists(path):
            os.remove(path)
        return
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def check_problems(source):
    """What is wrong with `stepcare check` on an imported .sq file."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "imported.sq")
        write(path, source)
        done = run(["check", "imported.sq"], folder)
    output = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
    errors = re.findall(r"^imported\.sq:\d+:\d+: error: .*\[([a-z-]+)\]$", output, re.M)
    if PLACEHOLDER in source:
        if done.returncode != 1 or errors != ["missing-referral"]:
            return ["with the referral placeholder, check must give exactly the missing-referral error; it "
                    "gave:\n" + output]
    elif done.returncode != 0:
        return ["the imported .sq does not pass check:\n" + output]
    return []


def problems(name):
    base = os.path.join(CASES, name[: -len(".json")])
    try:
        done = run(["import", name, "--from", "fhir-r4"], CASES)
    except subprocess.TimeoutExpired:
        return ["took over %d seconds" % TIMEOUT]
    if done.returncode < 0 or done.returncode >= 128:
        return ["crashed (exit code %d)" % done.returncode]
    stdout = done.stdout.decode("utf-8", "replace")
    actual_out = "exit code %d\n--- stderr\n%s" % (done.returncode, done.stderr.decode("utf-8", "replace"))
    actual_sq = stdout if stdout else None
    found = []
    if done.returncode == 0 and actual_sq is not None:
        found += check_problems(actual_sq)
    elif done.returncode == 0:
        found.append("exit code 0 but nothing written")
    if UPDATE:
        write(base + ".out", actual_out)
        write(base + ".sq", actual_sq)
        return found
    if read(base + ".out") != actual_out:
        found.append("stderr or exit code differs from %s.out; it is:\n%s" % (base, actual_out))
    expected_sq = read(base + ".sq")
    if expected_sq != actual_sq:
        if expected_sq is None:
            found.append("wrote a .sq file, and %s.sq does not exist; it is:\n%s" % (base, actual_sq))
        elif actual_sq is None:
            found.append("wrote nothing, but %s.sq expects a .sq file" % base)
        else:
            found.append("the .sq differs from %s.sq; it is:\n%s" % (base, actual_sq))
    return found


def main():
    names = sorted(n for n in os.listdir(CASES) if n.endswith(".json"))
    failures = 0
    for name in names:
        for problem in problems(name):
            print("FAIL %s: %s" % (name, problem))
            failures += 1
    print("%d inputs, %d problems" % (len(names), failures))
    return 1 if failures or not names else 0


if __name__ == "__main__":
    sys.exit(main())
