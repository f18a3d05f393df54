#!/usr/bin/env bash
# Benchmark: what a queued task of `fanout farm` costs rank 0 in memory: one rank, 1 slot, a list of
# 1000 and one of 1,000,000 `true` tasks, rank 0's RSS read from /proc once the list is loaded and
# tasks run, then the run stopped with SIGTERM. Also reported: the growth per finished task.
# Usage: tests/bench/farm_memory.sh BUILD_DIR
# Knobs (environment): BENCH_FARM_MEMORY_TASKS ("1000 1000000": the first and last sizes are
# compared), BENCH_FARM_MEMORY_SECONDS (3: how long the largest list runs on for the per-finished
# figure), BENCH_OUT (BUILD_DIR/bench). Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

read -r -a sizes <<<"${BENCH_FARM_MEMORY_TASKS:-1000 1000000}"
run_on_s=${BENCH_FARM_MEMORY_SECONDS:-3}
kGoalBytes=200
# The first reading waits for this many finished tasks: the list is read before any task starts,
# and the few Samples of finished tasks by then (about 100 bytes each) are the same at every size.
kFinishedAt=20
kWaitS=120

work=$(mktemp -d)
rank_pid='' mpirun_pid=''
farm_memory_cleanup() {
  if [[ -n $rank_pid ]]; then kill -TERM "$rank_pid" 2>/dev/null || true; fi
  if [[ -n $mpirun_pid ]]; then
    kill -TERM "$mpirun_pid" 2>/dev/null || true
    wait "$mpirun_pid" 2>/dev/null || true
  fi
  bench_cleanup
}
trap farm_memory_cleanup EXIT
results=$BENCH_OUT/farm_memory.tsv
: >"$results"

# Finished tasks so far: the joblog's lines after its header.
finished() {
  local n=1
  [[ -f $work/logs/joblog ]] && n=$(wc -l <"$work/logs/joblog")
  echo $((n > 0 ? n - 1 : 0))
}
# Rank 0's VmHWM (its peak RSS so far) and VmRSS (now) in KiB from /proc, and the finished tasks,
# tab-separated; fails when rank 0 has ended.
reading() {
  local hwm='' rss=''
  read -r hwm rss < <(awk '$1 == "VmHWM:" { h = $2 } $1 == "VmRSS:" { r = $2 } END { print h, r }' \
    "/proc/$rank_pid/status" 2>>"$work/errors")
  [[ -n $rss ]] || return 1
  printf '%s\t%s\t%s' "$hwm" "$rss" "$(finished)"
}

# measure TASKS RUN_ON_S: one farm on a list of TASKS; appends TASKS HWM1 RSS1 DONE1 [HWM2 RSS2
# DONE2 SECONDS] (KiB, tasks finished at each reading), the second reading RUN_ON_S later.
measure() {
  local n=$1 run_on=$2 at=$((kFinishedAt < $1 / 2 ? kFinishedAt : $1 / 2))
  bench_task_file "$n" true "$work/tasks.txt"
  rm -rf "$work/logs" "$work/rank.pid"
  echo "  \$ ${BENCH_MPIRUN[*]} --bind-to none -np 1 fanout farm \$tmp/tasks.txt --slots 1" \
       "--logs \$tmp/logs --quiet --progress none   # $n lines; SIGTERM once $at finished" >&2
  # sh writes the rank's pid (one write), then becomes fanout: the pid is rank 0's own.
  # shellcheck disable=SC2016 # $$, $0 and $@ are the inner sh's
  "${BENCH_MPIRUN[@]}" --bind-to none -np 1 sh -c 'echo $$ >"$0" && exec "$@"' "$work/rank.pid" \
    "$FANOUT" farm "$work/tasks.txt" --slots 1 --logs "$work/logs" --quiet --progress none \
    >"$work/farm.log" 2>&1 &
  mpirun_pid=$!
  local deadline=$((SECONDS + kWaitS))
  until [[ -n $rank_pid ]] && (($(finished) >= at)); do
    if ! kill -0 "$mpirun_pid" 2>/dev/null || ((SECONDS > deadline)); then
      echo "farm_memory: the farm of $n tasks ended or hung before $at tasks finished:" >&2
      cat "$work/farm.log" >&2
      exit 1
    fi
    sleep 0.05
    if [[ -z $rank_pid && -s $work/rank.pid ]]; then rank_pid=$(cat "$work/rank.pid"); fi
  done
  local row second
  if ! row="$n	$(reading)"; then
    echo "farm_memory: rank 0 of the farm of $n tasks ended before its RSS was read:" >&2
    cat "$work/farm.log" >&2
    exit 1
  fi
  if [[ $run_on != 0 ]]; then
    sleep "$run_on"
    if second=$(reading); then row+="	$second	$run_on"; fi
  fi
  kill -TERM "$rank_pid" 2>/dev/null || true
  wait "$mpirun_pid" 2>/dev/null || true
  rank_pid='' mpirun_pid=''
  echo "$row" >>"$results"
}

load_before=$(bench_load)
started=$SECONDS
echo "farm_memory: lists of ${sizes[*]} \`true\` tasks, 1 slot, one rank (load average $load_before)" >&2
for n in "${sizes[@]}"; do
  run_on=0
  [[ $n == "${sizes[-1]}" ]] && run_on=$run_on_s
  measure "$n" "$run_on"
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$kGoalBytes" "$load_before" "$load_after" "$((SECONDS - started))" <<'EOF'
import sys

results, goal, load_before, load_after, seconds = sys.argv[1:]
goal = float(goal)
rows = [[float(x) for x in line.split("\t")] for line in open(results)]

def mib(kib):
    return f"{kib / 1024:.1f} MiB"

header = f'{"tasks":>10} {"peak RSS":>10} {"RSS":>10} {"finished":>8}'
print("farm memory at rank 0: lists of `true`, 1 slot, one rank, read once tasks run (list loaded)")
print(header)
print("-" * len(header))
for r in rows:
    print(f"{int(r[0]):>10} {mib(r[1]):>10} {mib(r[2]):>10} {int(r[3]):>8}")

small, large = rows[0], rows[-1]
queued = large[0] - small[0]
print()
print(f"goal: rank 0's peak RSS per queued task at {int(large[0])} tasks < {goal:g} bytes "
      f"(against {int(small[0])})")
if queued > 0:
    per = (large[1] - small[1]) * 1024 / queued
    per_now = (large[2] - small[2]) * 1024 / queued
    print(f"  queued   {'met' if per < goal else 'not met'}: {per:.1f} bytes/task (peak RSS "
          f"{mib(large[1])} - {mib(small[1])} over {int(queued)} tasks; RSS now: {per_now:.1f})")
    if len(large) > 4 and large[6] > large[3]:
        done = large[6] - large[3]
        grew = (large[5] - large[2]) * 1024
        print(f"  finished reported: {grew / done:.0f} bytes per finished task (RSS growth "
              f"{grew / 1024:.0f} KiB over {int(done)} tasks in {large[7]:g} s; not the goal's)")
    else:
        print("  finished reported: not measured (the run ended before the second reading)")
    print(f"  overall: {'met' if per < goal else 'not met'}")
else:
    print("  not measured: give two list sizes, smaller first")
    print("  overall: not measured")
print("peak RSS: VmHWM of rank 0 (/proc/PID/status), reading the list included; RSS: its VmRSS at")
print("  the same moment; finished: joblog lines when read (each holds a Sample, ~100 bytes).")
print("  A queued task: its line of the list plus what rank 0 keeps per task before it runs.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF
