"""Stepcare screening questionnaires from Python (docs/python.md).

    import stepcare
    q = stepcare.compile("questionnaires/ketamine-trd.sq")
    result = q.evaluate({"in_danger_now": "no", "age": 34})
    print(result.status, [o.id for o in result.outcomes], result.referral.title)

Every result ends with the referral to a clinician; nothing here diagnoses. Answers that do
not fit their questions are not exceptions: they give a result with status ``"invalid"`` and
its ``errors``, as ``stepcare eval`` does. Exceptions are for mistakes in the calling code
(a wrong type, an undeclared language for a session) and for a questionnaire that does not
compile (:class:`CompileError`).
"""

from __future__ import annotations

import io
import itertools
import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Union

from . import _stepcare

__all__ = [
    "AnswerError", "CompileError", "Diagnostic", "Feedback", "Identity", "Option", "Outcome", "Question",
    "Questionnaire", "Referral", "Result", "Session", "Undetermined", "compile", "to_records", "engine_version",
]

engine_version: str = _stepcare.engine_version
"""The version of the engine the package was built with."""

@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a questionnaire file, at its place (lines and columns from 1)."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: str  #: "error", "warning" or "note"
    code: str  #: a stable kebab-case identifier, such as "undefined-name"
    message: str
    notes: List["Diagnostic"] = field(default_factory=list)

    @staticmethod
    def _from(d: Mapping[str, Any]) -> "Diagnostic":
        return Diagnostic(d["file"], d["line"], d["column"], d["end_line"], d["end_column"], d["severity"], d["code"],
                          d["message"], [Diagnostic._from(n) for n in d["notes"]])

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.code}]"


class CompileError(Exception):
    """The questionnaire has errors (or a failing test); ``diagnostics`` lists them all,
    warnings included."""

    def __init__(self, diagnostics: List[Diagnostic]):
        self.diagnostics = diagnostics
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__("\n".join(str(d) for d in errors) or "the questionnaire does not compile")


@dataclass(frozen=True)
class Option:
    """One option of a choice or multi question."""

    id: str
    label: str  #: in the language asked for
    key: str  #: what a person types to choose it in the terminal intake ("1", "2", ... or "a", "b", ...)


@dataclass(frozen=True)
class Question:
    """A question as a person is shown it, in one language."""

    id: str
    kind: str  #: "yesno", "choice", "multi", "integer", "decimal" or "text"
    optional: bool
    section: Optional[str]
    ask: str
    help: str  #: empty when it has none
    unit: str  #: empty when it has none
    options: List[Option]
    min: Optional[float]  #: integer and decimal questions
    max: Optional[float]
    max_length: Optional[int]  #: text questions with a maximum length, in characters

    @staticmethod
    def _from(d: Mapping[str, Any]) -> "Question":
        return Question(d["id"], d["kind"], d["optional"], d["section"], d["ask"], d["help"], d["unit"],
                        [Option(o["id"], o["label"], o["key"]) for o in d["options"]], d["min"], d["max"],
                        d["max_length"])


@dataclass(frozen=True)
class Outcome:
    """A fired outcome (result JSON ``outcomes``)."""

    id: str
    level: str  #: "urgent", "caution", "guidance" or "info"
    title: Optional[str]  #: None in results made with texts="none"
    text: Optional[str]
    cites: List[str]


@dataclass(frozen=True)
class Undetermined:
    """An outcome that unanswered questions leave open, with the questions it waits for."""

    id: str
    missing: List[str]


@dataclass(frozen=True)
class Referral:
    """The referral to a clinician, present in every result."""

    title: Optional[str]  #: None in results made with texts="none"
    text: Optional[str]
    cites: List[str]


@dataclass(frozen=True)
class AnswerError:
    """An answer that was rejected; ``question`` is None for a record that could not be read."""

    question: Optional[str]
    message: str


@dataclass(frozen=True)
class Identity:
    """Which questionnaire, in which version and exact source, gave a result."""

    id: str
    version: str
    sha256: str


