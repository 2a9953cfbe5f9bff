#!/usr/bin/env python3
"""What the bundled questionnaires' results say, checked on rendered texts.

The language cannot look inside a text, so the rules about wording are checked here: every
bundled questionnaire is evaluated, in English and in Spanish, on generated records and on
hand-written ones that cover every country answer (and none), and each rendered result is
searched. The rules come from the content specification and the clinical review recorded in
docs/questionnaires/ketamine-trd.md ("Checking the texts").

Usage: check_texts.py STEPCARE GENERATE_RECORDS QUESTIONNAIRES_DIR
"""

import json
import re
import subprocess
import sys
from pathlib import Path

STEPCARE, GENERATE, FOLDER = sys.argv[1], sys.argv[2], Path(sys.argv[3])
LANGUAGES = ("en", "es")
COUNTRIES = ("us", "ca", "gb", "ie", "au", "es", "mx", "eu_other", "other", "prefer_not", None)
UNKNOWN_COUNTRIES = ("other", "prefer_not", None)

# A crisis line (not an emergency number) of one of the countries the questionnaires know.
CRISIS_LINE = re.compile(r"\b988\b|9-8-8|116 123|13 11 14|\b024\b|800 911 2000")
# The examples that a person whose country is not known must see, in both languages.
EXAMPLE_LINES = ("988", "116 123", "13 11 14", "024", "800 911 2000", "findahelpline.com")
YOUTH_LINES = {"ca": "1-800-668-6868", "gb": "0800 1111", "ie": "1800 66 66 66", "au": "1800 55 1800"}
FORBIDDEN = re.compile(
    r"eligib|you qualify|candidat|you have treatment-resistant|will help|should (get|try)|safe for you"
    r"|\bcur(e|ed|es|a|ar|ativ)\b|elegib|tiene depresi.n resistente|le ayudará|segur[oa] para usted",
    re.IGNORECASE)
FAST = {"en": re.compile(r"within hours|hours or days|\bquick(ly)?\b|\brapid(ly)?\b|fast-acting|\bworks? fast", re.IGNORECASE),
        "es": re.compile(r"en horas|rápid|enseguida alivia", re.IGNORECASE)}
TRD_LABEL = {"en": "describe this pattern as treatment-resistant depression",
             "es": "describen este patrón como depresión resistente al tratamiento"}
SPANISH_AVOIDED = re.compile(r"tensión (arterial|alta)|\bictus\b|counselling|[\u201C\u201D]|988 Suicide & Crisis Lifeline|env[ií](ar|e) un mensaje(?! de texto)")
SELF_USE = "self_use_warning"

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def evaluate(questionnaire, records, language):
    lines = "".join(json.dumps(r) + "\n" for r in records)
    done = subprocess.run([STEPCARE, "eval", str(questionnaire), "--lang", language],
                          input=lines, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"stepcare eval {questionnaire.name} --lang {language} exited {done.returncode}: {done.stderr}")
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == len(records), (len(results), len(records))
    return results


