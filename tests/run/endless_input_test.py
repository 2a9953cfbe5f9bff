#!/usr/bin/env python3
"""`stepcare run` stays bounded and stoppable whatever its input.

- A line over the longest accepted (1 MiB) is not read as an answer: the program says so,
  does not echo it, and goes on with the next line.
- Input without line breaks (/dev/zero) and endless lines that answer nothing (`yes perhaps`) keep the program busy
  but not growing: its peak memory stays bounded, and SIGINT or SIGTERM still stop it
  at once, with the referral shown and the exit status 128 + signal.

usage: endless_input_test.py STEPCARE DATA_DIR
"""
import os
import signal
import subprocess
import sys
import time

STEPCARE, DATA = sys.argv[1], sys.argv[2]
QUESTIONNAIRE = os.path.join(DATA, "intake.sq")
LONGEST_LINE = 1024 * 1024
# How far the peak may grow past the program at rest (measured on `stepcare --version`, so
# that the size of the program itself, large in a sanitizer build, does not count).
GROWTH_MEMORY_KB = 100 * 1024
# AddressSanitizer keeps freed memory aside (256 MB by default) to catch uses after free,
# which would look like growth here; a small quarantine keeps the check meaningful.
os.environ["ASAN_OPTIONS"] = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "quarantine_size_mb=16"]))
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def long_line_is_refused():
    text = b"a" * (LONGEST_LINE + 500000) + b"\nno\n"
    run = subprocess.run([STEPCARE, "run", QUESTIONNAIRE, "--plain"], input=text,
                         capture_output=True, timeout=120)
    out = run.stdout.decode("utf-8", "replace")
    check(run.returncode == 3, f"a long line then the end of input: exit 3, got {run.returncode}")
    check(f"That line is longer than {LONGEST_LINE} bytes, so it was not read." in out.replace("\n", " "),
          "the long line is refused with its message")
    check("aaaa" not in out, "the long line is not echoed")
    check("> no\n\nYour mood" in out, "the next line answers the question")
    check(len(run.stdout) < 10000, f"the output stays short, got {len(run.stdout)} bytes")


def resting_memory_kb():
    """The peak memory of the program doing nothing: its code, data and libraries."""
    program = subprocess.Popen([STEPCARE, "--version"], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(program.pid, 0)
    program.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_maxrss


def peak_memory_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def stops_on_signal(source, signal_number):
    name = f"{source}, {signal.Signals(signal_number).name}"
    if source == "/dev/zero":
        feeder = None
        stdin = open("/dev/zero", "rb")
    else:
        feeder = subprocess.Popen(["yes", "perhaps"], stdout=subprocess.PIPE)
        stdin = feeder.stdout
    program = subprocess.Popen([STEPCARE, "run", QUESTIONNAIRE, "--plain"], stdin=stdin,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    stdin.close()
    # Read its output as it comes, so that it never waits on a full pipe.
    tail = bytearray()
    os.set_blocking(program.stdout.fileno(), False)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        chunk = program.stdout.read(1 << 16)
        if chunk:
            tail = (tail + chunk)[-20000:]
        time.sleep(0.01)
    peak = peak_memory_kb(program.pid)
    resting = resting_memory_kb()
    check(peak - resting < GROWTH_MEMORY_KB,
          f"{name}: peak memory within {GROWTH_MEMORY_KB} KB of the program at rest ({resting} KB), got {peak} KB")
    program.send_signal(signal_number)
    signalled = time.monotonic()
    while program.poll() is None and time.monotonic() - signalled < 10:
        chunk = program.stdout.read(1 << 16)
        if chunk:
            tail = (tail + chunk)[-20000:]
        time.sleep(0.01)
    if program.poll() is None:
        program.kill()
        check(False, f"{name}: still running 10 s after the signal")
    else:
        rest = program.stdout.read()
        if rest:
            tail = (tail + rest)[-20000:]
        check(program.returncode == 128 + signal_number,
              f"{name}: exit {128 + signal_number}, got {program.returncode}")
        check(b"Talk to a clinician" in tail, f"{name}: the referral is shown at the end")
    if feeder:
        feeder.kill()
        feeder.wait()


long_line_is_refused()
stops_on_signal("/dev/zero", signal.SIGINT)
stops_on_signal("yes perhaps", signal.SIGTERM)
if failures:
    sys.exit(f"{len(failures)} failed")
print("all passed")
