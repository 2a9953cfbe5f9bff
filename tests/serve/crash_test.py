#!/usr/bin/env python3
"""`stepcare serve` killed with SIGKILL under load loses no acknowledged answer.

Usage: crash_test.py STEPCARE ROUNDS

Each round, eight client threads create intakes of `ketamine_trd` and answer them (with a
`back` now and then) over kept-alive connections, recording for every intake the state
that the server acknowledged (HTTP 200 or 201 received): its answers, its history, its
position and its revision, and the one step in flight, if any. After a random 0.2 to 2 s
the server is killed with SIGKILL while requests are in flight. A copy of the database
files as the kill left them must pass `PRAGMA integrity_check`. The server is started
again on the same data folder, and every intake acknowledged so far, in this round or an
earlier one, is read back:

- GET /api/v1/intakes/{id} answers 200 (never 500 or 409);
- its revision is the acknowledged one, or one more when the step in flight committed
  without its response reaching the client;
- the staff route's saved answers and history are those of the acknowledged state (or of
  that state with the step in flight applied, for the revision after it), and the saved
  position is the question the server now asks;
- the intake goes on: its current question is answered once more, with 200.

The rounds share the data folder, so intakes accumulate, and clients also take up
unfinished intakes of earlier rounds. Prints a summary; exits with 1 on any violation.
CRASH_TEST_SEED=N repeats a run's random choices (the timing of the kills is the machine's).
"""
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server_process import Server, simple_answer  # noqa: E402

QUESTIONNAIRE = "ketamine_trd"
CLIENTS = 8
BACK_CHANCE = 0.08     # of a step being `back` when the intake can go back
RESUME_CHANCE = 0.25   # of a client taking up an unfinished intake instead of creating one
TIMEOUT = 20           # seconds a request may take before the test calls it a failure

violations = []
violations_lock = threading.Lock()


def violation(text):
    with violations_lock:
        violations.append(text)
        if len(violations) <= 30:
            print("VIOLATION:", text, flush=True)


class Intake:
    """What the clients know of one intake: its state as last acknowledged by the server."""

    def __init__(self, state):
        self.id = state["id"]
        self.answers = {}
        self.history = []
        self.revision = state["revision"]
        self.question = state["question"]  # the current question, None once the intake is over
        self.can_go_back = state["can_go_back"]
        self.pending = None                 # the step sent and not acknowledged: ("answer", q, v) or ("back",)
        self.claimed = True                 # a client works on it (guarded by the pool's lock)

    def expected_after(self, step):
        """Answers and history once `step` is applied to the acknowledged state."""
        answers, history = dict(self.answers), list(self.history)
        if step[0] == "answer":
            answers[step[1]] = step[2]
            history.append(step[1])
        elif history:
            history.pop()
        return answers, history

    def acknowledge(self, step, state):
        self.answers, self.history = self.expected_after(step)
        self.adopt(state)

    def adopt(self, state):
        self.revision = state["revision"]
        self.question = state["question"]
        self.can_go_back = state["can_go_back"]
        self.pending = None

    def position(self):
        return self.question["id"] if self.question else None


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.created = 0
        self.answers = 0
        self.backs = 0
        self.resumed = 0
        self.answers_checked = 0
        self.in_flight_committed = 0
        self.in_flight_lost = 0
        self.continued = 0

    def add(self, **counts):
        with self.lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)


