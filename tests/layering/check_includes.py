#!/usr/bin/env python3
"""Fails on an #include that runs against the engine's layering (docs/architecture.md).

Inside engine/, each folder may include its own headers, those of the folders below it
and the public headers (stepcare/...):

    foundation < source < diagnostics < ast < parse < check < compile < evaluate < prove < render < fhir < pipeline

The C API (engine/capi/) and the public headers use only public headers. Every client
(cli/, and any other folder beside it that links the engine) includes only public headers
and its own files; cli/ may also include server/'s and lsp/'s, since the program runs both.

Usage: check_includes.py ROOT   (the project's root; prints each wrong include and exits 1)
"""
import pathlib
import re
import sys

LAYERS = ["foundation", "source", "diagnostics", "ast", "parse", "format", "check", "compile", "evaluate", "prove", "render", "fhir", "pipeline"]
PUBLIC_ONLY = {"capi", "include"}
CLIENTS = ["cli", "server", "lsp", "python", "editors"]
# Clients that host another: the `stepcare` program runs the server (`stepcare serve`) and the
# language server (`stepcare lsp`).
HOSTED = {"cli": ["server", "lsp"]}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
SOURCES = ("*.cpp", "*.hpp", "*.h", "*.c")


def files(folder):
    for pattern in SOURCES:
        yield from sorted(folder.rglob(pattern))


def includes(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    for match in INCLUDE.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group(1)


def allowed_in_engine(folder):
    if folder in PUBLIC_ONLY:
        return "only public headers (stepcare/...)", set()
    rank = LAYERS.index(folder)
    below = LAYERS[: rank + 1]
    return "only " + ", ".join(f + "/" for f in below) + " and public headers", set(below)


def check(root):
    problems = []
    engine = root / "engine"
    for path in files(engine):
        relative = path.relative_to(engine)
        folder = relative.parts[0]
        if folder not in LAYERS and folder not in PUBLIC_ONLY:
            problems.append(f"{path.relative_to(root)}: engine/{folder}/ is not a known layer; add it to "
                            f"tests/layering/check_includes.py and docs/architecture.md")
            continue
        words, allowed = allowed_in_engine(folder)
        for line, target in includes(path):
            first = target.split("/")[0]
            if first == "stepcare" or first in allowed:
                continue
            problems.append(f"{path.relative_to(root)}:{line}: includes \"{target}\", but engine/{folder}/ may "
                            f"include {words}; move the shared part down or reach it through the public API")
    for client in CLIENTS:
        top = root / client
        if not top.is_dir():
            continue
        for path in files(top):
            for line, target in includes(path):
                if target.startswith("stepcare/"):
                    continue
                # The client's own files, relative to the including file or to the client's root.
                if (path.parent / target).is_file() or (top / target).is_file():
                    continue
                if any((root / hosted / target).is_file() for hosted in HOSTED.get(client, [])):
                    continue
                problems.append(f"{path.relative_to(root)}:{line}: includes \"{target}\", an engine internal; "
                                f"{client}/ may include only public headers (stepcare/...) and its own files")
    return problems


def main():
    if len(sys.argv) != 2:
        print("usage: check_includes.py ROOT", file=sys.stderr)
        return 2
    problems = check(pathlib.Path(sys.argv[1]))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} include(s) against the layering (docs/architecture.md, 'Layers')")
        return 1
    print("every include runs downward")
    return 0


if __name__ == "__main__":
    sys.exit(main())
