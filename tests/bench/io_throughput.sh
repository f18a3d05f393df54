#!/usr/bin/env bash
# Benchmark: small bodies from nginx on loopback over 50 connections: fanout async vs curl --parallel
# vs wrk, interleaved in the same run.
# Usage: tests/bench/io_throughput.sh BUILD_DIR
# Knobs (environment): BENCH_IO_REQUESTS (20000), BENCH_IO_CONNECTIONS (50), BENCH_WRK_SECONDS (5),
# BENCH_NGINX_WORKERS (1), BENCH_NGINX (/usr/sbin/nginx), BENCH_REPEAT (3 rounds),
# BENCH_OUT (BUILD_DIR/bench). Talks only to 127.0.0.1. Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

requests=${BENCH_IO_REQUESTS:-20000}
connections=${BENCH_IO_CONNECTIONS:-50}
wrk_seconds=${BENCH_WRK_SECONDS:-5}
# One worker leaves the other core of a 2-core machine to the client; more workers would take
# CPU from the client being measured.
nginx_workers=${BENCH_NGINX_WORKERS:-1}
nginx=${BENCH_NGINX:-/usr/sbin/nginx}
kBodyBytes=1024

goal_block_unmeasured() {
  echo "goal: fanout async >= 1.5x curl --parallel and >= 0.5x wrk requests/s"
  echo "  not measured: $1"
  echo "  overall: not measured"
}
for tool in "$nginx" curl wrk; do
  if ! command -v "$tool" >/dev/null; then
    goal_block_unmeasured "$tool is not installed"
    exit 0
  fi
done

ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
work=$(mktemp -d)
nginx_pid=
stop_all() {
  if [[ -n $nginx_pid ]]; then
    kill -TERM "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_all EXIT

# nginx's workers drop root privileges: the prefix must be readable by everyone.
chmod 755 "$work"
mkdir -p "$work/html" "$work/tmp"
head -c "$kBodyBytes" /dev/zero | tr '\0' 'x' >"$work/html/f"
chmod 644 "$work/html/f"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port_open() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' "$1" 2>/dev/null; }

# The free port can be taken between picking and binding it: pick again a few times.
port=
for _ in 1 2 3 4 5; do
  port=$(free_port)
  sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|$port|g" -e "s|@WORKERS@|$nginx_workers|g" \
    "$here/nginx-bench.conf.in" >"$work/nginx.conf"
  "$nginx" -p "$work/" -c "$work/nginx.conf" -e "$work/error.log" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 100); do
    port_open "$port" && break
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.05
  done
  port_open "$port" && break
  kill -TERM "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=
done
if [[ -z $nginx_pid ]]; then
  echo "io_throughput: nginx did not start:" >&2
  cat "$work/error.log" >&2 || true
  goal_block_unmeasured "nginx did not start"
  exit 0
fi
base=http://127.0.0.1:$port
# The same N distinct URLs for fanout and curl; wrk can only repeat one.
python3 -c "import sys; print('\n'.join(f'$base/f?{i}' for i in range(1, $requests + 1)))" \
  >"$work/urls.txt"

# Connections nginx accepted so far (the status request itself is one of them).
accepted() { curl -s "$base/nginx_status" | awk 'NR == 3 { print $1 }'; }

results=$BENCH_OUT/io_throughput.tsv
: >"$results"
# record ROUND CLIENT REQUESTS WALL_S FAILED CONNECTIONS_BEFORE
record() {
  local conns=$(($(accepted) - $6 - 1))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$conns" >>"$results"
}

