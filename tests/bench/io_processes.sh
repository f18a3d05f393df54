#!/usr/bin/env bash
# Benchmark: processes+async on all ranks (np 1, 2, cores), one curl-multi driver per node vs per rank.
# Usage: tests/bench/io_processes.sh BUILD_DIR
# Knobs (environment): BENCH_IO_REQUESTS (2000), BENCH_IO_DELAY_MS (50), BENCH_IO_INFLIGHT (200
# transfers in flight per node, whichever driver), BENCH_REPEAT (3), BENCH_CORES (nproc),
# BENCH_OUT (BUILD_DIR/bench). Talks only to 127.0.0.1 (`fanout serve`, started and stopped here).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

requests=${BENCH_IO_REQUESTS:-2000}
delay_ms=${BENCH_IO_DELAY_MS:-50}
inflight=${BENCH_IO_INFLIGHT:-200}

bench_raise_fd_limit io_processes $((inflight + 100))
work=$(mktemp -d)
trap bench_cleanup EXIT
bench_start_server io_processes

manifest=$BENCH_OUT/io_processes.tsv
: >"$manifest"
# measure NP DRIVER CONCURRENCY: one processes+async run; the server's /stats around it give the
# connections it accepted.
measure() {
  local np=$1 driver=$2 concurrency=$3 json=$BENCH_OUT/io_processes_np$1_$2.json before after
  before=$(curl -s "$base_url/stats")
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$np" "$FANOUT" run --workload io --base none \
    --quiet --model processes+async --io.driver "$driver" --io.url "$base_url/delay/$delay_ms" \
    --io.repeat "$requests" --io.concurrency "$concurrency" --repeat "$BENCH_REPEAT" --json "$json"
  after=$(curl -s "$base_url/stats")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$np" "$driver" "$concurrency" "$json" "$before" "$after" \
    >>"$manifest"
}

load_before=$(bench_load)
started=$SECONDS
echo "io_processes: $requests GETs of /delay/$delay_ms, $inflight in flight per node," \
     "$BENCH_REPEAT repetitions (load average $load_before)" >&2
for np in $(printf '%s\n' 1 2 "$BENCH_CORES" | sort -nu); do
  # The same transfers in flight either way: one driver holds them all, or each rank its share.
  measure "$np" node "$inflight"
  measure "$np" rank "$(((inflight + np - 1) / np))"
done
load_after=$(bench_load)
echo >&2

python3 - "$manifest" "$requests" "$delay_ms" "$inflight" "$load_before" "$load_after" \
  "$((SECONDS - started))" <<'EOF'
import json
import math
import sys

manifest, requests, delay_ms, inflight, load_before, load_after, seconds = sys.argv[1:]
requests, delay_s, inflight = int(requests), int(delay_ms) / 1000, int(inflight)

rows = []
for line in open(manifest):
    np, driver, concurrency, path, before, after = line.rstrip("\n").split("\t")
    run = json.load(open(path))["runs"][0]
    drivers = [r for r in run["per_rank"] if r["tasks"] > 0]
    in_flight = int(concurrency) * len(drivers)
    rows.append({
        "np": int(np), "driver": driver, "drivers": len(drivers), "in_flight": in_flight,
        "wall": run["wall_s"], "cv": run["wall_cv"],
        "ideal": math.ceil(requests / in_flight) * delay_s,
        "req_s": run["requests_per_s"], "p50": run["latency_s"]["p50"],
        "p99": run["latency_s"]["p99"],
        "cpu": sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in run["per_rank"]),
        "failed": run["failed"],
        "conns": (json.loads(after)["connections"] - json.loads(before)["connections"] - 1)
                 / max(1, run["repetitions"]),
    })

def ms(x):
    return f"{1e3 * x:.1f} ms"

header = (f'{"np":>3} {"driver":<8} {"drivers":>7} {"in flight":>9} {"wall":>10} {"±cv":>6} '
          f'{"ideal":>9} {"wall/ideal":>10} {"req/s":>8} {"lat p50":>9} {"lat p99":>9} '
          f'{"cpu":>9} {"conns":>6} {"failed":>6}')
print(f"processes+async: {requests} GETs of a {ms(delay_s)} route on fanout serve (1 server thread), "
      f"{inflight} in flight per node, median of repetitions")
print(header)
print("-" * len(header))
for r in rows:
    cv = "-" if r["cv"] is None else f'{100 * r["cv"]:.0f}%'
    print(f'{r["np"]:>3} {r["driver"]:<8} {r["drivers"]:>7} {r["in_flight"]:>9} {ms(r["wall"]):>10} '
          f'{cv:>6} {ms(r["ideal"]):>9} {r["wall"] / r["ideal"]:>9.2f}x {r["req_s"]:>6.0f}/s '
          f'{ms(r["p50"]):>9} {ms(r["p99"]):>9} {ms(r["cpu"]):>9} {r["conns"]:>6.0f} {r["failed"]:>6}')

print()
print("goal: none set for processes+async; per-rank vs per-node driver, same transfers in flight")
for np in sorted({r["np"] for r in rows}):
    node = next(r for r in rows if r["np"] == np and r["driver"] == "node")
    rank = next(r for r in rows if r["np"] == np and r["driver"] == "rank")
    print(f"  np={np}: per-node {ms(node['wall'])} ({node['wall'] / node['ideal']:.2f}x ideal), "
          f"per-rank {ms(rank['wall'])} ({rank['wall'] / rank['ideal']:.2f}x ideal); "
          f"per-rank / per-node wall {rank['wall'] / node['wall']:.2f}x, "
          f"client cpu {rank['cpu'] / node['cpu']:.2f}x")
print("  overall: reported")
print(f"ideal: ceil({requests} / in flight) x {ms(delay_s)}: every transfer waits the delay, nothing else.")
print("driver node: one curl-multi driver per node, on its first rank (the node's other ranks wait);")
print("  driver rank: one per rank, each with in-flight / np transfers.")
print("cpu: client CPU time summed over ranks; conns: connections the server accepted per repetition.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(r["failed"] for r in rows):
    print("WARNING: some requests failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
