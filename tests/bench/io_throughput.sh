#!/usr/bin/env bash
# Benchmark: small bodies from nginx on loopback over 50 connections: fanout async vs curl --parallel
# vs wrk, interleaved in the same run, and libcurl's own floor (curl_multi_client: the same URLs
# over the same library with nothing of fanout's) beside them.
# Usage: tests/bench/io_throughput.sh BUILD_DIR
# Knobs (environment): BENCH_IO_REQUESTS (100000, about as long a run as wrk's 5 s, so fanout's
# fixed start-up, ~0.1 s of CPU for MPI_Init and the report, weighs on its CPU per request about as
# little as wrk's own does; at 20000 it added ~5 us a request), BENCH_IO_CONNECTIONS (50),
# BENCH_WRK_SECONDS (5),
# BENCH_NGINX_WORKERS (1), BENCH_NGINX (/usr/sbin/nginx), BENCH_REPEAT (3 rounds),
# BENCH_OUT (BUILD_DIR/bench). Talks only to 127.0.0.1. Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

requests=${BENCH_IO_REQUESTS:-100000}
connections=${BENCH_IO_CONNECTIONS:-50}
wrk_seconds=${BENCH_WRK_SECONDS:-5}
# One worker leaves the other core of a 2-core machine to the client; more workers would take
# CPU from the client being measured.
nginx_workers=${BENCH_NGINX_WORKERS:-1}
kBodyBytes=1024

goal_block_unmeasured() {
  echo "goal: fanout async >= 1.5x curl --parallel and >= 0.5x wrk requests/s," \
       "CPU per request <= 2x wrk's"
  echo "  not measured: $1"
  echo "  overall: not measured"
}
for tool in curl wrk /usr/bin/time; do
  if ! command -v "$tool" >/dev/null; then
    goal_block_unmeasured "$tool is not installed"
    exit 0
  fi
done

bench_raise_fd_limit io_throughput $((connections * 2 + 100))
work=$(mktemp -d)
trap bench_cleanup EXIT
if ! bench_start_nginx "$nginx_workers" "$kBodyBytes"; then
  echo "io_throughput: $nginx_error" >&2
  goal_block_unmeasured "$nginx_error"
  exit 0
fi
base=$nginx_url
# The same N distinct URLs for fanout and curl; wrk can only repeat one.
python3 -c "import sys; print('\n'.join(f'$base/f?{i}' for i in range(1, $requests + 1)))" \
  >"$work/urls.txt"

results=$BENCH_OUT/io_throughput.tsv
: >"$results"
# record ROUND CLIENT REQUESTS WALL_S FAILED CONNECTIONS_BEFORE [WINDOW_CPU_S]: one client run;
# its process CPU time comes from $work/rusage (rusage.py), written as the client exited.
record() {
  local conns=$(($(bench_nginx_accepted) - $6 - 1)) cpu
  cpu=$(awk '{ print $1 + $2 }' "$work/rusage")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$conns" "$cpu" "${7:--}" \
    >>"$results"
}
rusage=(python3 "$here/rusage.py" "$work/rusage")

run_fanout() {
  local round=$1 json=$BENCH_OUT/io_throughput_fanout_$1.json before
  before=$(bench_nginx_accepted)
  # rusage.py inside mpirun: the rank's own CPU time, not mpirun's.
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "${rusage[@]}" "$FANOUT" run --workload io \
    --base none --quiet --model async --io.url-file "$work/urls.txt" \
    --io.concurrency "$connections" --json "$json"
  local n wall failed window_cpu
  read -r n wall failed window_cpu < <(python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
cpu = sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in run["per_rank"])
print(run["requests"], run["wall_s"], run["failed"], cpu)' "$json")
  record "$round" fanout "$n" "$wall" "$failed" "$before" "$window_cpu"
}

run_curl() {
  local round=$1 before t0 t1
  before=$(bench_nginx_accepted)
  echo "  \$ curl --parallel --parallel-max $connections -s -o /dev/null -w '%{http_code}\\n'" \
       "\"$base/f?[1-$requests]\"" >&2
  t0=$(date +%s.%N)
  "${rusage[@]}" curl --parallel --parallel-max "$connections" -s --no-progress-meter \
    -o /dev/null -w '%{http_code}\n' "$base/f?[1-$requests]" >"$work/curl_codes.txt" \
    2>"$work/curl.err" || true
  t1=$(date +%s.%N)
  local ok
  ok=$(grep -c '^200$' "$work/curl_codes.txt" || true)
  record "$round" "curl --parallel" "$requests" "$(python3 -c "print($t1 - $t0)")" \
    "$((requests - ok))" "$before"
}