run_fanout() {
  local round=$1 json=$BENCH_OUT/io_throughput_fanout_$1.json before
  before=$(accepted)
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "$FANOUT" run --workload io --base none \
    --quiet --model async --io.url-file "$work/urls.txt" --io.concurrency "$connections" \
    --json "$json"
  local n wall failed
  read -r n wall failed < <(python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
print(run["requests"], run["wall_s"], run["failed"])' "$json")
  record "$round" fanout "$n" "$wall" "$failed" "$before"
}

run_curl() {
  local round=$1 before t0 t1
  before=$(accepted)
  echo "  \$ curl --parallel --parallel-max $connections -s -o /dev/null -w '%{http_code}\\n'" \
       "\"$base/f?[1-$requests]\"" >&2
  t0=$(date +%s.%N)
  curl --parallel --parallel-max "$connections" -s --no-progress-meter -o /dev/null \
    -w '%{http_code}\n' "$base/f?[1-$requests]" >"$work/curl_codes.txt" 2>"$work/curl.err" || true
  t1=$(date +%s.%N)
  local ok
  ok=$(grep -c '^200$' "$work/curl_codes.txt" || true)
  record "$round" "curl --parallel" "$requests" "$(python3 -c "print($t1 - $t0)")" \
    "$((requests - ok))" "$before"
}

run_wrk() {
  local round=$1 before
  before=$(accepted)
  echo "  \$ wrk -c $connections -t 1 -d ${wrk_seconds}s $base/f" >&2
  wrk -c "$connections" -t 1 -d "${wrk_seconds}s" "$base/f" >"$work/wrk.txt"
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
for round in $(seq "$BENCH_REPEAT"); do
  run_fanout "$round"
  run_curl "$round"
  run_wrk "$round"
done
load_after=$(bench_load)
echo >&2

python3 - "$results" "$connections" "$nginx_workers" "$kBodyBytes" "$load_before" "$load_after" \
  "$((SECONDS - started))" <<'EOF'
import statistics
import sys

results, connections, workers, body, load_before, load_after, seconds = sys.argv[1:]
kGoalCurl = 1.5
kGoalWrk = 0.5
clients = ["fanout", "curl --parallel", "wrk"]
rounds = {}
for line in open(results):
    rnd, client, n, wall, failed, conns = line.rstrip("\n").split("\t")
    rounds.setdefault(int(rnd), {})[client] = {
        "n": int(n), "wall": float(wall), "rps": int(n) / float(wall), "failed": int(failed),
        "conns": int(conns)}

header = f'{"client":<16} {"requests":>9} {"wall":>9} {"req/s (median)":>14} {"per round":>24} {"conns":>6} {"failed":>6}'
print(f"throughput: {body}-byte bodies from nginx on loopback ({workers} worker), "
      f"{connections} connections, {len(rounds)} interleaved rounds")
print(header)
print("-" * len(header))
median = {}
for c in clients:
    runs = [rounds[r][c] for r in sorted(rounds)]
    median[c] = statistics.median(x["rps"] for x in runs)
    per_round = " ".join(f'{x["rps"]:.0f}' for x in runs)
    print(f'{c:<16} {runs[0]["n"]:>9} {statistics.median(x["wall"] for x in runs):>7.3f} s '
          f'{median[c]:>12.0f}/s {per_round:>24} {max(x["conns"] for x in runs):>6} '
          f'{sum(x["failed"] for x in runs):>6}')

def ratios(other):
    per = [rounds[r]["fanout"]["rps"] / rounds[r][other]["rps"] for r in sorted(rounds)]
    return median["fanout"] / median[other], per

print()
print(f"goal: fanout async >= {kGoalCurl}x curl --parallel and >= {kGoalWrk}x wrk requests/s, "
      f"{connections} connections each")
all_met = True
for other, goal in (("curl --parallel", kGoalCurl), ("wrk", kGoalWrk)):
    r, per = ratios(other)
    met = r >= goal
    all_met = all_met and met
    print(f"  vs {other:<16} {'met' if met else 'not met'}: {r:.2f}x (goal {goal}x; per round "
          f"{', '.join(f'{x:.2f}x' for x in per)})")
print(f"  overall: {'met' if all_met else 'not met'}")
print("req/s: requests over each client's own wall: fanout's run clock (after MPI start-up), wrk's")
print("  own clock, curl's process wall (date +%s.%N around it: includes its ~10 ms start-up).")
print("  fanout and curl fetch the same distinct URLs /f?1../f?N; wrk repeats /f for its duration.")
print("conns: connections nginx accepted during one client run (stub_status), the most of any round.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(x["failed"] for rnd in rounds.values() for x in rnd.values()):
    print("WARNING: some requests failed; the request rates above count them")
EOF
echo "JSON reports: $BENCH_OUT"
