#!/usr/bin/env bash
# Figures of `stepcare serve` (bench/README.md, "Web intake and API"): durable steps per
# second and their latency over the JSON API with 1, 4, 16 and 64 connections, and the
# server's memory over a million steps. Every request is a POST that changes an intake:
# wrk (bench/serve_answer.lua) answers the question an intake is at (its first, or with
# POSITION=last its last), then goes back to it, alternately, cycling over INTAKES intakes
# created beforehand through the API. Both the
# answer and the back are committed to SQLite (WAL, synchronous=FULL, group commit) before
# their response is sent, so both count as "steps". wrk runs on the same machine as the
# server and takes CPU from it; its CPU time is printed with the server's.
#
# Usage: bench/serve_bench.sh [WORK_DIR]     (default /tmp/serve-bench; its data is replaced)
#   STEPCARE=PATH          a Release stepcare to use; otherwise one is built in BUILD_DIR
#   BUILD_DIR=DIR          default /tmp/build-bench (Release, about ten minutes on 2 cores)
#   CONNECTIONS="1 4 16 64"  DURATION=30 (seconds per run)  INTAKES=2000
#   MEMORY_STEPS=1000000   steps of the memory run, in chunks of MEMORY_CHUNK=60 seconds
#   MEMORY_CONNECTIONS=64  FSYNC_SECONDS=10 (counting the server's syncs with perf; 0: off)
#   POSITION=first        or last: the intakes are answered to their last question (48
#                          answers saved) and wrk answers that one and goes back to it
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/serve-bench}
build=${BUILD_DIR:-/tmp/build-bench}
connections=${CONNECTIONS:-1 4 16 64}
duration=${DURATION:-30}
intakes=${INTAKES:-2000}
memory_steps=${MEMORY_STEPS:-1000000}
memory_chunk=${MEMORY_CHUNK:-60}
memory_connections=${MEMORY_CONNECTIONS:-64}
fsync_seconds=${FSYNC_SECONDS:-10}
position=${POSITION:-first}
questionnaire=$here/../questionnaires/ketamine-trd.sq
mkdir -p "$work"

if ! command -v wrk > /dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi
if [ -z "${STEPCARE:-}" ]; then
  cmake -S "$here/.." -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTEPCARE_BUILD_TESTS=OFF \
        -DCMAKE_CXX_FLAGS=-Wno-error=restrict > /dev/null
  cmake --build "$build" --target stepcare -j2
  STEPCARE=$build/cli/stepcare
fi

