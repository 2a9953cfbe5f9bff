#!/usr/bin/env python3
"""A scripted intake on a Stepcare questionnaire, through the C API with ctypes.

    python3 intake.py [--library PATH] [--lang L] QUESTIONNAIRE.sq

It compiles the questionnaire, starts a session and gives it the answers below, as
intake software would pass on what a person enters, then prints the result. The script is
written for the bundled reference questionnaire, ketamine-trd.sq. Without --library the
shared library is looked up as the system's dynamic linker would (ctypes.util).

Only the standard library is used. The classes at the top bind the functions this
script needs, and show how to bind the others.
"""

import argparse
import ctypes
import ctypes.util
import json
import sys


class StepcareError(Exception):
    """A call of the C API returned a non-zero status."""

    def __init__(self, status, name, message):
        super().__init__(f"{name}: {message}")
        self.status = status
        self.name = name
        self.message = message


class Stepcare:
    """The shared library and its functions, with argument and result types declared."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        handle = ctypes.c_void_p
        out_handle = ctypes.POINTER(ctypes.c_void_p)
        # Strings the library returns are taken as raw pointers, so that they can be
        # handed back to stepcare_free after they are copied into Python.
        out_string = ctypes.POINTER(ctypes.c_void_p)
        text = ctypes.c_char_p
        signatures = {
            "stepcare_last_error": (text, []),
            "stepcare_status_name": (text, [ctypes.c_int]),
            "stepcare_free": (None, [ctypes.c_void_p]),
            "stepcare_compile_file": (ctypes.c_int, [text, out_handle, out_string]),
            "stepcare_evaluate": (ctypes.c_int, [handle, text, text, out_string]),
            "stepcare_questionnaire_free": (None, [handle]),
            "stepcare_session_create": (ctypes.c_int, [handle, text, out_handle]),
            "stepcare_session_question": (ctypes.c_int, [handle, out_string]),
            "stepcare_session_answer": (ctypes.c_int, [handle, text]),
            "stepcare_session_back": (ctypes.c_int, [handle]),
            "stepcare_session_skip": (ctypes.c_int, [handle]),
            "stepcare_session_result": (ctypes.c_int, [handle, out_string]),
            "stepcare_session_free": (None, [handle]),
        }
        for name, (restype, argtypes) in signatures.items():
            function = getattr(lib, name)
            function.restype = restype
            function.argtypes = argtypes
        self.lib = lib

    def check(self, status):
        """Raises StepcareError for a non-zero status, with the library's message."""
        if status != 0:
            name = self.lib.stepcare_status_name(status).decode()
            raise StepcareError(status, name, self.lib.stepcare_last_error().decode())

    def take(self, pointer):
        """Copies a returned string into Python and frees it; None stays None."""
        if not pointer.value:
            return None
        try:
            return ctypes.string_at(pointer.value).decode("utf-8")
        finally:
            self.lib.stepcare_free(pointer)


class Questionnaire:
    """A compiled questionnaire. Immutable: any number of threads may evaluate with it."""

    def __init__(self, stepcare, path):
        self.stepcare = stepcare
        self.handle = ctypes.c_void_p()
        diagnostics = ctypes.c_void_p()
        status = stepcare.lib.stepcare_compile_file(
            path.encode(), ctypes.byref(self.handle), ctypes.byref(diagnostics))
        self.diagnostics = json.loads(stepcare.take(diagnostics) or "[]")
        stepcare.check(status)

    def evaluate(self, record, language=None):
        """The result of one answers record, as a dict; an invalid record gives a result
        with status "invalid" and its errors rather than an exception."""
        result = ctypes.c_void_p()
        status = self.stepcare.lib.stepcare_evaluate(
            self.handle, json.dumps(record).encode(),
            language.encode() if language else None, ctypes.byref(result))
        text = self.stepcare.take(result)
        if text is None:
            self.stepcare.check(status)
        return json.loads(text)

    def close(self):
        self.stepcare.lib.stepcare_questionnaire_free(self.handle)
        self.handle = ctypes.c_void_p()