class Client:
    """One kept-alive connection; reconnects after a refused or broken one."""

    def __init__(self, server):
        self.server = server
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """(status, JSON body); raises OSError or http.client.HTTPException on a broken exchange."""
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=TIMEOUT)
        sent = dict(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body)
            sent["Content-Type"] = "application/json"
        try:
            self.connection.request(method, path, body=data, headers=sent)
            response = self.connection.getresponse()
            raw = response.read()
        except BaseException:
            self.close()
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw.decode("utf-8", "replace")

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class Load:
    """The clients of one round, until the server dies under them."""

    def __init__(self, server, pool, pool_lock, tally, rng_seed):
        self.server = server
        self.pool = pool
        self.pool_lock = pool_lock
        self.tally = tally
        self.killed = threading.Event()
        self.seed = rng_seed

    def broken(self, error, what):
        """A broken exchange: expected once the server is killed, a violation before."""
        if not self.killed.is_set():
            violation("%s failed before the kill: %r" % (what, error))
        return False

    def claim(self, rng):
        with self.pool_lock:
            if rng.random() < RESUME_CHANCE:
                open_ones = [i for i in self.pool.values() if not i.claimed and i.question is not None]
                if open_ones:
                    intake = rng.choice(open_ones)
                    intake.claimed = True
                    self.tally.add(resumed=1)
                    return intake
        return None

    def release(self, intake):
        with self.pool_lock:
            intake.claimed = False

    def client(self, number):
        rng = random.Random(self.seed * 1000 + number)
        client = Client(self.server)
        try:
            while not self.killed.is_set():
                intake = self.claim(rng)
                if intake is None:
                    intake = self.create(client)
                    if intake is None:
                        return
                keep_going = self.walk(client, intake, rng)
                self.release(intake)
                if not keep_going:
                    return
        finally:
            client.close()

    def create(self, client):
        try:
            status, state = client.request("POST", "/api/v1/intakes", {"questionnaire": QUESTIONNAIRE})
        except (OSError, http.client.HTTPException) as error:
            return self.broken(error, "creating an intake") or None
        if status != 201:
            violation("creating an intake gave %s: %s" % (status, state))
            return None
        intake = Intake(state)
        if intake.revision != 0 or intake.question is None:
            violation("a new intake has revision %s and question %s" % (intake.revision, intake.question))
        with self.pool_lock:
            self.pool[intake.id] = intake
        self.tally.add(created=1)
        return intake

    def walk(self, client, intake, rng):
        """Steps through the intake until it ends; False once the server is gone."""
        while intake.question is not None:
            if intake.can_go_back and rng.random() < BACK_CHANCE:
                step = ("back",)
                path, body = "/api/v1/intakes/%s/back" % intake.id, None
            else:
                value = simple_answer(intake.question)
                step = ("answer", intake.question["id"], value)
                path = "/api/v1/intakes/%s/answer" % intake.id
                body = {"question": step[1], "answer": value}
            intake.pending = step
            try:
                status, state = client.request("POST", path, body)
            except (OSError, http.client.HTTPException) as error:
                return self.broken(error, "step %r of intake %s" % (step, intake.id))
            if status != 200:
                violation("step %r of intake %s gave %s: %s" % (step, intake.id, status, state))
                return False
            if state["revision"] != intake.revision + 1:
                violation("step %r of intake %s went from revision %d to %d" %
                          (step, intake.id, intake.revision, state["revision"]))
            intake.acknowledge(step, state)
            self.tally.add(**{"answers" if step[0] == "answer" else "backs": 1})
        return True


def integrity_check(data, scratch):
    """PRAGMA integrity_check on a copy of the database files as the kill left them, so that
    the server's own start does the recovery of the files themselves."""
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    for suffix in ("", "-wal", "-shm"):
        source = os.path.join(data, "stepcare.db" + suffix)
        if os.path.exists(source):
            shutil.copyfile(source, os.path.join(scratch, "stepcare.db" + suffix))
    db = sqlite3.connect(os.path.join(scratch, "stepcare.db"))
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
        count = db.execute("SELECT count(*) FROM intakes").fetchone()[0]
    finally:
        db.close()
    if rows != [("ok",)]:
        violation("integrity_check after the kill: %r" % rows[:10])
    return count


def verify(server, intake, token, tally):
    """Reads one intake back after a restart, compares, and takes one more step."""
    client = Client(server)
    try:
        status, state = client.request("GET", "/api/v1/intakes/" + intake.id)
        if status != 200:
            violation("GET intake %s after the restart gave %s: %s" % (intake.id, status, state))
            return
        status, staff = client.request("GET", "/api/v1/staff/intakes/" + intake.id,
                                       headers={"Authorization": "Bearer " + token})
        if status != 200:
            violation("the staff read of intake %s gave %s: %s" % (intake.id, status, staff))
            return
        saved = staff["saved"]
        revision = state["revision"]
        if revision == intake.revision:
            answers, history = intake.answers, intake.history
            if intake.pending is not None:
                tally.add(in_flight_lost=1)
            if state["question"] != intake.question:
                violation("intake %s at revision %d asks %s, and asked %s when acknowledged" %
                          (intake.id, revision, state["question"] and state["question"]["id"], intake.position()))
        elif revision == intake.revision + 1 and intake.pending is not None:
            answers, history = intake.expected_after(intake.pending)
            tally.add(in_flight_committed=1)
        else:
            violation("intake %s has revision %d; the last acknowledged was %d%s" %
                      (intake.id, revision, intake.revision,
                       " with one step in flight" if intake.pending else " with none in flight"))
            return
        tally.add(answers_checked=len(intake.answers))
        if saved.get("answers") != answers:
            violation("intake %s at revision %d saved answers %s, expected %s" %
                      (intake.id, revision, saved.get("answers"), answers))
        if saved.get("history") != history:
            violation("intake %s at revision %d saved history %s, expected %s" %
                      (intake.id, revision, saved.get("history"), history))
        position = state["question"]["id"] if state["question"] else None
        if saved.get("position") != position:
            violation("intake %s saved position %s but asks %s" % (intake.id, saved.get("position"), position))
        if (state["status"] == "in_progress") != (state["question"] is not None):
            violation("intake %s is %s with question %s" % (intake.id, state["status"], position))
        intake.answers, intake.history = answers, history
        intake.adopt(state)

        # The intake goes on.
        if intake.question is not None:
            value = simple_answer(intake.question)
            step = ("answer", intake.question["id"], value)
            status, after = client.request("POST", "/api/v1/intakes/%s/answer" % intake.id,
                                           {"question": step[1], "answer": value})
            if status != 200 or after["revision"] != revision + 1:
                violation("intake %s did not go on after the restart: %s %s" % (intake.id, status, after))
                return
            intake.acknowledge(step, after)
            tally.add(continued=1)
    except (OSError, http.client.HTTPException) as error:
        violation("reading intake %s after the restart failed: %r" % (intake.id, error))
    finally:
        client.close()


