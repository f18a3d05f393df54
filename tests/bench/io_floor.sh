#!/usr/bin/env bash
# Benchmark: the async engine against its floor, a bare epoll client, 1000 delayed GETs all in flight from nginx and from fanout serve.
# Usage: tests/bench/io_floor.sh BUILD_DIR
# Knobs (environment): BENCH_IO_REQUESTS (1000), BENCH_IO_DELAY_MS (100), BENCH_FLOOR_ROUNDS (5
# interleaved rounds), BENCH_NGINX_WORKERS (1), BENCH_NGINX, BENCH_NGINX_ECHO_MODULE (see
# common.sh); threads and serial as in io_latency.sh: BENCH_IO_THREADS (200), BENCH_IO_SERIAL (20
# requests, extrapolated), BENCH_REPEAT (3). BENCH_OUT (BUILD_DIR/bench). Talks only to 127.0.0.1.
# Every request is a fresh connection for both clients (each fanout run is a new process, and the
# bare client connects once per request), so they pay the same handshakes. Asserts no time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

requests=${BENCH_IO_REQUESTS:-1000}
delay_ms=${BENCH_IO_DELAY_MS:-100}
rounds=${BENCH_FLOOR_ROUNDS:-5}
threads=${BENCH_IO_THREADS:-200}
serial_requests=${BENCH_IO_SERIAL:-20}
# One worker, as in io_throughput.sh: the other core of a 2-core machine stays with the client.
nginx_workers=${BENCH_NGINX_WORKERS:-1}
kBodyBytes=1024
kGoal=1.10

goal_block_unmeasured() {
  echo "goal: fanout async wall <= ${kGoal}x the bare epoll client, $requests GETs all in flight"
  echo "  not measured: $1"
  echo "  overall: not measured"
}
if ! bare=$(bench_tool bare_http_client); then
  goal_block_unmeasured "no bare_http_client in $BENCH_TOOLS"
  exit 0
fi

bench_raise_fd_limit io_floor $((requests + 100))
work=$(mktemp -d)
trap bench_cleanup EXIT
delay_s=$(python3 -c "print($delay_ms / 1000)")
bench_start_server io_floor --delay "${delay_ms}ms" --size "$kBodyBytes"
# SERVER NAME, then the delayed URL and the same body at once.
servers=("fanout serve" "$base_url/" "$base_url/delay/0?size=$kBodyBytes")
if bench_start_nginx "$nginx_workers" "$kBodyBytes" "$delay_s"; then
  servers=("nginx" "$nginx_url/delay" "$nginx_url/f" "${servers[@]}")
else
  echo "io_floor: nginx left out: $nginx_error" >&2
  nginx_missing=$nginx_error
fi

results=$BENCH_OUT/io_floor.tsv
: >"$results"
# record ROUND SERVER CLIENT WALL_S CPU_S FAILED
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

# fanout_async ROUND SERVER CLIENT URL: one fanout run, all requests in flight, one repetition.
fanout_async() {
  local json=$BENCH_OUT/io_floor_fanout.json wall cpu failed
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "$FANOUT" run --workload io --base none \
    --quiet --model async --io.url "$4" --io.repeat "$requests" --io.concurrency "$requests" \
    --json "$json"
  read -r wall cpu failed < <(python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
print(run["wall_s"], sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in run["per_rank"]), run["failed"])
' "$json")
  record "$1" "$2" "$3" "$wall" "$cpu" "$failed"
}

