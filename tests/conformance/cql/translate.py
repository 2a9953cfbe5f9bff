#!/usr/bin/env python3
"""Translate published CQL test suites into Stepcare questionnaires.

Every CQL case whose expression the language can state becomes one `let` and one `test`
in OUT_DIR/<suite>.sq; every other case is listed with its reason in OUT_DIR/SKIPPED.md.
A CQL null is an optional question that no test answers.

    translate.py SUITES_DIR OUT_DIR

SUITES_DIR holds the five suite files of cqframework/cql-tests (its tests/cql/ folder,
or a folder of the files taken each at its own commit); they are not kept in this
repository. Each file must have the SHA-256 that SOURCE.md records for it, or nothing is
written. Prints the number of tests written.
"""

import argparse
import hashlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_RECORD = HERE / "SOURCE.md"
NAMESPACE = "{http://hl7.org/fhirpath/tests}"

# (published file, generated file stem, questionnaire title)
SUITES = [
    ("CqlLogicalOperatorsTest.xml", "cql_logical_operators", "CQL logical operators"),
    ("CqlNullologicalOperatorsTest.xml", "cql_nullological_operators", "CQL nullological operators"),
    ("CqlConditionalOperatorsTest.xml", "cql_conditional_operators", "CQL conditional operators"),
    ("CqlArithmeticFunctionsTest.xml", "cql_arithmetic_functions", "CQL arithmetic functions"),
    ("CqlComparisonOperatorsTest.xml", "cql_comparison_operators", "CQL comparison operators"),
]

# Cases where this language answers differently from CQL on purpose. Each is still run,
# expecting this language's answer; docs/language.md explains each one.
# (file, case) -> (this language's answer, why)
DIVERGENCES = {
    ("CqlConditionalOperatorsTest.xml", "IfNull1"): (
        "null",
        "`if` with an unknown condition is unknown here; CQL treats a null condition as "
        "false and takes the else branch",
    ),
    ("CqlArithmeticFunctionsTest.xml", "Subtract2And11D"): (
        "0.8999999999999999",
        "numbers are binary floating point here, so 2 - 1.1 is 0.8999999999999999; "
        "CQL's Decimal is exact and gives 0.9",
    ),
}

# Cases this language should answer as CQL does but the engine does not. They are kept
# out of the generated files until the engine is fixed. (file, case) -> what goes wrong
ENGINE_BUGS = {}

RESERVED_WORDS = set(
    "questionnaire version languages source description options section question choice "
    "multi yesno integer decimal text optional when ask help unit require let outcome "
    "urgent caution guidance info say cite stop referral test given expect invariant and "
    "or not implies in has if then else yes no true false".split()
)

# The optional questions that stand for a CQL null, one per type of this language.
NULL_QUESTIONS = {
    "bool": ("null_bool", "yesno optional"),
    "number": ("null_number", "decimal -1000000..1000000 optional"),
    "text": ("null_text", "text optional"),
}
ANSWERED_QUESTION_TYPES = {
    "bool": "yesno optional",
    "number": "decimal -1000000..1000000 optional",
    "text": "text optional",
}
CQL_NULL_TYPES = {"Boolean": "bool", "Integer": "number", "Decimal": "number", "String": "text"}
LARGEST_LITERAL = 10**15  # docs/language.md, "Numbers"

DATE_TIME_FUNCTIONS = {"DateTime", "Date", "Time", "Today", "Now", "TimeOfDay"}
OPERATORS_THE_LANGUAGE_LACKS = {
    "mod": "`mod` (remainder)",
    "div": "`div` (truncated division)",
    "^": "`^` (power)",
    "~": "`~` (equivalence)",
    "between": "`between`",
    "predecessor": "`predecessor of`",
    "successor": "`successor of`",
    "minimum": "`minimum` of a type",
    "maximum": "`maximum` of a type",
    "case": "`case`",
    "same": "`same ... as`",
}
SKIP_REASONS = {
    "date-time": "date and time values: the language has none",
    "quantity": "quantities (a number with a unit): the language has plain numbers only",
    "long": "Long integers (the L suffix): the language has one number type",
    "tuple": "tuples: the language has none",
    "list": "lists: the language has none",
    "function": "a function the language does not have",
    "operator": "an operator the language does not have",
    "text-order": "ordering of text: `<`, `<=`, `>`, `>=` compare numbers only",
    "error": "CQL expects an evaluation error, which the language has no counterpart for",
    "engine-bug": "engine bug, see issue note",
}


