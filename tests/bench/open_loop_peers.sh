#!/usr/bin/env bash
# Benchmark: a steady arrival rate against nginx on loopback: fanout io.rate beside hey (-q, a rate
# per worker), the same number of connections, interleaved rounds: the rate each achieved and its
# CPU per request.
# Usage: tests/bench/open_loop_peers.sh BUILD_DIR
# Knobs (environment): BENCH_OPEN_RATE (2000 requests/s in all), BENCH_OPEN_CONNECTIONS (10),
# BENCH_OPEN_SECONDS (10: long enough that fanout's fixed start-up, ~0.1 s of CPU for MPI_Init and
# the report, weighs little on its CPU per request), BENCH_NGINX_WORKERS (1), BENCH_NGINX
# (/usr/sbin/nginx), BENCH_REPEAT (3 rounds), BENCH_OUT (BUILD_DIR/bench). Talks only to 127.0.0.1.
# Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

rate=${BENCH_OPEN_RATE:-2000}
connections=${BENCH_OPEN_CONNECTIONS:-10}
seconds=${BENCH_OPEN_SECONDS:-10}
# One worker leaves the other core of a 2-core machine to the client being measured.
nginx_workers=${BENCH_NGINX_WORKERS:-1}
kBodyBytes=1024

goal_block_unmeasured() {
  echo "goal: fanout io.rate holds the rate within 1 % like hey -q, CPU per request <= 2x hey's"
  echo "  not measured: $1"
  echo "  overall: not measured"
}
if ! command -v hey >/dev/null; then
  goal_block_unmeasured "hey is not installed (cluster/deps.sh --bench)"
  exit 0
fi

bench_raise_fd_limit open_loop_peers $((connections * 2 + 100))
work=$(mktemp -d)
trap bench_cleanup EXIT
if ! bench_start_nginx "$nginx_workers" "$kBodyBytes"; then
  echo "open_loop_peers: $nginx_error" >&2
  goal_block_unmeasured "$nginx_error"
  exit 0
fi
url=$nginx_url/f

results=$BENCH_OUT/open_loop_peers.tsv
: >"$results"
# record ROUND CLIENT REQUESTS WALL_S ACHIEVED_PER_S FAILED CONNECTIONS_BEFORE P99_S P99_INTENDED_S:
# one client run (p99 from each send; from each intended start, or "-"); its process CPU time
# comes from $work/rusage (rusage.py), written as the client exited.
record() {
  local conns=$(($(bench_nginx_accepted) - $7 - 1)) cpu
  cpu=$(awk '{ print $1 + $2 }' "$work/rusage")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$conns" \
    "$cpu" "$8" "${9:--}" >>"$results"
}
rusage=(python3 "$here/rusage.py" "$work/rusage")

