#!/usr/bin/env python3
"""`stepcare run` in a pseudo-terminal, as a person sees it: text wrapped to the
terminal's width at word boundaries (wide characters counted twice), colour only on a
terminal and never with NO_COLOR or --plain, input echoed once (by the terminal), and
Ctrl-C (and SIGTERM) saving the answers and ending with the referral.

usage: pty_test.py STEPCARE DATA_DIR
"""
import fcntl
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time
import unicodedata

STEPCARE, DATA = sys.argv[1], sys.argv[2]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)


def width(line):
    total = 0
    for c in line:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        total += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return total


class Terminal:
    """The program running on the slave side of a pty of `columns` columns."""

    def __init__(self, args, columns, env_changes):
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        env.pop("COLUMNS", None)
        env["TERM"] = "xterm"
        env.update(env_changes)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            os.execve(STEPCARE, [STEPCARE] + args, env)
        self.raw = b""
        self.status = None

    def read_until_prompts(self, count, timeout=20.0):
        """Reads until the program has shown its `count`th prompt."""
        self.read_while(lambda: self.prompts() < count, "prompt %d" % count, timeout)

    def read_until(self, wanted, timeout=20.0):
        """Reads until the output holds `wanted` (a line editor redraws its prompt, so
        prompts cannot be counted there)."""
        self.read_while(lambda: wanted not in self.text(), repr(wanted), timeout)

    def read_while(self, waiting, what, timeout):
        deadline = time.time() + timeout
        while waiting():
            remaining = deadline - time.time()
            if remaining <= 0:
                raise AssertionError("timed out waiting for %s; got:\n%s" % (what, self.text()))
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError("the program ended before %s; got:\n%s" % (what, self.text()))
            self.raw += chunk

    def prompts(self):
        return self.raw.count(b"> ")

    def type(self, keys):
        os.write(self.fd, keys)

    def finish(self, timeout=20.0):
        deadline = time.time() + timeout
        while True:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.time()))
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.raw += chunk
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        self.status = os.waitstatus_to_exitcode(status)
        return self.status

    def text(self):
        return self.raw.decode("utf-8", "replace").replace("\r\n", "\n")

    def plain_lines(self):
        return ANSI.sub("", self.text()).split("\n")


def colour_wrapping_and_ctrl_c(folder):
    save = os.path.join(folder, "s.json")
    term = Terminal(["run", os.path.join(DATA, "intake.sq"), "--save", save], 40, {})
    term.read_until_prompts(1)
    check("\x1b[" in term.text(), "colour is used on a terminal")
    lines = term.plain_lines()
    for line in lines:
        check(width(line) <= 40, "line wider than 40 columns: %r" % line)
    check("Are you thinking about harming yourself" in lines and "right now?" in lines,
          "the question wraps at a word boundary at 40 columns: %r" % lines)
    check("If you are not sure, answer yes: someone" in lines and "will talk with you today." in lines,
          "the help text wraps at a word boundary at 40 columns: %r" % lines)
    # The window is resized: the next question fills the new width.
    fcntl.ioctl(term.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 30, 0, 0))
    before = len(term.plain_lines())
    term.type(b"no\r")
    term.read_until_prompts(2)
    check(ANSI.sub("", term.text()).count("> no\n") == 1, "the answer is echoed once, by the terminal")
    resized = term.plain_lines()[before:]
    for line in resized:
        check(width(line) <= 30, "after resizing, a line wider than 30 columns: %r" % line)
    check("Over the last two weeks, how" in resized, "after resizing, lines fill 30 columns: %r" % resized)
    term.type(b"3\r")
    term.read_until_prompts(3)
    term.type(b"\x03")
    status = term.finish()
    check(status == 130, "Ctrl-C exits with 130, not %r" % status)
    text = ANSI.sub("", term.text())
    check("Interrupted." in text, "Ctrl-C says it was interrupted")
    check("Your answers are saved in" in text, "Ctrl-C says where the answers are")
    check(text.rstrip().endswith("=" * 30), "the referral comes last, its rule as wide as the resized window")
    referral = text.rfind("Talk to a clinician")
    check(referral > text.find("Interrupted."), "Ctrl-C shows the referral")
    with open(save, encoding="utf-8") as f:
        saved = json.load(f)
    check(saved["answers"] == {"danger": False, "low": "most"}, "Ctrl-C keeps the answers: %r" % saved)
    check(saved.get("position") == "tried", "Ctrl-C keeps the position: %r" % saved)


def terminate(folder):
    save = os.path.join(folder, "t.json")
    term = Terminal(["run", os.path.join(DATA, "intake.sq"), "--save", save, "--lang", "es"], 60, {})
    term.read_until_prompts(1)
    term.type(b"no\r")
    term.read_until_prompts(2)
    os.kill(term.pid, signal.SIGTERM)
    status = term.finish()
    check(status == 128 + signal.SIGTERM, "SIGTERM exits with 143, not %r" % status)
    text = ANSI.sub("", term.text())
    check("Interrumpido." in text and "Hable con un profesional" in text, "SIGTERM ends with the referral")
    with open(save, encoding="utf-8") as f:
        saved = json.load(f)
    check(saved["answers"] == {"danger": False} and saved.get("position") == "low",
          "SIGTERM keeps the answers and position: %r" % saved)


def no_color(folder, env, extra):
    term = Terminal(["run", os.path.join(DATA, "intake.sq")] + extra, 60, env)
    term.read_until_prompts(1)
    term.type(b"quit\r")
    status = term.finish()
    check(status == 3, "quit exits with 3, not %r" % status)
    check("\x1b" not in term.text(), "no escape sequence with %r %r:\n%r" % (env, extra, term.text()[:300]))
    check("Talk to a clinician" in term.text(), "quit shows the referral")


def wide_characters(folder):
    term = Terminal(["run", os.path.join(DATA, "wide.sq"), "--lang", "ja", "--plain"], 30, {})
    term.read_until_prompts(1)
    term.type(b"1\r")
    term.read_until("Show a summary")
    term.type(b"no\r")
    status = term.finish()
    check(status == 0, "the wide questionnaire finishes with 0, not %r" % status)
    lines = term.plain_lines()
    for line in lines:
        check(width(line) <= 30, "line wider than 30 columns: %r (%d)" % (line, width(line)))
    joined = "".join(line.strip() for line in lines)
    check("今朝の気分はいかがですか。全体的に考えて、最も近いものを選んでください。" in joined,
          "the Japanese question is all there")
    check(any(width(line) >= 27 for line in lines if "今朝" in line), "wide lines are filled, not cut short")
    term = Terminal(["run", os.path.join(DATA, "wide.sq"), "--plain"], 30, {})
    term.read_until_prompts(1)
    term.type(b"quit\r")
    term.finish()
    lines = term.plain_lines()
    check("Café, crème brûlée and naïve" in lines, "accented words fill the line: %r" % lines)
    for line in lines:
        check(width(line) <= 30, "line wider than 30 columns: %r" % line)


def urgent_waits_for_enter(folder):
    """On an 80x24 terminal the urgent box stays on the screen until Enter is pressed."""
    term = Terminal(["run", os.path.join(DATA, "urgent.sq"), "--plain"], 80, {})
    term.read_until_prompts(1)
    term.type(b"2\r")
    term.read_until_prompts(2)
    screen = term.plain_lines()[-24:]
    shown = "\n".join(screen)
    check("IMPORTANT: Please talk to someone today" in shown and "Press Enter when you are ready to go on." in shown,
          "the urgent box and the pause fit the last 24 lines: %r" % screen)
    check("Do you usually sleep well?" not in term.text(), "the next question waits for Enter")
    check("Sources" not in shown, "the urgent box shows no sources")
    term.type(b"\r")
    term.read_until_prompts(3)
    check("Do you usually sleep well?" in term.text(), "Enter goes on to the next question")
    check("Please type an answer" not in term.text(), "the Enter of the pause is not an empty answer")
    term.type(b"yes\r")
    term.read_until("Show a summary of your answers for your clinician?")
    term.type(b"yes\r")
    term.read_until("Referral: Talk to a clinician")
    status = term.finish()
    check(status == 0, "the urgent questionnaire finishes with 0, not %r" % status)
    summary = ANSI.sub("", term.text()).split("Summary for your clinician")[-1]
    check("Over the last two weeks, how often have you had thoughts" in summary and "Several days" in summary,
          "on request, the summary lists each question with its answer: %r" % summary[:400])
    text = ANSI.sub("", term.text())
    check(text.rfind("Sources of \u201cPlease talk to someone today\u201d: 1") > text.rfind("IMPORTANT")
          and "1. Crisis lines" in text, "the urgent message's sources come with the results at the end")


def line_editing(folder):
    """The arrow keys move within the answer on a terminal; nothing typed is kept as history."""
    save = os.path.join(folder, "e.json")
    term = Terminal(["run", os.path.join(DATA, "intake.sq"), "--save", save, "--plain"], 80, {"HOME": folder})
    term.read_until_prompts(1)
    # Keys typed at the very moment the prompt appears can reach the terminal before the
    # line editor has switched it to its own mode, which echoes them as ^[[D; a person is
    # never that fast, so wait as one would.
    time.sleep(0.5)
    term.type(b"o\x1b[Dn\r")  # "o", Left, "n": the line reads "no"
    term.read_until("Over the last two weeks")
    check("^[[D" not in term.text(), "the Left key is not printed as ^[[D")
    term.type(b"\x1b[A\r")  # Up: no history to bring back, so the line stays empty
    term.read_until("Please type an answer")
    term.type(b"quit\r")
    term.finish()
    with open(save, encoding="utf-8") as f:
        saved = json.load(f)
    check(saved["answers"] == {"danger": False}, "the edited answer is saved as typed: %r" % saved)
    check(not [name for name in os.listdir(folder) if "history" in name or name.startswith(".editrc")],
          "no history file is written: %r" % os.listdir(folder))


def main():
    folder = tempfile.mkdtemp(prefix="stepcare-pty-")
    try:
        colour_wrapping_and_ctrl_c(folder)
        terminate(folder)
        no_color(folder, {"NO_COLOR": "1"}, [])
        no_color(folder, {}, ["--plain"])
        wide_characters(folder)
        urgent_waits_for_enter(folder)
        line_editing(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all pseudo-terminal checks passed")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("timed out"))
    signal.alarm(120)
    sys.exit(main())
