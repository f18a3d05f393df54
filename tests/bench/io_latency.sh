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

# 1000 client sockets here and 1000 in the server: the default soft limit (often 1024) is too low.
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
fd_limit=$(ulimit -Sn)
if [[ $fd_limit != unlimited ]] && ((fd_limit < requests + 100)); then
  echo "io_latency: open-file limit $fd_limit < $((requests + 100)): expect connect errors" >&2
fi

work=$(mktemp -d)
trap bench_stop_server EXIT
bench_start_server io_latency
url=$base_url/delay/$delay_ms

manifest=$BENCH_OUT/io_latency.tsv
: >"$manifest"
# measure LABEL IDEAL_S|pool SCALE JSON FANOUT_RUN_ARGS...: one `fanout run` (its wall and ideal are
# multiplied by SCALE), plus the connections the server accepted during it (its /stats counters).
measure() {
  local label=$1 ideal=$2 scale=$3 json=$BENCH_OUT/$4
  shift 4
  local before after
  before=$(curl -s "$base_url/stats")
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "$FANOUT" run --workload io --base none \
    --quiet --json "$json" "$@"
  after=$(curl -s "$base_url/stats")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$ideal" "$scale" "$json" "$before" "$after" >>"$manifest"
}

load_before=$(bench_load)
started=$SECONDS
echo "io_latency: $requests GETs of /delay/$delay_ms on fanout serve (1 server thread)," \
     "$BENCH_REPEAT repetitions (load average $load_before)" >&2

delay_s=$(python3 -c "print($delay_ms / 1000)")
measure "async" "$delay_s" 1 io_latency_async.json --model async --io.url "$url" \
  --io.repeat "$requests" --io.concurrency "$requests" --repeat "$BENCH_REPEAT" \
  --csv "$BENCH_OUT/io_latency_async.csv"
# The threads ideal depends on the pool fanout really made (capped at io.concurrency): "pool".
measure "threads" pool 1 io_latency_threads.json \
  --model threads --threads "$threads" --io.url "$url" --io.repeat "$requests" \
  --io.concurrency "$requests" --repeat "$BENCH_REPEAT"
measure "serial" "$(python3 -c "print($serial_requests * $delay_s)")" \
  "$(python3 -c "print($requests / $serial_requests)")" io_latency_serial.json \
  --model serial --io.url "$url" --io.repeat "$serial_requests" --repeat "$BENCH_REPEAT"
# The same async run with no server delay: what the requests themselves cost (client and server
# CPU, fresh connections), which is what async adds to the ideal above.
measure "async, no delay" 0 1 io_latency_async_nodelay.json --model async \
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

python3 - "$manifest" "$requests" "$delay_s" "$threads" "$serial_requests" "$load_before" \
  "$load_after" "$((SECONDS - started))" "$BENCH_OUT/io_latency_async.csv" "$peer" <<'EOF'
import csv
import json
import math
import statistics
import sys

(manifest, requests, delay_s, threads, serial_requests, load_before, load_after, seconds,
 async_csv, peer) = sys.argv[1:]
requests, delay_s, serial_requests = int(requests), float(delay_s), int(serial_requests)
kGoal = 1.15

def ms(x):
    return "-" if x is None else f"{1e3 * x:.1f} ms" if x < 10 else f"{x:.2f} s"

rows = []
for line in open(manifest):
    label, ideal, scale, path, before, after = line.rstrip("\n").split("\t")
    run = json.load(open(path))["runs"][0]
    if ideal == "pool":
        label = f'{label} ({run["workers_per_rank"]})'
    scale = float(scale)
    cpu = sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in run["per_rank"])
    rows.append({
        "label": label,
        "ideal": (math.ceil(run["requests"] / run["workers_per_rank"]) * delay_s
                  if ideal == "pool" else float(ideal) * scale if float(ideal) > 0 else None),
        "workers": run["workers_per_rank"],
        "wall": run["wall_s"] * scale, "scale": scale,
        "requests": run["requests"], "req_s": run["requests_per_s"],
        "p50": run["latency_s"]["p50"], "p99": run["latency_s"]["p99"],
        "cpu_per_req": cpu / run["requests"] if run["requests"] else None,
        "failed": run["failed"],
        # per repetition: the server counts every connection it accepted
        "conns": (json.loads(after)["connections"] - json.loads(before)["connections"] - 1)
                 / max(1, run["repetitions"]),
    })

header = (f'{"model":<16} {"requests":>8} {"wall":>10} {"ideal":>10} {"wall/ideal":>10} '
          f'{"req/s":>8} {"lat p50":>9} {"lat p99":>9} {"cpu/req":>9} {"conns":>6} {"failed":>6}')
print(f"latency-bound I/O: {requests} GETs of a {ms(delay_s)} route on fanout serve, "
      f"median of repetitions")
print(header)
print("-" * len(header))
for r in rows:
    n = f'{r["requests"]}' if r["scale"] == 1 else f'{r["requests"]}x{r["scale"]:g}'
    ratio = "-" if r["ideal"] is None else f'{r["wall"] / r["ideal"]:.2f}x'
    cpu = "-" if r["cpu_per_req"] is None else f'{1e6 * r["cpu_per_req"]:.0f} us'
    print(f'{r["label"]:<16} {n:>8} {ms(r["wall"]):>10} {ms(r["ideal"]):>10} {ratio:>10} '
          f'{r["req_s"]:>6.0f}/s {ms(r["p50"]):>9} {ms(r["p99"]):>9} {cpu:>9} {r["conns"]:>6.0f} '
          f'{r["failed"]:>6}')

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
pool = rows[1]["workers"]
print(f"ideal: async {ms(delay_s)} (all in flight); threads ceil({requests}/{pool}) x {ms(delay_s)} "
      f"(a pool of {pool} threads, --threads {threads}, not one per request: each blocks on one);")
print(f"  serial {requests} x {ms(delay_s)}: measured on {serial_requests} requests and scaled by "
      f"{requests / serial_requests:g} (wall and ideal both), not run in full.")
print("conns: connections the server accepted per repetition; cpu/req: client CPU time per request.")
print("'async, no delay' is the same run with a 0 ms route: the cost of the requests themselves,")
print("  which the async wall adds to the ideal.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(r["failed"] for r in rows):
    print("WARNING: some requests failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
