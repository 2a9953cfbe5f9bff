#!/usr/bin/env python3
"""The JSON API of `stepcare serve`, over real HTTP, with every error case.

Usage: api_test.py STEPCARE QUESTIONNAIRES_DIR
"""
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_process import Server, raw_exchange, simple_answer  # noqa: E402

STEPCARE, BUNDLED = sys.argv[1], sys.argv[2]
REFERENCE = os.path.join(BUNDLED, "ketamine-trd.sq")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def walk(server, intake, overrides):
    """Answers every question until the intake ends; returns the answers given."""
    given = {}
    state = intake
    for _ in range(200):
        question = state["question"]
        if question is None:
            return given, state
        value = simple_answer(question, overrides)
        status, _, state = server.request("POST", "/api/v1/intakes/%s/answer" % intake["id"],
                                          {"question": question["id"], "answer": value})
        check(status == 200, "answer %s=%r accepted (got %s %s)" % (question["id"], value, status, state))
        if status != 200:
            return given, state
        given[question["id"]] = value
    raise RuntimeError("the intake did not end")


def eval_result(answers, language=None):
    args = [STEPCARE, "eval", REFERENCE] + (["--lang", language] if language else [])
    out = subprocess.run(args, input=json.dumps({"answers": answers}) + "\n", capture_output=True, text=True)
    return out.stdout.rstrip("\n")


def main():
    work = tempfile.mkdtemp(prefix="stepcare-api-")
    token = "t" * 40
    token_file = os.path.join(work, "tokens")
    with open(token_file, "w") as f:
        f.write("# staff\n" + token + "\n")
    data = os.path.join(work, "data")
    server = Server(STEPCARE, data, ["--token-file", token_file, "--rate-limit", "1000"]).start()
    try:
        api_cases(server, token, data)
    finally:
        code = server.stop()
    check(code == 0, "SIGTERM stops the server with status 0 (got %s)" % code)
    log = server.access_log()
    check(re.search(r"^\S+ POST /api/v1/intakes/\{intake\}/answer 200 [0-9.]+ms$", log, re.M) is not None,
          "the access log has method, route template, status and duration")
    check(not re.search(r"[0-9a-f]{32}", log), "no intake id in the access log")
    check("daily" not in log and "true" not in log and "false" not in log, "no answers in the access log")

    rate_limit_case(work)
    changed_questionnaire_case(work)
    retention_case(work)
    staff_off_case(work)
    tls_case(work)
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("all API cases passed")


