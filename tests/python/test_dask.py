"""Evaluation on a real distributed engine: a Dask LocalCluster of 2 worker processes reads
200,000 generated records as a bag and evaluates its partitions through the Python binding,
and through the `stepcare eval` pipe; the output must be byte for byte that of one
`stepcare eval` run, also when a worker process is killed in the middle of the run."""

import os
import pathlib
import signal
import time

import pytest

from conftest import REFERENCE, dumps, random_records

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
import dask.bag  # noqa: E402

RECORDS = 200_000
PARTITIONS = 40


@pytest.fixture(scope="module")
def records_file(tmp_path_factory, reference):
    """The records as JSON Lines, in PARTITIONS files that the bag reads in order."""
    folder = tmp_path_factory.mktemp("records")
    # 2,000 distinct records drawn from the questionnaire's questions, repeated with their own ids.
    base = random_records(reference, 2000, seed=23)
    per_file = RECORDS // PARTITIONS
    for part in range(PARTITIONS):
        lines = []
        for n in range(part * per_file, (part + 1) * per_file):
            lines.append(dumps({"id": n, "answers": base[n % len(base)]["answers"]}) + "\n")
        (folder / f"part-{part:03}.jsonl").write_text("".join(lines), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def expected(records_file, program):
    """One `stepcare eval` run over every record, in order."""
    import subprocess
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(records_file.glob("part-*.jsonl")))
    run = subprocess.run([program, "eval", str(REFERENCE)], input=text, capture_output=True, text=True, check=True)
    lines = run.stdout.splitlines()
    assert len(lines) == RECORDS
    return lines


@pytest.fixture(scope="module")
def client():
    here = str(pathlib.Path(__file__).resolve().parent)
    os.environ["PYTHONPATH"] = here + os.pathsep + os.environ.get("PYTHONPATH", "")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def bag_of(records_file):
    return dask.bag.read_text(str(records_file / "part-*.jsonl"))


def test_dask_through_the_binding_equals_one_eval_run(client, records_file, expected):
    import dask_partitions
    bag = bag_of(records_file).map_partitions(dask_partitions.evaluate_partition, str(REFERENCE))
    assert bag.npartitions == PARTITIONS
    assert bag.compute() == expected


def test_dask_through_the_eval_pipe_equals_one_eval_run(client, records_file, expected, program):
    import dask_partitions
    bag = bag_of(records_file).map_partitions(dask_partitions.eval_partition, program, str(REFERENCE))
    assert bag.compute() == expected


def test_a_worker_killed_mid_run_changes_nothing(client, records_file, expected):
    import dask_partitions
    before = client.run(os.getpid)
    bag = bag_of(records_file).map_partitions(dask_partitions.evaluate_partition, str(REFERENCE))
    future = client.compute(bag)
    # Kill one worker once some partitions are done, so that work in hand and results held
    # in its memory are lost.
    deadline = time.time() + 120
    while time.time() < deadline and sum(len(keys) for keys in client.has_what().values()) < 3:
        time.sleep(0.01)
    assert not future.done(), "the run ended before a worker could be killed; give it more records"
    victim = sorted(before.values())[0]
    os.kill(victim, signal.SIGKILL)
    assert future.result(timeout=600) == expected
    after = client.run(os.getpid)
    assert victim not in after.values() and len(after) == 2  # the nanny started a new worker