class Unsupported(Exception):
    def __init__(self, reason, detail=""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


# ---- reading CQL expressions -------------------------------------------------------

TOKEN = re.compile(
    r"""\s*(?:
      (?P<date>@\S+)
    | (?P<number>\d+(?:\.\d+)?)(?P<long>L)?(?P<unit>\s*'[^']*')?
    | (?P<text>'(?:[^'\\]|\\.)*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<symbol><=|>=|!=|<>|[-=<>+*/^~(),{}:\[\]])
    )""",
    re.VERBOSE,
)


def tokenize(expression):
    tokens = []
    position = 0
    expression = expression.strip()
    while position < len(expression):
        match = TOKEN.match(expression, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read CQL expression {expression!r} at {position}")
        position = match.end()
        if match["date"]:
            raise Unsupported("date-time")
        if match["number"]:
            if match["unit"]:
                raise Unsupported("quantity")
            if match["long"]:
                raise Unsupported("long")
            tokens.append(("number", match["number"]))
        elif match["text"]:
            tokens.append(("text", match["text"][1:-1]))
        elif match["name"]:
            tokens.append(("name", match["name"]))
        else:
            tokens.append(("symbol", match["symbol"]))
    return tokens


def check_types_the_language_lacks(tokens):
    """Report the missing kind of value before any missing operator or function, since
    it is the deeper reason a case cannot be stated."""
    words = {value for kind, value in tokens if kind == "name"}
    if words & DATE_TIME_FUNCTIONS:
        raise Unsupported("date-time")
    if "Tuple" in words:
        raise Unsupported("tuple")
    if ("symbol", "{") in tokens:
        raise Unsupported("list")


@dataclass
class Null:
    type: str = None


@dataclass
class Literal:
    type: str
    text: str


@dataclass
class Negate:
    operand: object


@dataclass
class Not:
    operand: object


@dataclass
class Binary:
    operator: str
    left: object
    right: object


@dataclass
class If:
    condition: object
    then: object
    otherwise: object


@dataclass
class Call:
    function: str
    arguments: list = field(default_factory=list)


class Parser:
    """The part of CQL's grammar that the five suites use, with CQL's precedence."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.position = 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.position += 1
        return token

    def accept(self, *values):
        kind, value = self.peek()
        if kind in ("name", "symbol") and value in values:
            self.position += 1
            return value
        return None

    def expect(self, value):
        if not self.accept(value):
            raise ValueError(f"expected {value!r}, found {self.peek()!r}")

    def parse(self):
        tree = self.implies()
        if self.position != len(self.tokens):
            raise ValueError(f"unexpected {self.peek()!r}")
        return tree

    def implies(self):
        tree = self.or_xor()
        while self.accept("implies"):
            tree = Binary("implies", tree, self.or_xor())
        return tree

    def or_xor(self):
        tree = self.and_()
        while operator := self.accept("or", "xor"):
            tree = Binary(operator, tree, self.and_())
        return tree

    def and_(self):
        tree = self.not_()
        while self.accept("and"):
            tree = Binary("and", tree, self.not_())
        return tree

    def not_(self):
        if self.accept("not"):
            return Not(self.not_())
        return self.comparison()

    def comparison(self):
        tree = self.additive()
        if operator := self.accept("=", "!=", "<>", "<", "<=", ">", ">="):
            return Binary(operator, tree, self.additive())
        self.refuse_missing_operator()
        return tree

    def additive(self):
        tree = self.multiplicative()
        while operator := self.accept("+", "-"):
            tree = Binary(operator, tree, self.multiplicative())
        return tree

    def multiplicative(self):
        tree = self.unary()
        while operator := self.accept("*", "/"):
            tree = Binary(operator, tree, self.unary())
        self.refuse_missing_operator()
        return tree

    def unary(self):
        self.refuse_missing_operator()
        if self.accept("-"):
            return Negate(self.unary())
        tree = self.primary()
        self.refuse_missing_operator()
        if self.accept("as"):
            _, type_name = self.take()
            if not isinstance(tree, Null) or type_name not in CQL_NULL_TYPES:
                raise ValueError(f"unexpected conversion to {type_name}")
            tree = Null(CQL_NULL_TYPES[type_name])
        return tree

    def refuse_missing_operator(self):
        kind, value = self.peek()
        if kind in ("name", "symbol") and value in OPERATORS_THE_LANGUAGE_LACKS:
            raise Unsupported("operator", OPERATORS_THE_LANGUAGE_LACKS[value])

    def primary(self):
        kind, value = self.take()
        if kind == "number":
            if float(value) > LARGEST_LITERAL:
                raise ValueError(f"number {value} is beyond the language's literals")
            return Literal("number", value)
        if kind == "text":
            return Literal("text", value)
        if (kind, value) == ("symbol", "("):
            tree = self.implies()
            self.expect(")")
            return tree
        if kind != "name":
            raise ValueError(f"unexpected {value!r}")
        if value in ("true", "false"):
            return Literal("bool", value)
        if value == "null":
            return Null()
        if value == "if":
            condition = self.implies()
            self.expect("then")
            then = self.implies()
            self.expect("else")
            return If(condition, then, self.implies())
        if value in OPERATORS_THE_LANGUAGE_LACKS:
            raise Unsupported("operator", OPERATORS_THE_LANGUAGE_LACKS[value])
        if self.accept("("):
            if value not in ("Coalesce", "IsNull", "IsTrue", "IsFalse"):
                raise Unsupported("function", f"`{value}`")
            arguments = [] if self.accept(")") else self.arguments()
            return Call(value, arguments)
        raise ValueError(f"unknown name {value!r}")

    def arguments(self):
        arguments = [self.implies()]
        while self.accept(","):
            arguments.append(self.implies())
        self.expect(")")
        return arguments


# ---- types: a CQL null takes the type its place demands -----------------------------

def settle(node, wanted=None):
    """Give every untyped null the type its place demands; return the node's type."""
    if isinstance(node, Null):
        if node.type is None:
            node.type = wanted
        return node.type
    if isinstance(node, Literal):
        return node.type
    if isinstance(node, Negate):
        settle(node.operand, "number")
        return "number"
    if isinstance(node, Not):
        settle(node.operand, "bool")
        return "bool"
    if isinstance(node, If):
        settle(node.condition, "bool")
        return settle_alike([node.then, node.otherwise], wanted)
    if isinstance(node, Call):
        if node.function == "Coalesce":
            return settle_alike(node.arguments, wanted)
        # IsTrue and IsFalse take a Boolean; for IsNull of a bare null any type would do.
        settle(node.arguments[0], "bool")
        return "bool"
    if node.operator in ("and", "or", "xor", "implies"):
        settle(node.left, "bool")
        settle(node.right, "bool")
        return "bool"
    if node.operator in ("+", "-", "*", "/"):
        settle(node.left, "number")
        settle(node.right, "number")
        return "number"
    compared = settle_alike([node.left, node.right], None)
    if compared is None:
        raise ValueError("a comparison of two untyped nulls")
    if node.operator in ("<", "<=", ">", ">=") and compared != "number":
        if compared == "text":
            raise Unsupported("text-order")
        raise ValueError(f"ordering of {compared} values")
    return "bool"


def settle_alike(nodes, wanted):
    """Operands that must share a type: the first one that has a type decides."""
    found = wanted
    for node in nodes:
        found = found or settle(node, None)
    for node in nodes:
        if settle(node, found) != found:
            raise ValueError("operands of different types")
    return found


# ---- writing the language -----------------------------------------------------------

def text_literal(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Case:
    suite: str
    group: str
    name: str
    expression: str
    output: str
    let_name: str = ""
    translation: str = ""
    type: str = ""
    given: list = field(default_factory=list)  # (question, type, value)
    divergence: tuple = None


class Writer:
    """Turns a settled CQL tree into an expression of the language, with the questions
    it needs."""

    def __init__(self, case):
        self.case = case
        self.null_types = set()

    def operand(self, node):
        text, simple = self.write(node)
        return text if simple else f"({text})"

    def write(self, node):
        """Return (text, whether it can stand as an operand without parentheses)."""
        if isinstance(node, Null):
            self.null_types.add(node.type)
            return NULL_QUESTIONS[node.type][0], True
        if isinstance(node, Literal):
            if node.type == "text":
                return text_literal(node.text), True
            return node.text, True
        if isinstance(node, Negate):
            return "-" + self.operand(node.operand), False
        if isinstance(node, Not):
            return "not " + self.operand(node.operand), False
        if isinstance(node, If):
            return (f"if {self.operand(node.condition)} then {self.operand(node.then)} "
                    f"else {self.operand(node.otherwise)}"), False
        if isinstance(node, Call):
            return self.call(node), False
        left, right = self.operand(node.left), self.operand(node.right)
        if node.operator == "xor":
            # CQL defines xor as true when exactly one side is true; the language has no
            # xor, so it is written out with Kleene's and, or and not.
            return f"({left} or {right}) and not ({left} and {right})", False
        operator = {"=": "==", "<>": "!="}.get(node.operator, node.operator)
        return f"{left} {operator} {right}", False

    def call(self, node):
        arguments = node.arguments
        if node.function == "Coalesce":
            if len(arguments) < 2:
                raise ValueError("Coalesce of fewer than two values")
            return " ?? ".join(self.operand(argument) for argument in arguments)
        if node.function == "IsTrue":
            return f"{self.operand(arguments[0])} ?? false"
        if node.function == "IsFalse":
            return f"not ({self.operand(arguments[0])} ?? true)"
        # IsNull: `answered` takes a question, so a literal becomes a question that the
        # case's test answers with that literal.
        argument = arguments[0]
        if isinstance(argument, Null):
            self.null_types.add(argument.type)
            return f"not answered({NULL_QUESTIONS[argument.type][0]})"
        if not isinstance(argument, Literal):
            raise ValueError("IsNull of a computed value")
        question = f"answer_for_{self.case.let_name}"
        value = text_literal(argument.text) if argument.type == "text" else argument.text
        self.case.given.append((question, argument.type, value))
        return f"not answered({question})"


def snake_case(name):
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])",
                   "_", name)
    words = re.sub(r"[^A-Za-z0-9_]+", "_", words).strip("_").lower()
    return words if words[:1].isalpha() and words not in RESERVED_WORDS else f"case_{words}"