class Result:
    """The result of one record, read lazily from its JSON line: ``to_json()`` gives the line
    ``stepcare eval`` writes for the same record (``to_json_bytes()`` its bytes, cheaper to
    write to a binary file), and the attributes are parsed from it on first use."""

    __slots__ = ("_json", "_parsed")

    def __init__(self, json_line: Union[str, bytes]):
        self._json = json_line
        self._parsed: Optional[Dict[str, Any]] = None

    def to_json(self) -> str:
        """The result as one line of JSON (no line break), exactly as ``stepcare eval`` writes it."""
        return self._json.decode("utf-8") if isinstance(self._json, bytes) else self._json

    def to_json_bytes(self) -> bytes:
        """The same line as UTF-8 bytes, the bytes ``stepcare eval`` writes."""
        return self._json if isinstance(self._json, bytes) else self._json.encode("utf-8")

    def to_dict(self) -> Dict[str, Any]:
        """The result as the plain dict its JSON reads as (a new copy each time)."""
        return json.loads(self._json)

    def _get(self, key: str) -> Any:
        if self._parsed is None:
            self._parsed = json.loads(self._json)
        return self._parsed[key]

    @property
    def id(self) -> Any:
        """The record's ``id``, as given (None when it had none)."""
        return self._get("id")

    @property
    def status(self) -> str:
        """ "complete", "incomplete", "stopped" or "invalid"."""
        return self._get("status")

    @property
    def outcomes(self) -> List[Outcome]:
        return [Outcome(o["id"], o["level"], o.get("title"), o.get("text"), o["cites"])
                for o in self._get("outcomes")]

    @property
    def undetermined(self) -> List[Undetermined]:
        return [Undetermined(u["id"], u["missing"]) for u in self._get("undetermined")]

    @property
    def referral(self) -> Referral:
        r = self._get("referral")
        return Referral(r.get("title"), r.get("text"), r["cites"])

    @property
    def values(self) -> Dict[str, Any]:
        """Every let's value (None when unknown), in file order."""
        return dict(self._get("values"))

    @property
    def missing(self) -> List[str]:
        return list(self._get("missing"))

    @property
    def ignored(self) -> List[str]:
        return list(self._get("ignored"))

    @property
    def errors(self) -> List[AnswerError]:
        return [AnswerError(e["question"], e["message"]) for e in self._get("errors")]

    @property
    def questionnaire(self) -> Identity:
        q = self._get("questionnaire")
        return Identity(q["id"], q["version"], q["sha256"])

    def __repr__(self) -> str:
        return f"<stepcare.Result {self.status} {[o.id for o in self.outcomes]}>"


@dataclass(frozen=True)
class Feedback:
    """What became of an answer or a skip in a session."""

    accepted: bool
    message: str  #: why it was rejected, for the person; empty when accepted
    set_aside: List[AnswerError]  #: later answers this step made invalid, now cleared and asked again
    urgent: List[str]  #: urgent outcomes this step made fire: show them first


def _feedback(d: Mapping[str, Any]) -> Feedback:
    return Feedback(d["accepted"], d["message"], [AnswerError(q, m) for q, m in d["set_aside"]], list(d["urgent"]))


def _answer_json(value: Any) -> str:
    if isinstance(value, (set, frozenset, tuple)):
        value = sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as problem:
        raise TypeError(f"an answer must be a bool, a number, a string or a list of strings, not {value!r}") from problem


class Session:
    """One person's intake, one question at a time, as the terminal and web intakes run it.
    Make one with :meth:`Questionnaire.session`. A session belongs to one thread at a time."""

    def __init__(self, native: Any):
        self._native = native

    @property
    def language(self) -> str:
        return self._native.language

    def next(self) -> Optional[Question]:
        """The question to show now, or None when the intake is over (finished or stopped)."""
        current = self._native.current()
        return None if current is None else Question._from(current)

    def answer(self, value: Any) -> Feedback:
        """Answers the current question: True/False or "yes"/"no", an option id, a list of
        option ids, a number, or a text. A value that does not fit is rejected with a message
        (``accepted`` False); nothing is raised."""
        return _feedback(self._native.answer_json(_answer_json(value)))

    def skip(self) -> Feedback:
        """Leaves the current question unanswered; rejected unless it is optional."""
        return _feedback(self._native.skip())

    def back(self) -> bool:
        """Goes back to the previous question shown; False at the first one."""
        return self._native.back()

    @property
    def finished(self) -> bool:
        return self._native.finished

    @property
    def stopped(self) -> bool:
        """Whether an urgent outcome that stops the intake fired."""
        return self._native.stopped

    def result(self) -> Result:
        """The result of the answers so far."""
        return Result(self._native.result_json())

    def save(self) -> str:
        """The answers and position as JSON, for :meth:`restore` later (the save-file format of docs/cli.md)."""
        return self._native.save_json()

    def restore(self, saved: str) -> List[AnswerError]:
        """Restores what :meth:`save` gave; answers that no longer fit are left out and listed."""
        return [AnswerError(q, m) for q, m in self._native.restore_json(saved)]


