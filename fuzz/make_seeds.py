#!/usr/bin/env python3
"""Writes the seed corpora and the answers dictionary of the fuzz targets.

usage: make_seeds.py ROOT OUT

OUT/compile/   every .sq file under questionnaires/ and tests/ (tests/bad/ included)
OUT/answers/   every line of the .jsonl files and every .json file under tests/, and one
               record per `given` block of the reference questionnaire's tests
OUT/session/   command strings that answer question after question
OUT/fhir/      every line of tests/cli/cases/*fhir*/, the reference questionnaire's test
               answers as QuestionnaireResponses, and the FHIR Questionnaires of the import
               corpus
OUT/serve/     HTTP requests to the server's routes, API and web forms, on a live intake
OUT/lsp/       language server messages, one per line, on tests/data/run/intake.sq: every
               request at several places, edits, and the end of a session
OUT/answers.dict   the reference questionnaire's question and option ids, in quotes
OUT/fhir.dict  the same, with the keys of a QuestionnaireResponse
OUT/serve.dict the routes, methods, fields and ids of the server's requests
OUT/lsp.dict   the language server's methods and fields, and the names of intake.sq
"""
import hashlib
import json
import os
import re
import sys

ROOT, OUT = sys.argv[1], sys.argv[2]
REFERENCE = os.path.join(ROOT, "questionnaires", "ketamine-trd.sq")


def write(folder, content):
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(content).hexdigest()
    with open(os.path.join(folder, name), "wb") as f:
        f.write(content)


def files(*parts, suffix):
    for top in parts:
        for folder, _, names in os.walk(os.path.join(ROOT, top)):
            for name in sorted(names):
                path = os.path.join(folder, name)
                # Test trees hold deliberately broken entries, such as dangling links.
                if name.endswith(suffix) and os.path.isfile(path):
                    yield path


def read(path):
    with open(path, "rb") as f:
        return f.read()


def given_records(source):
    """The reference questionnaire's test answers as answers records."""
    for number, block in enumerate(re.findall(r"given\s*\{(.*?)\n\s*\}", source, re.S)):
        answers = {}
        for name, value in re.findall(r"(\w+)\s*=\s*(\{[^}]*\}|-?[\w.]+)", block):
            if value.startswith("{"):
                answers[name] = [v.strip() for v in value[1:-1].split(",") if v.strip()]
            elif re.fullmatch(r"-?\d+", value):
                answers[name] = int(value)
            elif re.fullmatch(r"-?\d+\.\d+", value):
                answers[name] = float(value)
            else:
                answers[name] = value
        yield json.dumps({"id": number, "answers": answers}).encode()


def as_response(record):
    """An answers record as a QuestionnaireResponse, every item at the top."""
    items = []
    for name, value in json.loads(record)["answers"].items():
        values = value if isinstance(value, list) else [value]
        answers = []
        for v in values:
            if isinstance(v, bool):
                answers.append({"valueBoolean": v})
            elif isinstance(v, int):
                answers.append({"valueInteger": v})
            elif isinstance(v, float):
                answers.append({"valueDecimal": v})
            else:
                answers.append({"valueCoding": {"code": v}})
        items.append({"linkId": name, "answer": answers} if answers else {"linkId": name})
    return json.dumps({"resourceType": "QuestionnaireResponse", "questionnaire": "urn:stepcare:ketamine_trd",
                       "status": "completed", "item": items}).encode()


