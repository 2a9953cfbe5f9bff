#!/usr/bin/env python3
"""The OpenAPI document (server/openapi.json) against the code's routes and against live responses.

Usage: openapi_test.py STEPCARE REPOSITORY_ROOT

1. Structure: OpenAPI 3.0.x, every $ref resolves, every operation has responses, path
   parameters are declared, operationIds are unique, every schema uses only the keywords the
   validator below implements, and the document's examples and defaults fit their schemas.
2. The routes of server/api_routes.cpp and the document's paths and methods are the same set.
3. A live `stepcare serve` is driven through every route and the error statuses that are cheap
   to cause; every response's status must be documented for its operation, its Content-Type
   listed for that status, and a JSON body must validate against the documented schema.

The JSON Schema validator covers the subset OpenAPI 3.0 uses. A schema keyword it does not
implement makes the test fail, so that it never passes what it cannot check. It starts with a
self-check: hand-made wrong instances must be refused. Python 3 standard library only.
"""
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_process import Server, raw_exchange, simple_answer  # noqa: E402

STEPCARE, ROOT = sys.argv[1], sys.argv[2]
DOCUMENT_FILE = os.path.join(ROOT, "server", "openapi.json")
ROUTES_FILE = os.path.join(ROOT, "server", "api_routes.cpp")
BUNDLED = os.path.join(ROOT, "questionnaires")

failures = []
passed = 0


def check(condition, what, details=()):
    """Prints one check; a failure lists its details (one mismatch a line)."""
    global passed
    if condition:
        passed += 1
        print("ok    " + what)
        return True
    failures.append(what)
    print("FAIL  " + what)
    for line in details:
        print("        " + line)
    return False


def section(title):
    print("\n== " + title)


# ---------------------------------------------------------------------------------------
# A JSON Schema validator for the subset OpenAPI 3.0 uses.

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IMPLEMENTED = {"$ref", "type", "nullable", "properties", "required", "additionalProperties", "items", "enum",
               "oneOf", "anyOf", "allOf", "minimum", "maximum", "pattern"}
# Keywords that constrain nothing. `example` and `default` are not used in validation, but the
# structure checks validate them against their own schema.
ANNOTATIONS = {"description", "example", "examples", "title", "format", "deprecated", "readOnly", "writeOnly",
               "externalDocs", "default"}
TYPES = ("object", "array", "string", "number", "integer", "boolean")


class SchemaError(Exception):
    """The schema itself is something this validator cannot check: a failure, never a pass."""


