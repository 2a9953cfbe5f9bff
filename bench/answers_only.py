#!/usr/bin/env python3
"""Keeps of each QuestionnaireResponse (one per line, from standard input) only the answered
questions, dropping the calculated `let.` and `outcome.` items: a response as intake software
that does not compute Stepcare's values would send it (bench/README.md, "FHIR formats")."""
import json
import sys

for line in sys.stdin:
    response = json.loads(line)
    if response.get("resourceType") == "QuestionnaireResponse":
        response["item"] = [i for i in response.get("item", []) if not i["linkId"].startswith(("let.", "outcome."))]
    sys.stdout.write(json.dumps(response, separators=(",", ":"), ensure_ascii=False) + "\n")