def api_cases(server, token, data):
    # The storage file is private.
    check(stat.S_IMODE(os.stat(data).st_mode) == 0o700, "the data folder is 0700")
    check(stat.S_IMODE(os.stat(os.path.join(data, "stepcare.db")).st_mode) == 0o600, "the database file is 0600")

    status, headers, listing = server.request("GET", "/api/v1/questionnaires")
    check(status == 200, "questionnaires listed")
    ids = sorted(q["id"] for q in listing["questionnaires"])
    check(ids == ["anxiety_check", "ketamine_trd", "mood_check"], "the bundled questionnaires are served: %s" % ids)
    reference = [q for q in listing["questionnaires"] if q["id"] == "ketamine_trd"][0]
    check(re.fullmatch(r"[0-9a-f]{64}", reference["sha256"]) is not None, "sha256 is 64 hex digits")
    check(reference["languages"] == ["en", "es"], "languages listed")
    for name in ("content-security-policy", "referrer-policy", "x-content-type-options", "cache-control"):
        check(name in headers, "security header %s" % name)
    check("frame-ancestors 'none'" in headers.get("content-security-policy", ""), "frame-ancestors 'none'")
    check("unsafe-inline" not in headers.get("content-security-policy", ""), "no inline script allowed")
    check(headers.get("referrer-policy") == "no-referrer", "no referrer")
    check(headers.get("cache-control") == "no-store", "no-store")

    status, _, openapi = server.request("GET", "/api/v1/openapi.json")
    check(status == 200 and openapi.get("openapi", "").startswith("3."), "the OpenAPI document is served")
    for path in ("/api/v1/questionnaires", "/api/v1/intakes", "/api/v1/intakes/{intake}/answer",
                 "/api/v1/intakes/{intake}/back", "/api/v1/intakes/{intake}/skip", "/api/v1/intakes/{intake}/result",
                 "/api/v1/questionnaires/{questionnaire}/evaluate", "/api/v1/staff/intakes",
                 "/api/v1/staff/intakes/{intake}"):
        check(path in openapi.get("paths", {}), "the OpenAPI document describes %s" % path)

    # Creating.
    status, headers, intake = server.request("POST", "/api/v1/intakes", {"questionnaire": "ketamine_trd"})
    check(status == 201, "intake created")
    check(re.fullmatch(r"[0-9a-f]{32}", intake["id"]) is not None, "the id is 128 random bits in hex")
    check(headers.get("location") == "/api/v1/intakes/" + intake["id"], "Location names the intake")
    check(intake["question"]["id"] == "in_danger_now" and intake["status"] == "in_progress", "first question")
    check(intake["can_go_back"] is False, "no going back from the first question")
    iid = intake["id"]
    for body, code in (({"questionnaire": "nope"}, 422), ({"questionnaire": "ketamine_trd", "language": "fr"}, 422),
                       ({}, 400), ([1], 400)):
        status, _, answer = server.request("POST", "/api/v1/intakes", body)
        check(status == code, "create with %r gives %d (got %d)" % (body, code, status))
    status, _, answer = server.request("POST", "/api/v1/intakes", "{not json", {"Content-Type": "application/json"})
    check(status == 400 and answer["error"]["code"] == "bad_json", "malformed JSON is 400 bad_json")
    status, _, answer = server.request("POST", "/api/v1/intakes/%s/answer" % iid,
                                       '{"answer": ' + "[" * 100000 + "]" * 100000 + "}")
    check(status == 400 and "nested deeper" in answer["error"]["message"], "a deeply nested body is 400")
    status, _, answer = server.request("POST", "/api/v1/intakes", b'{"questionnaire": "\xff"}')
    check(status == 400, "invalid UTF-8 is 400")

    # Answering: wrong type, wrong question, then right.
    status, _, answer = server.request("POST", "/api/v1/intakes/%s/answer" % iid, {"answer": "maybe"})
    check(status == 422 and answer["error"]["code"] == "invalid_answer" and answer["error"]["question"] ==
          "in_danger_now", "a wrong answer is 422 with the message (%s)" % answer)
    status, _, answer = server.request("POST", "/api/v1/intakes/%s/answer" % iid, {"question": "age", "answer": 40})
    check(status == 409 and answer["error"]["current"] == "in_danger_now", "answering another question is 409")
    status, _, answer = server.request("POST", "/api/v1/intakes/%s/answer" % iid, {"question": "in_danger_now"})
    check(status == 400, "an answer body without an answer is 400")
    status, _, state = server.request("GET", "/api/v1/intakes/" + iid)
    check(state["revision"] == 0 and state["question"]["id"] == "in_danger_now", "refused answers changed nothing")
    status, _, state = server.request("POST", "/api/v1/intakes/%s/skip" % iid, {})
    check(status == 422 and state["error"]["code"] == "not_optional", "skipping a required question is 422")
    status, _, state = server.request("POST", "/api/v1/intakes/%s/back" % iid)
    check(status == 409 and state["error"]["code"] == "no_previous_question", "back from the first question is 409")

    status, _, state = server.request("POST", "/api/v1/intakes/%s/answer" % iid,
                                      {"question": "in_danger_now", "answer": False})
    check(status == 200 and state["question"]["id"] == "age" and state["revision"] == 1, "answer accepted")
    check(state["question"]["min"] == 0 and isinstance(state["question"]["min"], int), "an integer range is whole")
    status, _, state = server.request("POST", "/api/v1/intakes/%s/back" % iid)
    check(status == 200 and state["question"]["id"] == "in_danger_now", "back goes to the previous question")
    check(state["question"]["answer"] is False, "after back, the question shows the answer given before")

    # The whole intake gives the same result as `stepcare eval` on the same answers.
    status, _, intake = server.request("GET", "/api/v1/intakes/" + iid)
    given, final = walk(server, intake, {"age": 40, "in_danger_now": False})
    check(final.get("status") == "finished", "the intake finished (%s)" % final.get("status"))
    status, headers, result = server.request("GET", "/api/v1/intakes/%s/result" % iid, raw=True)
    check(status == 200 and result.decode() == eval_result(given),
          "the intake's result is byte for byte that of stepcare eval")
    status, _, answer = server.request("POST", "/api/v1/intakes/%s/answer" % iid, {"answer": True})
    check(status == 409 and answer["error"]["code"] == "intake_over", "answering an ended intake is 409")
    status, headers, response = server.request("GET", "/api/v1/intakes/%s/result?format=fhir-r4" % iid)
    check(status == 200 and response.get("resourceType") == "QuestionnaireResponse", "the result as FHIR")
    status, _, response = server.request("GET", "/api/v1/intakes/%s/result?format=xml" % iid)
    check(status == 400, "an unknown result format is 400")

    # Crisis first: an urgent outcome comes with the step that made it fire.
    status, _, crisis = server.request("POST", "/api/v1/intakes", {"questionnaire": "ketamine_trd", "language": "es"})
    status, _, state = server.request("POST", "/api/v1/intakes/%s/answer" % crisis["id"],
                                      {"question": "in_danger_now", "answer": True})
    check(status == 200 and state["urgent"] and state["urgent"][0]["level"] == "urgent",
          "an urgent outcome is in the answer's response")
    check(state["language"] == "es", "the intake is in Spanish")
    check(all(o["sources"] and all("title" in s for s in o["sources"]) for o in state["urgent"] if o["cites"]),
          "urgent outcomes carry their sources")

    # Evaluate without a session.
    record = json.dumps({"answers": given})
    status, _, result = server.request("POST", "/api/v1/questionnaires/ketamine_trd/evaluate", record, raw=True)
    check(status == 200 and result.decode() == eval_result(given), "evaluate equals stepcare eval")
    status, _, result = server.request("POST", "/api/v1/questionnaires/ketamine_trd/evaluate?lang=es", record,
                                       raw=True)
    check(status == 200 and result.decode() == eval_result(given, "es"),
          "evaluate in Spanish equals eval --lang es (%s %s)" % (status, result[:200]))
    status, _, result = server.request("POST", "/api/v1/questionnaires/ketamine_trd/evaluate",
                                       {"answers": {"age": "old"}})
    check(status == 422 and result["status"] == "invalid" and result["errors"], "an invalid record is 422")
    status, _, result = server.request("POST", "/api/v1/questionnaires/ketamine_trd/evaluate", "[")
    check(status == 422 and result["status"] == "invalid", "a record that is not JSON is 422 invalid")
    status, _, result = server.request("POST", "/api/v1/questionnaires/ketamine_trd/evaluate?output-format=fhir-r4",
                                       record)
    check(status == 200 and result["resourceType"] == "QuestionnaireResponse", "evaluate to FHIR (%s %s)" % (status, result))
    status, _, result = server.request("POST", "/api/v1/questionnaires/nope/evaluate", record)
    check(status == 404, "evaluate of an unknown questionnaire is 404")
    status, _, exported = server.request("GET", "/api/v1/questionnaires/ketamine_trd/fhir?lang=es")
    check(status == 200 and exported["resourceType"] == "Questionnaire", "the questionnaire in FHIR (%s)" % status)

    status, _, _ = server.request("GET", "/api/v1/questionnaires/ketamine_trd/fhir?lang=es%FF%12")
    check(status == 400, "a query that decodes to invalid UTF-8 is 400 (got %d)" % status)

    # Unknown things.
    status, _, answer = server.request("GET", "/api/v1/intakes/" + "0" * 32)
    check(status == 404 and answer["error"]["code"] == "unknown_intake", "an unknown intake is 404")
    status, _, answer = server.request("GET", "/api/v1/intakes/../../etc/passwd")
    check(status == 404, "a path that is no intake is 404")
    status, _, answer = server.request("GET", "/api/v1/nothing")
    check(status == 404 and answer["error"]["code"] == "no_such_route", "an unknown route is 404")
    status, headers, answer = server.request("PUT", "/api/v1/intakes/" + iid)
    check(status == 405 and headers.get("allow") == "GET", "a wrong method is 405 with Allow (%s)" % headers)

    # Limits.
    # The refusal comes as soon as the headers announce too large a body.
    reply = raw_exchange(server, b"POST /api/v1/intakes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 2097152\r\n\r\n{" + b" " * 1000)
    check(reply.startswith(b"HTTP/1.1 413"), "a 2 MiB body is 413 (got %r)" % reply[:40])
    status, _, answer = server.request("GET", "/api/v1/questionnaires", headers={"X-Big": "a" * 20000})
    check(status == 431, "20 KB of headers is 431 (got %s)" % status)
    reply = raw_exchange(server, b"NOT HTTP AT ALL\r\n\r\n")
    check(reply.startswith(b"HTTP/1.1 400"), "a request that is not HTTP is 400")
    started = time.time()
    reply = raw_exchange(server, b"GET /api/v1/questionnaires HTTP/1.1\r\nHost: x\r\n", timeout=30)
    check(time.time() - started < 20 and reply == b"", "a client that stops mid-request is cut off after the timeout")

    # Staff routes.
    status, headers, answer = server.request("GET", "/api/v1/staff/intakes")
    check(status == 401 and headers.get("www-authenticate") == "Bearer", "staff routes need a token")
    status, _, answer = server.request("GET", "/api/v1/staff/intakes", headers={"Authorization": "Bearer wrong"})
    check(status == 401, "a wrong token is 401")
    auth = {"Authorization": "Bearer " + token}
    status, _, listing = server.request("GET", "/api/v1/staff/intakes", headers=auth)
    check(status == 200 and [i["id"] for i in listing["intakes"]] == [iid] or
          sorted(i["id"] for i in listing["intakes"]) == sorted([iid, crisis["id"]]),
          "staff list the ended intakes (%s)" % listing)
    check(all(i["status"] in ("finished", "stopped") for i in listing["intakes"]), "only ended intakes listed")
    status, _, listing = server.request("GET", "/api/v1/staff/intakes?status=all&limit=2", headers=auth)
    check(status == 200 and len(listing["intakes"]) == 2, "paging of all intakes")
    for query in ("limit=abc", "limit=10abc", "offset=-1", "limit=0", "limit=1001", "status=open"):
        status, _, listing = server.request("GET", "/api/v1/staff/intakes?" + query, headers=auth)
        check(status == 400, "%s is 400 (got %d)" % (query, status))
    status, _, listing = server.request("GET", "/api/v1/staff/intakes", headers={"Authorization": "bearer " + token})
    check(status == 200, "the bearer scheme is case-insensitive")
    status, _, read = server.request("GET", "/api/v1/staff/intakes/" + iid, headers=auth)
    check(status == 200 and read["saved"]["answers"] == given and read["result"]["status"] == "complete",
          "staff read an intake's answers and result")
    status, headers, body = server.request("DELETE", "/api/v1/staff/intakes/" + iid, headers=auth)
    check(status == 204 and body == "" and "content-type" not in headers, "staff delete an intake: 204, no body")
    status, _, _ = server.request("GET", "/api/v1/intakes/" + iid)
    check(status == 404, "a deleted intake is gone")
    status, _, _ = server.request("DELETE", "/api/v1/staff/intakes/" + iid, headers=auth)
    check(status == 404, "deleting it again is 404")