def generated(questionnaire, count, seed):
    out = subprocess.run([GENERATE, str(questionnaire), "--records", str(count), "--seed", str(seed),
                          "--invalid-percent", "0", "--blank-permille", "0"],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def texts(result):
    """Every rendered text of a result: (where, text)."""
    for o in result["outcomes"]:
        yield o["id"] + " title", o["title"]
        yield o["id"], o["text"]
    yield "referral title", result["referral"]["title"]
    yield "referral", result["referral"]["text"]


def check_every_result(name, language, record, result, counters):
    where = f"{name} [{language}] {json.dumps(record['answers'], ensure_ascii=False)}"
    if result["status"] == "invalid":
        # A few generated records still break a `require` after the generator's redraws:
        # those have no texts to check. A hand-written record must be valid.
        if isinstance(record.get("id"), str) and not record["id"].startswith("rec-"):
            fail(where, f"invalid: {result['errors']}")
        return
    fired = {o["id"]: o for o in result["outcomes"]}
    if not result["referral"]["text"]:
        fail(where, "no referral text")
    if not (CRISIS_LINE.search(result["referral"]["text"]) or "findahelpline.com" in result["referral"]["text"]):
        fail(where, "the referral names no crisis line and no directory")
    for place, text in texts(result):
        if FORBIDDEN.search(text):
            fail(where, f"{place} uses a forbidden phrase: {FORBIDDEN.search(text).group(0)!r}")
        if "{" in text or "}" in text or re.search(r"\bunknown\b", text):
            fail(where, f"{place} shows a raw pattern or 'unknown': {text!r}")
        if language == "es" and SPANISH_AVOIDED.search(text):
            fail(where, f"{place} uses {SPANISH_AVOIDED.search(text).group(0)!r}")
    # Crisis resources: each urgent outcome, and the ending for minors, names a crisis line
    # and cites the crisis lines alone.
    for oid in ("crisis", "safety_first", "adults_only"):
        if oid in fired:
            counters[oid] = counters.get(oid, 0) + 1
            if not CRISIS_LINE.search(fired[oid]["text"]):
                fail(where, f"{oid} names no crisis line: {fired[oid]['text']!r}")
            if name == "ketamine-trd.sq" and fired[oid]["cites"] != ["crisis_lines"]:
                fail(where, f"{oid} cites {fired[oid]['cites']}, not the crisis lines alone")
    if "crisis" in fired:
        if len(fired) != 1:
            fail(where, f"crisis comes with {sorted(fired)}")
        if any("ketamin" in t.lower() for _, t in texts(result)):
            fail(where, "a crisis result names ketamine")
    # The self-use warning comes with every result that names ketamine or esketamine.
    naming = [o for o in result["outcomes"] if o["id"] != SELF_USE and "ketamin" in (o["title"] + o["text"]).lower()]
    if naming:
        counters["naming ketamine"] = counters.get("naming ketamine", 0) + 1
        if SELF_USE not in fired:
            fail(where, f"{naming[0]['id']} names ketamine but there is no {SELF_USE}")
    values = result.get("values", {})
    # No rapid-effect wording to a person whose answers show elevated risk.
    if "elevated_risk" in values:
        fast = [o["id"] for o in result["outcomes"] if FAST[language].search(o["text"])]
        if values["elevated_risk"] is not False and fast:
            fail(where, f"elevated or unknown risk, yet {fast} presents ketamine as fast")
        if values["elevated_risk"] is False and "about_ketamine" in fired and fast:
            counters["fast when not at risk"] = counters.get("fast when not at risk", 0) + 1
    # No treatment-resistant-depression label with a bipolar history.
    if "second_line_discussion" in fired:
        labelled = TRD_LABEL[language] in fired["second_line_discussion"]["text"]
        if values.get("flag_bipolar") is True and labelled:
            fail(where, "the TRD label with a bipolar history")
        if values.get("flag_bipolar") is False and labelled:
            counters["TRD label"] = counters.get("TRD label", 0) + 1
    if "caution_pregnancy" in fired and not re.search(r"Do not stop|No deje", fired["caution_pregnancy"]["text"]):
        fail(where, "caution_pregnancy does not say to keep medicines until a clinician says otherwise")


def adult_record(country, **answers):
    record = {"in_danger_now": False, "age": 40, "pregnancy": ["none"],
              **{f"mood{i}": "more_than_half" for i in range(1, 10)}}
    if country is not None:
        record["country"] = country
    record.update(answers)
    return {"answers": record}


def ketamine_records():
    """Hand-written records: every country (and none) for each crisis-resource text."""
    trd = dict(daily_life_impact="very", episode_length="six_to_12_months", diagnosed="yes",
               better_off=False, on_antidepressant="yes", antidepressants_tried=2, adequate_failed=2,
               earlier_treatment="no", psychotherapy="yes_past", therapy_sessions="eight_or_more",
               therapy_helped="somewhat_not_enough", other_treatments=["none"], vascular=["none"],
               blood_pressure="normal", heart=["none"], head_injury="no", seizures="no", liver="no",
               bladder="no", glaucoma="no", lung="no", psychosis_now="no", alcohol_problem="no",
               drug_use="no", ketamine_nonmedical="never", substance_treatment="no",
               interacting_meds=["none"], sessions_possible="yes", transport="yes", has_clinician="yes")
    records = [{"id": "danger-now-alone", "answers": {"in_danger_now": True}}]
    for country in COUNTRIES:
        records.append({"id": f"minor-{country}", "answers": {"in_danger_now": False, "age": 15,
                                                                **({"country": country} if country else {})}})
        crisis = adult_record(country, wish_dead=True, suicidal_thoughts=True, method_thoughts=True, intent=True)
        crisis["id"] = f"crisis-{country}"
        safety = adult_record(country, wish_dead=True, suicidal_thoughts=True, method_thoughts=True, intent=False,
                              plan=False, past_attempt=False, thoughts_now=False, psych_history=["none"], **trd)
        safety["id"] = f"safety-first-{country}"
        records += [crisis, safety]
    for history in (["none"], ["bipolar"]):
        r = adult_record("us", wish_dead=False, suicidal_thoughts=False, past_attempt=False, psych_history=history,
                         **({"mania_when": "longer_ago"} if history == ["bipolar"] else {}), **trd)
        r["answers"]["mood9"] = "not_at_all"
        r["id"] = f"history-{history[0]}"
        records.append(r)
    return records


def check_ketamine_cases(language, records, results):
    by_id = {r.get("id"): res for r, res in zip(records, results)}
    fired = {rid: {o["id"]: o for o in res["outcomes"]} for rid, res in by_id.items()}
    crisis_now = fired["danger-now-alone"].get("crisis")
    if crisis_now is None:
        fail("danger-now-alone", "no crisis")
    else:
        for line in EXAMPLE_LINES:
            if line not in crisis_now["text"]:
                fail(f"danger-now-alone [{language}]", f"the crisis text lacks the example {line}")
    for country in COUNTRIES:
        for kind, oid in (("minor", "adults_only"), ("crisis", "crisis"), ("safety-first", "safety_first")):
            outcome = fired[f"{kind}-{country}"].get(oid)
            where = f"{kind}-{country} [{language}]"
            if outcome is None:
                fail(where, f"no {oid}")
                continue
            if country in UNKNOWN_COUNTRIES:
                for line in EXAMPLE_LINES:
                    if line not in outcome["text"]:
                        fail(where, f"{oid} lacks the example {line}")
            if kind == "minor" and country in YOUTH_LINES and YOUTH_LINES[country] not in outcome["text"]:
                fail(where, f"no helpline for young people ({YOUTH_LINES[country]})")
    if TRD_LABEL[language] not in fired["history-none"]["second_line_discussion"]["text"]:
        fail(f"history-none [{language}]", "the TRD statement is missing without a bipolar history")
    if TRD_LABEL[language] in fired["history-bipolar"]["second_line_discussion"]["text"]:
        fail(f"history-bipolar [{language}]", "the TRD label with a bipolar history")


def main():
    for questionnaire in sorted(FOLDER.glob("*.sq")):
        name = questionnaire.name
        generated_records = generated(questionnaire, 3000, 2026)
        extra = ketamine_records() if name == "ketamine-trd.sq" else [
            {"id": f"danger-now-{c}", "answers": {"in_danger_now": False, "age": 30, **({"country": c} if c else {})}}
            for c in COUNTRIES] + [{"id": "danger-now-alone", "answers": {"in_danger_now": True}}]
        records = generated_records + extra
        for language in LANGUAGES:
            counters = {}
            results = evaluate(questionnaire, records, language)
            for record, result in zip(records, results):
                check_every_result(name, language, record, result, counters)
            if name == "ketamine-trd.sq":
                check_ketamine_cases(language, records[len(generated_records):], results[len(generated_records):])
                # The searches above must have had something to find.
                for key in ("crisis", "safety_first", "adults_only", "naming ketamine", "fast when not at risk", "TRD label"):
                    if counters.get(key, 0) == 0:
                        fail(f"{name} [{language}]", f"no result exercised '{key}'")
            else:
                alone = results[-1]
                crisis = next((o for o in alone["outcomes"] if o["id"] == "crisis"), None)
                if crisis is None or not CRISIS_LINE.search(crisis["text"]):
                    fail(f"{name} [{language}] in danger now alone", "the crisis text names no crisis line")
                elif not all(line in crisis["text"] for line in EXAMPLE_LINES):
                    fail(f"{name} [{language}] in danger now alone", "the crisis text lacks an example line")
            print(f"{name} [{language}]: {len(records)} results checked, {counters}")
    for f in failures[:40]:
        print("FAIL", f)
    passed = 0 if failures else 1
    print(f"{passed} passed, {1 - passed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
