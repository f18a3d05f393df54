#!/usr/bin/env bash
# Benchmark: peak memory of every rank as an io URL list and a farm's task list grow (2 ranks).
# Their figures need more than the common tally (io's bytes and download totals, the farm's
# slowest tasks and children's rusage): each kind folds those into a mergeable summary of its own,
# so no rank's memory should grow with the list.
# Usage: tests/bench/kind_memory.sh BUILD_DIR
# Knobs (environment): BENCH_KIND_IO_URLS ("10000 1000000": lines of the URL list, against fanout
# serve on 127.0.0.1; add 10000000 for the issue's 10M list, about 4 min at the ~40k req/s of this
# VM), BENCH_KIND_FARM_TASKS ("10000 100000": `true` tasks, ~1500/s on 2 ranks here, so 1M
# takes 11 min), BENCH_KIND_RANKS (2), BENCH_OUT (BUILD_DIR/bench). An empty list of sizes leaves
# that kind out; the first and last sizes of each kind are compared. Peak RSS from getrusage of
# each rank (rusage.py inside mpirun). Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

read -r -a io_sizes <<<"${BENCH_KIND_IO_URLS-10000 1000000}"
read -r -a farm_sizes <<<"${BENCH_KIND_FARM_TASKS-10000 100000}"
ranks=${BENCH_KIND_RANKS:-2}
kGoalRss=2
kConcurrency=32

work=$(mktemp -d)
trap bench_cleanup EXIT
results=$BENCH_OUT/kind_memory.tsv
: >"$results"

# record KIND TASKS T0 T1 JSON FIGURE: appends KIND TASKS WALL_S FIGURE_VALUE RSS_KIB_RANK0,... where
# FIGURE is the runs[0] figure that says every task ran (requests, tasks_ok).
record() {
  python3 - "$@" "$work" "$ranks" <<'PY' >>"$results"
import json, sys
kind, tasks, t0, t1, path, figure, work, ranks = sys.argv[1:]
run = json.load(open(path))["runs"][0]
rss = [open(f"{work}/rss.{r}").read().split()[2] for r in range(int(ranks))]
print(f"{kind}\t{tasks}\t{float(t1) - float(t0)}\t{run[figure]:g}\t{','.join(rss)}")
PY
}

measure_io() {
  local n=$1 json=$BENCH_OUT/kind_memory_io_$1.json t0 t1
  awk -v n="$n" -v url="$base_url/bytes/16" 'BEGIN { for (i = 0; i < n; ++i) print url }' \
    >"$work/urls.txt"
  rm -f "$work"/rss.*
  t0=$(date +%s.%N)
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$ranks" python3 "$here/rusage.py" \
    "$work/rss.%r" "$FANOUT" run --workload io --io.url-file "$work/urls.txt" \
    --model processes+async --io.driver rank --io.concurrency "$kConcurrency" --base none \
    --quiet --json "$json"
  t1=$(date +%s.%N)
  record io "$n" "$t0" "$t1" "$json" requests
}

measure_farm() {
  local n=$1 json=$BENCH_OUT/kind_memory_farm_$1.json t0 t1
  bench_task_file "$n" true "$work/tasks.txt"
  rm -rf "$work/logs" "$work"/rss.*
  t0=$(date +%s.%N)
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$ranks" python3 "$here/rusage.py" \
    "$work/rss.%r" "$FANOUT" farm "$work/tasks.txt" --logs "$work/logs" --quiet \
    --progress none --json "$json"
  t1=$(date +%s.%N)
  record farm "$n" "$t0" "$t1" "$json" tasks_ok
}

load_before=$(bench_load)
started=$SECONDS
echo "kind_memory: io URL lists of ${io_sizes[*]} lines, farms of ${farm_sizes[*]} \`true\` tasks," \
     "$ranks ranks (load average $load_before)" >&2
bench_raise_fd_limit kind_memory $((4 * kConcurrency))
if ((${#io_sizes[@]})); then
  bench_start_server kind_memory
  for n in "${io_sizes[@]}"; do measure_io "$n"; done
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
fi
for n in "${farm_sizes[@]}"; do measure_farm "$n"; done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$ranks" "$kGoalRss" "$load_before" "$load_after" \
  "$((SECONDS - started))" <<'EOF'
import sys

from rounds import verdict

results, ranks, goal, load_before, load_after, seconds = sys.argv[1:]
ranks, goal = int(ranks), float(goal)
rows = {}
for line in open(results):
    kind, tasks, wall, figure, rss = line.rstrip("\n").split("\t")
    rows.setdefault(kind, []).append((int(tasks), float(wall), float(figure),
                                      [int(x) * 1024 for x in rss.split(",")]))

def mib(b):
    return f"{b / 2**20:.1f} MiB"

header = (f'{"kind":>5} {"tasks":>10} {"wall":>9} {"done":>10} '
          + " ".join(f'{"rank " + str(r) + " peak RSS":>16}' for r in range(ranks)))
print(f"memory of io and farm runs as the list grows: {ranks} ranks, one run per size")
print(header)
print("-" * len(header))
for kind, runs in rows.items():
    for tasks, wall, done, rss in runs:
        print(f"{kind:>5} {tasks:>10} {wall:>7.2f} s {done:>10.0f} " + " ".join(f"{mib(b):>16}" for b in rss))

print()
print(f"goal: peak RSS of every rank at the largest list <= {goal:g}x its value at the smallest")
met = []
for kind, runs in rows.items():
    (small_n, _, _, small), (big_n, _, big_done, big) = runs[0], runs[-1]
    if big_n == small_n:
        print(f"  {kind}: not measured (give two sizes)")
        continue
    for r in range(ranks):
        met.append(big[r] <= goal * small[r])
        print(f"  {kind} rank {r} {'met' if met[-1] else 'not met'}: {mib(big[r])} at {big_n} vs "
              f"{mib(small[r])} at {small_n} = {big[r] / small[r]:.2f}x")
    if big_done != big_n:
        print(f"  {kind}: only {big_done:.0f} of {big_n} tasks done (see the JSON report)")
print(f"  overall: {verdict(met) if met else 'not measured'}")
print("done: the run's requests (io) or tasks ok (farm), from its JSON report; wall: the mpirun")
print("  command. io: processes+async, io.driver rank, 32 in flight per rank, /bytes/16 of fanout")
print("  serve; farm: default slots, logs to a temporary folder. Peak RSS: getrusage of each rank")
print("  (at least the ~10 MiB of rusage.py's fork).")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF
echo "JSON reports: $BENCH_OUT"