Record = Union[Mapping[str, Any], str, bytes]


class Questionnaire:
    """A compiled questionnaire. It is immutable, and any number of threads may evaluate
    with it at once."""

    def __init__(self, native: Any, diagnostics: List[Diagnostic]):
        self._native = native
        #: The warnings found while compiling (there are no errors, or it would not compile).
        self.warnings: List[Diagnostic] = diagnostics

    @property
    def id(self) -> str:
        return self._native.id

    @property
    def version(self) -> str:
        return self._native.version

    @property
    def sha256(self) -> str:
        """SHA-256 of the source bytes, lowercase hex."""
        return self._native.sha256

    @property
    def languages(self) -> List[str]:
        """The declared languages, the default first."""
        return list(self._native.languages)

    def title(self, lang: Optional[str] = None) -> str:
        return self._native.title(lang or "")

    @property
    def questions(self) -> List[Question]:
        """Every question in file order, in the default language."""
        return self.questions_in(None)

    def questions_in(self, lang: Optional[str]) -> List[Question]:
        """Every question in file order, in ``lang`` (None: the default language)."""
        return [Question._from(self._native.question(i, lang or "")) for i in self._native.question_ids()]

    def evaluate(self, answers: Record, lang: Optional[str] = None, id: Any = None, texts: str = "full") -> Result:
        """Evaluates one set of answers: a dict of question id to answer (``{"age": 34}``), or a
        whole record as JSON text (``'{"id": 1, "answers": {...}}'``, interfaces.md section 2).
        ``id`` is echoed in the result. An undeclared ``lang`` gives an invalid result saying so.
        ``texts="none"`` leaves out the titles and texts, as ``stepcare eval --texts none``."""
        return Result(self._native.evaluate_json(_record_json(answers, id), lang or "", _with_texts(texts)))

    def explain(self, answers: Record, lang: Optional[str] = None) -> str:
        """A readable account of why each outcome did or did not fire (``stepcare explain``)."""
        return self._native.explain(_record_json(answers, None), lang or "")

    def session(self, lang: Optional[str] = None) -> Session:
        """A new intake session in ``lang`` (None: the default language)."""
        if lang is not None and lang not in self.languages:
            raise ValueError(f"'{lang}' is not one of the questionnaire's languages ({', '.join(self.languages)})")
        return Session(_stepcare.Session(self._native, lang or ""))

    def evaluate_many(self, records: Iterable[Record], jobs: int = 1, lang: Optional[str] = None,
                      with_answers: bool = False, texts: str = "full", chunk_size: int = 2048) -> Iterator[Result]:
        """Evaluates records one after another and yields their results in the same order,
        as ``stepcare eval`` does. A record is a dict with ``"answers"`` (and optionally
        ``"id"``), or one line of JSON text (str or bytes) such as a line of a JSON Lines
        file; a line that is blank gives no result, as in ``eval``. ``records`` may also be
        a file opened in binary mode, which the engine reads and splits into lines itself,
        as ``eval`` reads its input: the fastest way in. ``jobs`` threads evaluate
        each chunk of ``chunk_size`` records side by side, without the GIL, while Python reads
        the next chunk and hands out the last one's results. A result's ``to_json()`` is the
        line ``stepcare eval --jobs N`` writes for the same record (with ``--texts none`` for
        ``texts="none"``)."""
        if not isinstance(jobs, int) or jobs < 1:
            raise ValueError(f"jobs must be a whole number from 1, not {jobs!r}")
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be at least 1, not {chunk_size!r}")
        runner = _stepcare.BatchRunner(self._native, lang or "", with_answers, _with_texts(texts), jobs)
        return _streamed(runner, _chunks(records, chunk_size))


def _streamed(runner: Any, chunks: Iterator[Any]) -> Iterator[Result]:
    """The results of each chunk in turn, the next chunk read while one is evaluated."""
    current = next(chunks, None)
    if current is None:
        return
    runner.submit(current)
    while True:
        following = next(chunks, None)  # read while the current chunk is evaluated
        lines = runner.collect()
        if following is not None:
            runner.submit(following)
        yield from map(Result, lines)
        if following is None:
            return