def output_value(text):
    """A CQL output as (type, value written in the language); type None for null."""
    text = " ".join(text.split())
    if text in ("true", "false"):
        return "bool", text
    if text == "null":
        return None, None
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return "number", text
    if re.fullmatch(r"'[^'\\]*'", text):
        return "text", text_literal(text[1:-1])
    raise ValueError(f"output {text!r} has no counterpart in the language")


def expectation(let_name, type_, value):
    """The expect line for a let of the given type: equal to value, or unknown if None."""
    if value is not None:
        return f"expect {let_name} == {value}"
    # Unknown exactly when both of two different fallbacks show through.
    first, second = {"bool": ("true", "false"), "number": ("1", "2"),
                     "text": ('"a"', '"b"')}[type_]
    return (f"expect ({let_name} ?? {first}) == {first} and "
            f"({let_name} ?? {second}) == {second}")


def translate_case(case):
    """Fill in the case's translation, or raise Unsupported."""
    if (case.suite, case.name) in ENGINE_BUGS:
        raise Unsupported("engine-bug", ENGINE_BUGS[(case.suite, case.name)])
    tokens = tokenize(case.expression)
    check_types_the_language_lacks(tokens)
    tree = Parser(tokens).parse()
    if case.output is None:
        raise Unsupported("error")
    expected_type, _ = output_value(case.output)
    case.type = settle(tree, expected_type)
    if case.type is None:
        raise ValueError("an expression of no known type")
    if expected_type not in (None, case.type):
        raise ValueError(f"expression of type {case.type}, output of type {expected_type}")
    writer = Writer(case)
    case.translation, _ = writer.write(tree)
    return writer.null_types