server_pid=
sampler_pid=
cleanup() {
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2> /dev/null || true; fi
  if [ -n "$server_pid" ]; then
    # SIGTERM lets requests in flight finish (up to 10 s); SIGKILL if it is still there at 15 s.
    kill "$server_pid" 2> /dev/null || true
    for _ in $(seq 150); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE  # so that the server is stopped then too

# The server, on a fresh data folder; its access log goes to a file, as it would in use.
rm -rf "$work/data"
"$STEPCARE" serve "$questionnaire" --listen 127.0.0.1:0 --data "$work/data" --rate-limit 1000000 \
  > "$work/stdout.txt" 2> "$work/access.log" &
server_pid=$!
for _ in $(seq 300); do grep -q serving "$work/stdout.txt" 2> /dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/stdout.txt") || {
  echo "serve_bench.sh: the server did not start within 30 s; its output:" >&2
  cat "$work/stdout.txt" "$work/access.log" >&2
  exit 1
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# The intakes, each at its first question, or with POSITION=last at its last one (the
# questions before it answered as tests/serve/crash_test.py answers them: false, the first
# option, a "none" option, the minimum, age 40). step.txt gets the question that every
# intake is at and the answer that the wrk script gives it.
python3 - "$url" "$intakes" "$position" "$work/step.txt" > "$work/intakes.txt" <<'PYTHON'
import http.client, json, sys, threading, urllib.parse
url, count, position, step_file = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
local = threading.local()
def call(method, path, body=None):
    if not hasattr(local, "connection"):
        local.connection = http.client.HTTPConnection(url.hostname, url.port)
    local.connection.request(method, path, json.dumps(body) if body is not None else None,
                             {"Content-Type": "application/json"})
    response = local.connection.getresponse()
    return response.status, json.loads(response.read())
def value(question):
    kind = question["kind"]
    if kind == "yesno": return False
    if kind == "choice": return question["options"][0]["id"]
    if kind == "multi":
        return [o["id"] for o in question["options"] if "none" in o["id"]][:1] or [question["options"][0]["id"]]
    if kind in ("integer", "decimal"): return 40 if question["id"] == "age" else question["min"]
    return "x"
def prepare(slot, ids, steps):
    for i in range(slot, count, 8):
        status, state = call("POST", "/api/v1/intakes", {"questionnaire": "ketamine_trd"})
        assert status == 201, state
        if position == "last":
            while state["question"] is not None:
                question = state["question"]
                status, state = call("POST", "/api/v1/intakes/%s/answer" % state["id"],
                                     {"question": question["id"], "answer": value(question)})
                assert status == 200, state
            status, state = call("POST", "/api/v1/intakes/%s/back" % state["id"], {})
            assert status == 200, state
        ids[i] = state["id"]
        steps.add((state["question"]["id"], json.dumps(value(state["question"]), separators=(",", ":"))))
ids, steps = [None] * count, set()
threads = [threading.Thread(target=prepare, args=(slot, ids, steps)) for slot in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
assert None not in ids and len(steps) == 1, steps
print("\n".join(ids))
with open(step_file, "w") as f:
    f.write("%s %s\n" % steps.pop())
PYTHON
read -r step_question step_answer < "$work/step.txt"
rss_created=$(rss_kb)

# Puts every intake back at its question: a wrk run stops wherever it is, leaving some
# intakes one step ahead, and the next run's script starts each intake with an answer. (An
# intake put out of step by a failed request may also be behind: it is answered forward.)
reset_intakes() {
  sleep 0.5  # the requests that wrk left behind finish
  python3 - "$url" "$work/intakes.txt" "$step_question" <<'PYTHON'
import http.client, json, sys, urllib.parse
url, question = urllib.parse.urlsplit(sys.argv[1]), sys.argv[3]
connection = http.client.HTTPConnection(url.hostname, url.port)
def call(method, path, body):
    connection.request(method, path, json.dumps(body) if body is not None else None,
                       {"Content-Type": "application/json"})
    response = connection.getresponse()
    return response.status, json.loads(response.read())
def value(question):
    kind = question["kind"]
    if kind == "yesno": return False
    if kind == "choice": return question["options"][0]["id"]
    if kind == "multi":
        return [o["id"] for o in question["options"] if "none" in o["id"]][:1] or [question["options"][0]["id"]]
    if kind in ("integer", "decimal"): return 40 if question["id"] == "age" else question["min"]
    return "x"
for id in open(sys.argv[2]).read().split():
    status, state = call("GET", "/api/v1/intakes/" + id, None)
    for _ in range(200):
        if status != 200 or (state["question"] is not None and state["question"]["id"] == question):
            break
        if state["question"] is None or question == "in_danger_now":
            status, state = call("POST", "/api/v1/intakes/%s/back" % id, {})
        else:
            status, state = call("POST", "/api/v1/intakes/%s/answer" % id,
                                 {"question": state["question"]["id"], "answer": value(state["question"])})
    assert status == 200 and state["question"] and state["question"]["id"] == question, state
PYTHON
}

# result NAME FILE: a figure of the RESULT line that serve_answer.lua's done() prints.
result() { grep '^RESULT ' "$2" | tr ' ' '\n' | sed -n "s/^$1=\([0-9]*\)$/\1/p"; }

# run_wrk CONNECTIONS SECONDS: one wrk run; sets requests, rate, p50, p90, p99, bad
# (non-2xx and socket errors), server_cpu and wrk_cpu (percent of one core).
run_wrk() {
  local c=$1 seconds=$2 threads=2
  if [ "$c" -lt 2 ]; then threads=1; fi
  local ticks_before; ticks_before=$(cpu_ticks)
  /usr/bin/time -f "%U %S" -o "$work/wrk-time.txt" \
    wrk -t"$threads" -c"$c" -d"${seconds}s" --latency -s "$here/serve_answer.lua" "$url" \
      -- "$work/intakes.txt" "$threads" "$step_question" "$step_answer" > "$work/wrk-out.txt"
  local ticks_after; ticks_after=$(cpu_ticks)
  local duration_us
  requests=$(result requests "$work/wrk-out.txt") duration_us=$(result duration_us "$work/wrk-out.txt")
  bad=$(($(result status_errors "$work/wrk-out.txt") + $(result connect_errors "$work/wrk-out.txt") +
         $(result read_errors "$work/wrk-out.txt") + $(result write_errors "$work/wrk-out.txt") +
         $(result timeouts "$work/wrk-out.txt")))
  rate=$(awk -v n="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", n / (d / 1e6) }')
  p50=$(awk -v v="$(result p50_us "$work/wrk-out.txt")" 'BEGIN { printf "%.2f ms", v / 1000 }')
  p90=$(awk -v v="$(result p90_us "$work/wrk-out.txt")" 'BEGIN { printf "%.2f ms", v / 1000 }')
  p99=$(awk -v v="$(result p99_us "$work/wrk-out.txt")" 'BEGIN { printf "%.2f ms", v / 1000 }')
  server_cpu=$(awk -v t="$((ticks_after - ticks_before))" -v hz="$ticks_per_second" -v d="$duration_us" \
    'BEGIN { printf "%.0f%%", 100 * t / hz / (d / 1e6) }')
  wrk_cpu=$(awk -v d="$duration_us" '{ printf "%.0f%%", 100 * ($1 + $2) / (d / 1e6) }' "$work/wrk-time.txt")
  reset_intakes
}

echo "stepcare: $STEPCARE"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
echo "intakes: $intakes, created through the API, each at question $step_question (answered with $step_answer);" \
  "server RSS after creating them: $((rss_created / 1024)) MB"
echo

run_wrk 16 5  # warm-up, not printed

echo "| connections | wrk threads | steps/s | p50 | p90 | p99 | non-2xx or errors | server CPU | wrk CPU |"
echo "|---|---|---|---|---|---|---|---|---|"
for c in $connections; do
  run_wrk "$c" "$duration"
  threads=2; if [ "$c" -lt 2 ]; then threads=1; fi
  echo "| $c | $threads | $rate | $p50 | $p90 | $p99 | $bad of $requests | $server_cpu | $wrk_cpu |"
done
echo

# How many commits the steps took: the server's fsync and fdatasync calls, counted by perf
# over a run with the most connections (optional: perf needs tracepoint access).
if [ "$fsync_seconds" != 0 ] && command -v perf > /dev/null &&
   perf stat -e syscalls:sys_enter_fdatasync -- true > /dev/null 2>&1; then
  last=${connections##* }
  threads=2; if [ "$last" -lt 2 ]; then threads=1; fi
  wrk -t"$threads" -c"$last" -d"$((fsync_seconds + 4))s" -s "$here/serve_answer.lua" "$url" \
    -- "$work/intakes.txt" "$threads" "$step_question" "$step_answer" > "$work/wrk-fsync.txt" &
  wrk_pid=$!
  sleep 2
  lines_before=$(wc -l < "$work/access.log")
  perf stat -x, -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync -p "$server_pid" \
    -- sleep "$fsync_seconds" 2> "$work/perf.txt"
  lines_after=$(wc -l < "$work/access.log")
  wait "$wrk_pid"
  reset_intakes
  syncs=$(awk -F, '{ n += $1 } END { print n }' "$work/perf.txt")
  fsync_errors=$(result status_errors "$work/wrk-fsync.txt")
  steps=$((lines_after - lines_before))
  echo "syncs with $last connections over ${fsync_seconds} s: $steps steps, $syncs fsync/fdatasync calls" \
    "($(awk -v s="$steps" -v n="$syncs" 'BEGIN { printf "%.1f", n ? s / n : 0 }') steps per sync," \
    "$(awk -v n="$syncs" -v d="$fsync_seconds" 'BEGIN { printf "%.0f", n / d }') syncs/s;" \
    "${fsync_errors:-?} non-2xx in that wrk run)"
  echo
fi

# Memory over a million steps: RSS sampled every 10 s while wrk runs in chunks.
( while kill -0 "$server_pid" 2> /dev/null; do
    echo "$(date +%s) $(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")"
    sleep 10
  done ) > "$work/rss.txt" &
sampler_pid=$!
rss_before=$(rss_kb)
total=0 chunk=0
echo "memory run: $memory_connections connections, chunks of $memory_chunk s, until $memory_steps steps"
echo
echo "| chunk | steps so far | steps/s | p50 | p99 | non-2xx or errors | server CPU | RSS after |"
echo "|---|---|---|---|---|---|---|---|"
while [ "$total" -lt "$memory_steps" ]; do
  chunk=$((chunk + 1))
  run_wrk "$memory_connections" "$memory_chunk"
  total=$((total + requests - bad))
  echo "| $chunk | $total | $rate | $p50 | $p99 | $bad of $requests | $server_cpu | $(($(rss_kb) / 1024)) MB |"
done
rss_after=$(rss_kb)
kill "$sampler_pid" 2> /dev/null || true
sampler_pid=
echo
awk -v created="$rss_created" -v before="$rss_before" -v after="$rss_after" '
  { n++; if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 }
  END { printf "RSS: %.1f MB after creating the intakes, %.1f MB before the memory run, %.1f MB after it;" \
               " %d samples every 10 s from %.1f to %.1f MB\n",
               created / 1024, before / 1024, after / 1024, n, min / 1024, max / 1024 }' "$work/rss.txt"
echo "database: $(du -ch "$work"/data/stepcare.db* | tail -1 | cut -f1) ($(ls "$work/data" | tr '\n' ' '))"
