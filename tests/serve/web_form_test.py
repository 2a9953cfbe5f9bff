#!/usr/bin/env python3
"""The web intake's forms over plain HTTP (no browser): tokens, replays, bad bodies.

Every refused form must change nothing. Usage: web_form_test.py STEPCARE
"""
import os
import re
import shutil
import sys
import tempfile
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_process import Server  # noqa: E402

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def form(fields):
    return urllib.parse.urlencode(fields, doseq=True)


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def token_of(page):
    match = re.search(r'name="csrf" value="([^"]+)"', page)
    return match.group(1) if match else ""


def main():
    work = tempfile.mkdtemp(prefix="stepcare-web-")
    server = Server(sys.argv[1], os.path.join(work, "data"), ["--rate-limit", "1000"]).start()
    try:
        cases(server)
    finally:
        server.stop()
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("all web form cases passed")


def state(server, intake):
    """The intake as the API sees it: question and revision."""
    status, _, body = server.request("GET", "/api/v1/intakes/" + intake)
    return body["question"]["id"] if body.get("question") else None, body.get("revision")


def cases(server):
    status, headers, home = server.request("GET", "/")
    cookie = headers.get("set-cookie", "").split(";")[0]
    check(status == 200 and cookie.startswith("stepcare_form="), "the start page sets the form cookie")
    check("HttpOnly" in headers.get("set-cookie", "") and "SameSite=Strict" in headers.get("set-cookie", ""),
          "the form cookie is HttpOnly and SameSite=Strict")
    start_token = token_of(home)
    start = {"questionnaire": "ketamine_trd", "lang": "en", "csrf": start_token}

    status, _, page = server.request("POST", "/intakes", form(start), FORM)
    check(status == 403, "starting without the cookie is refused (403)")
    status, _, page = server.request("POST", "/intakes", form(dict(start, csrf="0" * 32)),
                                     dict(FORM, Cookie=cookie))
    check(status == 403, "starting with a forged token is refused (403)")
    status, headers, _ = server.request("POST", "/intakes", form(start), dict(FORM, Cookie=cookie))
    check(status == 303 and headers.get("location", "").startswith("/intake/"), "starting redirects to the intake")
    path = headers["location"]
    intake = path.rsplit("/", 1)[1]

    status, headers, page = server.request("GET", path)
    check(status == 200 and headers.get("cache-control") == "no-store", "the question page is never cached")
    check('<html lang="en"' in page and "<fieldset" in page and "<legend" in page, "a yes/no question in a fieldset")
    token = token_of(page)
    before = state(server, intake)

    refusals = [
        ("a forged token", form({"csrf": "0." + "0" * 32, "answer": "no"}), 403),
        ("a token of another intake", form({"csrf": "0." + token.split(".")[1][::-1], "answer": "no"}), 403),
        ("no token", form({"answer": "no"}), 403),
        ("a body that is not a form", "%zz=1", 400),
        ("invalid UTF-8", b"csrf=" + token.encode() + b"&answer=\xff", 400),
    ]
    for what, body, code in refusals:
        status, _, page = server.request("POST", path + "/answer", body, FORM)
        check(status == code, "%s is refused with %d (got %d)" % (what, code, status))
        check(state(server, intake) == before, "%s changed nothing" % what)

    status, _, page = server.request("POST", path + "/answer", form({"csrf": token}), FORM)
    check(status == 422 and 'class="error-summary"' in page, "no choice made: the error summary")
    check(state(server, intake) == before, "a refused answer changed nothing")

    status, headers, _ = server.request("POST", path + "/answer", form({"csrf": token, "answer": "no"}), FORM)
    check(status == 303 and headers.get("location") == path, "an answer redirects to the next question")
    after = state(server, intake)
    check(after == ("age", 1), "the answer was saved (%s)" % (after,))

    status, _, page = server.request("POST", path + "/answer", form({"csrf": token, "answer": "yes"}), FORM)
    check(status == 409, "a replayed form is 409 (got %d)" % status)
    check(state(server, intake) == after, "a replayed form changed nothing")

    status, _, page = server.request("GET", path)
    token = token_of(page)
    status, _, page = server.request("POST", path + "/answer", form({"csrf": token, "answer": "abc"}), FORM)
    check(status == 422 and 'value="abc"' in page and 'aria-invalid="true"' in page,
          "a wrong number keeps the typed text and marks the field")
    check(state(server, intake) == after, "a wrong number changed nothing")
    status, _, page = server.request("POST", path + "/answer", form({"csrf": token, "answer": "150"}), FORM)
    check(status == 422 and "120" in page, "a number out of range says the range")

    status, _, page = server.request("POST", path + "/language", form({"csrf": token, "lang": "es"}), FORM)
    status, _, page = server.request("GET", path)
    check('<html lang="es"' in page, "the language switch changes the page's language")
    token = token_of(page)
    status, _, page = server.request("POST", path + "/answer", form({"csrf": token, "answer": "40,5"}), FORM)
    check(status == 422, "an integer question refuses 40,5")
    status, headers, _ = server.request("POST", path + "/answer", form({"csrf": token, "answer": "40"}), FORM)
    check(status == 303 and state(server, intake)[0] == "country", "40 is taken in Spanish")

    status, _, page = server.request("GET", path)
    token = token_of(page)
    status, _, page = server.request("POST", path + "/leave", form({"csrf": token}), FORM)
    check(status == 200 and ("/intake/" + intake) in page, "save and leave shows the resume link")
    # Behind a TLS proxy on this machine: the link is https and HSTS is sent.
    status, headers, page = server.request("POST", path + "/leave", form({"csrf": token}),
                                           dict(FORM, **{"X-Forwarded-Proto": "https", "Host": "intake.example"}))
    check("https://intake.example/intake/" + intake in page, "a proxy's X-Forwarded-Proto makes the resume link https")
    check(headers.get("strict-transport-security", "").startswith("max-age="), "and HSTS is sent")
    status, _, page = server.request("POST", path + "/back", form({"csrf": token}), FORM)
    check(status == 303 and state(server, intake)[0] == "age", "back returns to the previous question")

    status, _, page = server.request("GET", "/intake/" + "f" * 32)
    check(status == 404 and "<html" in page, "an unknown intake is a 404 page")
    status, headers, css = server.request("GET", "/static/stepcare.css")
    check(status == 200 and headers.get("content-type", "").startswith("text/css"), "the stylesheet is served")

    # A crisis answer shows the crisis resources first on the next page.
    status, headers, _ = server.request("POST", "/intakes", form(start), dict(FORM, Cookie=cookie))
    crisis = headers["location"]
    status, _, page = server.request("GET", crisis)
    status, _, _ = server.request("POST", crisis + "/answer", form({"csrf": token_of(page), "answer": "yes"}), FORM)
    status, _, page = server.request("GET", crisis)
    main_part = page.split('<main id="main">', 1)[1]
    check(main_part.lstrip().startswith('<section class="urgent" role="alert"'),
          "the crisis resources are the first thing on the next page")


if __name__ == "__main__":
    main()
