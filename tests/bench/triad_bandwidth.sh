#!/usr/bin/env bash
# Benchmark: fanout's triad kernel in GB/s against a STREAM-style yardstick over the same arrays per worker, 1 worker up to the cores.
# Usage: tests/bench/triad_bandwidth.sh BUILD_DIR
# Knobs (environment): BENCH_TRIAD_ARRAY (33554432 bytes per array, jobs/triad.ini's 32 MiB),
# BENCH_TRIAD_TASKS (30, rounded up to whole rounds of tasks per worker), BENCH_TRIAD_WORKERS
# (1 2 4 ... and BENCH_CORES), BENCH_TRIAD_ROUNDS (5 interleaved rounds), BENCH_TRIAD_TRIALS (10
# timed sweeps of the yardstick, STREAM's NTIMES), BENCH_CORES (nproc), BENCH_OUT (BUILD_DIR/bench).
# fanout's JSON has no GB/s: it is computed here from the job's own numbers,
#   GB/s = elements x 24 bytes x sweeps x tasks / wall / 1e9,  elements = cpu.array / 8,
# counting bytes as STREAM does (3 x 8 per element per sweep: read b, read c, write a).
# Nothing here asserts a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

array_bytes=${BENCH_TRIAD_ARRAY:-33554432}
tasks_wanted=${BENCH_TRIAD_TASKS:-30}
rounds=${BENCH_TRIAD_ROUNDS:-5}
trials=${BENCH_TRIAD_TRIALS:-10}
if [[ -n ${BENCH_TRIAD_WORKERS:-} ]]; then
  read -r -a workers_list <<<"$BENCH_TRIAD_WORKERS"
else
  workers_list=()
  for ((w = 1; w < BENCH_CORES; w *= 2)); do workers_list+=("$w"); done
  workers_list+=("$BENCH_CORES")
fi
kGoal=0.90

if ! stream=$(bench_tool triad_stream); then
  echo "goal: fanout triad >= ${kGoal}x the STREAM-style yardstick's GB/s at $BENCH_CORES workers"
  echo "  not measured: no triad_stream in $BENCH_TOOLS"
  echo "  overall: not measured"
  exit 0
fi

results=$BENCH_OUT/triad_bandwidth.tsv
: >"$results"

# fanout_triad ROUND WORKERS: one fanout run of jobs/triad.ini, every worker the same number of
# tasks (an idle worker at the end would be counted against the kernel).
fanout_triad() {
  local json=$BENCH_OUT/triad_fanout_$2.json model=(--model serial)
  local tasks=$((($tasks_wanted + $2 - 1) / $2 * $2))
  ((${2} > 1)) && model=(--model threads --threads "$2")
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "$FANOUT" run "$BENCH_REPO/jobs/triad.ini" \
    "${model[@]}" --cpu.array "$array_bytes" --cpu.count "$tasks" --base none --quiet --json "$json"
  python3 - "$json" "$1" "$2" <<'EOF' >>"$results"
import json, sys
path, rnd, workers = sys.argv[1:]
doc = json.load(open(path))
run, cpu = doc["runs"][0], doc["job"]["cpu"]
per_task = cpu["array_bytes"] // 8 * 24 * cpu["sweeps"]
# the same bytes over the median task's time, on every worker at once: the rate inside tasks,
# without what lies between them
inside = int(workers) * per_task / run["task_duration_s"]["median"]
print(f"{rnd}\tfanout\t{workers}\t{per_task * run['tasks'] / run['wall_s'] / 1e9}\t"
      f"{inside / 1e9}\t{run['failed']}")
EOF
}

# stream_triad ROUND WORKERS: the yardstick with as many OpenMP threads.
stream_triad() {
  local line
  echo "  \$ OMP_NUM_THREADS=$2 triad_stream $array_bytes $trials" >&2
  line=$(OMP_NUM_THREADS=$2 "$stream" "$array_bytes" "$trials")
  local best avg
  read -r best avg < <(bench_kv "$line" gbps avg_gbps)
  printf '%s\tyardstick\t%s\t%s\t%s\t0\n' "$1" "$2" "$best" "$avg" >>"$results"
}

