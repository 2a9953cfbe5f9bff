"""The Python package `stepcare` (docs/python.md): compiling, evaluating, sessions, batches,
threads, bad input of every kind, and results equal to `stepcare eval` byte for byte."""

import gc
import hashlib
import io
import json
import os
import pathlib
import subprocess
import sys
import threading

import pytest

import stepcare
from conftest import REFERENCE, ROOT, dumps, eval_lines, random_records

MOOD = ROOT / "questionnaires" / "mood-check.sq"

SMALL = """questionnaire small { en "Small" es "Pequeño" } {
  version "2"
  languages en, es
  question age: integer 0..120 {
    ask { en "Age?" es "¿Edad?" }
  }
  question tired: yesno optional {
    ask { en "Tired?" es "¿Cansado?" }
  }
  let adult = age >= 18
  outcome grown info { en "Adult" es "Adulto" } {
    when adult
    say { en "Aged {age}." es "Edad {age}." }
  }
  referral { en "See a clinician" es "Consulte a un profesional" } {
    say { en "Talk with one." es "Hable con uno." }
  }
}
"""


# ---- compiling ------------------------------------------------------------------------------

def test_compile_a_path_a_pathlib_path_and_source_text():
    by_str = stepcare.compile(str(REFERENCE))
    by_path = stepcare.compile(REFERENCE)
    by_text = stepcare.compile(REFERENCE.read_text(encoding="utf-8"))
    assert by_str.sha256 == by_path.sha256 == by_text.sha256 == hashlib.sha256(REFERENCE.read_bytes()).hexdigest()
    assert (by_path.id, by_path.version) == ("ketamine_trd", by_text.version)
    assert by_path.languages == ["en", "es"]


def test_questions_in_file_order_with_their_kinds_and_options():
    q = stepcare.compile(SMALL, name="small.sq")
    assert [(x.id, x.kind, x.optional) for x in q.questions] == [("age", "integer", False), ("tired", "yesno", True)]
    age = q.questions[0]
    assert (age.ask, age.min, age.max, age.options) == ("Age?", 0, 120, [])
    assert q.questions_in("es")[0].ask == "¿Edad?"
    mood = stepcare.compile(MOOD)
    first_choice = next(x for x in mood.questions if x.kind == "choice" and x.id == "mood1")
    assert [o.id for o in first_choice.options] == ["not_at_all", "several_days", "more_than_half", "nearly_every_day"]


def test_a_questionnaire_with_errors_raises_compile_error_with_every_diagnostic():
    broken = SMALL.replace("when adult", "when adullt").replace('version "2"', 'version "2"\n  let x = 1 +')
    with pytest.raises(stepcare.CompileError) as raised:
        stepcare.compile(broken, name="broken.sq")
    diagnostics = raised.value.diagnostics
    assert diagnostics and all(isinstance(d, stepcare.Diagnostic) for d in diagnostics)
    first = diagnostics[0]
    assert (first.file, first.severity) == ("broken.sq", "error")
    assert first.line == 4 and first.column > 0 and first.code
    assert "broken.sq:4:" in str(raised.value)


def test_a_misspelt_name_gives_its_place_and_a_suggestion():
    with pytest.raises(stepcare.CompileError) as raised:
        stepcare.compile(SMALL.replace("when adult", "when adullt"), name="typo.sq")
    [d] = raised.value.diagnostics
    assert (d.line, d.column, d.end_column, d.code) == (12, 10, 16, "undefined-name")
    assert d.message == "'adullt' is not defined; did you mean 'adult'?"
    assert d.notes[0].message == "'adult' is defined here"


def test_a_failing_test_is_a_compile_error():
    failing = SMALL.replace("referral", 'test "minors" {\n    given { age = 10 }\n    expect grown\n  }\n  referral')
    with pytest.raises(stepcare.CompileError) as raised:
        stepcare.compile(failing)
    assert [d.code for d in raised.value.diagnostics] == ["test-failed"]


def test_missing_files_and_wrong_types():
    with pytest.raises(stepcare.CompileError) as raised:
        stepcare.compile("no/such/file.sq")
    assert raised.value.diagnostics[0].code == "unreadable-file"
    with pytest.raises(TypeError):
        stepcare.compile(42)


# ---- evaluating -----------------------------------------------------------------------------

