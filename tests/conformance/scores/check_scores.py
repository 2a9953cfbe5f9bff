#!/usr/bin/env python3
"""The mood and anxiety checks scored on every combination of answers.

mood-check.sq asks about the nine topics of the PHQ-9 and anxiety-check.sq about the seven of
the GAD-7, each on the same four-step frequency scale. Every combination of answers (4^9 and
4^7) goes through one `stepcare eval` run per questionnaire, and each result is compared with
what the published scoring gives, worked out here and not read from the .sq files:

- each answer counts from 0 ("not at all") to 3 ("nearly every day"), and the total is their
  sum, out of 27 or 21; the total must be the let's value and the number the summary shows;
- no severity band: both questionnaires reword the questions, so they show the total as
  context only and apply none of the published bands (as both files' opening comments say). The
  outcomes fired must be exactly those listed below, and no text may name a band;
- the PHQ-9's ninth item (thoughts of self-harm): any answer but "not at all" must show
  crisis resources before anything else and ask whether such thoughts are present now. Each
  such combination is evaluated twice: "not now" must end complete with `safety_first` first,
  "now" must stop at the crisis screen and show nothing else. A ninth answer of "not at all"
  must show neither. The GAD-7 has no such item, and neither outcome may fire.

Apart from those, the outcomes expected are the questionnaire's own, as its texts tell the
person: `came_up_often` when any answer is "more than half of the days" or more, and the
summary with the total. Nothing may be undetermined, missing or ignored: an answer to a
question that was not asked comes back as ignored, so this also shows that every item was
asked, and the follow-up question exactly when the ninth answer is above "not at all".

Usage: check_scores.py STEPCARE QUESTIONNAIRES_DIR
"""

import functools
import itertools
import json
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

# The published scale, and the option ids the questionnaires give its four steps.
FREQUENCY = ("not_at_all", "several_days", "more_than_half", "nearly_every_day")
HIGHEST_SCORE = len(FREQUENCY) - 1
OFTEN = FREQUENCY.index("more_than_half")

# The answers before the items: not in danger now (a "yes" stops at once), an adult (the
# items are asked from 18 on), and a country, which only picks the crisis lines shown.
BEFORE_THE_ITEMS = {"in_danger_now": False, "age": 40, "country": "ie"}

# The published bands' names; the questionnaires must use none of them.
BAND_NAME = re.compile(r"\b(minimal|mild|moderate|moderately severe|severe|severity)\b", re.IGNORECASE)

SHOWN_FIRST_DIFFERENCES = 5


# Cached because the same few texts come back in hundreds of thousands of results.
@functools.lru_cache(maxsize=None)
def band_named(text):
    found = BAND_NAME.search(text)
    return found.group(0) if found else None


@dataclass(frozen=True)
class Scale:
    file: str
    items: tuple
    total: str
    summary: str
    # The PHQ-9's ninth item and the question that follows a positive answer to it.
    self_harm_item: str = None
    thoughts_now: str = None


SCALES = (
    Scale("mood-check.sq", tuple(f"mood{n}" for n in range(1, 10)), "mood_total", "mood_summary",
          self_harm_item="mood9", thoughts_now="thoughts_now"),
    Scale("anxiety-check.sq", tuple(f"anxiety{n}" for n in range(1, 8)), "anxiety_total", "anxiety_summary"),
)


@dataclass(frozen=True)
class Case:
    record: dict
    total: int
    most: int
    status: str
    outcomes: list
    # The second evaluation of a combination: the same answers, with thoughts present now.
    thoughts_present_now: bool = False


