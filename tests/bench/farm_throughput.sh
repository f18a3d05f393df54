#!/usr/bin/env bash
# Benchmark: trivial tasks (`true`) through `fanout farm` on 2 slots against GNU parallel -j2 and a
# bare posix_spawn loop (bare_spawn.c), interleaved in the same run; and 2 ranks of 1 slot each.
# Usage: tests/bench/farm_throughput.sh BUILD_DIR
# Knobs (environment): BENCH_FARM_TASKS (2000), BENCH_FARM_ROUNDS (BENCH_REPEAT, 3),
# BENCH_PARALLEL (parallel: GNU parallel, Debian's package parallel), BENCH_OUT (BUILD_DIR/bench).
# Every task's logs go to a temporary folder, emptied before each run: per-task files
# (--output files), as bare_spawn writes them (farm_output.sh measures records). Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

tasks=${BENCH_FARM_TASKS:-2000}
rounds=${BENCH_FARM_ROUNDS:-$BENCH_REPEAT}
parallel=${BENCH_PARALLEL:-parallel}
kSlots=2

work=$(mktemp -d)
trap bench_cleanup EXIT
bench_task_file "$tasks" true "$work/tasks.txt"
results=$BENCH_OUT/farm_throughput.tsv
: >"$results"

# Why a yardstick is not measured, empty when it is: moreutils also installs a `parallel`, which
# is another program.
no_parallel=
if ! command -v "$parallel" >/dev/null; then
  no_parallel="GNU parallel ($parallel) is not installed (Debian: apt-get install parallel)"
elif [[ $("$parallel" --version 2>&1 || true) != "GNU parallel"* ]]; then
  no_parallel="$(command -v "$parallel") is not GNU parallel (moreutils' parallel?)"
