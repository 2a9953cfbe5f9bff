#!/usr/bin/env python3
"""Seeded bugs: each questionnaire in SEEDED_DIR has one invariant that fails on exactly one
rare combination of answers. For each NAME.sq this checks that

  (a) `check` with the default samples and seed misses it (exit 0, 10000 sets drawn);
  (b) `check --prove` refutes it with the counterexample in NAME.expected.json;
  (c) `explain --answers` on that counterexample says the invariant is broken;
  (d) `eval` accepts the expected answers (they are a possible record, not an invalid one).

Usage: run_seeded.py STEPCARE SEEDED_DIR
"""

import json
import os
import subprocess
import sys
import tempfile

DEFAULT_SAMPLES_SUMMARY = "invariants checked on 10000 random answer sets"
COUNTEREXAMPLE_MARK = "'explain --answers': "


def run(command, stdin=None):
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=1200)


def sampling_misses_it(stepcare, sq):
    done = run([stepcare, "check", sq])
    if done.returncode != 0:
        return f"check without --prove exited {done.returncode}, so sampling found a problem:\n{done.stdout}"
    if DEFAULT_SAMPLES_SUMMARY not in done.stderr:
        return f"check's summary does not say 10000 answer sets were drawn: {done.stderr.strip()}"
    return None


def refutation(stepcare, sq):
    """The one `invariant-violated` diagnostic of `check --prove`, or an error text."""
    # A time limit far above what any file takes alone: the suite runs tests side by side,
    # and how fast the proofs are is the benchmark's concern (bench/prove_bench.sh).
    done = run([stepcare, "check", "--prove", "--prove-timeout", "900", "--format", "json", sq])
    if done.returncode != 1:
        return None, f"check --prove exited {done.returncode}, not 1:\n{done.stdout}{done.stderr}"
    diagnostics = json.loads(done.stdout)
    if len(diagnostics) != 1 or diagnostics[0]["code"] != "invariant-violated":
        found = [(d["code"], d["message"]) for d in diagnostics]
        return None, f"check --prove should report one invariant-violated and nothing else, reported {found}"
    return diagnostics[0], None


def check_one(stepcare, sq):
    """An error text, or None when every step holds."""
    problem = sampling_misses_it(stepcare, sq)
    if problem:
        return problem
    diagnostic, problem = refutation(stepcare, sq)
    if problem:
        return problem
    message = diagnostic["message"]
    if COUNTEREXAMPLE_MARK not in message:
        return f"the message carries no counterexample: {message}"
    counterexample = json.loads(message.split(COUNTEREXAMPLE_MARK, 1)[1])
    with open(sq[: -len(".sq")] + ".expected.json", encoding="utf-8") as f:
        expected = json.load(f)
    if counterexample != expected:
        return f"counterexample {json.dumps(counterexample)} is not the expected {json.dumps(expected)}"

    # The invariant's name is quoted at the start of the message: invariant "NAME" is false ...
    name = message[len("invariant ") : message.index('" is false') + 1]
    broken_line = f"  {name}: false: these answers break it"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(counterexample, f)
        answers_path = f.name
    try:
        explained = run([stepcare, "explain", sq, "--answers", answers_path])
    finally:
        os.unlink(answers_path)
    if explained.returncode != 0 or broken_line not in explained.stdout.splitlines():
        return f"explain does not say {broken_line.strip()!r}:\n{explained.stdout}{explained.stderr}"

    evaluated = run([stepcare, "eval", sq], stdin=json.dumps(expected) + "\n")
    results = evaluated.stdout.splitlines()
    if evaluated.returncode != 0 or len(results) != 1:
        return f"eval exited {evaluated.returncode} with {len(results)} results: {evaluated.stderr.strip()}"
    result = json.loads(results[0])
    if result["status"] == "invalid":
        return f"eval rejects the expected answers: {result['errors']}"
    return None


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    stepcare, folder = sys.argv[1], sys.argv[2]
    files = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".sq"))
    if not files:
        print(f"FAIL: no .sq files in {folder}")
        return 1
    failures = 0
    for sq in files:
        problem = check_one(stepcare, sq)
        if problem:
            failures += 1
            print(f"FAIL {os.path.basename(sq)}: {problem}")
        else:
            print(f"PASS {os.path.basename(sq)}")
    print(f"{len(files) - failures} of {len(files)} seeded bugs missed by sampling and refuted by --prove")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