def json_type(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def type_fits(wanted, value):
    kind = json_type(value)
    if wanted == "number":
        return kind in ("integer", "number")
    return kind == wanted


def same_json(a, b):
    return json_type(a) == json_type(b) and json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def child_path(path, name):
    if isinstance(name, int):
        return "%s[%d]" % (path, name)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return path + "." + name
    return "%s[%s]" % (path, json.dumps(name))


def short(value, limit=80):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class Validator:
    def __init__(self, document):
        self.document = document

    def resolve(self, ref):
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise SchemaError("$ref %r does not point inside this document (#/...)" % (ref,))
        node = self.document
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise SchemaError("$ref %s does not resolve" % ref)
        return node

    def check_keywords(self, schema, where):
        """Raises SchemaError for anything in this schema object that the validator cannot check."""
        if not isinstance(schema, dict):
            raise SchemaError("%s: a schema must be an object, not %s" % (where, short(schema)))
        unknown = sorted(set(schema) - IMPLEMENTED - ANNOTATIONS)
        if unknown:
            raise SchemaError("%s: schema keyword(s) %s are not implemented by this validator, which would pass "
                              "whatever they forbid; implement them in tests/serve/openapi_test.py"
                              % (where, ", ".join(unknown)))
        if "$ref" in schema:
            if set(schema) != {"$ref"}:
                raise SchemaError("%s: OpenAPI 3.0 ignores keywords beside $ref: %s"
                                  % (where, ", ".join(sorted(set(schema) - {"$ref"}))))
            if not str(schema["$ref"]).startswith("#/components/schemas/"):
                raise SchemaError("%s: a schema's $ref must point into #/components/schemas/, not %s"
                                  % (where, schema["$ref"]))
            return
        if "type" in schema and schema["type"] not in TYPES:
            raise SchemaError("%s: type %s is not an OpenAPI 3.0 type (one string of %s)"
                              % (where, short(schema["type"]), ", ".join(TYPES)))
        if schema.get("type") == "array" and "items" not in schema:
            raise SchemaError("%s: OpenAPI 3.0 requires items with type array" % where)
        if "nullable" in schema and not isinstance(schema["nullable"], bool):
            raise SchemaError("%s: nullable must be true or false" % where)
        if "required" in schema and (not isinstance(schema["required"], list) or not schema["required"] or
                                     not all(isinstance(n, str) for n in schema["required"])):
            raise SchemaError("%s: required must be a non-empty list of names" % where)
        if "properties" in schema and not isinstance(schema["properties"], dict):
            raise SchemaError("%s: properties must be an object" % where)
        if "additionalProperties" in schema and not isinstance(schema["additionalProperties"], (bool, dict)):
            raise SchemaError("%s: additionalProperties must be a boolean or a schema" % where)
        if "items" in schema and not isinstance(schema["items"], dict):
            raise SchemaError("%s: items must be one schema in OpenAPI 3.0" % where)
        if "enum" in schema and (not isinstance(schema["enum"], list) or not schema["enum"]):
            raise SchemaError("%s: enum must be a non-empty list" % where)
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema and (not isinstance(schema[keyword], list) or not schema[keyword]):
                raise SchemaError("%s: %s must be a non-empty list of schemas" % (where, keyword))
        for keyword in ("minimum", "maximum"):
            if keyword in schema and json_type(schema[keyword]) not in ("integer", "number"):
                raise SchemaError("%s: %s must be a number" % (where, keyword))
        if "pattern" in schema:
            try:
                re.compile(schema["pattern"])
            except (re.error, TypeError) as error:
                raise SchemaError("%s: pattern %s does not compile: %s" % (where, short(schema["pattern"]), error))

    def declared(self, schema, seen=()):
        """The property names a schema and its allOf members declare, and whether it admits others."""
        if "$ref" in schema:
            if schema["$ref"] in seen:
                return set(), True
            return self.declared(self.resolve(schema["$ref"]), seen + (schema["$ref"],))
        names = set(schema.get("properties", {}))
        admits_others = schema.get("additionalProperties", None) not in (None, False)
        if "properties" not in schema and "allOf" not in schema and schema.get("additionalProperties") is not False:
            admits_others = True  # a member that declares no properties constrains none
        for member in schema.get("allOf", []):
            member_names, member_open = self.declared(member, seen)
            names |= member_names
            admits_others = admits_others or member_open
        return names, admits_others

    def errors(self, schema, value, path="$", where="#", check_extra=True):
        """The mismatches of value against schema, one string each, naming the JSON path."""
        self.check_keywords(schema, where)
        if "$ref" in schema:
            return self.errors(self.resolve(schema["$ref"]), value, path, schema["$ref"], check_extra)
        # nullable: true admits null whatever the other keywords say. OpenAPI 3.0.3 ties it to
        # `type`, but {"nullable": true, "allOf": [{"$ref": ...}]} is the usual way to write a
        # nullable reference, and that is how this document uses it.
        if schema.get("nullable") is True and value is None:
            return []
        out = []
        wanted = schema.get("type")
        if wanted is not None:
            if value is None:
                return ["%s: is null, but %s does not allow null (no \"nullable\": true)" % (path, where)]
            if not type_fits(wanted, value):
                return ["%s: is %s %s, but %s wants %s" % (path, json_type(value), short(value, 40), where, wanted)]
        if "enum" in schema and not any(same_json(value, e) for e in schema["enum"]):
            out.append("%s: %s is not one of %s (%s)" % (path, short(value, 40), short(schema["enum"]), where))
        if json_type(value) in ("integer", "number"):
            if "minimum" in schema and value < schema["minimum"]:
                out.append("%s: %s is below the minimum %s (%s)" % (path, value, schema["minimum"], where))
            if "maximum" in schema and value > schema["maximum"]:
                out.append("%s: %s is above the maximum %s (%s)" % (path, value, schema["maximum"], where))
        if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
            out.append("%s: %s does not match the pattern %s (%s)" % (path, short(value, 40), schema["pattern"], where))
        if isinstance(value, dict):
            for name in schema.get("required", []):
                if name not in value:
                    out.append("%s: the required property \"%s\" is missing (%s)" % (path, name, where))
            properties = schema.get("properties", {})
            for name, sub in properties.items():
                if name in value:
                    out += self.errors(sub, value[name], child_path(path, name), "%s/properties/%s" % (where, name))
            more = schema.get("additionalProperties")
            extra = [name for name in value if name not in properties]
            if more is False:
                for name in extra:
                    out.append("%s: the property \"%s\" is not allowed (additionalProperties: false in %s)"
                               % (path, name, where))
            elif isinstance(more, dict):
                for name in extra:
                    out += self.errors(more, value[name], child_path(path, name), where + "/additionalProperties")
            elif more is None and check_extra and ("properties" in schema or "allOf" in schema):
                # Undocumented fields: the schema neither declares them nor says others may come.
                names, admits_others = self.declared(schema)
                if not admits_others:
                    for name in value:
                        if name not in names:
                            out.append("%s: the property \"%s\" is not documented (%s declares %s)"
                                       % (path, name, where, ", ".join(sorted(names))))
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                out += self.errors(schema["items"], item, child_path(path, i), where + "/items")
        for i, member in enumerate(schema.get("allOf", [])):
            out += self.errors(member, value, path, "%s/allOf/%d" % (where, i), check_extra=False)
        for keyword in ("anyOf", "oneOf"):
            if keyword not in schema:
                continue
            results = [self.errors(member, value, path, "%s/%s/%d" % (where, keyword, i))
                       for i, member in enumerate(schema[keyword])]
            fitting = [i for i, result in enumerate(results) if not result]
            if not fitting:
                reasons = "; ".join("%d: %s" % (i, result[0]) for i, result in enumerate(results))
                out.append("%s: fits none of the %s of %s (%s)" % (path, keyword, where, reasons))
            elif keyword == "oneOf" and len(fitting) > 1:
                out.append("%s: fits %d of the oneOf of %s (%s), but exactly one must fit"
                           % (path, len(fitting), where, ", ".join(map(str, fitting))))
        return out

    def mismatches(self, schema, value, where="#"):
        """Like errors, but a schema the validator cannot check is itself a mismatch."""
        try:
            return self.errors(schema, value, "$", where)
        except SchemaError as error:
            return ["the schema cannot be checked: %s" % error]


def schema_ref(name):
    return {"$ref": "#/components/schemas/" + name}


# ---------------------------------------------------------------------------------------
# 0. The validator can fail.

def self_check(validator):
    section("the validator refuses what it should (self-check)")
    question = {"id": "age", "kind": "integer", "optional": False, "section": {"id": "start", "title": "Start"},
                "ask": "How old are you?", "help": None, "unit": "years", "min": 0, "max": 120, "answer": None,
                "set_aside": None}
    state = {"id": "73ae12b9d43f3ed86958cdf65e7b81e1",
             "questionnaire": {"id": "mood_check", "version": "1.1.0", "sha256": "7" * 64},
             "language": "en", "status": "in_progress", "revision": 1, "progress": {"number": 2, "total": 13},
             "question": question, "can_go_back": True, "urgent": []}
    good = [("IntakeState", state, "a well-formed IntakeState"),
            ("IntakeState", dict(state, question=None, status="finished"), "an IntakeState whose question is null"),
            ("Error", {"error": {"code": "x", "message": "y", "current": "age"}}, "an Error with current"),
            ("AnswerValue", ["a", "b"], "an array answer"),
            ("FhirResource", {"resourceType": "Questionnaire", "item": []}, "a FHIR resource with more fields")]
    for name, instance, what in good:
        problems = validator.mismatches(schema_ref(name), instance)
        check(not problems, "the validator accepts %s" % what, problems)

    without_id = dict(state)
    del without_id["id"]
    urgent_outcome = {"id": "crisis", "level": "urgent", "title": "t", "text": "x", "cites": ["a"]}
    bad = [
        ("IntakeState", without_id, "an IntakeState without id", "\"id\" is missing"),
        ("Error", {"error": {"code": "x", "message": 5}}, "an Error whose message is a number", "$.error.message"),
        ("Error", {"code": "x", "message": "y"}, "an Error without its error object", "\"error\" is missing"),
        ("IntakeState", dict(state, id="XYZ"), "an IntakeState whose id is not 32 hex digits", "pattern"),
        ("IntakeState", dict(state, status="paused"), "an unknown intake status", "not one of"),
        ("IntakeState", dict(state, revision=-1), "a negative revision", "minimum"),
        ("IntakeState", dict(state, revision=1.5), "a revision that is not whole", "wants integer"),
        ("IntakeState", dict(state, can_go_back=None), "a null that is not nullable", "does not allow null"),
        ("IntakeState", dict(state, question=dict(question, kind="essay")), "a question of an unknown kind",
         "$.question.kind"),
        ("IntakeState", dict(state, urgent=[urgent_outcome]), "an urgent outcome without sources (allOf)",
         "$.urgent[0]: the required property \"sources\""),
        ("IntakeState", dict(state, extra=1), "an undocumented property", "not documented"),
        ("AnswerValue", {"a": 1}, "an answer that fits no oneOf member", "fits none of the oneOf"),
        ("AnswerValue", [1], "an array answer of numbers", "$[0]"),
        ("QuestionnaireList", {"questionnaires": [{"id": "x"}]}, "a questionnaire missing most fields",
         "$.questionnaires[0]"),
    ]
    for name, instance, what, expected in bad:
        problems = validator.mismatches(schema_ref(name), instance)
        check(any(expected in p for p in problems), "the validator refuses %s (%s)" % (what, expected),
              problems or ["it was accepted"])
    # Keywords the validator does not implement, anywhere, make it fail rather than pass.
    for schema in ({"type": "string", "maxLength": 3}, {"properties": {"a": {"type": "integer", "multipleOf": 2}}},
                   {"$ref": "#/components/schemas/Nowhere"}, {"$ref": "#/components/schemas/Error", "nullable": True},
                   {"type": ["string", "null"]}):
        try:
            validator.errors(schema, {"a": 3} if "properties" in schema else "abcd")
            check(False, "a schema the validator cannot check raises an error: %s" % short(schema), ["it did not"])
        except SchemaError as error:
            check(True, "a schema the validator cannot check raises an error: %s (%s)" % (short(schema), error))
    problems = validator.mismatches({"type": "object", "properties": {"a": {"type": "string"}},
                                     "additionalProperties": False}, {"a": "x", "b": 1})
    check(any("is not allowed" in p for p in problems), "additionalProperties: false refuses another property",
          problems)
    problems = validator.mismatches({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 3)
    check(any("exactly one" in p for p in problems), "oneOf refuses a value that fits two members", problems)


# ---------------------------------------------------------------------------------------
# 1. Structure.

def pointer_token(key):
    return str(key).replace("~", "~0").replace("/", "~1")


def walk_refs(node, pointer, found):
    """Every $ref in the document with where it is; examples are data and are not searched."""
    if isinstance(node, dict):
        if "$ref" in node:
            found.append((pointer, node["$ref"]))
        for key, value in node.items():
            if key == "example":
                continue
            if key == "examples" and isinstance(value, dict):
                for name, example in value.items():
                    if isinstance(example, dict) and "$ref" in example:
                        found.append(("%s/examples/%s" % (pointer, pointer_token(name)), example["$ref"]))
                continue
            walk_refs(value, "%s/%s" % (pointer, pointer_token(key)), found)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            walk_refs(value, "%s/%d" % (pointer, i), found)


def deref(validator, node):
    """A response, parameter, header, requestBody or example object, following $ref."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        if node["$ref"] in seen:
            raise SchemaError("$ref cycle at %s" % node["$ref"])
        seen.add(node["$ref"])
        node = validator.resolve(node["$ref"])
    return node


def schema_locations(validator, document):
    """(pointer, schema, examples) for every place the document gives a schema: components.schemas,
    parameters, headers and media types. examples are (label, value) pairs given beside the schema."""
    places = []
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        places.append(("#/components/schemas/" + name, schema, []))

    def beside(holder):
        out = []
        if "example" in holder:
            out.append(("example", holder["example"]))
        for name, example in holder.get("examples", {}).items():
            example = deref(validator, example)
            if "value" in example:
                out.append(("examples/" + name, example["value"]))
        return out

    def parameter_like(pointer, holder):
        if "$ref" in holder:
            return
        if "schema" in holder:
            places.append((pointer + "/schema", holder["schema"], beside(holder)))
        for media_type, media in holder.get("content", {}).items():
            places.append(("%s/content/%s/schema" % (pointer, pointer_token(media_type)), media.get("schema", {}),
                           beside(media)))

    def response_like(pointer, response):
        if "$ref" in response:
            return
        for media_type, media in response.get("content", {}).items():
            if "schema" in media:
                places.append(("%s/content/%s/schema" % (pointer, pointer_token(media_type)), media["schema"],
                               beside(media)))
        for name, header in response.get("headers", {}).items():
            parameter_like("%s/headers/%s" % (pointer, name), header)

    components = document.get("components", {})
    for name, parameter in components.get("parameters", {}).items():
        parameter_like("#/components/parameters/" + name, parameter)
    for name, header in components.get("headers", {}).items():
        parameter_like("#/components/headers/" + name, header)
    for name, response in components.get("responses", {}).items():
        response_like("#/components/responses/" + name, response)
    for name, body in components.get("requestBodies", {}).items():
        response_like("#/components/requestBodies/" + name, body)
    for path, item in document.get("paths", {}).items():
        base = "#/paths/" + pointer_token(path)
        for i, parameter in enumerate(item.get("parameters", [])):
            parameter_like("%s/parameters/%d" % (base, i), parameter)
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            for i, parameter in enumerate(operation.get("parameters", [])):
                parameter_like("%s/%s/parameters/%d" % (base, method, i), parameter)
            if "requestBody" in operation:
                response_like("%s/%s/requestBody" % (base, method), operation["requestBody"])
            for status, response in operation.get("responses", {}).items():
                response_like("%s/%s/responses/%s" % (base, method, status), response)
    return places


def schema_tree(schema, pointer):
    """(pointer, schema) for a schema and every schema inside it (properties, items, ...)."""
    yield pointer, schema
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    for name, sub in schema.get("properties", {}).items() if isinstance(schema.get("properties"), dict) else ():
        yield from schema_tree(sub, "%s/properties/%s" % (pointer, name))
    for keyword in ("items", "additionalProperties"):
        if isinstance(schema.get(keyword), dict):
            yield from schema_tree(schema[keyword], "%s/%s" % (pointer, keyword))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for i, sub in enumerate(schema.get(keyword, []) if isinstance(schema.get(keyword), list) else []):
            yield from schema_tree(sub, "%s/%s/%d" % (pointer, keyword, i))


def structure_checks(validator, document):
    section("structure of the document")
    version = document.get("openapi")
    check(isinstance(version, str) and re.fullmatch(r"3\.0\.\d+", version) is not None,
          "the document is OpenAPI 3.0.x (%s)" % version)
    info = document.get("info", {})
    check(isinstance(info.get("title"), str) and isinstance(info.get("version"), str),
          "info has a title and a version")
    paths = document.get("paths")
    check(isinstance(paths, dict) and paths and all(p.startswith("/") for p in paths),
          "paths is a non-empty object of paths starting with /")

    refs = []
    walk_refs(document, "#", refs)
    broken = []
    for pointer, ref in refs:
        try:
            validator.resolve(ref)
        except SchemaError as error:
            broken.append("%s: %s" % (pointer, error))
    check(refs and not broken, "every $ref resolves (%d of them)" % len(refs), broken)

    operation_ids = {}
    for path, item in sorted(paths.items()):
        unknown = sorted(set(item) - set(HTTP_METHODS) - {"summary", "description", "servers", "parameters", "$ref"})
        check(not unknown, "%s has only OpenAPI path item fields" % path, ["unknown: " + ", ".join(unknown)])
        template = re.findall(r"\{([^}/]+)\}", path)
        path_level = {}
        for parameter in item.get("parameters", []):
            parameter = deref(validator, parameter)
            path_level[(parameter.get("name"), parameter.get("in"))] = parameter
        for method in HTTP_METHODS:
            if method not in item:
                continue
            operation = item[method]
            name = "%s %s" % (method.upper(), path)
            operation_ids.setdefault(operation.get("operationId"), []).append(name)
            responses = operation.get("responses")
            check(isinstance(responses, dict) and responses, "%s has responses" % name)
            problems = []
            for status, response in (responses or {}).items():
                if not re.fullmatch(r"[1-5](\d\d|XX)|default", status):
                    problems.append("%s is not a status code, a range like 4XX, or default" % status)
                try:
                    response = deref(validator, response)
                except SchemaError as error:
                    problems.append("%s: %s" % (status, error))
                    continue
                if not isinstance(response.get("description"), str):
                    problems.append("the response %s has no description (required in OpenAPI)" % status)
            check(not problems, "%s: every response has a valid status and a description" % name, problems)
            parameters = dict(path_level)
            seen = set()
            for parameter in operation.get("parameters", []):
                parameter = deref(validator, parameter)
                key = (parameter.get("name"), parameter.get("in"))
                if key in seen:
                    problems.append("the parameter %s in %s is declared twice" % key)
                seen.add(key)
                parameters[key] = parameter
            problems = []
            for (pname, where), parameter in parameters.items():
                if where not in ("path", "query", "header", "cookie"):
                    problems.append("the parameter %s is in %r, which OpenAPI does not know" % (pname, where))
                if "schema" not in parameter and "content" not in parameter:
                    problems.append("the parameter %s has neither schema nor content" % pname)
                if where == "path" and parameter.get("required") is not True:
                    problems.append("the path parameter %s is not required: true" % pname)
            declared = sorted(n for n, where in parameters if where == "path")
            if declared != sorted(template):
                problems.append("the path names {%s}, the parameters in: path are {%s}"
                                % (", ".join(sorted(template)), ", ".join(declared)))
            check(not problems, "%s: its path parameters are declared, and only they" % name, problems)
            schemes = document.get("components", {}).get("securitySchemes", {})
            undefined = [s for requirement in operation.get("security", []) for s in requirement if s not in schemes]
            check(not undefined, "%s: its security schemes are defined" % name, undefined)
            tags = {t.get("name") for t in document.get("tags", [])}
            check(all(t in tags for t in operation.get("tags", [])), "%s: its tags are declared" % name,
                  [t for t in operation.get("tags", []) if t not in tags])
    duplicates = ["%s: %s" % (oid, ", ".join(names)) for oid, names in operation_ids.items()
                  if oid is not None and len(names) > 1]
    missing = [n for oid, names in operation_ids.items() if oid is None for n in names]
    check(not duplicates and not missing, "every operation has an operationId, and they are unique",
          duplicates + ["no operationId: " + n for n in missing])

    places = schema_locations(validator, document)
    problems, count = [], 0
    for pointer, schema, _ in places:
        for sub_pointer, sub in schema_tree(schema, pointer):
            count += 1
            try:
                validator.check_keywords(sub, sub_pointer)
                if "$ref" in sub:
                    validator.resolve(sub["$ref"])
            except SchemaError as error:
                problems.append(str(error))
    check(count and not problems,
          "every schema (%d, nested ones included) uses only keywords the validator implements" % count, problems)

    # Examples and defaults are documentation, but a wrong one misleads every reader.
    problems, count = [], 0
    for pointer, schema, examples in places:
        for label, value in examples:
            count += 1
            problems += ["%s (%s): %s" % (pointer, label, p) for p in validator.mismatches(schema, value, pointer)]
        for sub_pointer, sub in schema_tree(schema, pointer):
            if not isinstance(sub, dict):
                continue
            for keyword in ("example", "default"):
                if keyword in sub:
                    count += 1
                    problems += ["%s (%s): %s" % (sub_pointer, keyword, p)
                                 for p in validator.mismatches(sub, sub[keyword], sub_pointer)]
    check(not problems, "every example and default in the document (%d) fits its schema" % count, problems)


# ---------------------------------------------------------------------------------------
# 2. The code's routes against the document's.

def route_checks(document):
    section("the routes of server/api_routes.cpp against the document's paths")
    with open(ROUTES_FILE, encoding="utf-8") as f:
        source = f.read()
    calls = len(re.findall(r"\broutes\.add\(", source))
    found = re.findall(r"\broutes\.add\(\s*\"([A-Z]+)\"\s*,\s*\"([^\"]+)\"", source)
    check(calls > 0 and len(found) == calls,
          "every routes.add call (%d) names its method and path as literals the test can read" % calls,
          ["%d calls, %d read: a route added another way is not compared" % (calls, len(found))])
    in_code = {(method, path) for method, path in found if path.startswith("/api/")}
    in_document = {(method.upper(), path) for path, item in document.get("paths", {}).items()
                   for method in HTTP_METHODS if method in item and method != "head"}
    check(in_code, "the code adds API routes (%d)" % len(in_code))
    missing = sorted(in_code - in_document)
    check(not missing, "every route of the code is in the document",
          ["%s %s is served but not documented" % r for r in missing])
    extra = sorted(in_document - in_code)
    check(not extra, "every operation of the document is a route of the code",
          ["%s %s is documented but not served" % r for r in extra])
    return in_code


# ---------------------------------------------------------------------------------------
# 3. Live responses against the document.

STANDARD_HEADERS = {"cache-control": "no-store", "referrer-policy": "no-referrer", "x-content-type-options": "nosniff"}


def media_base(content_type):
    return content_type.split(";", 1)[0].strip().lower()


def is_json_media(base):
    return base == "application/json" or base.endswith("+json")


class Conformance:
    def __init__(self, validator, document):
        self.validator = validator
        self.document = document
        self.exercised = set()

    def operation(self, method, template):
        return self.document["paths"][template][method.lower()]

    def name(self, method, template):
        return "%s (%s %s)" % (self.operation(method, template).get("operationId"), method, template)

    def documented_response(self, responses, status):
        for key in (str(status), "%dXX" % (status // 100), "default"):
            if key in responses:
                return key, deref(self.validator, responses[key])
        return None, None

    def check_response(self, response, status, headers, data, label):
        """The mismatches of one response against one documented response object."""
        problems = []
        for name, value in STANDARD_HEADERS.items():
            if headers.get(name) != value:
                problems.append("the header %s is %r, the document says every response carries %r"
                                % (name, headers.get(name), value))
        if "frame-ancestors 'none'" not in headers.get("content-security-policy", ""):
            problems.append("no Content-Security-Policy with frame-ancestors 'none'")
        for name, header in response.get("headers", {}).items():
            header = deref(self.validator, header)
            value = headers.get(name.lower())
            if value is None:
                if header.get("required"):
                    problems.append("the required header %s is missing" % name)
                continue
            schema = header.get("schema", {})
            if deref(self.validator, schema).get("type") == "integer" and re.fullmatch(r"-?\d+", value):
                value = int(value)
            problems += ["header %s: %s" % (name, p) for p in self.validator.mismatches(schema, value)]
        content = response.get("content")
        content_type = headers.get("content-type")
        if not content:
            if data or content_type:
                problems.append("the document gives no content, but the response has Content-Type %r and %d bytes"
                                % (content_type, len(data)))
            return problems
        if content_type is None:
            return problems + ["no Content-Type; the document lists %s" % ", ".join(content)]
        base = media_base(content_type)
        matching = [key for key in content if media_base(key) in (base, base.split("/")[0] + "/*", "*/*")]
        if not matching:
            return problems + ["Content-Type %s is not one the document lists for %s: %s"
                               % (content_type, label, ", ".join(content))]
        schema = content[matching[0]].get("schema")
        if is_json_media(base):
            try:
                body = json.loads(data)
            except ValueError as error:
                return problems + ["the body is not JSON, though its Content-Type is %s: %s" % (content_type, error)]
        else:
            try:
                body = data.decode("utf-8")
            except UnicodeDecodeError:
                return problems + ["the %s body is not UTF-8" % content_type]
        if schema is not None:
            problems += self.validator.mismatches(schema, body, label)
        return problems

    def conforms(self, method, template, status, headers, data, what):
        """Checks one response of one operation; True when it conforms."""
        operation = self.operation(method, template)
        name = self.name(method, template)
        self.exercised.add((method, template, status))
        key, response = self.documented_response(operation["responses"], status)
        if response is None:
            return check(False, "%s: %s -> %d is documented" % (name, what, status),
                         ["the operation documents %s" % ", ".join(operation["responses"]),
                          "the body was: %s" % data[:300].decode("utf-8", "replace")])
        label = "%s %s/responses/%s" % (method, template, key)
        problems = self.check_response(response, status, headers, data, label)
        return check(not problems, "%s: %s -> %d %s conforms" % (name, what, status,
                                                                 media_base(headers.get("content-type", "")) or
                                                                 "(no body)"), problems)


class Client:
    """Sends requests to the live server and checks every response against the document."""

    def __init__(self, server, conformance):
        self.server = server
        self.c = conformance

    def call(self, method, template, path, body=None, headers=None, expect=None, what=None):
        """Returns (status, headers, body parsed as JSON when it is JSON, else bytes)."""
        status, got, data = self.server.request(method, path, body, headers, raw=True)
        what = what or path
        if expect is not None:
            check(status == expect, "%s %s gives %d (got %d)" % (method, what, expect, status),
                  [data[:300].decode("utf-8", "replace")])
        self.c.conforms(method, template, status, got, data, what)
        parsed = data
        if is_json_media(media_base(got.get("content-type", ""))):
            try:
                parsed = json.loads(data)
            except ValueError:
                pass
        return status, got, parsed


def raw_request(server, data, timeout=15):
    """Sends raw bytes; returns (status, headers, body) of the reply, read until the server closes."""
    received = raw_exchange(server, data, timeout)
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        body = body[:int(headers["content-length"])]
    return (int(match.group(1)) if match else 0), headers, body


KINDS_QUESTIONNAIRE = r'''
# Every kind of question, for the OpenAPI test: decimal, multi, text with and without a
# maximum, an optional question, a require that sets an answer aside, and an urgent stop.
questionnaire api_kinds { en "Every kind of question" } {
  version "1.0.0"
  source lines { en "A made-up source" }
  question temperature: decimal 34.0..43.0 {
    ask "What is your temperature?"
    unit "°C"
  }
  section more { en "More" } {
    question tried: integer 0..20 { ask "How many have you tried?" }
    question helped: integer 0..20 {
      ask "How many of them helped?"
      require helped <= tried else { en "That is more than the number you tried." }
    }
    question feelings: multi {
      calm { en "Calm" }
      tired { en "Tired" }
      none { en "None of these" }
    } {
      ask "How do you feel?"
    }
    question notes: text max 20 optional { ask "Anything else?" }
    question free: text { ask "Anything at all?" }
    question danger: yesno { ask "Are you in danger?" }
  }
  outcome help_now urgent { en "Get help now" } {
    when danger
    say { en "Call your local emergency number." }
    cite lines
    stop
  }
  referral { en "Talk with a clinician" } {
    say { en "This cannot diagnose anything." }
  }
}
'''

Q = "/api/v1/questionnaires/{questionnaire}"
INTAKE = "/api/v1/intakes/{intake}"
STAFF = "/api/v1/staff/intakes/{intake}"
NO_INTAKE = "0" * 32


def questionnaire_cases(api):
    section("live: questionnaires and the document itself")
    status, _, served = api.call("GET", "/api/v1/openapi.json", "/api/v1/openapi.json", expect=200)
    with open(DOCUMENT_FILE, encoding="utf-8") as f:
        on_disk = json.load(f)
    check(served == on_disk, "the served document is server/openapi.json (rebuild stepcare after editing it)")
    status, _, listing = api.call("GET", "/api/v1/questionnaires", "/api/v1/questionnaires", expect=200)
    ids = sorted(q["id"] for q in listing.get("questionnaires", [])) if isinstance(listing, dict) else []
    check(ids == ["anxiety_check", "api_kinds", "ketamine_trd", "mood_check"], "the questionnaires served: %s" % ids)
    api.call("GET", Q, "/api/v1/questionnaires/ketamine_trd", expect=200)
    api.call("GET", Q, "/api/v1/questionnaires/nope", expect=404)
    api.call("GET", Q + "/fhir", "/api/v1/questionnaires/ketamine_trd/fhir?lang=es", expect=200)
    api.call("GET", Q + "/fhir", "/api/v1/questionnaires/api_kinds/fhir?base-url=https://forms.example.org/fhir",
             expect=200)
    api.call("GET", Q + "/fhir", "/api/v1/questionnaires/nope/fhir", expect=404)
    api.call("GET", Q + "/fhir", "/api/v1/questionnaires/ketamine_trd/fhir?lang=fr", expect=422)


def intake_cases(api):
    """The intake routes on ketamine_trd: every refusal, then the whole intake. Returns its id."""
    section("live: intakes, with every refusal")
    create = "/api/v1/intakes"
    status, headers, intake = api.call("POST", create, create, {"questionnaire": "ketamine_trd"}, expect=201)
    iid = intake["id"]
    check(headers.get("location") == "/api/v1/intakes/" + iid, "201 names the intake in Location")
    for body, code, what in (({}, 400, "{}"), ([1], 400, "[1]"), ("{not json", 400, "malformed JSON"),
                             ({"questionnaire": 5}, 400, "a number for questionnaire"),
                             ({"questionnaire": "nope"}, 422, "an unknown questionnaire"),
                             ({"questionnaire": "ketamine_trd", "language": "fr"}, 422, "an unknown language"),
                             ({"questionnaire": "ketamine_trd", "language": 5}, 422, "a number for language")):
        api.call("POST", create, create, body, {"Content-Type": "application/json"}, expect=code,
                 what="%s with %s" % (create, what))

    path = "/api/v1/intakes/" + iid
    api.call("GET", INTAKE, path, expect=200, what="/api/v1/intakes/ID")
    api.call("GET", INTAKE, "/api/v1/intakes/" + NO_INTAKE, expect=404)
    api.call("GET", INTAKE, "/api/v1/intakes/not-an-id", expect=404)

    answer = INTAKE + "/answer"
    for body, code, what in (({"answer": "maybe"}, 422, "an answer that does not fit"),
                             ({"question": "age", "answer": 40}, 409, "another question's id"),
                             ({"question": "in_danger_now"}, 400, "no answer"),
                             ({"question": 5, "answer": False}, 400, "a number for question"),
                             ("[1]", 400, "an array body"), ("{", 400, "malformed JSON")):
        api.call("POST", answer, path + "/answer", body, {"Content-Type": "application/json"}, expect=code,
                 what="answer with %s" % what)
    api.call("POST", answer, "/api/v1/intakes/%s/answer" % NO_INTAKE, {"answer": True}, expect=404,
             what="answer to an unknown intake")
    skip = INTAKE + "/skip"
    api.call("POST", skip, path + "/skip", {}, expect=422, what="skip of a required question")
    api.call("POST", skip, path + "/skip", {"question": "age"}, expect=409, what="skip of another question")
    api.call("POST", skip, path + "/skip", {"question": 5}, expect=400, what="skip with a number for question")
    api.call("POST", skip, path + "/skip", "[", {"Content-Type": "application/json"}, expect=400,
             what="skip with malformed JSON")
    api.call("POST", skip, "/api/v1/intakes/%s/skip" % NO_INTAKE, expect=404, what="skip of an unknown intake")
    back = INTAKE + "/back"
    api.call("POST", back, path + "/back", expect=409, what="back from the first question")
    api.call("POST", back, path + "/back", "{", {"Content-Type": "application/json"}, expect=400,
             what="back with malformed JSON")
    api.call("POST", back, "/api/v1/intakes/%s/back" % NO_INTAKE, expect=404, what="back of an unknown intake")

    api.call("POST", answer, path + "/answer", {"question": "in_danger_now", "answer": False}, expect=200,
             what="answer in_danger_now=false")
    _, _, state = api.call("POST", back, path + "/back", {}, expect=200, what="back to the first question")
    check(state["question"]["answer"] is False, "after back, the question shows its answer")

    # The whole intake, skipping every optional question.
    skipped = answered = 0
    for _ in range(300):
        question = state["question"]
        if question is None:
            break
        if question["optional"]:
            _, _, state = api.call("POST", skip, path + "/skip", {"question": question["id"]}, expect=200,
                                   what="skip of optional %s" % question["id"])
            skipped += 1
        else:
            _, _, state = api.call("POST", answer, path + "/answer",
                                   {"question": question["id"], "answer": simple_answer(question)}, expect=200,
                                   what="answer %s (%s)" % (question["id"], question["kind"]))
            answered += 1
        if not isinstance(state, dict) or "question" not in state:
            break
    check(isinstance(state, dict) and state.get("status") == "finished",
          "the intake finished (%d answered, %d skipped)" % (answered, skipped))
    check(skipped > 0, "an optional question was skipped on the way")
    api.call("POST", answer, path + "/answer", {"answer": True}, expect=409, what="answer after the end")
    api.call("POST", skip, path + "/skip", expect=409, what="skip after the end")
    api.call("GET", INTAKE, path, expect=200, what="/api/v1/intakes/ID when finished")

    result = INTAKE + "/result"
    api.call("GET", result, path + "/result", expect=200, what="result")
    api.call("GET", result, path + "/result?format=json", expect=200, what="result?format=json")
    _, _, response = api.call("GET", result, path + "/result?format=fhir-r4&base-url=https://forms.example.org/fhir",
                              expect=200, what="result?format=fhir-r4")
    api.call("GET", result, path + "/result?format=xml", expect=400, what="result?format=xml")
    api.call("GET", result, "/api/v1/intakes/%s/result" % NO_INTAKE, expect=404, what="result of an unknown intake")

    # Back from the end, then the last answer again.
    _, _, state = api.call("POST", back, path + "/back", expect=200, what="back from the end")
    question = state["question"]
    if question and not question["optional"]:
        api.call("POST", answer, path + "/answer", {"question": question["id"], "answer": question["answer"]},
                 expect=200, what="the last answer again")
    elif question:
        api.call("POST", skip, path + "/skip", expect=200, what="the last question skipped again")

    # Crisis first, in Spanish: urgent outcomes with their sources.
    _, _, crisis = api.call("POST", create, create, {"questionnaire": "ketamine_trd", "language": "es"},
                            expect=201, what="create in Spanish")
    _, _, state = api.call("POST", answer, "/api/v1/intakes/%s/answer" % crisis["id"],
                           {"question": "in_danger_now", "answer": True}, expect=200, what="a crisis answer")
    check(bool(state.get("urgent")) and state.get("status") == "stopped", "a crisis answer stops with urgent outcomes")
    api.call("POST", back, "/api/v1/intakes/%s/back" % crisis["id"], expect=200, what="back from a stop")
    return iid, response


def kinds_cases(api):
    """api_kinds: decimal, multi, text, an answer set aside, and an urgent stop. Returns its id."""
    section("live: every kind of question, an answer set aside, an urgent stop")
    create = "/api/v1/intakes"
    _, _, state = api.call("POST", create, create, {"questionnaire": "api_kinds"}, expect=201,
                           what="create api_kinds")
    kid = state["id"]
    answer, back, skip = INTAKE + "/answer", INTAKE + "/back", INTAKE + "/skip"
    path = "/api/v1/intakes/" + kid

    def step(question, value, code=200):
        return api.call("POST", answer, path + "/answer", {"question": question, "answer": value}, expect=code,
                        what="answer %s=%s" % (question, short(value)))[2]

    check(state["question"]["kind"] == "decimal" and state["question"]["section"] is None,
          "a decimal question outside any section")
    step("temperature", 50.5, 422)
    step("temperature", 37.5)
    step("tried", 5)
    step("helped", 9, 422)
    step("helped", 3)
    for _ in range(2):
        state = api.call("POST", back, path + "/back", expect=200, what="back")[2]
    state = step("tried", 1)
    check(state["question"]["id"] == "helped" and state["question"]["set_aside"] is not None,
          "a changed earlier answer sets a later one aside (%s)" % short(state["question"]))
    step("helped", 1)
    state = step("feelings", ["calm", "tired"])
    check(state["question"]["kind"] == "text" and state["question"]["max_length"] == 20, "a text question with max")
    step("notes", "x" * 21, 422)
    state = api.call("POST", skip, path + "/skip", {"question": "notes"}, expect=200, what="skip of notes")[2]
    check(state["question"]["max_length"] is None, "a text question without max has max_length null")
    step("free", "anything")
    state = step("danger", True)
    check(state.get("status") == "stopped" and state.get("urgent") and state["urgent"][0].get("sources"),
          "the urgent stop comes with its sources")
    api.call("GET", INTAKE + "/result", path + "/result", expect=200, what="result of a stopped intake")
    return kid


def evaluate_cases(api, response):
    section("live: evaluate")
    evaluate = Q + "/evaluate"
    url = "/api/v1/questionnaires/ketamine_trd/evaluate"
    record = {"id": "rec-1", "answers": {"in_danger_now": False, "age": 40}}
    api.call("POST", evaluate, url, record, expect=200, what="evaluate")
    api.call("POST", evaluate, url, {"id": 7, "answers": None}, expect=200, what="evaluate with a number id")
    api.call("POST", evaluate, url + "?with-answers=true&lang=es", record, expect=200,
             what="evaluate?with-answers=true&lang=es")
    api.call("POST", evaluate, url + "?output-format=fhir-r4", record, expect=200,
             what="evaluate?output-format=fhir-r4")
    api.call("POST", evaluate, url + "?lang=fr", record, expect=422, what="evaluate?lang=fr")
    api.call("POST", evaluate, url + "?input-format=xml", record, expect=400, what="evaluate?input-format=xml")
    api.call("POST", evaluate, url, {"answers": {"age": "old"}}, expect=422, what="evaluate of an invalid record")
    api.call("POST", evaluate, url, "[", expect=422, what="evaluate of a body that is not JSON")
    api.call("POST", evaluate, url + "?output-format=fhir-r4", {"answers": {"age": "old"}}, expect=422,
             what="evaluate?output-format=fhir-r4 of an invalid record")
    api.call("POST", evaluate, "/api/v1/questionnaires/nope/evaluate", record, expect=404,
             what="evaluate of an unknown questionnaire")
    kinds = {"answers": {"temperature": 37.5, "tried": 2, "helped": 1, "feelings": [], "free": "x", "danger": False}}
    api.call("POST", evaluate, "/api/v1/questionnaires/api_kinds/evaluate?with-answers=true", kinds, expect=200,
             what="evaluate api_kinds?with-answers=true")

    fhir = {"Content-Type": "application/fhir+json"}
    # The response was made with this base-url, and names its questionnaire by it.
    url += "?input-format=fhir-r4&base-url=https://forms.example.org/fhir"
    if not isinstance(response, dict) or response.get("resourceType") != "QuestionnaireResponse":
        check(False, "a QuestionnaireResponse from the intake's result to evaluate", [short(response)])
        return
    api.call("POST", evaluate, url, json.dumps(response), fhir, expect=200,
             what="evaluate?input-format=fhir-r4 of a QuestionnaireResponse")
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": response}, {"resource": response}]}
    _, headers, lines = api.call("POST", evaluate, url, json.dumps(bundle), fhir,
                                 expect=200, what="evaluate?input-format=fhir-r4 of a Bundle of two")
    results = [json.loads(line) for line in lines.decode().splitlines()] if isinstance(lines, bytes) else []
    problems = [p for r in results for p in api.c.validator.mismatches(schema_ref("Result"), r)]
    check(len(results) == 2 and not problems, "a Bundle gives one Result a line", problems)
    broken = dict(response, item=[{"linkId": "age", "answer": [{"valueString": "old"}]}])
    bundle["entry"][1] = {"resource": broken}
    api.call("POST", evaluate, url, json.dumps(bundle), fhir, expect=422,
             what="evaluate?input-format=fhir-r4 of a Bundle with an invalid entry")


def staff_cases(api, token, iid, kid):
    section("live: staff routes")
    auth = {"Authorization": "Bearer " + token}
    listing = "/api/v1/staff/intakes"
    api.call("GET", listing, listing, expect=401, what="staff list without a token")
    api.call("GET", listing, listing, headers={"Authorization": "Bearer " + "x" * 40}, expect=401,
             what="staff list with a wrong token")
    _, _, page = api.call("GET", listing, listing, headers=auth, expect=200, what="staff list")
    check(isinstance(page, dict) and {iid, kid} <= {i.get("id") for i in page.get("intakes", [])},
          "the ended intakes are listed")
    api.call("GET", listing, listing + "?status=all&limit=2&offset=1", headers=auth, expect=200,
             what="staff list?status=all&limit=2&offset=1")
    for query in ("limit=0", "limit=abc", "offset=-1", "status=open"):
        api.call("GET", listing, listing + "?" + query, headers=auth, expect=400, what="staff list?" + query)
    api.call("GET", STAFF, "/api/v1/staff/intakes/" + iid, headers=auth, expect=200, what="staff read")
    _, _, read = api.call("GET", STAFF, "/api/v1/staff/intakes/" + kid, headers=auth, expect=200,
                          what="staff read of an intake with changes")
    check(isinstance(read, dict) and read.get("saved", {}).get("changes"), "the saved intake lists its changes")
    api.call("GET", STAFF, "/api/v1/staff/intakes/" + iid, expect=401, what="staff read without a token")
    api.call("GET", STAFF, "/api/v1/staff/intakes/" + NO_INTAKE, headers=auth, expect=404,
             what="staff read of an unknown intake")
    api.call("DELETE", STAFF, "/api/v1/staff/intakes/" + iid, expect=401, what="staff delete without a token")
    api.call("DELETE", STAFF, "/api/v1/staff/intakes/" + iid, headers=auth, expect=204, what="staff delete")
    api.call("DELETE", STAFF, "/api/v1/staff/intakes/" + iid, headers=auth, expect=404, what="staff delete again")
    api.call("DELETE", STAFF, "/api/v1/staff/intakes/not-an-id", headers=auth, expect=404,
             what="staff delete of a malformed id")


def concrete(template, intake_id):
    return template.replace("{questionnaire}", "ketamine_trd").replace("{intake}", intake_id)


def transport_cases(api, server, document, intake_id):
    """Refusals that any route may get: wrong method, unknown route, a malformed target, too
    large headers and too large a body. Each is tried on every operation."""
    section("live: refusals of every route (405, 404, 400, 431, 413)")
    c = api.c
    status, headers, data = server.request("GET", "/api/v1/nothing", raw=True)
    check(status == 404, "an unknown route is 404 (got %d)" % status)
    # An unknown route belongs to no operation; the document describes `no_such_route` here.
    response = deref(c.validator, {"$ref": "#/components/responses/NoSuchIntake"})
    problems = c.check_response(response, status, headers, data, "#/components/responses/NoSuchIntake")
    check(not problems and b"no_such_route" in data,
          "an unknown route conforms to #/components/responses/NoSuchIntake (no_such_route)", problems)
    for path, item in sorted(document["paths"].items()):
        methods = {m.upper() for m in HTTP_METHODS if m in item}
        status, headers, data = server.request("PATCH", concrete(path, intake_id), raw=True)
        for method in sorted(methods):
            c.conforms(method, path, status, headers, data, "PATCH " + path)
        allowed = {m.strip() for m in headers.get("allow", "").split(",") if m.strip()} - {"HEAD"}
        check(status == 405 and allowed == methods, "PATCH %s is 405, and Allow lists the documented methods %s "
              "(got %d, Allow: %s)" % (path, sorted(methods), status, headers.get("allow")))
        for method in sorted(methods):
            target = concrete(path, intake_id)
            body = "{}" if method == "POST" else None
            status, headers, data = server.request(method, target + "?x=%FF", body, raw=True)
            check(status == 400, "%s %s?x=%%FF (not UTF-8) is 400 (got %d)" % (method, path, status))
            c.conforms(method, path, status, headers, data, "%s?x=%%FF" % path)
            status, headers, data = server.request(method, target, body, {"X-Big": "a" * 20000}, raw=True)
            check(status == 431, "%s %s with 20 KB of headers is 431 (got %d)" % (method, path, status))
            c.conforms(method, path, status, headers, data, "20 KB of headers")
            status, headers, data = raw_request(
                server, ("%s %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         "Content-Length: 2097152\r\n\r\n{" % (method, target)).encode())
            check(status == 413, "%s %s announcing a 2 MiB body is 413 (got %d)" % (method, path, status))
            c.conforms(method, path, status, headers, data, "a 2 MiB body")


def staff_off_and_rate_limit(validator, document, work):
    section("live: a server without staff tokens, and its rate limit")
    server = Server(STEPCARE, os.path.join(work, "second"), ["--rate-limit", "1", BUNDLED]).start()
    try:
        api = Client(server, Conformance(validator, document))
        api.call("GET", "/api/v1/staff/intakes", "/api/v1/staff/intakes", expect=403, what="staff list, routes off")
        api.call("GET", STAFF, "/api/v1/staff/intakes/" + NO_INTAKE, expect=403, what="staff read, routes off")
        api.call("DELETE", STAFF, "/api/v1/staff/intakes/" + NO_INTAKE, expect=403, what="staff delete, routes off")
        api.call("POST", "/api/v1/intakes", "/api/v1/intakes", {"questionnaire": "mood_check"}, expect=201,
                 what="the first intake of the minute")
        _, headers, _ = api.call("POST", "/api/v1/intakes", "/api/v1/intakes", {"questionnaire": "mood_check"},
                                 expect=429, what="the second intake of the minute")
        check(headers.get("retry-after") == "60", "429 says Retry-After: 60")
        return api.c.exercised
    finally:
        server.stop()


def changed_questionnaire(validator, document, data, token_file, kinds_file, kid):
    section("live: an intake whose questionnaire changed (409)")
    with open(kinds_file, "a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    server = Server(STEPCARE, data, ["--token-file", token_file, "--rate-limit", "1000", BUNDLED, kinds_file]).start()
    try:
        api = Client(server, Conformance(validator, document))
        path = "/api/v1/intakes/" + kid
        api.call("GET", INTAKE, path, expect=409, what="the intake")
        api.call("POST", INTAKE + "/answer", path + "/answer", {"answer": True}, expect=409, what="answer")
        api.call("POST", INTAKE + "/back", path + "/back", expect=409, what="back")
        api.call("POST", INTAKE + "/skip", path + "/skip", expect=409, what="skip")
        api.call("GET", INTAKE + "/result", path + "/result", expect=409, what="result")
        with open(token_file, encoding="utf-8") as f:
            token = f.read().split()[0]
        api.call("GET", STAFF, "/api/v1/staff/intakes/" + kid, headers={"Authorization": "Bearer " + token},
                 expect=409, what="staff read")
        return api.c.exercised
    finally:
        server.stop()


def live_checks(validator, document, work):
    token = "s" * 20 + "t" * 20
    token_file = os.path.join(work, "tokens")
    with open(token_file, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    kinds_file = os.path.join(work, "api-kinds.sq")
    with open(kinds_file, "w", encoding="utf-8") as f:
        f.write(KINDS_QUESTIONNAIRE)
    data = os.path.join(work, "data")
    args = ["--token-file", token_file, "--rate-limit", "1000", BUNDLED, kinds_file]
    server = Server(STEPCARE, data, args).start()
    exercised = set()
    try:
        api = Client(server, Conformance(validator, document))
        questionnaire_cases(api)
        iid, response = intake_cases(api)
        kid = kinds_cases(api)
        evaluate_cases(api, response)
        transport_cases(api, server, document, kid)
        staff_cases(api, token, iid, kid)
        exercised |= api.c.exercised
    finally:
        code = server.stop()
    check(code == 0, "the server stops with status 0 on SIGTERM (got %s)" % code)
    exercised |= staff_off_and_rate_limit(validator, document, work)
    exercised |= changed_questionnaire(validator, document, data, token_file, kinds_file, kid)

    section("coverage")
    unexercised = []
    for path, item in sorted(document["paths"].items()):
        for method in HTTP_METHODS:
            if method in item:
                codes = sorted(item[method]["responses"])
                done = {str(s) for m, p, s in exercised if m == method.upper() and p == path}
                unexercised += ["%s %s: %s" % (method.upper(), path, ", ".join(c for c in codes if c not in done))]
    print("documented statuses not caused here (too costly to cause: storage faults, crashes, 1000 connections):")
    for line in unexercised:
        print("        " + line)


def main():
    started = time.time()
    with open(DOCUMENT_FILE, encoding="utf-8") as f:
        document = json.load(f)
    validator = Validator(document)
    self_check(validator)
    structure_checks(validator, document)
    route_checks(document)
    work = tempfile.mkdtemp(prefix="stepcare-openapi-")
    try:
        live_checks(validator, document, work)
    except Exception:  # a response so far off that a later step could not use it
        check(False, "the live checks ran to the end", traceback.format_exc().splitlines())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n%d checks passed, %d failed, in %.1f s" % (passed, len(failures), time.time() - started))
    if failures:
        print("FAILED:")
        for what in failures:
            print("  " + what)
        sys.exit(1)
    print("the OpenAPI document matches the routes and every response")


if __name__ == "__main__":
    main()