def recorded_sources():
    """SOURCE.md's table: file name -> (commit, SHA-256)."""
    row = re.compile(r"^\| `([^`]+\.xml)` \| `[^`]+` \| `([0-9a-f]{40})` \| `([0-9a-f]{64})` \|$")
    sources = {}
    for line in SOURCE_RECORD.read_text(encoding="utf-8").splitlines():
        match = row.match(line)
        if match:
            sources[match.group(1)] = (match.group(2), match.group(3))
    return sources


def check_suites(suites_dir):
    """Refuses unless every suite file is there with the SHA-256 recorded in SOURCE.md."""
    sources = recorded_sources()
    problems = []
    for file_name, _, _ in SUITES:
        if file_name not in sources:
            problems.append(f"{file_name}: no row for it in {SOURCE_RECORD.name}")
            continue
        commit, expected = sources[file_name]
        path = suites_dir / file_name
        if not path.is_file():
            problems.append(f"{file_name}: not found in {suites_dir} "
                            f"(take it from cqframework/cql-tests at commit {commit})")
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != expected:
            problems.append(f"{file_name}: SHA-256 is {actual}, {SOURCE_RECORD.name} records "
                            f"{expected}; this is not the file at commit {commit}, and another "
                            f"version would give other cases. Take it with: git -C CQL_TESTS "
                            f"cat-file blob {commit}:tests/cql/{file_name}")
    if problems:
        raise SystemExit("refusing to translate:\n  " + "\n  ".join(problems))