def cases(scale):
    """Every combination of answers, each with what the published scoring expects of it."""
    most = HIGHEST_SCORE * len(scale.items)
    for scores in itertools.product(range(len(FREQUENCY)), repeat=len(scale.items)):
        answers = dict(BEFORE_THE_ITEMS)
        answers.update((item, FREQUENCY[score]) for item, score in zip(scale.items, scores))
        name = scale.file.removesuffix(".sq") + "-" + "".join(map(str, scores))
        total = sum(scores)
        self_harm = scale.self_harm_item is not None and scores[scale.items.index(scale.self_harm_item)] > 0
        rest = (["came_up_often"] if max(scores) >= OFTEN else []) + [scale.summary]
        if not self_harm:
            yield Case({"id": name, "answers": answers}, total, most, "complete", rest)
            continue
        yield Case({"id": name + "-not-now", "answers": {**answers, scale.thoughts_now: False}},
                   total, most, "complete", ["safety_first"] + rest)
        yield Case({"id": name + "-now", "answers": {**answers, scale.thoughts_now: True}},
                   total, most, "stopped", ["crisis"], thoughts_present_now=True)


def differences(scale, case, result):
    """How a result differs from what its case expects, in words; empty when it agrees."""
    found = []

    def expect(what, actual, wanted):
        if actual != wanted:
            found.append(f"{what} is {actual!r}, not {wanted!r}")

    expect("id", result["id"], case.record["id"])
    expect("status", result["status"], case.status)
    expect("the outcomes fired", [o["id"] for o in result["outcomes"]], case.outcomes)
    for key in ("undetermined", "missing", "ignored", "errors"):
        expect(key, result[key], [])
    expect(scale.total, result["values"][scale.total], case.total)
    for outcome in result["outcomes"]:
        shown = f" {case.total} out of {case.most}."
        if outcome["id"] == scale.summary and shown not in outcome["text"]:
            found.append(f"{outcome['id']} does not say '{shown.strip()}': {outcome['text']!r}")
        for text in (outcome["title"], outcome["text"]):
            if band_named(text):
                found.append(f"{outcome['id']} names a severity band: {band_named(text)!r}")
    return found


def evaluate(stepcare, questionnaire, scale):
    """Streams every case through one eval run; returns how many records were written, how many
    results were compared and how many of those were second evaluations, how many differ, and
    the first that differ."""
    run = subprocess.Popen([stepcare, "eval", str(questionnaire), "--jobs", "2"], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")

    written = 0

    def write_records():
        nonlocal written
        try:
            for case in cases(scale):
                run.stdin.write(json.dumps(case.record) + "\n")
                written += 1
            run.stdin.close()
        except BrokenPipeError:
            pass  # eval ended early; its exit status and message say why.

    # Written from a thread so that neither pipe fills up while the other waits.
    writer = threading.Thread(target=write_records)
    writer.start()
    compared, second_evaluations, differing, first = 0, 0, 0, []
    for case, line in zip(cases(scale), run.stdout):
        result = json.loads(line)
        compared += 1
        second_evaluations += case.thoughts_present_now
        found = differences(scale, case, result)
        if found:
            differing += 1
            if len(first) < SHOWN_FIRST_DIFFERENCES:
                first.append((case.record, line.rstrip("\n"), found))
    left_over = run.stdout.read()
    writer.join()
    errors = run.stderr.read()
    if run.wait() != 0 or left_over:
        sys.exit(f"FAIL {scale.file}: stepcare eval exited {run.returncode} after {compared} results"
                 f"{' with more results than records' if left_over else ''}: {errors.strip()}")
    return written, compared, second_evaluations, differing, first


def main():
    stepcare, folder = sys.argv[1], Path(sys.argv[2])
    failed = False
    for scale in SCALES:
        written, compared, second_evaluations, differing, first = evaluate(stepcare, folder / scale.file, scale)
        twice = (f", {second_evaluations:,} of them evaluated again with thoughts of ending one's life present now"
                 if scale.thoughts_now else "")
        print(f"{scale.file}: {compared - second_evaluations:,} combinations of answers compared{twice}; "
              f"{compared:,} results, {differing:,} differ")
        if compared != written:
            print(f"FAIL {scale.file}: {compared:,} results for {written:,} records")
            failed = True
        for record, line, found in first:
            print(f"FAIL {scale.file}: {'; '.join(found)}\n  record: {json.dumps(record)}\n  result: {line}")
        failed = failed or differing > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