def rate_limit_case(work):
    server = Server(STEPCARE, os.path.join(work, "rate"), ["--rate-limit", "3"]).start()
    try:
        codes = [server.request("POST", "/api/v1/intakes", {"questionnaire": "mood_check"})[0] for _ in range(4)]
        status, headers, _ = server.request("POST", "/api/v1/intakes", {"questionnaire": "mood_check"})
        check(codes == [201, 201, 201, 429] and headers.get("retry-after") == "60",
              "the fourth intake in a minute is 429 with Retry-After (%s)" % codes)
    finally:
        server.stop()


def changed_questionnaire_case(work):
    folder = os.path.join(work, "changed")
    os.makedirs(folder)
    copy = os.path.join(folder, "mood-check.sq")
    shutil.copy(os.path.join(BUNDLED, "mood-check.sq"), copy)
    data = os.path.join(work, "changed-data")
    server = Server(STEPCARE, data, [copy]).start()
    _, _, intake = server.request("POST", "/api/v1/intakes", {"questionnaire": "mood_check"})
    server.stop()
    with open(copy, "a") as f:
        f.write("\n# edited\n")
    server = Server(STEPCARE, data, [copy]).start()
    try:
        status, _, answer = server.request("GET", "/api/v1/intakes/" + intake["id"])
        check(status == 409 and answer["error"]["code"] == "questionnaire_changed",
              "an intake is never resumed on other source bytes")
    finally:
        server.stop()


