#!/usr/bin/env python3
"""Drives `stepcare lsp` as an editor would, over pipes: every request the server offers,
and the bad cases (out of order, unopened documents, positions past the end, invalid JSON
and UTF-8, a client that goes away). The diagnostics of every file in tests/bad/check and
of the bundled questionnaires are compared with those of `stepcare check --prove`.

Usage: scripted_client_test.py STEPCARE_PROGRAM REPOSITORY_ROOT
"""
import json
import os
import pathlib
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

PROGRAM = sys.argv[1]
ROOT = pathlib.Path(sys.argv[2]).resolve()
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else f"\n     {detail}"))
    if not ok:
        failures.append(what)


class Client:
    """One server process, with a thread that reads what it writes."""

    def __init__(self, encodings=("utf-16",), options=None):
        self.process = subprocess.Popen([PROGRAM, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE)
        self.incoming = queue.Queue()
        self.notifications = []
        self.next_id = 100
        self.errors = bytearray()  # what the server writes to standard error, read as it comes
        threading.Thread(target=self._read, daemon=True).start()
        self.error_reader = threading.Thread(target=self._read_errors, daemon=True)
        self.error_reader.start()
        self.initialize_reply = None
        if encodings is not None:
            params = {"processId": os.getpid(), "rootUri": None,
                      "capabilities": {"general": {"positionEncodings": list(encodings)}}}
            if options is not None:
                params["initializationOptions"] = options
            self.initialize_reply = self.request("initialize", params)
            self.notify("initialized", {})

    def _read(self):
        out = self.process.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.incoming.put(None)
                    return
                if line == b"\r\n":
                    break
                name, value = line.decode().split(":", 1)
                headers[name.strip().lower()] = value.strip()
            self.incoming.put(json.loads(out.read(int(headers["content-length"]))))

    def _read_errors(self):
        for chunk in iter(lambda: self.process.stderr.read1(65536), b""):
            self.errors += chunk

    def stderr(self):
        """All the server wrote to standard error, once it has ended."""
        self.process.wait(timeout=30)
        self.error_reader.join(timeout=30)
        return bytes(self.errors)

    def send_bytes(self, body):
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def send(self, message):
        self.send_bytes(json.dumps({"jsonrpc": "2.0", **message}).encode())

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def receive(self, timeout=30):
        message = self.incoming.get(timeout=timeout)
        if message is not None and "id" not in message:
            self.notifications.append(message)
        return message

    def request(self, method, params=None, id=None):
        if id is None:
            self.next_id += 1
            id = self.next_id
        message = {"id": id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        deadline = time.time() + 60
        while time.time() < deadline:
            reply = self.receive(timeout=deadline - time.time())
            if reply is None:
                return None
            if reply.get("id") == id and "method" not in reply:
                return reply
        raise TimeoutError(method)

    def diagnostics(self, uri, version, full, timeout=60):
        """The diagnostics published for `uri` at `version`: the first (quick) ones, or,
        with `full`, those after the pause (tests, invariants and proofs included)."""
        seen = 0
        deadline = time.time() + timeout
        for message in self.notifications:
            if self._is_publish(message, uri, version):
                seen += 1
                if seen == (2 if full else 1):
                    return message["params"]["diagnostics"]
        while time.time() < deadline:
            try:
                message = self.receive(timeout=deadline - time.time())
            except queue.Empty:
                break
            if message is None:
                return None
            if self._is_publish(message, uri, version):
                seen += 1
                if seen == (2 if full else 1):
                    return message["params"]["diagnostics"]
        received = [m for m in self.notifications if m.get("params", {}).get("uri") == uri]
        raise TimeoutError(f"diagnostics of {uri} version {version}: {len(received)} publications for it arrived "
                           f"({[m['params'].get('version') for m in received]}); the server is "
                           f"{'running' if self.process.poll() is None else 'gone'}; its standard error: "
                           f"{bytes(self.errors[-2000:])!r}")

    @staticmethod
    def _is_publish(message, uri, version):
        return (message.get("method") == "textDocument/publishDiagnostics" and message["params"]["uri"] == uri
                and message["params"].get("version") == version)

    def open(self, uri, text, version=1):
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "stepcare", "version": version, "text": text}})

    def stop(self):
        reply = self.request("shutdown")
        self.notify("exit", None)
        status = self.process.wait(timeout=30)
        return reply, status