def test_evaluate_a_dict_of_answers():
    q = stepcare.compile(SMALL)
    result = q.evaluate({"age": 40, "tired": "yes"}, id="p1")
    assert (result.id, result.status) == ("p1", "complete")
    assert [(o.id, o.level, o.title, o.text) for o in result.outcomes] == [("grown", "info", "Adult", "Aged 40.")]
    assert result.referral == stepcare.Referral("See a clinician", "Talk with one.", [])
    assert result.values == {"adult": True}
    assert (result.missing, result.ignored, result.errors) == ([], [], [])
    assert result.questionnaire == stepcare.Identity("small", "2", q.sha256)
    assert q.evaluate({"age": 40}, lang="es").outcomes[0].text == "Edad 40."


def test_partial_answers_give_undetermined_outcomes_and_missing_questions():
    result = stepcare.compile(SMALL).evaluate({})
    assert result.status == "incomplete"
    assert result.undetermined == [stepcare.Undetermined("grown", ["age"])]
    assert result.missing == ["age"]
    assert result.values == {"adult": None}
    assert result.referral.title == "See a clinician"


def test_answers_that_do_not_fit_are_an_invalid_result_not_an_exception():
    q = stepcare.compile(SMALL)
    result = q.evaluate({"age": "forty", "nope": 1})
    assert result.status == "invalid"
    assert [e.question for e in result.errors] == ["age", "nope"]
    assert result.outcomes == [] and result.referral.title
    assert q.evaluate("{not json").errors[0].question is None
    assert q.evaluate({"age": 3}, lang="fr").status == "invalid"


def test_evaluate_gives_the_bytes_of_stepcare_eval(reference, program):
    records = random_records(reference, 300, seed=7)
    lines = [dumps(r) for r in records]
    expected = eval_lines(program, REFERENCE, lines)
    assert [reference.evaluate(r["answers"], id=r["id"]).to_json() for r in records] == expected
    assert [reference.evaluate(line).to_json() for line in lines] == expected


def test_results_read_back_into_the_objects_their_json_holds(reference):
    for record in random_records(reference, 50, seed=3):
        result = reference.evaluate(record["answers"], id=record["id"])
        d = json.loads(result.to_json())
        assert result.to_dict() == d
        assert [o.id for o in result.outcomes] == [o["id"] for o in d["outcomes"]]
        assert result.referral.cites == d["referral"]["cites"]
        assert result.values == d["values"]


def test_wrong_types_are_programming_errors():
    q = stepcare.compile(SMALL)
    with pytest.raises(TypeError):
        q.evaluate(["age", 3])
    with pytest.raises(TypeError):
        q.evaluate('{"answers": {}}', id=4)
    with pytest.raises(TypeError):
        q.evaluate({"age": object()})


# ---- sessions -------------------------------------------------------------------------------

def test_a_session_asks_one_question_at_a_time():
    q = stepcare.compile(SMALL)
    s = q.session(lang="es")
    assert s.next().ask == "¿Edad?"
    rejected = s.answer("forty")
    assert not rejected.accepted and rejected.message
    assert s.answer(40).accepted
    assert s.next().id == "tired"
    assert s.back() and s.next().id == "age"
    assert s.answer(41).accepted
    assert s.skip().accepted  # tired is optional
    assert s.next() is None and s.finished and not s.stopped
    result = s.result()
    assert result.status == "complete" and result.outcomes[0].text == "Edad 41."
    restored = q.session()
    assert restored.restore(s.save()) == []
    assert restored.result().values == {"adult": True}


def test_a_session_in_an_undeclared_language_is_refused():
    with pytest.raises(ValueError, match="'fr' is not one of the questionnaire's languages"):
        stepcare.compile(SMALL).session(lang="fr")


def test_a_skip_of_a_required_question_is_rejected():
    s = stepcare.compile(SMALL).session()
    feedback = s.skip()
    assert not feedback.accepted and feedback.message
    assert s.next().id == "age"


def test_urgent_outcomes_are_reported_as_the_answer_is_given(reference):
    s = reference.session()
    assert s.next().id == "in_danger_now"
    feedback = s.answer("yes")
    assert feedback.accepted and feedback.urgent
    assert s.stopped and s.next() is None
    assert s.result().status == "stopped"


# ---- many records ---------------------------------------------------------------------------

