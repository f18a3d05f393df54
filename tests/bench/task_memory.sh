#!/usr/bin/env bash
# Benchmark: peak memory of every rank and wall time of `fanout run` as the task count grows (10k, 1M, 10M noop tasks, 2 ranks).
# Usage: tests/bench/task_memory.sh BUILD_DIR
# Knobs (environment): BENCH_MEMORY_TASKS ("10000 1000000 10000000"), BENCH_MEMORY_RANKS (2),
# BENCH_MEMORY_ROUNDS (1 run per size; more give medians of the time), BENCH_OUT (BUILD_DIR/bench),
# BENCH_MEMORY_CSV (0; 1 adds --csv, so the per-task rows stream through rank 0 as well).
# A size is left out when the estimate from the sizes before it exceeds MemAvailable.
# Peak RSS from getrusage of each rank (rusage.py inside mpirun; mpirun's own is not counted);
# time is the whole mpirun command's wall, start-up and report included. Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

read -r -a sizes <<<"${BENCH_MEMORY_TASKS:-10000 1000000 10000000}"
ranks=${BENCH_MEMORY_RANKS:-2}
rounds=${BENCH_MEMORY_ROUNDS:-1}
with_csv=${BENCH_MEMORY_CSV:-0}
kGoalRss=2
kGoalSeconds=3

work=$(mktemp -d)
trap bench_cleanup EXIT
results=$BENCH_OUT/task_memory.tsv
: >"$results"

# measure ROUND TASKS: one run; appends ROUND TASKS WALL_S FANOUT_WALL_S RSS_KIB_RANK0,RANK1,...
measure() {
  local json=$BENCH_OUT/task_memory_$2.json t0 t1 files=()
  ((with_csv)) && files=(--csv "$work/tasks.csv")
  rm -f "$work"/rss.*
  t0=$(date +%s.%N)
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$ranks" python3 "$here/rusage.py" \
    "$work/rss.%r" "$FANOUT" run --workload cpu --cpu.kernel noop --cpu.count "$2" \
    --model processes --base none --quiet --json "$json" "${files[@]}"
  t1=$(date +%s.%N)
  rm -f "$work/tasks.csv"
  python3 - "$json" "$1" "$2" "$t0" "$t1" "$work" "$ranks" <<'EOF' >>"$results"
import json, sys
path, rnd, tasks, t0, t1, work, ranks = sys.argv[1:]
run = json.load(open(path))["runs"][0]
rss = [open(f"{work}/rss.{r}").read().split()[2] for r in range(int(ranks))]
print(f"{rnd}\t{tasks}\t{float(t1) - float(t0)}\t{run['wall_s']}\t{','.join(rss)}")
EOF
}

# fits TASKS: whether MemAvailable holds TASKS, extrapolated linearly from the largest size run
# so far (all ranks' peaks together), with a quarter to spare.
fits() {
  python3 - "$results" "$1" <<'EOF'
import sys
results, tasks = sys.argv[1], int(sys.argv[2])
rows = [line.split("\t") for line in open(results)]
rows = [r for r in rows if int(r[1]) > 1]
if not rows:
    sys.exit(0)
last = max(rows, key=lambda r: int(r[1]))
need_kib = sum(int(x) for x in last[4].split(",")) * tasks / int(last[1]) * 1.25
avail_kib = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemAvailable:"))
if need_kib > avail_kib:
    print(f"needs about {need_kib / 2**20:.1f} GiB, MemAvailable {avail_kib / 2**20:.1f} GiB")
    sys.exit(1)
EOF
}

load_before=$(bench_load)
started=$SECONDS
echo "task_memory: noop tasks ${sizes[*]} and an empty run (1 task) on $ranks ranks," \
     "$rounds round(s)$( ((with_csv)) && echo ", with --csv") (load average $load_before)" >&2
