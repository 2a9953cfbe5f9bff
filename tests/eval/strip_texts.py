#!/usr/bin/env python3
"""What `stepcare eval --texts none` must write, made from the output of `--texts full`.

Reads result lines (standard input) and writes each with its texts taken out of the raw
bytes: an outcome's and the referral's "title" and "text", an answer's "ask" and
"labels" (docs/cli.md, "Results without texts"). Nothing else of a line is touched, so the
output compared with `cmp` to that of `--texts none` shows that the two differ by exactly
those keys. Each line is also parsed, before and after, to check that the keys taken out
are those and only those, so a pattern that matched elsewhere would be caught.

Usage: strip_texts.py < full.jsonl > expected-none.jsonl
"""
import json
import re
import sys

STRING = r'"(?:[^"\\]|\\.)*"'
OUTCOME = re.compile(r'("level":"(?:urgent|caution|guidance|info)"),"title":' + STRING + r',"text":' + STRING +
                     r'(?=,"cites":)')
REFERRAL = re.compile(r'("referral":\{)"title":' + STRING + r',"text":' + STRING + r',(?="cites":)')
ASK = re.compile(r'(\{"question":' + STRING + r'),"ask":' + STRING + r'(?=,"answer":)')
LABELS = re.compile(r',"labels":(?:null|\[(?:' + STRING + r'(?:,' + STRING + r')*)?\])(?=\})')


def without_texts(result):
    """The parsed result with the texts' keys deleted."""
    for outcome in result["outcomes"]:
        del outcome["title"], outcome["text"]
    del result["referral"]["title"], result["referral"]["text"]
    for answer in result.get("answers", []):
        del answer["ask"], answer["labels"]
    return result


def main():
    for number, line in enumerate(sys.stdin, 1):
        line = line.rstrip("\n")
        stripped = OUTCOME.sub(r"\1", line)
        stripped = REFERRAL.sub(r"\1", stripped, count=1)
        stripped = ASK.sub(r"\1", stripped)
        stripped = LABELS.sub("", stripped)
        if json.loads(stripped) != without_texts(json.loads(line)):
            sys.exit(f"line {number}: the texts' keys are not all that was taken out")
        print(stripped)


main()