def read_suite(suites_dir, file_name):
    root = ElementTree.parse(suites_dir / file_name).getroot()
    for group in root.findall(f"{NAMESPACE}group"):
        for test in group.findall(f"{NAMESPACE}test"):
            expression = test.find(f"{NAMESPACE}expression")
            outputs = test.findall(f"{NAMESPACE}output")
            if len(outputs) > 1:
                raise ValueError(f"{test.get('name')}: more than one output")
            invalid = expression.get("invalid") not in (None, "false")
            yield Case(
                suite=file_name,
                group=group.get("name"),
                name=test.get("name"),
                expression=" ".join(expression.text.split()),
                output=None if invalid or not outputs else outputs[0].text,
            )


def questionnaire(stem, title, file_name, cases, null_types):
    lines = [
        f"# Generated by tests/conformance/cql/translate.py from {file_name}",
        "# (cqframework/cql-tests, not kept here; see SOURCE.md). Do not edit: change the",
        "# translator and re-run it. Each CQL case is one let and one test. A CQL null is an",
        "# optional question that no test answers; a let is expected unknown by giving it two",
        "# different fallbacks with ?? and expecting both to show through.",
        f'questionnaire {stem} "{title}, translated from the published CQL tests" {{',
        '  version "1"',
        "",
    ]
    for type_ in ("bool", "number", "text"):
        if type_ in null_types:
            name, declaration = NULL_QUESTIONS[type_]
            lines.append(f'  question {name}: {declaration} {{ ask "Never answered: a CQL null." }}')
    for case in cases:
        for question, type_, _ in case.given:
            lines.append(f"  question {question}: {ANSWERED_QUESTION_TYPES[type_]} "
                         f'{{ ask "Answered only in the test of {case.name}." }}')
    lines += [
        "",
        '  referral "Not a screening questionnaire: it checks the engine against CQL\'s tests." { }',
    ]
    for case in cases:
        _, answer = output_value(case.output)
        lines.append("")
        lines.append(f"  # {case.group}: {case.name}: {case.expression} -> {case.output}")
        if case.divergence:
            _, answer = output_value(case.divergence[0])
            lines.append(f"  # divergent: CQL gives {case.output}, this language "
                         f"{language_answer(case.divergence[0])}: "
                         f"{case.divergence[1]}")
        lines.append(f"  let {case.let_name} = {case.translation}")
        label = f"{case.group}: {case.name}" + (" (divergent from CQL)" if case.divergence else "")
        given = "  ".join(f"{question} = {value}" for question, _, value in case.given)
        lines.append(f"  test {text_literal(label)} {{")
        lines.append(f"    given {{ {given} }}" if given else "    given { }")
        lines.append(f"    {expectation(case.let_name, case.type, answer)}")
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def language_answer(output):
    """An answer as this language would name it: a CQL null is unknown here."""
    return "unknown" if output == "null" else output