def _with_texts(texts: str) -> bool:
    if texts not in ("full", "none"):
        raise ValueError(f"texts must be 'full' or 'none', not {texts!r}")
    return texts == "full"


def _record_json(answers: Record, id: Any) -> str:
    if isinstance(answers, (str, bytes)):
        if id is not None:
            raise TypeError("give id inside the record's JSON, not beside it")
        return answers.decode("utf-8", "replace") if isinstance(answers, bytes) else answers
    if not isinstance(answers, Mapping):
        raise TypeError(f"answers must be a dict of question id to answer, or a record as JSON, not {type(answers).__name__}")
    record: Dict[str, Any] = {"answers": dict(answers)} if id is None else {"id": id, "answers": dict(answers)}
    return json.dumps(record, ensure_ascii=False)


def _chunks(records: Iterable[Record], size: int) -> Iterator[Any]:
    """The records in native chunks of at most ``size``. A binary file is read and split into
    lines by the engine, as ``stepcare eval`` reads; from anything else the records are taken
    as they are, lines read in place (blank ones skipped and over-long ones refused, as in
    eval) and :func:`_record_line` asked for the line of a dict."""
    if isinstance(records, (io.BufferedIOBase, io.RawIOBase)):
        reader = _stepcare.LineReader(records)
        while True:
            chunk = reader.next(size)
            if chunk is None:
                return
            yield chunk
    records = iter(records)
    first = 1
    while True:
        batch = list(itertools.islice(records, size))
        if not batch:
            return
        yield _stepcare.chunk_of(batch, first, _record_line)
        first += len(batch)


def _record_line(record: Any, number: int) -> str:
    if isinstance(record, Mapping):
        return json.dumps(record, ensure_ascii=False)
    raise TypeError(f"record {number} is a {type(record).__name__}; give a dict or a line of JSON")


def compile(path_or_text: Union[str, "os.PathLike[str]"], name: Optional[str] = None) -> Questionnaire:
    """Compiles a questionnaire, running its tests, and returns it; raises :class:`CompileError`
    with every diagnostic when it has errors. A path (str or ``pathlib.Path``) is read from
    disk; a str holding a line break or a ``{`` is taken as the source itself, named ``name``
    (default ``"<string>"``) in diagnostics."""
    if isinstance(path_or_text, os.PathLike):
        native, diagnostics = _stepcare.compile_file(os.fspath(path_or_text))
    elif isinstance(path_or_text, str):
        if "\n" in path_or_text or "{" in path_or_text:
            native, diagnostics = _stepcare.compile_source(path_or_text, name or "<string>")
        else:
            native, diagnostics = _stepcare.compile_file(path_or_text)
    else:
        raise TypeError(f"compile takes a path or the source text, not {type(path_or_text).__name__}")
    found = [Diagnostic._from(d) for d in diagnostics]
    if native is None:
        raise CompileError(found)
    return Questionnaire(native, found)


def to_records(results: Iterable[Result]) -> Iterator[Dict[str, Any]]:
    """Flat dicts, one per result, that ``pandas.DataFrame`` takes as they are: ``id``,
    ``status``, ``questionnaire_id``, ``questionnaire_version``, ``questionnaire_sha256``,
    ``outcomes`` (the fired ids joined by spaces, in result order), one column
    ``outcome.ID`` per fired outcome (True), ``undetermined`` (ids joined by spaces), one
    column ``value.NAME`` per let, ``missing``, ``ignored`` (ids joined by spaces) and
    ``errors`` (the messages joined by "; ", prefixed with their question)."""
    for result in results:
        d = result.to_dict()
        q = d["questionnaire"]
        row: Dict[str, Any] = {
            "id": d["id"], "status": d["status"], "questionnaire_id": q["id"], "questionnaire_version": q["version"],
            "questionnaire_sha256": q["sha256"], "outcomes": " ".join(o["id"] for o in d["outcomes"]),
            "undetermined": " ".join(u["id"] for u in d["undetermined"]),
            "missing": " ".join(d["missing"]), "ignored": " ".join(d["ignored"]),
            "errors": "; ".join(f"{e['question']}: {e['message']}" if e["question"] else e["message"]
                                for e in d["errors"]),
        }
        for o in d["outcomes"]:
            row["outcome." + o["id"]] = True
        for name, value in d["values"].items():
            row["value." + name] = value
        yield row