def main():
    for path in files("questionnaires", "tests", suffix=".sq"):
        write(os.path.join(OUT, "compile"), read(path))

    answers = os.path.join(OUT, "answers")
    for path in files("tests", suffix=".jsonl"):
        if not path.endswith(".expected.jsonl"):
            for line in read(path).splitlines():
                write(answers, line)
    for path in files("tests", suffix=".json"):
        write(answers, read(path))
    reference = read(REFERENCE).decode()
    for record in given_records(reference):
        write(answers, record)
        write(os.path.join(OUT, "fhir"), as_response(record))
    for path in files(os.path.join("tests", "cli", "cases"), suffix=".jsonl"):
        if "fhir" in path:
            for line in read(path).splitlines():
                write(os.path.join(OUT, "fhir"), line)
    for path in files(os.path.join("tests", "fhir", "import"), suffix=".json"):
        write(os.path.join(OUT, "fhir"), read(path))

    # Setup byte (questionnaire and language), then "answer, fitting value" again and again.
    for setup in range(4):
        for value in (0, 1, 5, 130):
            write(os.path.join(OUT, "session"), bytes([setup]) + bytes([0, 1, value]) * 85)

    serve = os.path.join(OUT, "serve")
    json_type = "content-type: application/json\n"
    form_type = "content-type: application/x-www-form-urlencoded\n"
    requests = [
        "GET /api/v1/questionnaires\n\n",
        "GET /api/v1/questionnaires/ketamine_trd/fhir?lang=es\n\n",
        "POST /api/v1/intakes\n" + json_type + '\n{"questionnaire": "ketamine_trd", "language": "es"}',
        "GET /api/v1/intakes/{intake}\n\n",
        "POST /api/v1/intakes/{intake}/answer\n" + json_type + '\n{"question": "in_danger_now", "answer": false}',
        "POST /api/v1/intakes/{intake}/answer\n" + json_type + '\n{"answer": 40}',
        "POST /api/v1/intakes/{intake}/answer\n" + json_type + '\n{"answer": ["none"]}',
        "POST /api/v1/intakes/{intake}/back\n\n",
        "POST /api/v1/intakes/{intake}/skip\n" + json_type + "\n{}",
        "GET /api/v1/intakes/{intake}/result?format=fhir-r4\n\n",
        "POST /api/v1/questionnaires/ketamine_trd/evaluate?lang=es\n" + json_type + '\n{"answers": {"age": 40}}',
        "GET /api/v1/staff/intakes?status=all&limit=5\nauthorization: Bearer " + "t" * 40 + "\n\n",
        "GET /api/v1/staff/intakes/{intake}\nauthorization: Bearer " + "t" * 40 + "\n\n",
        "GET /\n\n",
        "GET /intake/{intake}\n\n",
        "GET /intake/{intake}/print\n\n",
        "POST /intake/{intake}/answer\n" + form_type + "\ncsrf={token}&answer=no",
        "POST /intake/{intake}/answer\n" + form_type + "\ncsrf={token}&answer=40",
        "POST /intake/{intake}/answer\n" + form_type + "\ncsrf={token}&answer=es&answer=none",
        "POST /intake/{intake}/back\n" + form_type + "\ncsrf={token}",
        "POST /intake/{intake}/skip\n" + form_type + "\ncsrf={token}",
        "POST /intake/{intake}/language\n" + form_type + "\ncsrf={token}&lang=es",
        "POST /intake/{intake}/leave\n" + form_type + "\ncsrf={token}",
        "POST /intakes\n" + form_type + "cookie: stepcare_form=" + "0" * 32 + "\n\nquestionnaire=ketamine_trd&csrf=x",
    ]
    for request in requests:
        write(serve, request.encode())

    ids = set(re.findall(r"question\s+(\w+)", reference))
    ids |= set(re.findall(r"^\s*(\w+)\s*(?:=\s*\d+\s*)?\{\s*en\s", reference, re.M))
    with open(os.path.join(OUT, "answers.dict"), "w") as f:
        for name in sorted(ids):
            f.write('"\\"%s\\""\n' % name)
    keys = ["resourceType", "QuestionnaireResponse", "Bundle", "entry", "resource", "questionnaire",
            "urn:stepcare:ketamine_trd|1.1.0", "identifier", "value", "item", "linkId", "answer", "valueBoolean",
            "valueInteger", "valueDecimal", "valueString", "valueCoding", "system", "code", "Questionnaire",
            "type", "group", "choice", "enableWhen", "operator", "answerOption", "extension", "url"]
    with open(os.path.join(OUT, "fhir.dict"), "w") as f:
        for name in sorted(ids) + keys:
            f.write('"\\"%s\\""\n' % name)
    words = ["GET ", "POST ", "DELETE ", "/api/v1/", "intakes", "/intake/", "{intake}", "{token}", "csrf=",
             "answer=", "lang=", "/answer", "/back", "/skip", "/leave", "/language", "/result", "/evaluate",
             "/staff/intakes", "questionnaire", "ketamine_trd", "%", "+", "&", "?", "\\x00", "\\xff"]
    with open(os.path.join(OUT, "serve.dict"), "w") as f:
        for word in words + sorted(ids):
            f.write('"%s"\n' % word)

    lsp_seeds()