class Session:
    """One person's intake. Use it from one thread at a time."""

    def __init__(self, questionnaire, language=None):
        self.stepcare = questionnaire.stepcare
        self.handle = ctypes.c_void_p()
        self.stepcare.check(self.stepcare.lib.stepcare_session_create(
            questionnaire.handle, language.encode() if language else None,
            ctypes.byref(self.handle)))

    def question(self):
        """The question to show now as a dict, or None when the intake is over."""
        out = ctypes.c_void_p()
        self.stepcare.check(self.stepcare.lib.stepcare_session_question(self.handle, ctypes.byref(out)))
        return json.loads(self.stepcare.take(out))

    def answer(self, value):
        """Answers the current question; returns None, or why the answer was refused."""
        return self._step(self.stepcare.lib.stepcare_session_answer(self.handle, json.dumps(value).encode()))

    def back(self):
        return self._step(self.stepcare.lib.stepcare_session_back(self.handle))

    def skip(self):
        return self._step(self.stepcare.lib.stepcare_session_skip(self.handle))

    def result(self):
        out = ctypes.c_void_p()
        self.stepcare.check(self.stepcare.lib.stepcare_session_result(self.handle, ctypes.byref(out)))
        return json.loads(self.stepcare.take(out))

    def close(self):
        self.stepcare.lib.stepcare_session_free(self.handle)
        self.handle = ctypes.c_void_p()

    def _step(self, status):
        # A refused step is part of an intake (the person is asked again); any other
        # failure is a bug in the caller or the library.
        if status == self.REFUSED:
            return self.stepcare.lib.stepcare_last_error().decode()
        self.stepcare.check(status)
        return None

    REFUSED = 5  # STEPCARE_ERROR_REFUSED


# What the person does, in order: ("answer", JSON value), ("back",) or ("skip",).
SCRIPT = [
    ("answer", False),      # not in danger now
    ("answer", 200),        # refused: outside the age range
    ("answer", 34),
    ("answer", "gb"),
    ("skip",),              # refused: the question is required
    ("answer", ["none", "prefer_not"]),  # refused by the question's own rule
    ("back",),
    ("answer", "ie"),       # a changed answer to the country question
    ("answer", ["none"]),
    ("answer", "several_days"),
    ("answer", "not_at_all"),
]


def describe(step):
    return step[0] if len(step) == 1 else f"{step[0]} {json.dumps(step[1])}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questionnaire")
    parser.add_argument("--library", default=ctypes.util.find_library("stepcare"))
    parser.add_argument("--lang", default=None)
    args = parser.parse_args()
    if not args.library:
        sys.exit("intake.py: libstepcare not found; give its path with --library")

    stepcare = Stepcare(args.library)
    try:
        questionnaire = Questionnaire(stepcare, args.questionnaire)
    except StepcareError as e:
        sys.exit(f"intake.py: {e}")
    # One call per record, as a batch job would do.
    record = {"id": "rec-1", "answers": {"in_danger_now": False, "age": 16, "country": "gb"}}
    print_result(questionnaire.evaluate(record, args.lang))

    session = Session(questionnaire, args.lang)
    # The session keeps what it needs: the questionnaire may be released now.
    questionnaire.close()
    for step in SCRIPT:
        question = session.question()
        progress = question["progress"]
        print(f"[{progress['number']}/{progress['total']}] {question['id']}: {question['ask']}")
        refused = getattr(session, step[0])(*step[1:])
        print(f"    {describe(step)}" + (f" -> refused: {refused}" if refused else ""))
    print_result(session.result())
    session.close()


def print_result(result):
    print(f"result {json.dumps(result['id'])}: {result['status']}")
    for outcome in result["outcomes"]:
        print(f"  {outcome['level']}: {outcome['title']}")
    print(f"  undetermined outcomes: {len(result['undetermined'])}")
    print(f"  referral: {result['referral']['title']}")


if __name__ == "__main__":
    main()