def test_evaluate_many_equals_stepcare_eval_byte_for_byte(reference, program):
    records = random_records(reference, 3000, seed=11)
    lines = [dumps(r) for r in records]
    lines[5] = "{not json"
    lines[9] = "   "
    lines[12] = '{"id": "big", "answers": {"age": "' + "x" * 1048576 + '"}}'
    expected = eval_lines(program, REFERENCE, lines, "--jobs", "2")
    assert len(expected) == len(lines) - 1  # the blank line gives none
    for jobs in (1, 2, 3):
        got = [r.to_json() for r in reference.evaluate_many(lines, jobs=jobs, chunk_size=257)]
        assert got == expected, f"jobs={jobs}"
    as_bytes = [line.encode() for line in lines]
    assert [r.to_json() for r in reference.evaluate_many(as_bytes, jobs=2)] == expected


def test_evaluate_many_takes_dicts_a_file_and_options(reference, program, tmp_path):
    records = random_records(reference, 500, seed=5)
    lines = [dumps(r) for r in records]
    expected = eval_lines(program, REFERENCE, lines, "--lang", "es", "--with-answers")
    from_dicts = reference.evaluate_many(records, jobs=2, lang="es", with_answers=True)
    assert [r.to_json() for r in from_dicts] == expected
    path = tmp_path / "records.jsonl"
    path.write_text("".join(line + "\r\n" for line in lines), encoding="utf-8")
    with open(path, encoding="utf-8", newline="") as lines_of_file:
        got = [r.to_json() for r in reference.evaluate_many(lines_of_file, lang="es", with_answers=True)]
    assert got == expected


def test_evaluate_many_reads_a_binary_file_as_eval_reads_its_input(reference, program, tmp_path):
    # Read by the engine's line reader: CR LF and LF, blank lines, a line that is not JSON,
    # a line over 1 MiB spread over many reads, a last line without its line feed.
    records = random_records(reference, 2500, seed=23)
    lines = [dumps(r) for r in records]
    lines[3] = "{not json"
    lines[7] = " \t "
    lines[11] = ""
    lines[20] = '{"id": "big", "answers": {"age": "' + "x" * 1048600 + '"}}'
    body = "".join(line + ("\r\n" if n % 3 else "\n") for n, line in enumerate(lines))[:-1].encode("utf-8")
    path = tmp_path / "records.jsonl"
    path.write_bytes(body)
    run = subprocess.run([program, "eval", str(REFERENCE), "--input", str(path)], capture_output=True)
    assert run.returncode == 0, run.stderr
    expected = run.stdout.decode("utf-8").splitlines()
    assert len(expected) == len(lines) - 2
    assert "line 21 is longer than 1048576 bytes" in expected[18]
    for buffering in (-1, 0):  # a BufferedReader, and the raw FileIO
        with open(path, "rb", buffering=buffering) as file:
            got = [r.to_json() for r in reference.evaluate_many(file, jobs=2, chunk_size=300)]
        assert got == expected, f"buffering={buffering}"
    assert [r.to_json() for r in reference.evaluate_many(io.BytesIO(body), chunk_size=1)] == expected
    # Lines the caller read first are not read again, and lines are numbered from there.
    with open(path, "rb") as file:
        file.readline()
        tail = [r.to_json() for r in reference.evaluate_many(file)]
    assert tail == [line.replace("line 21 is", "line 20 is") for line in expected[1:]]


def test_evaluate_many_reports_a_failing_binary_file(reference):
    class Failing(io.RawIOBase):
        def __init__(self, reply):
            self.given = False
            self.reply = reply

        def readable(self):
            return True

        def readinto(self, into):
            if self.given:
                return self.reply()
            self.given = True
            line = b'{"answers": {"in_danger_now": "no"}}\n'
            into[:len(line)] = line
            return len(line)

    def broken():
        raise OSError("the disk went away")

    with pytest.raises(OSError, match="the disk went away"):
        list(reference.evaluate_many(Failing(broken), chunk_size=1))
    with pytest.raises(ValueError, match="non-blocking"):
        list(reference.evaluate_many(Failing(lambda: None)))
    with pytest.raises(TypeError):
        list(reference.evaluate_many(Failing(lambda: "many")))
    closed = io.BytesIO(b"{}")
    closed.close()
    with pytest.raises(ValueError):
        list(reference.evaluate_many(closed))


