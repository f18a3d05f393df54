#!/usr/bin/env bash
# Benchmark: latency-bound I/O, 1000 GETs of a 100 ms route all in flight; async vs threads vs serial.
# Usage: tests/bench/io_latency.sh BUILD_DIR
# Knobs (environment): BENCH_IO_REQUESTS (1000), BENCH_IO_DELAY_MS (100), BENCH_IO_THREADS (200),
# BENCH_IO_SERIAL (20 requests, extrapolated), BENCH_REPEAT (3), BENCH_OUT (BUILD_DIR/bench).
# Talks only to 127.0.0.1 (`fanout serve`, started and stopped here). Asserts no time.
# A real peer runs against the same server in the same run: curl --parallel (libcurl's own multi
# loop in curl's CLI), timed as a whole process.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

requests=${BENCH_IO_REQUESTS:-1000}
delay_ms=${BENCH_IO_DELAY_MS:-100}
threads=${BENCH_IO_THREADS:-200}
serial_requests=${BENCH_IO_SERIAL:-20}

bench_raise_fd_limit io_latency $((requests + 100))
work=$(mktemp -d)
trap bench_cleanup EXIT
bench_start_server io_latency
url=$base_url/delay/$delay_ms

manifest=$BENCH_OUT/io_latency.tsv
: >"$manifest"

load_before=$(bench_load)
started=$SECONDS
echo "io_latency: $requests GETs of /delay/$delay_ms on fanout serve (1 server thread)," \
     "$BENCH_REPEAT repetitions (load average $load_before)" >&2

delay_s=$(python3 -c "print($delay_ms / 1000)")
bench_measure_io "async" "$delay_s" 1 io_latency_async.json --model async --io.url "$url" \
  --io.repeat "$requests" --io.concurrency "$requests" --repeat "$BENCH_REPEAT" \
  --csv "$BENCH_OUT/io_latency_async.csv"
# The threads ideal depends on the pool fanout really made (capped at io.concurrency): "pool".
bench_measure_io "threads" pool 1 io_latency_threads.json \
  --model threads --threads "$threads" --io.url "$url" --io.repeat "$requests" \
  --io.concurrency "$requests" --repeat "$BENCH_REPEAT"
bench_measure_io "serial" "$(python3 -c "print($serial_requests * $delay_s)")" \
  "$(python3 -c "print($requests / $serial_requests)")" io_latency_serial.json \
  --model serial --io.url "$url" --io.repeat "$serial_requests" --repeat "$BENCH_REPEAT"
# The same async run with no server delay: what the requests themselves cost (client and server
# CPU, fresh connections), which is what async adds to the ideal above.
bench_measure_io "async, no delay" 0 1 io_latency_async_nodelay.json --model async \
  --io.url "$base_url/delay/0" --io.repeat "$requests" --io.concurrency "$requests" \
  --repeat "$BENCH_REPEAT"

# The peer: curl's CLI over the same URLs, all in flight at once, BENCH_REPEAT times. Its wall
# is the whole process (start-up included, a few ms); fanout's starts at the barrier.
peer=$BENCH_OUT/io_latency_curl.tsv
: >"$peer"
echo "  \$ curl --parallel --parallel-immediate --parallel-max $requests -s -o /dev/null" \
     "-w '%{http_code}\\n' \"$url?[1-$requests]\"  (x $BENCH_REPEAT)" >&2
for _ in $(seq "$BENCH_REPEAT"); do
  before=$(curl -s "$base_url/stats")
  t0=$(date +%s.%N)
  curl --parallel --parallel-immediate --parallel-max "$requests" -s --no-progress-meter \
    -o /dev/null -w '%{http_code}\n' "$url?[1-$requests]" >"$work/curl_codes.txt" \
    2>"$work/curl.err" || true
  t1=$(date +%s.%N)
  after=$(curl -s "$base_url/stats")
  printf '%s\t%s\t%s\t%s\n' "$(python3 -c "print($t1 - $t0)")" \
    "$(grep -c '^200$' "$work/curl_codes.txt" || true)" "$before" "$after" >>"$peer"