def retention_case(work):
    data = os.path.join(work, "retention")
    server = Server(STEPCARE, data).start()
    _, _, old = server.request("POST", "/api/v1/intakes", {"questionnaire": "mood_check"})
    _, _, recent = server.request("POST", "/api/v1/intakes", {"questionnaire": "mood_check"})
    server.stop()
    db = sqlite3.connect(os.path.join(data, "stepcare.db"))
    db.execute("UPDATE intakes SET updated_at = updated_at - 3 * 86400 WHERE id = ?", (old["id"],))
    db.commit()
    db.close()
    server = Server(STEPCARE, data, ["--retain-days", "2"]).start()
    try:
        time.sleep(1)
        check(server.request("GET", "/api/v1/intakes/" + old["id"])[0] == 404, "an expired intake is deleted")
        check(server.request("GET", "/api/v1/intakes/" + recent["id"])[0] == 200, "a recent intake is kept")
    finally:
        server.stop()


def staff_off_case(work):
    server = Server(STEPCARE, os.path.join(work, "nostaff")).start()
    try:
        status, _, answer = server.request("GET", "/api/v1/staff/intakes", headers={"Authorization": "Bearer x"})
        check(status == 403 and answer["error"]["code"] == "staff_routes_off", "staff routes off without tokens")
    finally:
        server.stop()


def tls_case(work):
    """--tls-cert/--tls-key: HTTPS with a self-signed certificate, and HSTS."""
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    server = Server(STEPCARE, os.path.join(work, "tls"), ["--tls-cert", cert, "--tls-key", key]).start()
    try:
        import http.client
        import ssl
        context = ssl.create_default_context(cafile=cert)
        context.check_hostname = False
        connection = http.client.HTTPSConnection(server.host, server.port, context=context, timeout=30)
        connection.request("GET", "/api/v1/questionnaires")
        response = connection.getresponse()
        body = json.loads(response.read())
        check(response.status == 200 and len(body["questionnaires"]) == 3, "the API over TLS")
        check(response.getheader("Strict-Transport-Security", "").startswith("max-age="), "HSTS over TLS")
        connection.close()
        reply = raw_exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", timeout=15)
        check(not reply.startswith(b"HTTP/"), "plain HTTP to the TLS port gets no page")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