def test_texts_none_equals_eval_texts_none(reference, program):
    records = random_records(reference, 600, seed=19)
    lines = [dumps(r) for r in records]
    expected = eval_lines(program, REFERENCE, lines, "--texts", "none", "--jobs", "2")
    assert [r.to_json() for r in reference.evaluate_many(lines, jobs=2, texts="none")] == expected
    assert [reference.evaluate(line, texts="none").to_json() for line in lines] == expected
    fired = next(r for r in reference.evaluate_many(lines, texts="none") if r.outcomes)
    assert fired.outcomes[0].title is None and fired.referral.text is None and fired.referral.cites is not None
    with pytest.raises(ValueError):
        reference.evaluate({}, texts="short")


def test_evaluate_many_streams_lazily_in_order(reference):
    produced = []

    def records():
        for number in range(10000):
            produced.append(number)
            yield {"id": number, "answers": {"in_danger_now": "no", "age": 20 + number % 50}}

    results = reference.evaluate_many(records(), jobs=2, chunk_size=100)
    first = next(results)
    assert first.id == 0
    assert len(produced) <= 300  # the first chunks only, not the whole input
    assert [r.id for r in results] == list(range(1, 10000))


def test_evaluate_many_bad_input():
    q = stepcare.compile(SMALL)
    assert list(q.evaluate_many([])) == []
    with pytest.raises(TypeError, match="record 2 is a int"):
        list(q.evaluate_many([{"answers": {}}, 5]))
    with pytest.raises(ValueError):
        list(q.evaluate_many([{"answers": {}}], jobs=0))
    not_utf8 = q.evaluate_many([b'{"answers": {"age": "\xff"}}'])
    assert next(not_utf8).status == "invalid"

    def failing():
        yield {"answers": {"age": 3}}
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError, match="the source broke"):
        list(q.evaluate_many(failing()))
    with pytest.raises(ValueError, match="texts must be 'full' or 'none'"):
        q.evaluate_many([], texts="some")
    # An iteration stopped early leaves no thread running. (The runners above go when the
    # collector frees the tracebacks that hold their generators: free them first.)
    del not_utf8
    gc.collect()
    threads_before = len(os.listdir("/proc/self/task"))
    many = q.evaluate_many(({"answers": {"age": n % 100}} for n in range(100000)), jobs=3)
    next(many)
    assert len(os.listdir("/proc/self/task")) == threads_before + 3
    many.close()
    del many
    assert len(os.listdir("/proc/self/task")) == threads_before


def test_threads_share_one_questionnaire(reference):
    records = random_records(reference, 400, seed=13)
    expected = [reference.evaluate(r["answers"], id=r["id"]).to_json() for r in records]
    outputs = {}

    def work(name, many):
        if many:
            outputs[name] = [r.to_json() for r in reference.evaluate_many(records, jobs=2, chunk_size=64)]
        else:
            outputs[name] = [reference.evaluate(r["answers"], id=r["id"]).to_json() for r in records]

    threads = [threading.Thread(target=work, args=(n, n % 2 == 0)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(out == expected for out in outputs.values()) and len(outputs) == 6


def test_the_gil_is_released_while_records_are_evaluated(reference):
    records = random_records(reference, 4000, seed=17)
    go = threading.Event()
    ran = []
    other = threading.Thread(target=lambda: (go.wait(), ran.append(True)))
    other.start()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(60)  # the other thread runs only if this one lets go of the GIL
    try:
        go.set()
        results = reference.evaluate_many(records, jobs=1, chunk_size=len(records))
        next(results)
        seen = bool(ran)
    finally:
        sys.setswitchinterval(interval)
    other.join()
    assert seen


# ---- records for data frames ----------------------------------------------------------------

def test_to_records_gives_flat_rows_a_data_frame_takes():
    pandas = pytest.importorskip("pandas")
    q = stepcare.compile(SMALL)
    results = list(q.evaluate_many([{"id": 1, "answers": {"age": 30}}, {"id": 2, "answers": {"age": 3}},
                                    {"id": 3, "answers": {"age": "x"}}]))
    frame = pandas.DataFrame(stepcare.to_records(results))
    assert list(frame["id"]) == [1, 2, 3]
    assert list(frame["status"]) == ["complete", "complete", "invalid"]
    assert list(frame["outcomes"]) == ["grown", "", ""]
    assert frame["outcome.grown"].tolist()[0] is True and frame["outcome.grown"].isna().tolist() == [False, True, True]
    assert frame["value.adult"].tolist()[:2] == [True, False]
    assert frame["errors"][2].startswith("age: ")
    assert set(frame["questionnaire_sha256"]) == {q.sha256}
