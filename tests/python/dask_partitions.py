"""The partition functions of the Dask test (test_dask.py), in a module of their own so that
the cluster's worker processes import them by name (the test puts this folder on their
PYTHONPATH). They are the recipes of docs/scaling.md."""

import functools
import subprocess

import stepcare


@functools.lru_cache(maxsize=None)
def questionnaire(path):
    """Compiled once per worker process, not once per partition."""
    return stepcare.compile(path)


def evaluate_partition(lines, path):
    """A partition of JSON Lines in, its result lines out, through the Python binding."""
    return [result.to_json() for result in questionnaire(path).evaluate_many(lines)]


def eval_partition(lines, program, path):
    """The same through the `stepcare eval` pipe."""
    text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
    # One evaluating thread, as the binding uses: the workers already take a core each.
    run = subprocess.run([program, "eval", path, "--jobs", "1"], input=text, capture_output=True, text=True,
                         check=True)
    return run.stdout.splitlines()