def lsp_seeds():
    """Sessions of the language server on tests/data/run/intake.sq (file:///intake.sq)."""
    folder = os.path.join(OUT, "lsp")
    intake = read(os.path.join(ROOT, "tests", "data", "run", "intake.sq")).decode()
    lines = intake.split("\n")
    doc = {"uri": "file:///intake.sq"}
    places = []
    for needle in ["resistant", "adequate", "tried", "low", "SLEEP", "frequency", "crisis", "troubles", "==",
                   " in {", "{tried}", "score("]:
        for number, line in enumerate(lines):
            if needle in line:
                places.append({"line": number, "character": line.index(needle) + len(needle) // 2})
                break
    places.append({"line": 9999, "character": 3})

    def message(method, params, id=1):
        body = {"jsonrpc": "2.0", "method": method, "params": params}
        if id is not None:
            body["id"] = id
        return json.dumps(body)

    requests = []
    for i, place in enumerate(places):
        at = {"textDocument": doc, "position": place}
        requests += [message("textDocument/hover", at, i), message("textDocument/definition", at, i),
                     message("textDocument/references", {**at, "context": {"includeDeclaration": True}}, i),
                     message("textDocument/documentHighlight", at, i), message("textDocument/completion", at, i),
                     message("textDocument/prepareRename", at, i),
                     message("textDocument/rename", {**at, "newName": "renamed"}, i)]
    requests += [message("textDocument/documentSymbol", {"textDocument": doc}),
                 message("textDocument/foldingRange", {"textDocument": doc}),
                 message("textDocument/formatting", {"textDocument": doc, "options": {}}),
                 message("textDocument/codeAction", {"textDocument": doc, "range": {
                     "start": places[1], "end": places[1]}, "context": {"diagnostics": [{
                         "range": {"start": places[1], "end": places[1]}, "message": "did you mean 'tried'?"}]}})]
    edits = [message("textDocument/didChange", {"textDocument": {**doc, "version": 2}, "contentChanges": [
                 {"range": {"start": places[0], "end": places[1]}, "text": "x == {"}]}, None),
             message("textDocument/didChange", {"textDocument": {**doc, "version": 3}, "contentChanges": [
                 {"text": intake.replace("resistant", "resistent")}]}, None),
             message("textDocument/didClose", {"textDocument": doc}, None)]
    end = [message("shutdown", None, 99), message("exit", None, None)]
    for request in requests:
        write(folder, (request + "\n").encode())
    for edit in edits:
        write(folder, "\n".join([edit] + requests[:14] + end).encode())
    write(folder, "\n".join(requests + end).encode())
    words = ["textDocument/", "hover", "definition", "references", "documentHighlight", "completion", "rename",
             "prepareRename", "documentSymbol", "foldingRange", "formatting", "codeAction", "didOpen", "didChange",
             "didClose", "initialize", "shutdown", "exit", "file:///intake.sq", "position", "line", "character",
             "range", "start", "end", "contentChanges", "version", "newName", "text", "jsonrpc", "method", "params",
             "id", "context", "diagnostics", "message"]
    names = set(re.findall(r"(?:question|let|outcome|source|options)\s+(\w+)", intake))
    with open(os.path.join(OUT, "lsp.dict"), "w") as f:
        for word in words + sorted(names):
            f.write('"%s"\n' % word)


if __name__ == "__main__":
    main()
