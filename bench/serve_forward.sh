#!/usr/bin/env bash
# Answers per second of `stepcare serve` with intakes answered forward, as people answer
# them (bench/README.md, "Web intake and API"): wrk with bench/serve_forward.lua, every
# request an answer committed before its response. Each run gets fresh intakes, created
# through the API beforehand, since each run answers them to their end.
#
# Usage: STEPCARE=PATH bench/serve_forward.sh [WORK_DIR]   (a Release stepcare; see serve_bench.sh)
#   CONNECTIONS="4 16 64"  DURATION=30  INTAKES_PER_RUN=8000
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/serve-forward}
connections=${CONNECTIONS:-4 16 64}
duration=${DURATION:-30}
per_run=${INTAKES_PER_RUN:-8000}
: "${STEPCARE:?give a Release stepcare: STEPCARE=PATH (bench/serve_bench.sh builds one)}"
mkdir -p "$work"
rm -rf "$work/data"
"$STEPCARE" serve "$here/../questionnaires/ketamine-trd.sq" --listen 127.0.0.1:0 --data "$work/data" \
  --rate-limit 1000000 > "$work/stdout.txt" 2> "$work/access.log" &
server_pid=$!
trap 'kill "$server_pid" 2> /dev/null || true; wait "$server_pid" 2> /dev/null || true' EXIT
for _ in $(seq 300); do grep -q serving "$work/stdout.txt" 2> /dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.]*:[0-9]*' "$work/stdout.txt")

create_intakes() {
  python3 - "$url" "$per_run" > "$work/intakes.txt" <<'PYTHON'
import http.client, json, sys, threading, urllib.parse
url, count = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2])
ids = [None] * count
def create(slot):
    connection = http.client.HTTPConnection(url.hostname, url.port)
    for i in range(slot, count, 4):
        connection.request("POST", "/api/v1/intakes", json.dumps({"questionnaire": "ketamine_trd"}),
                           {"Content-Type": "application/json"})
        response = connection.getresponse()
        ids[i] = json.loads(response.read())["id"]
        assert response.status == 201
threads = [threading.Thread(target=create, args=(slot,)) for slot in range(4)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print("\n".join(ids))
PYTHON
}

value() { grep '^RESULT ' "$work/wrk-out.txt" | tr ' ' '\n' | sed -n "s/^$1=\([0-9]*\)$/\1/p"; }
echo "| connections | answers/s | p50 | p90 | p99 | non-2xx or errors |"
echo "|---|---|---|---|---|---|"
for c in $connections; do
  create_intakes
  sleep 1
  threads=2
  if [ "$c" -lt 2 ]; then threads=1; fi
  wrk -t"$threads" -c"$c" -d"${duration}s" --latency -s "$here/serve_forward.lua" "$url" \
    -- "$work/intakes.txt" "$threads" > "$work/wrk-out.txt"
  bad=$(($(value status_errors) + $(value connect_errors) + $(value read_errors) + $(value write_errors) +
         $(value timeouts)))
  awk -v c="$c" -v n="$(value requests)" -v d="$(value duration_us)" -v p50="$(value p50_us)" \
      -v p90="$(value p90_us)" -v p99="$(value p99_us)" -v bad="$bad" \
      'BEGIN { printf "| %d | %.0f | %.2f ms | %.2f ms | %.2f ms | %d of %d |\n",
               c, n / (d / 1e6), p50 / 1000, p90 / 1000, p99 / 1000, bad, n }'
done