fi
no_bare=
bare=$(bench_tool bare_spawn 2>"$work/bare_missing") || no_bare=$(cat "$work/bare_missing")
no_bare=${no_bare#bench: }
for why in "$no_parallel" "$no_bare"; do
  [[ -n $why ]] && echo "farm_throughput: $why" >&2
done

fresh_logs() {
  rm -rf "$work/logs"
  mkdir "$work/logs"
}

# record ROUND CLIENT RATE_WALL_S EXTERNAL_WALL_S TASKS FAILED: one client run.
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

# run_fanout ROUND CLIENT NAME RANKS FARM_ARGS...: tasks/s from the run clock in its JSON report.
run_fanout() {
  local round=$1 client=$2 json=$BENCH_OUT/farm_throughput_$3_$1.json ranks=$4 t0 t1
  shift 4
  fresh_logs
  t0=$(date +%s.%N)
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$ranks" "$FANOUT" farm "$work/tasks.txt" \
    --logs "$work/logs" --output files --quiet --progress none --json "$json" "$@" || true
  t1=$(date +%s.%N)
  local wall ok failed
  read -r wall ok failed < <(python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
print(run["wall_s"], int(run["tasks_ok"]), int(run["tasks_failed"]))' "$json")
  record "$round" "$client" "$wall" "$(python3 -c "print($t1 - $t0)")" "$((ok + failed))" \
    "$((tasks - ok))"
}

# run_external ROUND CLIENT COMMAND...: tasks/s from the process's wall, start-up included; the
# exit status counts failed tasks (GNU parallel's does, up to 101; bare_spawn's says whether any).
run_external() {
  local round=$1 client=$2 t0 t1 rc=0
  shift 2
  fresh_logs
  echo "  \$ ${*/#$work/\$tmp}" >&2
  t0=$(date +%s.%N)
  "$@" >"$work/external.out" 2>"$work/external.err" || rc=$?
  t1=$(date +%s.%N)
  if ((rc != 0)); then
    echo "farm_throughput: $client exited $rc: $(tail -n 3 "$work/external.err" | tr '\n' ' ')" >&2
  fi
  record "$round" "$client" "$(python3 -c "print($t1 - $t0)")" "$(python3 -c "print($t1 - $t0)")" \
    "$tasks" "$rc"
}

load_before=$(bench_load)
started=$SECONDS
echo "farm_throughput: $tasks tasks of \`true\`, $kSlots slots, $rounds interleaved rounds" \
     "(load average $load_before)" >&2
# Interleaved rounds, so a burst of load from elsewhere lands on every client alike.
for round in $(seq "$rounds"); do
  run_fanout "$round" "fanout async" async 1 --model async --slots "$kSlots"
  run_fanout "$round" "fanout threads" threads 1 --model threads --slots "$kSlots"
  run_fanout "$round" "fanout 2 ranks" ranks 2 --model processes+async --schedule dynamic --slots 1
  if [[ -z $no_parallel ]]; then
    # Its own config and temporary folder here, so neither $HOME's settings nor its files count.
    PARALLEL_HOME=$work/parallel_home TMPDIR=$work \
      run_external "$round" "parallel -j$kSlots" "$parallel" "-j$kSlots" -a "$work/tasks.txt"
  fi
  if [[ -z $no_bare ]]; then
    run_external "$round" "bare spawn" "$bare" "$work/tasks.txt" "$kSlots" "$work/logs"
  fi
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$tasks" "$kSlots" "$load_before" "$load_after" \
  "$((SECONDS - started))" "$no_parallel" "$no_bare" <<'EOF'
import sys

from rounds import Rounds, per_round, verdict

results, tasks, slots, load_before, load_after, seconds, no_parallel, no_bare = sys.argv[1:]
kGoalParallel = 5.0
kGoalBare = 0.9
kGoalRanksBare = 0.8
parallel, bare = f"parallel -j{slots}", "bare spawn"
rounds = Rounds()
for line in open(results):
    rnd, client, wall, external, n, failed = line.rstrip("\n").split("\t")
    rounds.add(rnd, client, tps=int(n) / float(wall), wall=float(wall), external=float(external),
               failed=int(failed))

clock = {"fanout async": "run clock", "fanout threads": "run clock", "fanout 2 ranks": "run clock",
         parallel: "process", bare: "process"}
header = (f'{"client":<16} {"tasks/s (median)":>16} {"per round":>24} {"clock":>9} '
          f'{"wall":>9} {"process wall":>12} {"failed":>6}')
print(f"farm throughput: {tasks} tasks of `true`, {slots} slots in all, logs to files, "
      f"{len(rounds)} interleaved rounds, medians")
print(header)
print("-" * len(header))
for c in rounds.clients:
    print(f'{c:<16} {rounds.median(c, "tps"):>14.0f}/s '
          f'{per_round(rounds.series(c, "tps"), "{:.0f}"):>24} {clock.get(c, "?"):>9} '
          f'{rounds.median(c, "wall"):>7.3f} s {rounds.median(c, "external"):>10.3f} s '
          f'{sum(rounds.series(c, "failed")):>6}')
for why in (no_parallel, no_bare):
    if why:
        print(f"not measured: {why}")

print()
print(f"goal: fanout farm >= {kGoalParallel:g}x GNU parallel -j{slots} and >= {kGoalBare:g}x a bare "
      f"posix_spawn loop in tasks/s ({slots} slots, one rank), 2 ranks x 1 slot (dynamic) >= "
      f"{kGoalRanksBare:g}x bare")
met = []
checks = [("fanout async", parallel, kGoalParallel, no_parallel),
          ("fanout threads", parallel, kGoalParallel, no_parallel),
          ("fanout async", bare, kGoalBare, no_bare),
          ("fanout threads", bare, kGoalBare, no_bare),
          ("fanout 2 ranks", bare, kGoalRanksBare, no_bare)]
for client, other, goal, missing in checks:
    label = f"{client.removeprefix('fanout ')} vs {other}"
    if missing:
        print(f"  {label:<28} not measured: {missing}")
        continue
    r, per = rounds.ratio(client, other, "tps")
    met.append(r >= goal)
    print(f"  {label:<28} {'met' if met[-1] else 'not met'}: {r:.2f}x "
          f"({rounds.median(client, 'tps'):.0f} vs {rounds.median(other, 'tps'):.0f} tasks/s; "
          f"goal >= {goal:g}x; per round {per_round(per)})")
print(f"  overall: {verdict(met) if met else 'not measured'}"
      + (" (some yardsticks not measured)" if met and (no_parallel or no_bare) else ""))
print("tasks/s: tasks over the clock named: fanout's run clock (runs[0].wall_s of its JSON report,")
print("  after MPI start-up, before the report), the process wall of GNU parallel and bare_spawn")
print("  (date +%s.%N around them: start-up included). process wall: the whole command, fanout's")
print("  under mpirun included (start-up, MPI, report). Each task: /bin/sh -c true, stdout and")
print("  stderr to files (fanout, bare_spawn; GNU parallel buffers them in its temporary files).")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(sum(rounds.series(c, "failed")) for c in rounds.clients):
    print("WARNING: some tasks failed; the rates above count them")
EOF
echo "JSON reports: $BENCH_OUT"