# The libcurl floor, when built: its own window (first transfer added to last done) and CPU over it,
# and the whole process's CPU (rusage.py), like the other clients.
run_curl_multi() {
  local round=$1 before line
  before=$(bench_nginx_accepted)
  echo "  \$ curl_multi_client urls.txt $connections" >&2
  line=$("${rusage[@]}" "$curl_multi" "$work/urls.txt" "$connections") || true
  local n wall failed user sys
  read -r n wall failed user sys < <(bench_kv "$line" requests wall_s failed user_s sys_s)
  record "$round" "libcurl multi" "$n" "$wall" "$failed" "$before" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

run_wrk() {
  local round=$1 before
  before=$(bench_nginx_accepted)
  echo "  \$ wrk -c $connections -t 1 -d ${wrk_seconds}s $base/f" >&2
  "${rusage[@]}" wrk -c "$connections" -t 1 -d "${wrk_seconds}s" "$base/f" >"$work/wrk.txt"
  # wrk prints "N requests in T s" and the errors it saw; its own clock excludes start-up.
  local n wall
  read -r n wall < <(awk '/requests in/ { n = $1; t = $4; sub(/s,?$/, "", t); print n, t }' "$work/wrk.txt")
  local failed
  failed=$(awk '/Non-2xx or 3xx responses:/ { s += $NF }
                /Socket errors:/ { for (i = 4; i <= NF; i += 2) { v = $i; sub(/,$/, "", v); s += v } }
                END { print s + 0 }' "$work/wrk.txt")
  record "$round" "wrk" "$n" "$wall" "$failed" "$before"
}

load_before=$(bench_load)
started=$SECONDS
echo "io_throughput: ${kBodyBytes}-byte bodies from nginx ($nginx_workers worker), $connections" \
     "connections, $requests requests per client run, $BENCH_REPEAT rounds (load average $load_before)" >&2
# Interleaved rounds, so a burst of load from elsewhere lands on every client alike.
curl_multi=$(bench_tool curl_multi_client 2>/dev/null) || curl_multi=
for round in $(seq "$BENCH_REPEAT"); do
  run_fanout "$round"
  if [[ -n $curl_multi ]]; then run_curl_multi "$round"; fi
  run_curl "$round"
  run_wrk "$round"
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$connections" "$nginx_workers" "$kBodyBytes" "$load_before" \
  "$load_after" "$((SECONDS - started))" <<'EOF'
import sys

from rounds import Rounds, per_round, verdict

results, connections, workers, body, load_before, load_after, seconds = sys.argv[1:]
kGoalCurl = 1.5
kGoalWrk = 0.5
kGoalCpuWrk = 2.0
rounds = Rounds()
for line in open(results):
    rnd, client, n, wall, failed, conns, cpu, window_cpu = line.rstrip("\n").split("\t")
    n = int(n)
    rounds.add(rnd, client, n=n, wall=float(wall), rps=n / float(wall), failed=int(failed),
               conns=int(conns), cpu_req=float(cpu) / n,
               window_cpu_req=None if window_cpu == "-" else float(window_cpu) / n)

def us(x):
    return "-" if x is None else f"{1e6 * x:.1f} us"

header = (f'{"client":<16} {"requests":>9} {"wall":>9} {"req/s (median)":>14} {"per round":>24} '
          f'{"cpu/req":>9} {"(window)":>9} {"conns":>6} {"failed":>6}')
print(f"throughput: {body}-byte bodies from nginx on loopback ({workers} worker), "
      f"{connections} connections, {len(rounds)} interleaved rounds, medians")
print(header)
print("-" * len(header))
for c in rounds.clients:
    window = rounds.series(c, "window_cpu_req")
    print(f'{c:<16} {rounds.series(c, "n")[0]:>9} {rounds.median(c, "wall"):>7.3f} s '
          f'{rounds.median(c, "rps"):>12.0f}/s '
          f'{per_round(rounds.series(c, "rps"), "{:.0f}"):>24} {us(rounds.median(c, "cpu_req")):>9} '
          f'{us(rounds.median(c, "window_cpu_req") if None not in window else None):>9} '
          f'{max(rounds.series(c, "conns")):>6} {sum(rounds.series(c, "failed")):>6}')

print()
print(f"goal: fanout async >= {kGoalCurl}x curl --parallel and >= {kGoalWrk}x wrk requests/s, "
      f"CPU per request <= {kGoalCpuWrk}x wrk's, {connections} connections each")
met = []
for other, goal in (("curl --parallel", kGoalCurl), ("wrk", kGoalWrk)):
    r, per = rounds.ratio("fanout", other, "rps")
    met.append(r >= goal)
    print(f"  {'req/s vs ' + other:<25} {'met' if met[-1] else 'not met'}: {r:.2f}x (goal >= {goal}x; "
          f"per round {per_round(per)})")
r, per = rounds.ratio("fanout", "wrk", "cpu_req")
met.append(r <= kGoalCpuWrk)
print(f"  {'cpu/req vs wrk':<25} {'met' if met[-1] else 'not met'}: {r:.2f}x "
      f"({us(rounds.median('fanout', 'cpu_req'))} vs {us(rounds.median('wrk', 'cpu_req'))}; goal <= "
      f"{kGoalCpuWrk}x; per round {per_round(per)})")
print(f"  overall: {verdict(met)}")
if "libcurl multi" in rounds.clients:
    r, per = rounds.ratio("fanout", "libcurl multi", "cpu_req")
    w, wper = rounds.ratio("fanout", "libcurl multi", "window_cpu_req")
    print(f"fanout over its library's floor (libcurl multi, same URLs): cpu/req {r:.2f}x (per round "
          f"{per_round(per)}), in each one's own window {w:.2f}x (per round {per_round(wper)})")
print("req/s: requests over each client's own wall: fanout's run clock (after MPI start-up), wrk's")
print("  own clock, curl's process wall (date +%s.%N around it: includes its ~10 ms start-up).")
print("  fanout and curl fetch the same distinct URLs /f?1../f?N; wrk repeats /f for its duration.")
print("cpu/req: user + system CPU time of the client process (getrusage of the child, rusage.py)")
print("  over its requests, start-up included (fanout: the rank, MPI_Init and JSON report included;")
print("  mpirun's own CPU is not counted); (window): fanout's own figure for its measured window.")
print("libcurl multi: tests/bench/curl_multi_client.c, curl's multi socket API on one epoll over reused")
print("  easy handles, only the response code read; its (window) from the first transfer to the last.")
print("conns: connections nginx accepted during one client run (stub_status), the most of any round.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(sum(rounds.series(c, "failed")) for c in rounds.clients):
    print("WARNING: some requests failed; the request rates above count them")
EOF
echo "JSON reports: $BENCH_OUT"