def main():
    stepcare, rounds = sys.argv[1], int(sys.argv[2])
    seed = int(os.environ.get("CRASH_TEST_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    work = tempfile.mkdtemp(prefix="stepcare-crash-")
    token = secrets.token_hex(20)  # 40 characters
    token_file = os.path.join(work, "tokens")
    with open(token_file, "w") as f:
        f.write(token + "\n")
    data = os.path.join(work, "data")
    server = Server(stepcare, data, ["--rate-limit", "100000", "--token-file", token_file])
    pool, pool_lock, tally = {}, threading.Lock(), Tally()
    started = time.monotonic()
    rounds_done = 0
    print("seed %d, %d rounds, %d clients, data in %s" % (seed, rounds, CLIENTS, data), flush=True)
    server.start()
    try:
        for round_number in range(1, rounds + 1):
            round_started = time.monotonic()
            load = Load(server, pool, pool_lock, tally, seed + round_number)
            threads = [threading.Thread(target=load.client, args=(n,)) for n in range(CLIENTS)]
            for thread in threads:
                thread.start()
            time.sleep(rng.uniform(0.2, 2.0))
            load.killed.set()
            server.stop(signal.SIGKILL)
            if server.process.returncode != -signal.SIGKILL:
                violation("the server ended with %s before the kill" % server.process.returncode)
            for thread in threads:
                thread.join(TIMEOUT + 10)
                if thread.is_alive():
                    violation("a client did not notice the kill")
            steps_so_far = tally.answers + tally.backs
            in_flight = sum(1 for i in pool.values() if i.pending is not None)
            rows = integrity_check(data, os.path.join(work, "copy"))

            server.start()
            before = (tally.in_flight_committed, tally.in_flight_lost)
            with ThreadPoolExecutor(CLIENTS) as executor:
                for intake in list(pool.values()):
                    executor.submit(verify, server, intake, token, tally)
            for intake in pool.values():
                intake.claimed = False
            print("round %d: %.2f s, %d intakes (%d rows), %d steps acknowledged so far, %d in flight at the kill: "
                  "%d committed, %d not" %
                  (round_number, time.monotonic() - round_started, len(pool), rows, steps_so_far, in_flight,
                   tally.in_flight_committed - before[0], tally.in_flight_lost - before[1]), flush=True)
            rounds_done = round_number
            if violations:
                break
    finally:
        try:
            code = server.stop()
        except subprocess.TimeoutExpired:
            server.stop(signal.SIGKILL)
            code = "none: it was still running 30 s after SIGTERM, and was killed"
    if code not in (0, None) and not violations:
        violation("the server ended with status %s on SIGTERM" % code)
    log = server.access_log()
    errors = [line for line in log.splitlines() if " 500 " in line or " 503 " in line]
    if errors:
        violation("%d responses were 500 or 503, first: %s" % (len(errors), errors[0]))
    finished = sum(1 for i in pool.values() if i.question is None)
    print("summary: %d rounds in %.1f s; %d intakes (%d finished, %d taken up again in a later round); "
          "%d steps acknowledged under load (%d answers, %d backs); %d acknowledged answers checked after "
          "restarts; in-flight steps at the kills: %d found committed, %d not; %d intakes went on after a restart" %
          (rounds, time.monotonic() - started, len(pool), finished, tally.resumed, tally.answers + tally.backs,
           tally.answers, tally.backs, tally.answers_checked, tally.in_flight_committed, tally.in_flight_lost,
           tally.continued))
    if violations:
        print("%d violations (seed %d); data kept in %s" % (len(violations), seed, work))
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("no acknowledged answer was lost")


if __name__ == "__main__":
    main()
