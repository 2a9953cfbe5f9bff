#!/usr/bin/env python3
"""Latency of the language server, `stepcare lsp`, as an editor sees it (bench/README.md).

Starts PROGRAM lsp, opens a questionnaire (questionnaires/ketamine-trd.sq by default) and,
over N repetitions, edits one character of a comment (a space put in, then taken out again,
so the file stays valid and its index the same size) with increasing versions, and times:

  diagnostics after an edit   from sending the didChange to the first publishDiagnostics
                              carrying its version (the quick ones: syntax and checking);
                              the full check with tests and proofs that follows after a
                              pause is not this figure
  hover, index current        a hover on a use of a let, sent once those diagnostics came
  definition, index current   textDocument/definition there, likewise
  first hover after an edit   a hover sent right after another didChange, before its
                              diagnostics: it waits for the edit to be handled

After each edit the full check is waited for (the second publish of that version; its time
from the edit is printed too, for information), and then --settle milliseconds (100 by
default: the checker thread frees the check's memory after publishing it), so every edit
meets an idle server.
Only the Python standard library is used. Figures depend on the machine; nothing fails when
one misses its target, but the exit status is 1 when the server misbehaves (no answer,
diagnostics on the valid file, a hover or definition that is not the let's).

  python3 bench/lsp_bench.py PROGRAM [--file FILE] [--repetitions N] [--warm-up N] [--settle MS]
"""

import argparse
import json
import math
import os
import pathlib
import re
import statistics
import subprocess
import sys
import threading
import time

TIMEOUT = 60  # seconds to wait for any one answer before giving up