skipped=()
for round in $(seq "$rounds"); do
  measure "$round" 1
  for tasks in "${sizes[@]}"; do
    if ! why=$(fits "$tasks"); then
      echo "task_memory: $tasks tasks left out: $why" >&2
      ((round == 1)) && skipped+=("$tasks: $why")
      continue
    fi
    measure "$round" "$tasks"
  done
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$ranks" "$kGoalRss" "$kGoalSeconds" "$load_before" "$load_after" \
  "$((SECONDS - started))" "${sizes[0]}" "${sizes[-1]}" "${skipped[@]}" <<'EOF'
import os
import sys

from rounds import Rounds, verdict

(results, ranks, goal_rss, goal_s, load_before, load_after, seconds, smallest,
 largest) = sys.argv[1:10]
skipped = sys.argv[10:]
ranks, goal_rss, goal_s, smallest, largest = (int(ranks), float(goal_rss), float(goal_s),
                                              int(smallest), int(largest))
rounds = Rounds()
for line in open(results):
    rnd, tasks, wall, fanout_wall, rss = line.rstrip("\n").split("\t")
    rounds.add(rnd, int(tasks), wall=float(wall), fanout_wall=float(fanout_wall),
               rss=[int(x) * 1024 for x in rss.split(",")])

def mib(b):
    return f"{b / 2**20:.1f} MiB"

empty = rounds.median(1, "wall")
header = (f'{"tasks":>10} {"wall":>9} {"over empty":>10} {"fanout wall":>11} '
          + " ".join(f'{"rank " + str(r) + " peak RSS":>16}' for r in range(ranks))
          + f' {"bytes/task (rank 0)":>19}')
files = ", with --csv" if os.environ.get("BENCH_MEMORY_CSV", "0") == "1" else ""
print(f"memory and time at scale: noop tasks, model processes, {ranks} ranks{files} "
      f"({len(rounds)} round(s), medians)")
print(header)
print("-" * len(header))
for tasks in sorted(rounds.clients):
    rss = rounds.series(tasks, "rss")[-1]
    per_task = "-" if tasks == 1 else f"{(rss[0] - rounds.series(1, 'rss')[-1][0]) / tasks:.0f}"
    print(f'{tasks:>10} {rounds.median(tasks, "wall"):>7.3f} s '
          f'{rounds.median(tasks, "wall") - empty:>8.3f} s {rounds.median(tasks, "fanout_wall"):>9.3f} s '
          + " ".join(f"{mib(b):>16}" for b in rss) + f" {per_task:>19}")
for why in skipped:
    print(f"{'left out':>10}: {why}")

print()
print(f"goal: peak RSS of every rank at {largest} tasks <= {goal_rss:g}x its value at {smallest}, "
      f"and time over an empty run <= {goal_s:g} s")
if largest in rounds.clients and smallest in rounds.clients:
    big, small = rounds.series(largest, "rss")[-1], rounds.series(smallest, "rss")[-1]
    met = []
    for r in range(ranks):
        met.append(big[r] <= goal_rss * small[r])
        print(f"  rank {r} RSS        {'met' if met[-1] else 'not met'}: {mib(big[r])} vs {mib(small[r])}"
              f" = {big[r] / small[r]:.2f}x")
    over = rounds.median(largest, "wall") - empty
    met.append(over <= goal_s)
    print(f"  time over empty   {'met' if met[-1] else 'not met'}: {over:.3f} s "
          f"({rounds.median(largest, 'wall'):.3f} s - {empty:.3f} s for 1 task)")
    print(f"  overall: {verdict(met)}")
else:
    print(f"  not measured: {largest} tasks left out" if skipped else "  not measured")
    print("  overall: not measured")
print("wall: the mpirun command (launch, run, gather, report); fanout wall: its run clock after")
print("  the barrier; peak RSS: getrusage of each rank (at least the ~10 MiB of rusage.py's fork);")
print("  bytes/task: rank 0's peak over the empty run's, per task of the run.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF
echo "JSON reports: $BENCH_OUT"
