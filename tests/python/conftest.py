"""Shared fixtures of the Python package's tests: the bundled questionnaires, the `stepcare`
program (STEPCARE_PROGRAM) for comparisons with `stepcare eval`, and records drawn at random
from a questionnaire's own questions."""

import json
import os
import pathlib
import random
import subprocess

import pytest

import stepcare

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "questionnaires" / "ketamine-trd.sq"


@pytest.fixture(scope="session")
def reference():
    return stepcare.compile(REFERENCE)


@pytest.fixture(scope="session")
def program():
    path = os.environ.get("STEPCARE_PROGRAM")
    if not path:
        pytest.fail("STEPCARE_PROGRAM must name the stepcare program (the ctest sets it)")
    return path


def random_answer(question, rng):
    """An answer that fits `question` most of the time, and sometimes one that does not."""
    if rng.random() < 0.02:
        return rng.choice(["not an option", -5, [1, 2], None, {"a": 1}])
    if question.kind == "yesno":
        return rng.choice([True, False, "yes", "no"])
    if question.kind == "choice":
        return rng.choice(question.options).id
    if question.kind == "multi":
        return sorted({o.id for o in question.options if rng.random() < 0.3})
    if question.kind == "integer":
        return rng.randint(int(question.min), int(question.max))
    if question.kind == "decimal":
        return round(rng.uniform(question.min, question.max), 2)
    return rng.choice(["", "some words", "café ☕", "x" * 50])


def random_records(q, count, seed):
    """`count` answers records for `q`: complete ones, partial ones and a few invalid ones."""
    rng = random.Random(seed)
    questions = q.questions
    records = []
    for number in range(count):
        keep = rng.choice([1.0, 1.0, 0.6, 0.2])
        answers = {question.id: random_answer(question, rng) for question in questions if rng.random() < keep}
        records.append({"id": f"r{number}", "answers": answers})
    return records


def eval_lines(program, questionnaire, lines, *options):
    """What `stepcare eval` writes for `lines`, as a list of lines."""
    run = subprocess.run([program, "eval", str(questionnaire), *options], input="".join(line + "\n" for line in lines),
                         capture_output=True, text=True, encoding="utf-8")
    assert run.returncode in (0, 3), run.stderr
    return run.stdout.splitlines()


def dumps(record):
    return json.dumps(record, ensure_ascii=False)