load_before=$(bench_load)
started=$SECONDS
echo "triad_bandwidth: 3 arrays of $array_bytes bytes per worker, workers ${workers_list[*]}," \
     "$rounds interleaved rounds (load average $load_before)" >&2
for round in $(seq "$rounds"); do
  for workers in "${workers_list[@]}"; do
    fanout_triad "$round" "$workers"
    stream_triad "$round" "$workers"
  done
done
load_after=$(bench_load)
echo >&2

bench_python - "$results" "$array_bytes" "$trials" "$BENCH_CORES" "$kGoal" "$load_before" \
  "$load_after" "$((SECONDS - started))" <<'EOF'
import sys

from rounds import Rounds, per_round

(results, array_bytes, trials, cores, goal, load_before, load_after, seconds) = sys.argv[1:]
cores, goal = int(cores), float(goal)
by_workers = {}
for line in open(results):
    rnd, client, workers, gbps, second, failed = line.rstrip("\n").split("\t")
    by_workers.setdefault(int(workers), Rounds()).add(rnd, client, gbps=float(gbps),
                                                      second=float(second), failed=int(failed))
workers_list = sorted(by_workers)

print(f"triad bandwidth: a = b + s*c over 3 arrays of {int(array_bytes) / 2**20:g} MiB per worker, "
      f"{len(by_workers[workers_list[0]])} interleaved rounds, medians (GB/s = 1e9 bytes/s)")
header = (f'{"workers":>7} {"fanout":>9} {"(in tasks)":>10} {"yardstick":>9} {"(avg)":>7} '
          f'{"fanout/yardstick":>16} {"fanout per round":>30} {"failed":>6}')
print(header)
print("-" * len(header))
for w in workers_list:
    r = by_workers[w]
    ratio, _ = r.ratio("fanout", "yardstick", "gbps")
    print(f'{w:>7} {r.median("fanout", "gbps"):>9.2f} {r.median("fanout", "second"):>10.2f} '
          f'{r.median("yardstick", "gbps"):>9.2f} {r.median("yardstick", "second"):>7.2f} '
          f'{ratio:>15.2f}x {per_round(r.series("fanout", "gbps"), "{:.1f}"):>30} '
          f'{sum(r.series("fanout", "failed")):>6}')

print()
print("scaling (GB/s vs workers, and over 1 worker):")
base = by_workers[workers_list[0]]
for client in ("fanout", "yardstick"):
    curve = ", ".join(f'{w}: {by_workers[w].median(client, "gbps"):.1f} '
                      f'({by_workers[w].median(client, "gbps") / base.median(client, "gbps"):.2f}x)'
                      for w in workers_list)
    print(f"  {client:<9} {curve}")

print()
print(f"goal: fanout triad >= {goal:.2f}x the STREAM-style yardstick's GB/s at {cores} workers")
if cores in by_workers:
    r = by_workers[cores]
    ratio, per = r.ratio("fanout", "yardstick", "gbps")
    met = ratio >= goal
    print(f"  {cores} workers {'met' if met else 'not met'}: {r.median('fanout', 'gbps'):.2f} vs "
          f"{r.median('yardstick', 'gbps'):.2f} GB/s = {ratio:.2f}x (per round {per_round(per)})")
    print(f"  overall: {'met' if met else 'not met'}")
else:
    print(f"  not measured at {cores} workers (BENCH_TRIAD_WORKERS)")
    print("  overall: not measured")
print("fanout: elements x 24 bytes x sweeps x tasks / wall (jobs/triad.ini, serial at 1 worker,")
print("  threads above; tasks a whole number per worker); (in tasks): the same bytes of one task")
print("  over the median task duration, times the workers, i.e. without the gaps between tasks.")
print(f"yardstick: triad_stream, every thread on arrays of its own first touched by it; best of "
      f"{int(trials) - 1} timed sweeps")
print("  after a first left out, as STREAM reports; (avg): the mean of those sweeps. Bytes counted")
print("  as STREAM does, 3 x 8 per element per sweep (the write-allocate read of a is not counted).")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(sum(r.series("fanout", "failed")) for r in by_workers.values()):
    print("WARNING: some tasks failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