class Server:
    """`PROGRAM lsp` with a thread that reads its messages and stamps their arrival."""

    def __init__(self, program, uri):
        self.process = subprocess.Popen([program, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.uri = uri
        self.arrived = threading.Condition()
        self.responses = {}  # id: (time, message)
        self.publishes = {}  # version: [(time, diagnostics)] of the document, in order
        self.ended = False
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.process.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self.arrived:
                        self.ended = True
                        self.arrived.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    if length is not None:
                        break
                    continue
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            at = time.perf_counter()
            message = json.loads(body)
            with self.arrived:
                if "id" in message and "method" not in message:
                    self.responses[message["id"]] = (at, message)
                elif message.get("method") == "textDocument/publishDiagnostics":
                    params = message.get("params", {})
                    if params.get("uri") == self.uri:
                        self.publishes.setdefault(params.get("version"), []).append((at, params["diagnostics"]))
                self.arrived.notify_all()

    def send(self, message):
        """Sends a message; returns the time just before it was written."""
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        data = b"Content-Length: %d\r\n\r\n" % len(body) + body
        at = time.perf_counter()
        self.process.stdin.write(data)
        self.process.stdin.flush()
        return at

    def request(self, method, params):
        self.next_id += 1
        return self.next_id, self.send({"id": self.next_id, "method": method, "params": params})

    def notify(self, method, params):
        return self.send({"method": method, "params": params})

    def _wait(self, found, what):
        with self.arrived:
            if not self.arrived.wait_for(lambda: self.ended or found() is not None, timeout=TIMEOUT):
                sys.exit("lsp_bench.py: no %s within %d s" % (what, TIMEOUT))
            if found() is None:
                sys.exit("lsp_bench.py: the server ended while waiting for %s" % what)
            return found()

    def response(self, id, what):
        """The arrival time and result of the answer to request `id`."""
        at, message = self._wait(lambda: self.responses.get(id), what)
        if "error" in message:
            sys.exit("lsp_bench.py: %s failed: %s" % (what, message["error"]))
        return at, message["result"]

    def publish(self, version, which):
        """The arrival time of the which-th (from 0) publishDiagnostics of a version."""

        def found():
            seen = self.publishes.get(version, [])
            return seen[which] if len(seen) > which else None

        at, diagnostics = self._wait(found, "diagnostics %d of version %d" % (which + 1, version))
        if diagnostics:
            sys.exit("lsp_bench.py: the valid file got diagnostics: %s" % diagnostics[0].get("message"))
        return at

    def cpu_seconds(self):
        """User and system CPU time of the server so far (Linux), or None."""
        try:
            with open("/proc/%d/stat" % self.process.pid) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None


def percentile(values, fraction):
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("program", help="the stepcare program")
    parser.add_argument("--file", default=os.path.join(here, "..", "questionnaires", "ketamine-trd.sq"))
    parser.add_argument("--repetitions", type=int, default=50)
    parser.add_argument("--warm-up", type=int, default=3, help="repetitions run first and not counted")
    parser.add_argument(
        "--settle", type=float, default=100, help="ms to wait after each full check before the next edit (100)"
    )
    arguments = parser.parse_args()
    if arguments.repetitions < 1 or arguments.warm_up < 0:
        parser.error("--repetitions must be at least 1 and --warm-up at least 0")

    path = os.path.abspath(arguments.file)
    with open(path, encoding="utf-8") as file:
        text = file.read()
    lines = text.split("\n")
    uri = pathlib.Path(path).as_uri()
    document = {"uri": uri}

    # A use of a let: `adult` in the first `when adult` of ketamine-trd.sq, else the first let
    # used in a `when`.
    use = definition = None
    for number, line in enumerate(lines):
        found = re.match(r"\s*let ([A-Za-z_][A-Za-z0-9_]*) = ", line)
        if not found or (arguments.file.endswith("ketamine-trd.sq") and found.group(1) != "adult"):
            continue
        name = found.group(1)
        for later in range(len(lines)):
            code = lines[later].split("#", 1)[0]
            at = re.search(r"\bwhen\b.*?\b%s\b" % name, code)
            if at and '"' not in code[: at.end()]:
                definition = (number, found.start(1), name)
                use = (later, at.end() - len(name) + 1)
                break
        if use:
            break
    # The comment edited: the first line that is a comment alone, not the use's line.
    comment = next(
        (n for n, line in enumerate(lines) if line.lstrip().startswith("#") and (not use or n != use[0])),
        None,
    )
    if use is None or comment is None:
        sys.exit("lsp_bench.py: %s has no comment line, or no let used in a `when`" % path)
    comment_column = lines[comment].index("#") + 1

    server = Server(arguments.program, uri)
    id, _ = server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {}})
    server.response(id, "the answer to initialize")
    server.notify("initialized", {})
    version = 1
    opened = server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "stepcare", "version": version, "text": text}},
    )

    quick_open = server.publish(version, 0) - opened
    full_open = server.publish(version, 1) - opened  # the full check after the pause

    inserted = False

    def edit():
        """Puts in or takes out a space after the comment's `#`; returns the time sent."""
        nonlocal version, inserted
        version += 1
        start = {"line": comment, "character": comment_column}
        if inserted:
            end = {"line": comment, "character": comment_column + 1}
            change = {"range": {"start": start, "end": end}, "text": ""}
        else:
            change = {"range": {"start": start, "end": start}, "text": " "}
        inserted = not inserted
        return server.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
        )

    position = {"line": use[0], "character": use[1]}

    def hover():
        """Sends a hover; returns the times it was sent and answered."""
        id, at = server.request("textDocument/hover", {"textDocument": document, "position": position})
        answered, result = server.response(id, "a hover")
        value = (result or {}).get("contents", {}).get("value", "")
        if "let %s = " % definition[2] not in value:
            sys.exit("lsp_bench.py: the hover does not show the let: %r" % value)
        return at, answered

    def go_to_definition():
        id, at = server.request("textDocument/definition", {"textDocument": document, "position": position})
        answered, result = server.response(id, "a definition")
        start = (result or {}).get("range", {}).get("start", {})
        if (start.get("line"), start.get("character")) != (definition[0], definition[1]):
            sys.exit("lsp_bench.py: the definition is not the let's name: %r" % result)
        return answered - at

    names = ("diagnostics", "hover", "definition", "first hover", "hover part", "full check")
    figures = {name: [] for name in names}
    cpu_before = None
    for repetition in range(arguments.warm_up + arguments.repetitions):
        counted = repetition >= arguments.warm_up
        if counted and cpu_before is None:
            cpu_before = server.cpu_seconds()
        # (a) to (c): the quick diagnostics of an edit, then hover and definition.
        sent = edit()
        arrived = server.publish(version, 0)
        asked, answered = hover()
        times = {"diagnostics": arrived - sent, "hover": answered - asked, "definition": go_to_definition()}
        server.publish(version, 1)  # the full check, so that the next edit meets an idle server
        time.sleep(arguments.settle / 1000)
        # (d): a hover sent at once after an edit.
        sent = edit()
        asked, answered = hover()
        times["first hover"] = answered - asked
        times["hover part"] = answered - server.publish(version, 0)
        times["full check"] = server.publish(version, 1) - sent
        time.sleep(arguments.settle / 1000)
        if counted:
            for name, value in times.items():
                figures[name].append(value * 1000)
    cpu_after = server.cpu_seconds()

    id, _ = server.request("shutdown", None)
    server.response(id, "the answer to shutdown")
    server.notify("exit", None)
    status = server.process.wait(timeout=TIMEOUT)

    print(
        "stepcare lsp: %s (%d lines, %d bytes), %d repetitions after %d to warm up, %g ms to settle"
        % (os.path.relpath(path), len(lines) - (1 if text.endswith("\n") else 0), len(text.encode()),
           arguments.repetitions, arguments.warm_up, arguments.settle)
    )
    print("edited: line %d, a space after `#`; hover and definition: `%s` on line %d, defined on line %d"
          % (comment + 1, definition[2], use[0] + 1, definition[0] + 1))
    print("opening: diagnostics in %.1f ms, the full check's in %.1f ms" % (quick_open * 1e3, full_open * 1e3))
    print()
    print("%-40s %9s %9s %9s   %s" % ("", "median", "p90", "max", "target"))
    rows = [
        ("diagnostics after an edit", "diagnostics", 50),
        ("hover, index current", "hover", 5),
        ("definition, index current", "definition", 5),
        ("first hover after an edit", "first hover", 5),
        ("  of which after the edit's diagnostics", "hover part", None),
        ("full check after the pause (info)", "full check", None),
    ]
    for label, name, target in rows:
        values = figures[name]
        median, p90, most = statistics.median(values), percentile(values, 0.9), max(values)
        verdict = ""
        if target is not None:
            met = "met" if p90 < target else "median met, p90 missed" if median < target else "missed"
            verdict = "< %d ms: %s" % (target, met)
        print("%-40s %6.2f ms %6.2f ms %6.2f ms   %s" % (label, median, p90, most, verdict))
    if cpu_before is not None and cpu_after is not None:
        cpu = cpu_after - cpu_before
        print()
        print("server CPU time over the counted repetitions: %.2f s (%.1f ms per repetition: two edits "
              "with their full checks)" % (cpu, cpu * 1000 / arguments.repetitions))
    print("the server exited with status %d" % status)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
