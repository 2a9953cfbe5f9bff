#!/usr/bin/env python3
"""The bad-input corpus: the real `stepcare` program on every file in tests/bad/.

  check/NAME.sq      stepcare check NAME.sq
  eval/NAME.jsonl    stepcare eval screen.sq --input NAME.jsonl
  run/NAME.json      stepcare run ../eval/screen.sq --answers NAME.json --plain, no input

Each run's exit code, standard output and standard error are compared whole with
NAME.out next to the input. Beyond that, no run may crash or take over 30 seconds, and
every result line of `eval` must be JSON that shows the referral, with no outcome when it
is invalid.

usage: run_bad_corpus.py STEPCARE CORPUS_DIR
STEPCARE_UPDATE_GOLDEN=1 writes the .out files from what the program does instead
(read every change before committing it).
"""
import json
import os
import subprocess
import sys

STEPCARE, CORPUS = os.path.abspath(sys.argv[1]), sys.argv[2]
UPDATE = os.environ.get("STEPCARE_UPDATE_GOLDEN") == "1"
TIMEOUT = 30


def commands():
    """(folder, input name, arguments) for every input of the corpus, in a stable order."""
    kinds = [
        ("check", ".sq", lambda name: ["check", name]),
        ("eval", ".jsonl", lambda name: ["eval", "screen.sq", "--input", name]),
        ("run", ".json", lambda name: ["run", "../eval/screen.sq", "--answers", name, "--plain"]),
    ]
    for folder, suffix, arguments in kinds:
        for name in sorted(os.listdir(os.path.join(CORPUS, folder))):
            if name.endswith(suffix):
                yield folder, name, arguments(name)


def eval_problems(stdout):
    problems = []
    for number, line in enumerate(stdout.splitlines(), 1):
        try:
            result = json.loads(line)
        except ValueError:
            problems.append("result line %d is not JSON" % number)
            continue
        if not result.get("referral", {}).get("title"):
            problems.append("result line %d has no referral" % number)
        if result.get("status") == "invalid" and result.get("outcomes"):
            problems.append("result line %d is invalid but has outcomes" % number)
    return problems


def run(folder, name, arguments):
    """The problems with one input, as sentences (none when it behaves)."""
    cwd = os.path.join(CORPUS, folder)
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    try:
        done = subprocess.run([STEPCARE] + arguments, cwd=cwd, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        return ["took over %d seconds" % TIMEOUT]
    if done.returncode < 0 or done.returncode >= 128:
        return ["crashed (exit code %d)" % done.returncode]
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    actual = "exit code %d\n--- stdout\n%s--- stderr\n%s" % (done.returncode, stdout, stderr)
    problems = eval_problems(stdout) if folder == "eval" else []
    golden = os.path.join(cwd, os.path.splitext(name)[0] + ".out")
    if UPDATE:
        with open(golden, "w", encoding="utf-8", newline="") as f:
            f.write(actual)
        return problems
    try:
        with open(golden, encoding="utf-8", newline="") as f:
            expected = f.read()
    except FileNotFoundError:
        return problems + ["has no expected output %s" % golden]
    if actual != expected:
        problems.append("output differs from %s; it is:\n%s" % (golden, actual))
    return problems


def main():
    failures = 0
    count = 0
    for folder, name, arguments in commands():
        count += 1
        for problem in run(folder, name, arguments):
            print("FAIL %s/%s: %s" % (folder, name, problem))
            failures += 1
    print("%d inputs, %d problems" % (count, failures))
    return 1 if failures or count == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