def utf16_column(line_text, code_points):
    """A column counted in code points, as the engine counts, in UTF-16 units."""
    return sum(2 if ord(c) > 0xFFFF else 1 for c in line_text[:code_points])


def expected_range(lines, d):
    def at(line, column):
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        return {"line": line - 1, "character": utf16_column(text, column - 1)}
    return {"start": at(d["line"], d["column"]), "end": at(d["end_line"], d["end_column"])}


def lines_of(text):
    return re.split(r"\r\n|\r|\n", text)


def pos(text, needle, nth=0, offset=0):
    """The position (UTF-16) of the nth occurrence of `needle`, plus `offset` characters."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += offset
    before = text[:at]
    line = len(lines_of(before)) - 1
    column = utf16_column(lines_of(before)[-1], len(lines_of(before)[-1]))
    return {"line": line, "character": column}


def doc(uri):
    return {"uri": uri}


SMALL = """questionnaire habits_check "Habits" {
  version "1"
  source guide "A guide to habits"

  options often {
    never = 0 "Never"
    often = 2 "Often"
  }

  section habits "Habits" {
    question smokes: choice often {
      ask "Do you smoke?"
      help "Any tobacco."
    }
    question cigarettes: integer 0..100 optional when smokes == often {
      ask "How many a day?"
    }
    question symptoms: multi {
      cough = 1 "Cough"
      fever = 2 "Fever"
    } {
      ask "Any of these? é😀"
    }
  }

  let heavy = cigarettes >= 20

  outcome warning caution "Heavy smoking" {
    when heavy and smokes in {often}
    say "You smoke {cigarettes} a day."
    cite guide
  }

  referral "See a clinician" {
    say "Talk with one."
  }

  test "heavy smokers are warned" {
    given { smokes = often  cigarettes = 30 }
    expect warning
  }

  invariant "a warning needs smoking": warning implies smokes == often
}
"""


def test_lifecycle():
    c = Client(encodings=None)
    reply = c.request("textDocument/hover", {"textDocument": doc("file:///x.sq"), "position": {"line": 0, "character": 0}})
    check("a request before initialize is refused with ServerNotInitialized", reply["error"]["code"] == -32002)
    c.open("file:///early.sq", "questionnaire {")
    reply = c.request("initialize", {"capabilities": {}}, id="first")
    capabilities = reply["result"]["capabilities"]
    check("initialize answers a string id as given", reply["id"] == "first")
    check("positions are UTF-16 unless the client offers UTF-8", capabilities["positionEncoding"] == "utf-16")
    wanted = ["textDocumentSync", "hoverProvider", "definitionProvider", "referencesProvider",
              "documentHighlightProvider", "documentSymbolProvider", "documentFormattingProvider",
              "codeActionProvider", "renameProvider", "completionProvider", "foldingRangeProvider"]
    check("every feature is announced", all(name in capabilities for name in wanted), capabilities)
    check("full and incremental sync: incremental announced", capabilities["textDocumentSync"]["change"] == 2)
    again = c.request("initialize", {"capabilities": {}})
    check("a second initialize is refused", again.get("error", {}).get("code") == -32600, again)
    c.notify("$/cancelRequest", {"id": 5})
    c.notify("$/setTrace", {"value": "off"})
    reply = c.request("workspace/symbol", {"query": ""})
    check("an unknown request gets MethodNotFound", reply["error"]["code"] == -32601)
    early = [m for m in c.notifications if m["params"].get("uri") == "file:///early.sq"]
    check("a document opened before initialize is not taken", early == [], early)
    reply, status = c.stop()
    check("shutdown answers null", reply.get("result", "missing") is None, reply)
    check("exit after shutdown ends with status 0", status == 0, status)
    check("nothing is written to standard error", c.stderr() == b"")

    c = Client()
    c.notify("exit", None)
    check("exit without shutdown ends with status 1", c.process.wait(timeout=30) == 1)

    c = Client()
    c.request("shutdown")
    reply = c.request("textDocument/hover", {"textDocument": doc("file:///x.sq"), "position": {"line": 0, "character": 0}})
    check("a request after shutdown is refused with InvalidRequest", reply["error"]["code"] == -32600)
    c.notify("exit", None)
    c.process.wait(timeout=30)

    c = Client(encodings=("utf-8", "utf-16"))
    check("UTF-8 positions when the client offers them",
          c.initialize_reply["result"]["capabilities"]["positionEncoding"] == "utf-8")
    c.open("file:///gone.sq", SMALL)
    c.process.stdin.close()
    check("a client that goes away ends the server (status 1)", c.process.wait(timeout=30) == 1)
    check("... without a word on standard error", c.stderr() == b"")


def test_bad_messages():
    c = Client()
    c.send_bytes(b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", ')
    reply = c.receive()
    check("a body that is not JSON gets ParseError with a null id", reply["error"]["code"] == -32700 and reply["id"] is None)
    c.send_bytes(b'{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"x":"\xc3\x28"}}')
    reply = c.receive()
    check("invalid UTF-8 gets ParseError", reply["error"]["code"] == -32700, reply)
    c.process.stdin.write(b"Content-Type: text/plain\r\n\r\n")
    c.process.stdin.flush()
    reply = c.receive()
    check("a frame without Content-Length gets ParseError", reply["error"]["code"] == -32700, reply)
    c.send({"id": 3, "params": {}})
    check("a request without a method gets InvalidRequest", c.receive()["error"]["code"] == -32600)
    c.send({"id": 4, "method": "textDocument/hover", "params": "a string"})
    check("parameters that are not an object get InvalidParams", c.receive()["error"]["code"] == -32602)
    c.send({"id": 5, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": 7}, "position": {"line": -1, "character": "x"}}})
    check("fields of the wrong type get InvalidParams", c.receive()["error"]["code"] == -32602)
    c.send({"id": 6, "result": None})  # a response to nothing the server asked
    c.notify("textDocument/didChange", {"textDocument": {"uri": "file:///never.sq", "version": 2},
                                        "contentChanges": [{"text": "x"}]})
    c.notify("textDocument/didClose", {"textDocument": doc("file:///never.sq")})
    for method in ["textDocument/hover", "textDocument/definition", "textDocument/references",
                   "textDocument/documentHighlight", "textDocument/completion", "textDocument/rename",
                   "textDocument/prepareRename", "textDocument/documentSymbol", "textDocument/foldingRange",
                   "textDocument/formatting", "textDocument/codeAction"]:
        reply = c.request(method, {"textDocument": doc("file:///never.sq"), "position": {"line": 0, "character": 0},
                                   "newName": "x", "context": {"includeDeclaration": True, "diagnostics": []},
                                   "options": {}})
        check(f"{method} on a document never opened gets InvalidParams", reply.get("error", {}).get("code") == -32602,
              reply)
    reply, status = c.stop()
    check("the server still answers after all of that", status == 0 and "result" in reply)


def test_diagnostics_and_sync():
    c = Client()
    uri = "file:///tmp/habits%20check.sq"
    c.open(uri, SMALL)
    check("quick diagnostics of a clean file are empty", c.diagnostics(uri, 1, full=False) == [])
    check("so are the full ones (tests, invariants, proofs)", c.diagnostics(uri, 1, full=True) == [])

    # An edit that breaks a name, after non-ASCII text on the same line (UTF-16 columns).
    line = pos(SMALL, "Any of these? é😀")["line"]
    end = pos(SMALL, "é😀\"", offset=2)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": end, "end": end}, "text": " {heavyy}"}]})
    quick = c.diagnostics(uri, 2, full=False)
    check("an undefined name in a text is reported at once", [d["code"] for d in quick] == ["message-format"], quick)
    check("... on the edited line", quick and quick[0]["range"]["start"]["line"] == line, quick)
    check("... suggesting the name", quick and "did you mean 'heavy'?" in quick[0]["message"], quick)

    # The quick fix changes the name inside the string, and nothing else.
    typed = apply(SMALL, [{"range": {"start": end, "end": end}, "newText": " {heavyy}"}])
    actions = c.request("textDocument/codeAction", {"textDocument": doc(uri), "range": quick[0]["range"],
                                                    "context": {"diagnostics": quick}})["result"]
    check("a did-you-mean diagnostic gets one quick fix", len(actions) == 1 and actions[0]["kind"] == "quickfix", actions)
    fixed = apply(typed, actions[0]["edit"]["changes"][uri]) if actions else ""
    check("... which puts the name in the text's braces", fixed == typed.replace("{heavyy}", "{heavy}"), fixed)

    # A misspelt name in an expression.
    typo = SMALL.replace("when heavy and", "when heavyy and")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 20}, "contentChanges": [{"text": typo}]})
    quick = c.diagnostics(uri, 20, full=False)
    actions = c.request("textDocument/codeAction", {"textDocument": doc(uri), "range": quick[0]["range"],
                                                    "context": {"diagnostics": quick}})["result"]
    check("a misspelt name in an expression: the fix gives the file back",
          len(actions) == 1 and apply(typo, actions[0]["edit"]["changes"][uri]) == SMALL, actions)

    # Undo with a full-text change.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": SMALL}]})
    check("a full-text change clears them", c.diagnostics(uri, 3, full=False) == [])

    # A failing test shows only after the pause.
    broken = SMALL.replace("cigarettes = 30", "cigarettes = 3")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                        "contentChanges": [{"text": broken}]})
    check("a failing test is not among the quick diagnostics", c.diagnostics(uri, 4, full=False) == [])
    full = c.diagnostics(uri, 4, full=True)
    check("it comes after the pause", [d["code"] for d in full] == ["test-failed"], full)

    # Edits in quick succession: only the last version gets the full check.
    for version in range(5, 10):
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": SMALL if version % 2 else broken}]})
    last = c.diagnostics(uri, 9, full=True)
    check("typing fast: the last version is checked in full", last == [], last)
    stale = [m for m in c.notifications if m.get("method") == "textDocument/publishDiagnostics"
             and m["params"].get("version") in (5, 6, 7, 8)]
    check("... and the versions typed over get only their quick diagnostics", len(stale) == 4, len(stale))

    # Changes whose ranges lie past the end are clamped, never a crash.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 10}, "contentChanges": [
        {"range": {"start": {"line": 9999, "character": 0}, "end": {"line": 9999, "character": 5}}, "text": "\n# end\n"},
        {"range": {"start": {"line": 0, "character": 9999}, "end": {"line": 0, "character": 99999}}, "text": ""}]})
    check("an edit past the end appends", c.diagnostics(uri, 10, full=False) == [])
    reply = c.request("textDocument/hover", {"textDocument": doc(uri), "position": {"line": 99999, "character": 99}})
    check("hover past the end is null", "result" in reply and reply["result"] is None, reply)

    c.notify("textDocument/didClose", {"textDocument": doc(uri)})
    c.request("shutdown")  # lets the close's notification arrive first
    closing = [m for m in c.notifications if m.get("method") == "textDocument/publishDiagnostics"
               and m["params"]["uri"] == uri and "version" not in m["params"]]
    check("closing a document clears its diagnostics", closing and closing[-1]["params"]["diagnostics"] == [])
    c.notify("exit", None)
    c.process.wait(timeout=30)


def test_same_as_check():
    """Every file of tests/bad/check and the bundled questionnaires: the diagnostics after
    the pause are those of `stepcare check --prove --format json`, range for range."""
    c = Client()
    files = sorted((ROOT / "tests" / "bad" / "check").glob("*.sq")) + sorted((ROOT / "questionnaires").glob("*.sq"))
    compared = 0
    for number, path in enumerate(files):
        raw = path.read_bytes()
        try:
            # As editors read a file: a byte order mark is not part of the text.
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # not UTF-8: no client can send it (the invalid-UTF-8 case is above)
        if "\0" in text:
            continue
        run = subprocess.run([PROGRAM, "check", "--prove", "--format", "json", str(path)], capture_output=True)
        expected = json.loads(run.stdout) if run.stdout.strip() else []
        uri = path.as_uri()
        c.open(uri, text, version=number + 1)
        got = c.diagnostics(uri, number + 1, full=True, timeout=120)
        lines = lines_of(text)
        want = []
        for d in expected:
            if d["code"] == "unreadable-file":
                continue
            item = {"range": expected_range(lines, d), "severity": {"error": 1, "warning": 2}.get(d["severity"], 3),
                    "code": d["code"], "source": "stepcare", "message": d["message"]}
            related = [{"location": {"uri": uri, "range": expected_range(lines, n)}, "message": n["message"]}
                       for n in d["notes"]]
            if related:
                item["relatedInformation"] = related
            want.append(item)
        check(f"{path.relative_to(ROOT)}: the diagnostics of check ({len(want)})", got == want,
              f"got {json.dumps(got)[:600]}\n     want {json.dumps(want)[:600]}")
        c.notify("textDocument/didClose", {"textDocument": doc(uri)})
        compared += 1
    check("most files were compared", compared > 40, compared)
    c.stop()


def opened_small(uri):
    """A client with SMALL open at `uri`, its first diagnostics in."""
    c = Client()
    c.open(uri, SMALL)
    c.diagnostics(uri, 1, full=False)
    return c, uri


def test_navigation():
    c, uri = opened_small("file:///tmp/habits.sq")

    def ask(method, needle, nth=0, offset=1, **more):
        return c.request(method, {"textDocument": doc(uri), "position": pos(SMALL, needle, nth, offset), **more})

    hover = ask("textDocument/hover", "smokes", 1)["result"]["contents"]["value"]
    check("hover on a question: its text, type, help and options with scores",
          hover == "**smokes**: choice often\n\nDo you smoke?\n\nAny tobacco.\n\n- `never` (0): Never\n- `often` (2): Often\n",
          hover)
    hover = ask("textDocument/hover", "heavy and")["result"]["contents"]["value"]
    check("hover on a let: its type and definition",
          hover == "**heavy**: let: bool\n\n```stepcare\nlet heavy = cigarettes >= 20\n```", hover)
    hover = ask("textDocument/hover", "warning", 1, offset=0)["result"]["contents"]["value"]
    check("hover on an outcome: its level, title and text",
          hover == "**warning**: outcome, caution\n\n**Heavy smoking**\n\nYou smoke {cigarettes} a day.", hover)
    hover = ask("textDocument/hover", "cite guide", offset=6)["result"]["contents"]["value"]
    check("hover on a source: its title", hover == "**guide**: source\n\nA guide to habits", hover)
    hover = ask("textDocument/hover", "often}")["result"]["contents"]["value"]
    check("hover on an option: its score and label", hover == "**often**: option of 'often', score 2\n\nOften", hover)
    reply = ask("textDocument/hover", "Do you smoke")
    check("hover on plain text is null", reply["result"] is None, reply)

    definition = ask("textDocument/definition", "heavy and")["result"]
    check("definition of a let's use", definition["range"]["start"] == pos(SMALL, "heavy =") and definition["uri"] == uri,
          definition)
    definition = ask("textDocument/definition", "{cigarettes}", offset=3)["result"]
    check("definition of a name a text shows", definition["range"]["start"] == pos(SMALL, "cigarettes:"), definition)
    definition = ask("textDocument/definition", "== often", offset=4)["result"]
    check("definition of an option compared with", definition["range"]["start"] == pos(SMALL, "often = 2"), definition)

    references = ask("textDocument/references", "heavy =", context={"includeDeclaration": True})["result"]
    starts = sorted((r["range"]["start"]["line"], r["range"]["start"]["character"]) for r in references)
    want = sorted((p["line"], p["character"]) for p in [pos(SMALL, "heavy ="), pos(SMALL, "heavy and")])
    check("references of a let, with its declaration", starts == want, references)
    references = ask("textDocument/references", "cigarettes", context={"includeDeclaration": False})["result"]
    check("references of a question without its declaration: the let, the text and the test",
          len(references) == 3, references)
    highlights = ask("textDocument/documentHighlight", "smokes")["result"]
    kinds = sorted(h["kind"] for h in highlights)
    check("highlights: the definition is written (3), the uses read (2)", kinds == [2, 2, 2, 2, 3], highlights)

    symbols = c.request("textDocument/documentSymbol", {"textDocument": doc(uri)})["result"]
    root = symbols[0]
    names = [s["name"] for s in root["children"]]
    check("the outline: the questionnaire holds its parts in file order",
          names == ["guide", "often", "habits", "heavy", "warning", "referral", "heavy smokers are warned",
                    "a warning needs smoking"], names)
    habits = next(s for s in root["children"] if s["name"] == "habits")
    check("... a section holds its questions", [s["name"] for s in habits["children"]] ==
          ["smokes", "cigarettes", "symptoms"], habits)
    symptoms = habits["children"][2]
    check("... a question its own options", [s["name"] for s in symptoms["children"]] == ["cough", "fever"], symptoms)
    folds = c.request("textDocument/foldingRange", {"textDocument": doc(uri)})["result"]
    section = pos(SMALL, "section habits")["line"]
    check("a folding range for the section", any(f["startLine"] == section for f in folds), folds)

    def labels(needle, offset):
        reply = c.request("textDocument/completion", {"textDocument": doc(uri), "position": pos(SMALL, needle, 0, offset)})
        return reply["result"]["items"]

    items = labels("== often", 3)
    check("completion after ==: the question's options", [i["label"] for i in items] == ["never", "often"], items)
    items = labels("in {often}", 4)
    check("completion after in {: the options", [i["label"] for i in items] == ["never", "often"], items)
    items = labels("let heavy", 0)
    found = {i["label"]: i for i in items}
    check("completion elsewhere: names, keywords and builtins",
          all(n in found for n in ["smokes", "heavy", "warning", "guide", "question", "when", "sum"]), list(found)[:20])
    check("... builtins with their signatures", found.get("sum", {}).get("detail") == "sum(number, ...) -> number")
    # `has` for a multi question, typed in a fresh line.
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": pos(SMALL, "  let heavy"), "end": pos(SMALL, "  let heavy")}, "text": "  let c = symptoms has \n"}]})
    reply = c.request("textDocument/completion", {"textDocument": doc(uri), "position": {
        "line": pos(SMALL, "  let heavy")["line"], "character": len("  let c = symptoms has ")}})
    check("completion after has: the multi question's options",
          [i["label"] for i in reply["result"]["items"]] == ["cough", "fever"], reply)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": SMALL}]})
    c.stop()


def test_rename_and_format():
    c, uri = opened_small("file:///tmp/rename.sq")

    def at(needle, nth=0, offset=1):
        return {"textDocument": doc(uri), "position": pos(SMALL, needle, nth, offset)}

    prepared = c.request("textDocument/prepareRename", at("cigarettes >="))["result"]
    check("prepareRename gives the name's range and the name",
          prepared["placeholder"] == "cigarettes" and prepared["range"]["start"] == pos(SMALL, "cigarettes >="), prepared)
    edit = c.request("textDocument/rename", {**at("cigarettes >="), "newName": "per_day"})["result"]
    edits = edit["changes"][uri]
    check("rename of a question: every place, the text's argument and the test's answer included", len(edits) == 4, edits)
    renamed = apply(SMALL, edits)
    check("... giving the expected file", renamed == SMALL.replace("cigarettes", "per_day"))
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": renamed}]})
    check("... which checks clean, tests included", c.diagnostics(uri, 2, full=True) == [])
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": SMALL}]})
    c.diagnostics(uri, 3, full=False)

    for new_name, why in [("smokes", "clash"), ("question", "reserved word"), ("two words", "not a name"),
                          ("", "empty")]:
        reply = c.request("textDocument/rename", {**at("heavy and"), "newName": new_name})
        error = reply.get("error", {})
        check(f"rename to a {why} is refused with the reason", error.get("code") == -32803 and
              "would give errors" in error.get("message", ""), reply)
    reply = c.request("textDocument/prepareRename", at("questionnaire", offset=2))
    check("the keyword under the cursor cannot be renamed", reply.get("error", {}).get("code") == -32803, reply)
    reply = c.request("textDocument/rename", {**at("heavy smokers are warned"), "newName": "x"})
    check("a test's name cannot be renamed", reply.get("error", {}).get("code") == -32803, reply)
    reply = c.request("textDocument/rename", at("heavy and"))
    check("rename without a new name gets InvalidParams", reply.get("error", {}).get("code") == -32602, reply)

    formatted = c.request("textDocument/formatting", {"textDocument": doc(uri), "options": {"tabSize": 2,
                                                                                           "insertSpaces": True}})
    check("formatting a formatted file changes nothing", formatted.get("result") == [], formatted)
    messy = SMALL.replace("  let heavy = cigarettes >= 20", "let   heavy=cigarettes>=20")
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": messy}]})
    formatted = c.request("textDocument/formatting", {"textDocument": doc(uri), "options": {}})["result"]
    with tempfile.NamedTemporaryFile("w", suffix=".sq", delete=False) as f:
        f.write(messy)
    fmt = subprocess.run([PROGRAM, "fmt", "--stdout", f.name], capture_output=True, text=True)
    os.unlink(f.name)
    check("formatting gives what stepcare fmt gives", apply(messy, formatted) == fmt.stdout == SMALL,
          formatted)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                        "contentChanges": [{"text": SMALL.replace("heavy =", "heavy ==")}]})
    reply = c.request("textDocument/formatting", {"textDocument": doc(uri), "options": {}})
    check("a file with errors is not formatted, and the reply says why",
          reply.get("error", {}).get("code") == -32803 and "errors" in reply["error"]["message"], reply)
    c.stop()


def apply(text, edits, utf8=False):
    """Applies LSP text edits (UTF-16 positions, or UTF-8 ones) to `text`."""
    lines = text.split("\n")

    def offset(p):
        before = sum(len(line) + 1 for line in lines[:p["line"]])
        line = lines[p["line"]] if p["line"] < len(lines) else ""
        units, i = 0, 0
        while i < len(line) and units < p["character"]:
            units += len(line[i].encode()) if utf8 else 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return min(before + i, len(text))
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        text = text[:offset(e["range"]["start"])] + e["newText"] + text[offset(e["range"]["end"]):]
    return text


def test_reference_questionnaire():
    """The reference questionnaire: opened, navigated and renamed in UTF-8 positions."""
    c = Client(encodings=("utf-8",))
    path = ROOT / "questionnaires" / "ketamine-trd.sq"
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    c.open(uri, text)
    check("the reference questionnaire: no quick diagnostics", c.diagnostics(uri, 1, full=False) == [])
    check("... none after its 66 tests and the proofs", c.diagnostics(uri, 1, full=True, timeout=120) == [])
    data = text.encode()

    def byte_pos(needle):
        at = data.index(needle.encode())
        line = data[:at].count(b"\n")
        return {"line": line, "character": at - (data.rfind(b"\n", 0, at) + 1)}
    use = byte_pos("when adult")
    use["character"] += 5
    definition = c.request("textDocument/definition", {"textDocument": doc(uri), "position": use})["result"]
    check("definition in UTF-8 positions", definition["range"]["start"]["line"] == byte_pos("let adult")["line"], definition)
    edit = c.request("textDocument/rename", {"textDocument": doc(uri), "position": use, "newName": "grown_up"})["result"]
    renamed = apply(text, edit["changes"][uri], utf8=True)
    check("rename in the reference questionnaire: one edit per use", renamed.count("grown_up") == len(edit["changes"][uri]) > 30)
    c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": renamed}]})
    after = c.diagnostics(uri, 2, full=True, timeout=120)
    check("... and the renamed file checks clean, its tests included", after == [], after)
    c.stop()


for test in [test_lifecycle, test_bad_messages, test_diagnostics_and_sync, test_navigation, test_rename_and_format,
             test_same_as_check, test_reference_questionnaire]:
    print(f"-- {test.__name__}")
    try:
        test()
    except Exception as problem:  # a test that could not go on
        import traceback
        check(f"{test.__name__} ran to its end", False, traceback.format_exc())

print(f"{len(failures)} failed" if failures else "all passed")
sys.exit(1 if failures else 0)
