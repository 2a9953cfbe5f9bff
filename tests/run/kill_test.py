#!/usr/bin/env python3
"""Killing `stepcare run --save` with SIGKILL loses no acknowledged answer.

An answer is acknowledged when the program shows what comes next (the next prompt, or
the results). Each trial answers a random number of questions, then kills the program,
either right after an acknowledgement or while it is taking in the next answer, and
checks that the save file parses and holds every acknowledged answer.

usage: kill_test.py STEPCARE DATA_DIR [TRIALS]
"""
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

STEPCARE, DATA = sys.argv[1], sys.argv[2]
TRIALS = int(sys.argv[3]) if len(sys.argv) > 3 else 40

# The answers typed, and what each adds to the saved answers.
ANSWERS = [
    ("no", {"danger": False}),
    ("3", {"low": "most"}),
    ("4", {"tried": 4}),
    ("2", {"adequate": 2}),
    ("5.5", {"hours": 5.5}),
    ("1, 3", {"troubles": ["falling", "early"]}),
    ("yes", {"leaflet": "yes"}),
    ("nothing else", {"notes": "nothing else"}),
]


class Program:
    def __init__(self, save):
        self.process = subprocess.Popen(
            [STEPCARE, "run", os.path.join(DATA, "intake.sq"), "--save", save],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
            env={k: v for k, v in os.environ.items() if k != "NO_COLOR"})
        self.out = b""

    def prompts(self):
        return self.out.count(b"\n> ")

    def wait_for(self, done, timeout=30.0):
        deadline = time.time() + timeout
        while not done():
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.time()))
            if not ready:
                raise AssertionError("timed out; output so far:\n" + self.out.decode("utf-8", "replace"))
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                break
            self.out += chunk

    def type(self, line):
        self.process.stdin.write(line.encode() + b"\n")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()


def trial(rng, folder, number):
    save = os.path.join(folder, "save-%d.json" % number)
    acknowledged = rng.randint(0, len(ANSWERS))
    in_flight = acknowledged < len(ANSWERS) and rng.random() < 0.5
    program = Program(save)
    program.wait_for(lambda: program.prompts() >= 1)
    expected = {}
    for i in range(acknowledged):
        text, adds = ANSWERS[i]
        program.type(text)
        if i + 1 < len(ANSWERS):
            program.wait_for(lambda: program.prompts() >= i + 2)
        else:
            program.wait_for(lambda: b"Talk to a clinician" in program.out)
        expected.update(adds)
    if in_flight:
        program.type(ANSWERS[acknowledged][0])
        time.sleep(rng.random() * 0.004)
    program.kill()

    with open(save, encoding="utf-8") as f:
        content = f.read()
    try:
        saved = json.loads(content)
    except ValueError as e:
        return "trial %d: the save file does not parse (%s): %r" % (number, e, content)
    answers = saved.get("answers", {})
    for key, value in expected.items():
        if answers.get(key) != value:
            return "trial %d: acknowledged answer %s=%r missing from %r" % (number, key, value, answers)
    extra = set(answers) - set(expected)
    allowed = set(ANSWERS[acknowledged][1]) if in_flight else set()
    if not extra <= allowed:
        return "trial %d: unexpected answers %r in %r" % (number, extra, answers)
    if saved.get("questionnaire", {}).get("id") != "run_demo":
        return "trial %d: the save file does not name its questionnaire: %r" % (number, saved)
    return None


def main():
    rng = random.Random(20240611)
    folder = tempfile.mkdtemp(prefix="stepcare-kill-")
    failures = []
    try:
        for number in range(TRIALS):
            problem = trial(rng, folder, number)
            if problem:
                print("FAIL: " + problem)
                failures.append(problem)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        print("%d of %d trials failed" % (len(failures), TRIALS))
        return 1
    print("%d trials: every acknowledged answer was saved" % TRIALS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