# bare_client ROUND SERVER CLIENT URL: the same requests from the bare epoll client.
bare_client() {
  local hostport=${4#http://} line
  local path=/${hostport#*/}
  hostport=${hostport%%/*}
  echo "  \$ bare_http_client ${hostport%:*} ${hostport#*:} $path $requests" >&2
  line=$("$bare" "${hostport%:*}" "${hostport#*:}" "$path" "$requests") || true
  local wall user sys failed
  read -r wall user sys failed < <(bench_kv "$line" wall_s user_s sys_s failed)
  record "$1" "$2" "$3" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$failed"
}

load_before=$(bench_load)
started=$SECONDS
echo "io_floor: $requests GETs of a $delay_ms ms route all in flight, fanout async vs" \
     "bare_http_client, $rounds interleaved rounds (load average $load_before)" >&2
for round in $(seq "$rounds"); do
  for ((s = 0; s < ${#servers[@]}; s += 3)); do
    server=${servers[s]} delayed=${servers[s + 1]} nodelay=${servers[s + 2]}
    fanout_async "$round" "$server" "fanout async" "$delayed"
    bare_client "$round" "$server" "bare client" "$delayed"
    fanout_async "$round" "$server" "fanout async, no delay" "$nodelay"
    bare_client "$round" "$server" "bare client, no delay" "$nodelay"
  done
done

# Threads and serial against their own ideals, as io_latency.sh reports them (fanout serve).
manifest=$BENCH_OUT/io_floor_models.tsv
: >"$manifest"
bench_measure_io "threads" pool 1 io_floor_threads.json --model threads --threads "$threads" \
  --io.url "$base_url/" --io.repeat "$requests" --io.concurrency "$requests" --repeat "$BENCH_REPEAT"
bench_measure_io "serial" "$(python3 -c "print($serial_requests * $delay_s)")" \
  "$(python3 -c "print($requests / $serial_requests)")" io_floor_serial.json --model serial \
  --io.url "$base_url/" --io.repeat "$serial_requests" --repeat "$BENCH_REPEAT"
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$manifest" "$requests" "$delay_s" "$threads" "$serial_requests" \
  "$kGoal" "$kBodyBytes" "$load_before" "$load_after" "$((SECONDS - started))" \
  "${nginx_missing:-}" <<'EOF'
import sys

from io_rows import ms, print_ideal_note, print_table, read_rows
from rounds import Rounds, per_round, verdict

(results, manifest, requests, delay_s, threads, serial_requests, goal, body, load_before,
 load_after, seconds, nginx_missing) = sys.argv[1:]
requests, delay_s, serial_requests, goal = int(requests), float(delay_s), int(serial_requests), float(goal)

by_server = {}
for line in open(results):
    rnd, server, client, wall, cpu, failed = line.rstrip("\n").split("\t")
    by_server.setdefault(server, Rounds()).add(rnd, client, wall=float(wall),
                                               cpu_req=float(cpu) / requests, failed=int(failed))

print(f"async floor: {requests} GETs all in flight, one fresh connection each, {body}-byte bodies, "
      f"{ms(delay_s)} route (and the same with none); {len(next(iter(by_server.values())))} "
      f"interleaved rounds, medians")
header = (f'{"server":<13} {"client":<23} {"wall":>9} {"per round (ms)":>30} {"wall/delay":>10} '
          f'{"cpu/req":>8} {"failed":>6}')
print(header)
print("-" * len(header))
for server, rounds in by_server.items():
    for c in rounds.clients:
        wall = rounds.median(c, "wall")
        ratio = "-" if "no delay" in c else f"{wall / delay_s:.2f}x"
        print(f'{server:<13} {c:<23} {ms(wall):>9} '
              f'{per_round([1e3 * w for w in rounds.series(c, "wall")], "{:.0f}"):>30} {ratio:>10} '
              f'{1e6 * rounds.median(c, "cpu_req"):>5.0f} us {sum(rounds.series(c, "failed")):>6}')

print()
rows = read_rows(manifest, delay_s)
print(f"threads and serial against their own ideals (fanout serve, median of repetitions):")
print_table(rows)

print()
print(f"goal: fanout async wall <= {goal:.2f}x the bare epoll client, {requests} GETs of a "
      f"{ms(delay_s)} route all in flight")
met = []
for server, rounds in by_server.items():
    r, per = rounds.ratio("fanout async", "bare client", "wall")
    met.append(r <= goal)
    cpu, _ = rounds.ratio("fanout async", "bare client", "cpu_req")
    print(f"  {server:<13} {'met' if met[-1] else 'not met'}: "
          f"{ms(rounds.median('fanout async', 'wall'))} vs {ms(rounds.median('bare client', 'wall'))}"
          f" = {r:.2f}x (per round {per_round(per)}); CPU per request {cpu:.2f}x the bare client's")
if nginx_missing:
    print(f"  nginx         not measured: {nginx_missing}")
    met.append(False)
threads_row, serial_row = rows
print(f"  (threads {threads_row['wall'] / threads_row['ideal']:.2f}x its ideal, serial "
      f"{serial_row['wall'] / serial_row['ideal']:.2f}x its ideal)")
print(f"  overall: {verdict(met)}")
for server, rounds in by_server.items():
    extra = {c: rounds.median(c, "wall") - rounds.median(c + ", no delay", "wall")
             for c in ("fanout async", "bare client")}
    print(f"{server}: wall - no-delay wall = {ms(extra['fanout async'])} (fanout async), "
          f"{ms(extra['bare client'])} (bare client) for the {ms(delay_s)} wait; the no-delay walls "
          f"are what {requests} fresh connections and answers cost each client")
print("wall: fanout's run clock (after its barrier; easy handles made before it), the bare client's")
print("  from its first socket() to its last close(); cpu/req: the client's CPU time over the same")
print("  window (fanout's report, the bare client's getrusage) per request.")
print_ideal_note(requests, delay_s, threads_row["workers"], threads, serial_requests)
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(sum(rd.series(c, "failed")) for rd in by_server.values() for c in rd.clients) or any(
        r["failed"] for r in rows):
    print("WARNING: some requests failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