def markdown_cell(text):
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def skipped_report(all_cases, translated, skipped):
    divergent = [case for case in translated if case.divergence]
    by_reason = Counter(reason for _, reason, _ in skipped)
    lines = [
        "# CQL cases that are not run",
        "",
        "Generated by `translate.py`; do not edit. The run, the divergences and how to",
        "re-run are described in docs/language.md, \"Conformance with CQL's published tests\".",
        "",
        f"Of {len(all_cases)} cases in the suites, {len(translated)} are translated and run "
        f"({len(divergent)} of them expecting this language's deliberately different answer) "
        f"and {len(skipped)} are skipped.",
        "",
        "| Why skipped | Cases |",
        "|---|---|",
    ]
    lines += [f"| {SKIP_REASONS[reason]} | {count} |"
              for reason, count in sorted(by_reason.items(), key=lambda item: (-item[1], item[0]))]
    lines += ["", "## Divergent cases (run, expecting this language's answer)", "",
              "| Suite | Case | CQL expression | CQL | Here | Why |", "|---|---|---|---|---|---|"]
    lines += [f"| {case.suite} | {case.name} | {markdown_cell(case.expression)} | "
              f"{markdown_cell(case.output)} | {language_answer(case.divergence[0])} | "
              f"{case.divergence[1]} |" for case in divergent]
    for file_name, _, _ in SUITES:
        lines += ["", f"## {file_name}", ""]
        suite_skipped = [entry for entry in skipped if entry[0].suite == file_name]
        if not suite_skipped:
            lines.append("Every case is run.")
            continue
        lines += ["| Group | Case | CQL expression | Why skipped |", "|---|---|---|---|"]
        for case, reason, detail in suite_skipped:
            why = SKIP_REASONS[reason] + (f": {detail}" if detail else "")
            lines.append(f"| {case.group} | {case.name} | {markdown_cell(case.expression)} | "
                         f"{why} |")
    return "\n".join(lines) + "\n"


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("suites_dir", type=Path, metavar="SUITES_DIR",
                           help="folder holding the suite files of cqframework/cql-tests")
    arguments.add_argument("out", type=Path, metavar="OUT_DIR",
                           help="folder to write the questionnaires and SKIPPED.md into")
    arguments.add_argument("--stepcare", type=Path, metavar="STEPCARE",
                           help="the stepcare program, to put the files in the canonical layout "
                                "of 'stepcare fmt' as the repository keeps them")
    parsed = arguments.parse_args()
    check_suites(parsed.suites_dir)
    out = parsed.out
    out.mkdir(parents=True, exist_ok=True)

    all_cases, translated, skipped = [], [], []
    unused_divergences = set(DIVERGENCES)
    for file_name, stem, title in SUITES:
        suite_cases, null_types, let_names = [], set(), set()
        for case in read_suite(parsed.suites_dir, file_name):
            all_cases.append(case)
            case.let_name = snake_case(case.name)
            if case.let_name in let_names:
                raise ValueError(f"{file_name}: two cases named {case.let_name}")
            let_names.add(case.let_name)
            try:
                null_types |= translate_case(case)
            except Unsupported as reason:
                skipped.append((case, reason.reason, reason.detail))
                continue
            except ValueError as error:
                raise SystemExit(f"{file_name}, {case.name}: {error}")
            case.divergence = DIVERGENCES.get((file_name, case.name))
            unused_divergences.discard((file_name, case.name))
            suite_cases.append(case)
        translated += suite_cases
        (out / f"{stem}.sq").write_text(
            questionnaire(stem, title, file_name, suite_cases, null_types), encoding="utf-8")
    if unused_divergences:
        raise SystemExit(f"divergences for cases that are not translated: {unused_divergences}")
    (out / "SKIPPED.md").write_text(skipped_report(all_cases, translated, skipped),
                                    encoding="utf-8")
    if parsed.stepcare:
        subprocess.run([str(parsed.stepcare), "fmt", str(out)], check=True, capture_output=True)
    print(len(translated))


if __name__ == "__main__":
    sys.exit(main())