done

load_after=$(bench_load)
echo >&2

bench_python - "$manifest" "$requests" "$delay_s" "$threads" "$serial_requests" "$load_before" \
  "$load_after" "$((SECONDS - started))" "$BENCH_OUT/io_latency_async.csv" "$peer" <<'EOF'
import csv
import json
import math
import statistics
import sys

from io_rows import ms, print_ideal_note, print_table, read_rows

(manifest, requests, delay_s, threads, serial_requests, load_before, load_after, seconds,
 async_csv, peer) = sys.argv[1:]
requests, delay_s, serial_requests = int(requests), float(delay_s), int(serial_requests)
kGoal = 1.15

rows = read_rows(manifest, delay_s)
print(f"latency-bound I/O: {requests} GETs of a {ms(delay_s)} route on fanout serve, "
      f"median of repetitions")
print_table(rows)

# Where the async run's time goes: each request's phases on the run's clock (last repetition).
rep = [r for r in csv.DictReader(open(async_csv))]
last = max(int(r["rep"]) for r in rep)
rep = [r for r in rep if int(r["rep"]) == last]
def at(key):
    return [float(r["start_s"]) + (float(r[key]) if key else 0) for r in rep]
phases = [("added", at(None)), ("connected", at("connect_s")), ("first byte", at("ttfb_s")),
          ("done", at("duration_s"))]
print("async timeline (ms after the start, median / last request): " + ", ".join(
    f"{name} {1e3 * statistics.median(v):.0f} / {1e3 * max(v):.0f}" for name, v in phases))

# The peer's walls: median of its repetitions, and its failures and connections per repetition.
peer_rows = [line.rstrip("\n").split("\t") for line in open(peer)]
peer_wall = statistics.median(float(r[0]) for r in peer_rows)
peer_failed = sum(requests - int(r[1]) for r in peer_rows)
peer_conns = statistics.median(json.loads(r[3])["connections"] - json.loads(r[2])["connections"] - 1
                               for r in peer_rows)
print(f"real peer, same server, same run: curl --parallel --parallel-max {requests}: "
      f"{ms(peer_wall)} = {peer_wall / delay_s:.2f}x ideal (median of {len(peer_rows)}, whole "
      f"process), {peer_conns:.0f} conns, {peer_failed} failed")
if peer_conns < requests:
    print(f"  (curl's CLI keeps at most 300 transfers in flight whatever --parallel-max says, so "
          f"it needs about {math.ceil(requests / 300)} rounds of the delay)")

print()
async_row = rows[0]
ratio = async_row["wall"] / async_row["ideal"]
met = ratio <= kGoal
print(f"goal: async wall <= {kGoal:.2f}x the {ms(delay_s)} ideal with {requests} in flight")
print(f"  async              {'met' if met else 'not met'}: {ms(async_row['wall'])} = {ratio:.2f}x ideal"
      f" (threads {rows[1]['wall'] / rows[1]['ideal']:.2f}x its ideal,"
      f" serial {rows[2]['wall'] / rows[2]['ideal']:.2f}x its ideal)")
print(f"  overall: {'met' if met else 'not met'}")
nodelay = rows[3]["wall"]
print(f"wait paid once: async wall {ms(async_row['wall'])} - no-delay wall {ms(nodelay)} = "
      f"{ms(async_row['wall'] - nodelay)} for {requests} waits of {ms(delay_s)}; the other "
      f"{ms(nodelay)} is what {requests} requests on fresh connections cost on this machine")
print_ideal_note(requests, delay_s, rows[1]["workers"], threads, serial_requests)
print("'async, no delay' is the same run with a 0 ms route: the cost of the requests themselves,")
print("  which the async wall adds to the ideal.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(r["failed"] for r in rows):
    print("WARNING: some requests failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
