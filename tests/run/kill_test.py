#!/usr/bin/env python3
"""Killing `stepcare run --save` with SIGKILL loses no acknowledged answer.

An answer is acknowledged when the program shows what comes next (the next prompt, or
the results). Two kinds of trial:

- Typed: answers a random number of questions one at a time, then kills the program,
  either right after an acknowledgement or while it is taking in the next answer, and
  checks that the save file parses and holds every acknowledged answer.
- Any moment: the whole script (answers, a rejected answer, `back`, `skip`, answers
  changed again and again) is in the program's input from the start, so it runs flat out,
  and the kill comes after a random delay: anywhere in reading, checking, saving
  (writing, flushing, renaming) and showing. Everything the program wrote is then read,
  and the save file must parse and be exactly the save of some point at or after the
  last acknowledged line: the state that a run meeting the end of input after that many
  lines leaves (these references are made first, one per number of lines). Every fifth
  killed file is resumed with --resume and no input, which must end cleanly and keep
  its answers.

usage: kill_test.py STEPCARE DATA_DIR [TYPED_TRIALS [ANYTIME_TRIALS]]
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
ANYTIME_TRIALS = int(sys.argv[4]) if len(sys.argv) > 4 else 100
QUESTIONNAIRE = os.path.join(DATA, "intake.sq")

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


# Answers, a rejected answer (more full-dose trials than tried), a change through
# `back`, text that is not a number, `skip` refused, answers changed again and again
# (so that there is more time to kill the program in), and a last `skip`.
SCRIPT = (["no", "3", "4", "7", "2", "back", "3", "abc", "5.5", "1, 3", "skip", "yes"] +
          ["back", "later", "back", "yes"] * 10 + ["skip"])
PROMPT = b"\n> "
FINISHED = b"\nYour results\n"  # not "Your results so far", shown at the end of input
REFERRAL = b"Talk to a clinician"


class Program:
    def __init__(self, save):
        self.process = subprocess.Popen(
            [STEPCARE, "run", QUESTIONNAIRE, "--save", save],
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
            program.wait_for(lambda: REFERRAL in program.out)
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


# ---- kills at any moment ------------------------------------------------------------------

def environment():
    return {k: v for k, v in os.environ.items() if k != "NO_COLOR"}


def start(save, lines, resume=False):
    option = "--resume" if resume else "--save"
    process = subprocess.Popen([STEPCARE, "run", QUESTIONNAIRE, option, save],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=environment())
    # The whole script at once: it fits in the pipe, so the program never waits for it.
    process.stdin.write("".join(line + "\n" for line in lines).encode())
    process.stdin.close()
    return process


def acknowledged(output):
    """How many script lines the program had answered by showing what comes next."""
    if FINISHED in output:
        return len(SCRIPT)
    return max(0, output.count(PROMPT) - 1)


def saved_state(path):
    """The answers and position in a save file, or the reason it is no good."""
    try:
        with open(path, encoding="utf-8") as f:
            content = f.read()
    except FileNotFoundError:
        return None, None
    try:
        saved = json.loads(content)
    except ValueError as e:
        return None, "the save file does not parse (%s): %r" % (e, content)
    if saved.get("questionnaire", {}).get("id") != "run_demo":
        return None, "the save file does not name its questionnaire: %r" % content
    return (json.dumps(saved.get("answers"), sort_keys=True), saved.get("position")), None


def references(folder):
    """The save after each number of script lines, from runs that meet the end of input."""
    states = []
    for count in range(len(SCRIPT) + 1):
        save = os.path.join(folder, "reference-%d.json" % count)
        process = start(save, SCRIPT[:count])
        output = process.stdout.read()
        process.wait()
        state, problem = saved_state(save)
        if problem:
            raise AssertionError("reference run of %d lines: %s" % (count, problem))
        if acknowledged(output) != count:
            raise AssertionError("reference run of %d lines acknowledged %d" % (count, acknowledged(output)))
        states.append(state)
    return states


def resumes_cleanly(save, state):
    """Problems with continuing a killed intake: it must end (early) with the referral and
    keep every answer."""
    process = start(save, [], resume=True)
    output = process.stdout.read()
    code = process.wait()
    if code not in (0, 3) or REFERRAL not in output:
        return "resuming the killed save file ended with exit code %d: %r" % (code, output[-300:])
    after, problem = saved_state(save)
    if problem or after[0] != state[0]:
        return "resuming changed the answers from %s to %s" % (state[0], problem or after[0])
    return None


def timing(folder):
    """Seconds from the start of a whole run to its first prompt, and to its results."""
    process = start(os.path.join(folder, "timing.json"), SCRIPT)
    began = time.monotonic()  # as a trial's delay, from when its program has its input
    output = b""
    first_prompt = finished = None
    while True:
        chunk = os.read(process.stdout.fileno(), 65536)
        if not chunk:
            break
        output += chunk
        if first_prompt is None and PROMPT in output:
            first_prompt = time.monotonic() - began
        if finished is None and FINISHED in output:
            finished = time.monotonic() - began
    process.wait()
    return first_prompt, finished


def anytime_trial(rng, folder, number, states, times):
    save = os.path.join(folder, "anytime-%d.json" % number)
    first_prompt, finished = times
    process = start(save, SCRIPT)
    # Mostly while the answers are being taken in; sometimes during the start.
    if rng.random() < 0.15:
        time.sleep(rng.uniform(0, first_prompt))
    else:
        time.sleep(rng.uniform(first_prompt * 0.9, finished))
    process.send_signal(signal.SIGKILL)
    output = process.stdout.read()  # all it wrote before dying is still in the pipe
    process.wait()
    done = acknowledged(output)
    state, problem = saved_state(save)
    if problem:
        return problem, done
    if state is None:
        # Killed before the first save: only allowed while nothing was acknowledged.
        return (None if done == 0 else "no save file after %d acknowledged lines" % done), done
    if state not in states[done:]:
        return ("after %d acknowledged lines the save file holds %s, position %r, which no run "
                "from there on saves" % (done, state[0], state[1])), done
    if number % 5 == 0:
        return resumes_cleanly(save, state), done
    return None, done


def main():
    rng = random.Random(20240611)
    folder = tempfile.mkdtemp(prefix="stepcare-kill-")
    failures = []
    reached = [0] * (len(SCRIPT) + 1)
    try:
        for number in range(TRIALS):
            failures.append(trial(rng, folder, number))
        states = references(folder)
        times = timing(folder)
        for number in range(ANYTIME_TRIALS):
            problem, done = anytime_trial(rng, folder, number, states, times)
            reached[done] += 1
            failures.append(problem and "any-moment trial %d: %s" % (number, problem))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    failures = [f for f in failures if f]
    for problem in failures:
        print("FAIL: " + problem)
    print("any-moment kills after n acknowledged lines, n = 0..%d: %s" % (len(SCRIPT), reached))
    if failures:
        print("%d of %d trials failed" % (len(failures), TRIALS + ANYTIME_TRIALS))
        return 1
    print("%d typed and %d any-moment trials: every acknowledged answer was saved" % (TRIALS, ANYTIME_TRIALS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