run_fanout() {
  local round=$1 json=$BENCH_OUT/open_loop_peers_fanout_$1.json before
  before=$(bench_nginx_accepted)
  # rusage.py inside mpirun: the rank's own CPU time, not mpirun's.
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "${rusage[@]}" "$FANOUT" run --workload io \
    --base none --quiet --model async --io.url "$url" --io.rate "$rate" --io.step "${seconds}s" \
    --io.concurrency "$connections" --json "$json"
  local n wall achieved failed p99 p99_intended
  read -r n wall achieved failed p99 p99_intended < <(python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
print(run["requests"], run["wall_s"], run["rate"]["achieved_per_s"], run["failed"],
      run["uncorrected_s"]["p99"], run["corrected_s"]["p99"])' "$json")
  record "$round" "fanout io.rate" "$n" "$wall" "$achieved" "$failed" "$before" "$p99" \
    "$p99_intended"
}

run_hey() {
  local round=$1 before per_worker
  before=$(bench_nginx_accepted)
  per_worker=$(python3 -c "print($rate / $connections)")
  echo "  \$ hey -q $per_worker -c $connections -z ${seconds}s $url" >&2
  "${rusage[@]}" hey -q "$per_worker" -c "$connections" -z "${seconds}s" "$url" >"$work/hey.txt"
  # hey's summary: "Total: T secs", "Requests/sec: R", "[200] N responses", "99% in S secs" and
  # an error distribution when there were errors.
  local n wall achieved failed p99
  read -r n wall achieved failed p99 < <(awk '
    /Total:/ { wall = $2 } /Requests\/sec:/ { rps = $2 } /responses/ { gsub(/[][]/, "", $1);
    n += $2; if ($1 != 200) bad += $2 } /^  99% in/ { p99 = $3 }
    /Error distribution/ { errors = 1 } errors && /^  \[[0-9]+\]/ { gsub(/[][]/, "", $1); bad += $1; n += $1 }
    END { print n + 0, wall, rps, bad + 0, p99 }' "$work/hey.txt")
  record "$round" "hey -q" "$n" "$wall" "$achieved" "$failed" "$before" "$p99"
}

load_before=$(bench_load)
started=$SECONDS
echo "open_loop_peers: ${kBodyBytes}-byte bodies from nginx ($nginx_workers worker), $rate" \
     "requests/s over $connections connections for $seconds s per client run, $BENCH_REPEAT rounds" \
     "(load average $load_before)" >&2
# Interleaved rounds, so a burst of load from elsewhere lands on both clients alike.
for round in $(seq "$BENCH_REPEAT"); do
  run_fanout "$round"
  run_hey "$round"
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$rate" "$connections" "$seconds" "$nginx_workers" "$kBodyBytes" \
  "$load_before" "$load_after" "$((SECONDS - started))" <<'EOF'
import sys

from rounds import Rounds, per_round, verdict

(results, rate, connections, seconds, workers, body, load_before, load_after,
 took) = sys.argv[1:]
rate = float(rate)
kGoalHeld = 0.01
kGoalCpu = 2.0
rounds = Rounds()
for line in open(results):
    rnd, client, n, wall, achieved, failed, conns, cpu, p99, p99c = line.rstrip("\n").split("\t")
    n = int(n)
    rounds.add(rnd, client, n=n, wall=float(wall), achieved=float(achieved),
               failed=int(failed), conns=int(conns), cpu_req=float(cpu) / n, p99=float(p99),
               p99c=None if p99c == "-" else float(p99c))

def us(x):
    return f"{1e6 * x:.1f} us"


def ms(x):
    return "-" if x is None else f"{1e3 * x:.2f} ms"

header = (f'{"client":<15} {"requests":>9} {"achieved":>11} {"per round":>22} {"of target":>9} '
          f'{"cpu/req":>9} {"p99 send":>9} {"intended":>9} {"conns":>6} {"failed":>6}')
print(f"open loop: {rate:.0f} requests/s in all over {connections} connections for {seconds} s, "
      f"{body}-byte bodies from nginx on loopback ({workers} worker), {len(rounds)} interleaved "
      f"rounds, medians")
print(header)
print("-" * len(header))
for c in rounds.clients:
    achieved = rounds.median(c, "achieved")
    print(f'{c:<15} {rounds.median(c, "n"):>9.0f} {achieved:>9.1f}/s '
          f'{per_round(rounds.series(c, "achieved"), "{:.1f}"):>22} {achieved / rate:>9.2%} '
          f'{us(rounds.median(c, "cpu_req")):>9} {ms(rounds.median(c, "p99")):>9} '
          f'{ms(None if None in rounds.series(c, "p99c") else rounds.median(c, "p99c")):>9} '
          f'{max(rounds.series(c, "conns")):>6} {sum(rounds.series(c, "failed")):>6}')

fanout, hey = "fanout io.rate", "hey -q"
print()
print(f"goal: fanout io.rate holds the rate within {kGoalHeld:.0%} like hey -q, CPU per request "
      f"<= {kGoalCpu}x hey's, {connections} connections each")
met = []
held = abs(rounds.median(fanout, "achieved") - rate) <= kGoalHeld * rate
met.append(held)
r, per = rounds.ratio(fanout, hey, "achieved")
print(f"  {'rate held':<18} {'met' if held else 'not met'}: {rounds.median(fanout, 'achieved'):.1f}/s "
      f"of {rate:.0f}/s; {r:.3f}x hey's {rounds.median(hey, 'achieved'):.1f}/s (per round "
      f"{per_round(per, '{:.3f}x')})")
r, per = rounds.ratio(fanout, hey, "cpu_req")
met.append(r <= kGoalCpu)
print(f"  {'cpu/req vs hey':<18} {'met' if met[-1] else 'not met'}: {r:.2f}x "
      f"({us(rounds.median(fanout, 'cpu_req'))} vs {us(rounds.median(hey, 'cpu_req'))}; goal <= "
      f"{kGoalCpu}x; per round {per_round(per)})")
print(f"  overall: {verdict(met)}")
print("achieved: fanout's sent rate (its first to its last send, rate.achieved_per_s); hey's")
print("  Requests/sec (responses over its run). p99 send: latency from each send, as hey and every")
print("  closed-loop tool measure it; intended: fanout's from each request's intended start, which")
print("  counts the time a request waited because the client or the server fell behind.")
print("cpu/req: user + system CPU time of the client process (getrusage of the child, rusage.py)")
print("  over its requests, start-up included (fanout: the rank, MPI_Init and the JSON report;")
print("  mpirun's own CPU is not counted).")
print("conns: connections nginx accepted during one client run (stub_status), the most of any round.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {took} s")
EOF
echo "JSON reports: $BENCH_OUT"
