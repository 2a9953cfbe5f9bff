#!/usr/bin/env python3
"""Figures of the Python package and of Dask (bench/README.md, "Python and Dask").

    python3 bench/python_bench.py BUILD_DIR WORK_DIR [RUNS [PARTS]]

BUILD_DIR is a Release build configured with -DSTEPCARE_PYTHON=ON (the targets stepcare,
stepcare_python and generate_records); WORK_DIR holds the generated records (about 1.4 GB,
kept between runs). Run it with the interpreter the package was built for.

1. `stepcare eval` and `Questionnaire.evaluate_many` on the same million records
   (generate_records --seed 1), with 1 and 2 jobs, each writing its result lines to
   /dev/null: records per second, and the package's share of eval's; the package reading
   the file opened in binary mode (split into lines by the engine) and in text mode (a str
   per line).
2. The start-up cost of a partition: `stepcare.compile` of the reference questionnaire
   (parse, check, compile and its 66 tests) in a process that has compiled it before, and
   the first compile of a fresh process.
3. Dask: a LocalCluster of 1, then 2, worker processes (one thread each) evaluating the
   first 400,000 records in 20 partitions, with each recipe of docs/scaling.md (through the
   binding, and through the `stepcare eval` pipe); the wall time of the whole computation
   (cluster start-up aside) and the speed-up.

PARTS picks some of them, comma-separated: batch, compile, dask (default: all three).
"""
import os
import pathlib
import statistics
import subprocess
import sys
import time

BUILD = pathlib.Path(sys.argv[1]).resolve()
WORK = pathlib.Path(sys.argv[2]).resolve()
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
PARTS = sys.argv[4].split(",") if len(sys.argv) > 4 else ["batch", "compile", "dask"]
ROOT = pathlib.Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "questionnaires" / "ketamine-trd.sq"
PROGRAM = BUILD / "cli" / "stepcare"
sys.path.insert(0, str(BUILD / "python"))
sys.path.insert(0, str(ROOT / "tests" / "python"))
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(BUILD / "python"), str(ROOT / "tests" / "python")]))

import stepcare  # noqa: E402

# Records from a file opened in binary mode (read and split into lines by the engine) or in
# text mode (a str per line, as from any iterable of lines); results written as bytes, as a
# data pipeline writes JSON Lines.
PYTHON_EVAL = """
import sys, stepcare
q = stepcare.compile(sys.argv[1])
binary = sys.argv[4] == "binary"
with open(sys.argv[2], "rb" if binary else "r", encoding=None if binary else "utf-8") as records, \\
        open("/dev/null", "wb") as out:
    for result in q.evaluate_many(records, jobs=int(sys.argv[3])):
        out.write(result.to_json_bytes())
        out.write(b"\\n")
"""


def wall(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def batch_figures(records_path, count):
    print(f"## evaluate_many and stepcare eval, {count:,} records\n")
    print("| jobs | run | eval s | eval records/s | binary file s | records/s | share | text file s | records/s | share |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for jobs in (1, 2):
        for run in range(1, RUNS + 1):
            eval_s = wall([PROGRAM, "eval", REFERENCE, "--input", records_path, "--output", "/dev/null", "--jobs", str(jobs)])
            row = f"| {jobs} | {run} | {eval_s:.2f} | {count / eval_s:,.0f} |"
            for mode in ("binary", "text"):
                python_s = wall([sys.executable, "-c", PYTHON_EVAL, REFERENCE, records_path, str(jobs), mode])
                row += f" {python_s:.2f} | {count / python_s:,.0f} | {eval_s / python_s:.0%} |"
            print(row, flush=True)


def compile_figures():
    print("\n## The start-up cost of a partition: stepcare.compile(ketamine-trd.sq)\n")
    times = []
    for _ in range(20):
        start = time.perf_counter()
        stepcare.compile(REFERENCE)
        times.append((time.perf_counter() - start) * 1000)
    first = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", "import sys, time, stepcare; t = time.perf_counter(); "
                              "stepcare.compile(sys.argv[1]); print((time.perf_counter() - t) * 1000)", REFERENCE],
                             check=True, env=ENV, capture_output=True, text=True)
        first.append(float(out.stdout))
    print(f"again in one process: median {statistics.median(times):.1f} ms, max {max(times):.1f} ms (20 runs)")
    print(f"first in a fresh process: median {statistics.median(first):.1f} ms, max {max(first):.1f} ms (5 runs)")


def dask_figures(records_path):
    print("\n## Dask LocalCluster, 400,000 records in 20 partitions\n")
    import dask.bag  # noqa: E402
    import distributed  # noqa: E402

    import dask_partitions  # noqa: E402

    PART = WORK / "dask"
    if not (PART / "part-19.jsonl").exists():
        PART.mkdir(exist_ok=True)
        with open(records_path, encoding="utf-8") as records:
            for part in range(20):
                with open(PART / f"part-{part:02}.jsonl", "w", encoding="utf-8") as out:
                    for _ in range(20000):
                        out.write(next(records))


    def binding_bytes(lines, path):
        return [sum(len(line) + 1 for line in dask_partitions.evaluate_partition(lines, path))]

    def pipe_bytes(lines, path):
        return [sum(len(line) + 1 for line in dask_partitions.eval_partition(lines, str(PROGRAM), path))]

    print("| recipe | workers | run | s | records/s |")
    print("|---|---|---|---|---|")
    seconds = {}
    for workers in (1, 2):
        os.environ["PYTHONPATH"] = ENV["PYTHONPATH"]
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            client.run(lambda: dask_partitions.questionnaire(str(REFERENCE)) and None)  # compiled before the clock starts
            for recipe, partition_bytes in (("binding", binding_bytes), ("pipe", pipe_bytes)):
                for run in range(1, RUNS + 1):
                    bag = dask.bag.read_text(str(PART / "part-*.jsonl")).map_partitions(partition_bytes, str(REFERENCE))
                    start = time.perf_counter()
                    total = bag.sum().compute()
                    elapsed = time.perf_counter() - start
                    seconds.setdefault((recipe, workers), []).append(elapsed)
                    print(f"| {recipe} | {workers} | {run} | {elapsed:.2f} | {400000 / elapsed:,.0f} |", flush=True)
    for recipe in ("binding", "pipe"):
        speed_up = statistics.median(seconds[(recipe, 1)]) / statistics.median(seconds[(recipe, 2)])
        print(f"\n{recipe}: speed-up of 2 workers over 1 (medians): {speed_up:.2f}")
    print(f"(result bytes of the last run: {total:,})")


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    RECORDS = WORK / "records-1m.jsonl"
    if not RECORDS.exists():
        with open(RECORDS, "wb") as out:
            subprocess.run([BUILD / "bench" / "generate_records", "--records", "1000000", "--seed", "1"], stdout=out,
                           check=True)
    COUNT = sum(1 for line in open(RECORDS, "rb") if line.strip(b" \t\r\n"))

    if "batch" in PARTS:
        batch_figures(RECORDS, COUNT)
    if "compile" in PARTS:
        compile_figures()
    if "dask" in PARTS:
        dask_figures(RECORDS)


if __name__ == "__main__":
    main()
