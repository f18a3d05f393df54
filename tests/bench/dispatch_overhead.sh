#!/usr/bin/env bash
# Benchmark: what dynamic scheduling across ranks costs per task, with 1M empty (noop) tasks.
# Usage: tests/bench/dispatch_overhead.sh BUILD_DIR
# Knobs (environment): BENCH_TASKS (1000000), BENCH_CHUNKS ("1000 10000 auto"), BENCH_REPEAT (3),
# BENCH_CORES (nproc), BENCH_OUT (BUILD_DIR/bench). Nothing here asserts a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

tasks=${BENCH_TASKS:-1000000}
read -r -a chunks <<<"${BENCH_CHUNKS:-1000 10000 auto}"
ranks_list=(1)
if ((BENCH_CORES > 1)); then ranks_list+=("$BENCH_CORES"); fi

job=(--workload cpu --cpu.kernel noop --cpu.count "$tasks" --model processes --base none
     --repeat "$BENCH_REPEAT" --quiet)
manifest=$BENCH_OUT/dispatch_overhead.tsv
: >"$manifest"

load_before=$(bench_load)
started=$SECONDS
echo "dispatch_overhead: $tasks noop tasks, processes, ranks ${ranks_list[*]}," \
     "chunks ${chunks[*]}, $BENCH_REPEAT repetitions (load average $load_before)" >&2

for ranks in "${ranks_list[@]}"; do
  json=$BENCH_OUT/noop_np${ranks}_static.json
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$ranks" "$FANOUT" run "${job[@]}" \
    --schedule static --json "$json"
  printf '%s\t%s\t%s\t%s\n' "$ranks" static - "$json" >>"$manifest"
  for chunk in "${chunks[@]}"; do
    chunk_flag=()
    if [[ $chunk != auto ]]; then chunk_flag=(--chunk "$chunk"); fi
    json=$BENCH_OUT/noop_np${ranks}_dynamic_${chunk}.json
    bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np "$ranks" "$FANOUT" run "${job[@]}" \
      --schedule dynamic "${chunk_flag[@]}" --json "$json"
    printf '%s\t%s\t%s\t%s\n' "$ranks" dynamic "$chunk" "$json" >>"$manifest"
  done
done

load_after=$(bench_load)
echo >&2

python3 - "$manifest" "$load_before" "$load_after" "$((SECONDS - started))" <<'EOF'
import json
import sys

manifest, load_before, load_after, seconds = sys.argv[1:]
kGoalNs = 1000.0

rows = []
for line in open(manifest):
    ranks, schedule, chunk_asked, path = line.rstrip("\n").split("\t")
    run = json.load(open(path))["runs"][-1]
    rows.append({"ranks": int(ranks), "schedule": schedule, "chunk_asked": chunk_asked,
                 "chunk": run["chunk"], "tasks": run["tasks"], "wall": run["wall_s"],
                 "wall_min": run["wall_min_s"], "cv": run["wall_cv"], "failed": run["failed"],
                 # CPU time of every rank over the median repetition's measured window: what the
                 # scheduling costs in work, which other programs on the cores do not inflate.
                 "cpu": sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in run["per_rank"]),
                 "task_p50": run["task_duration_s"]["median"]})

# Overhead against the static split of the same rank count, from the medians and from the minima:
# on a shared machine noise only ever adds time, so the minimum is the steadier estimate.
static = {r["ranks"]: r for r in rows if r["schedule"] == "static"}
for r in rows:
    base = static[r["ranks"]]
    dynamic = r["schedule"] == "dynamic"
    r["ns_per_task"] = 1e9 * r["wall"] / r["tasks"]
    r["overhead_ns"] = 1e9 * (r["wall"] - base["wall"]) / r["tasks"] if dynamic else None
    r["overhead_min_ns"] = (1e9 * (r["wall_min"] - base["wall_min"]) / r["tasks"]
                            if dynamic else None)
    r["cpu_ns"] = 1e9 * r["cpu"] / r["tasks"]
    r["cpu_overhead_ns"] = 1e9 * (r["cpu"] - base["cpu"]) / r["tasks"] if dynamic else None

def pct(x):
    return "-" if x is None else f"{100 * x:.1f} %"

def ns(x):
    return "-" if x is None else f"{x:+.0f} ns"

header = (f'{"ranks":>5} {"schedule":<8} {"chunk":>14} {"wall median":>11} {"wall min":>10} '
          f'{"±cv":>7} {"wall/task":>9} {"over static":>11} {"(from min)":>10} {"cpu/task":>9} '
          f'{"cpu over st.":>12} {"task p50":>8} {"failed":>6}')
print(f"dynamic scheduling overhead: {rows[0]['tasks']} noop tasks, model processes, bind none")
print("wall/task = median wall / tasks; over static = (dynamic - static wall) / tasks;")
print("cpu/task = CPU time of all ranks / tasks (median repetition), cpu over st. likewise")
print(header)
print("-" * len(header))
for r in rows:
    chunk = "-" if r["schedule"] == "static" else (
        f'{r["chunk"]} (auto)' if r["chunk_asked"] == "auto" else str(r["chunk"]))
    print(f'{r["ranks"]:>5} {r["schedule"]:<8} {chunk:>14} {1e3 * r["wall"]:>8.1f} ms '
          f'{1e3 * r["wall_min"]:>7.1f} ms {pct(r["cv"]):>7} {r["ns_per_task"]:>6.0f} ns '
          f'{ns(r["overhead_ns"]):>11} {ns(r["overhead_min_ns"]):>10} {r["cpu_ns"]:>6.0f} ns '
          f'{ns(r["cpu_overhead_ns"]):>12} {1e9 * r["task_p50"]:>5.0f} ns {r["failed"]:>6}')

print()
print(f"goal: dynamic scheduling overhead <= {kGoalNs / 1000:.0f} µs per task with chunking")
dynamic = [r for r in rows if r["schedule"] == "dynamic"]
met = [r for r in dynamic if max(r["overhead_ns"], r["overhead_min_ns"]) <= kGoalNs]
for r in dynamic:
    worst = max(r["overhead_ns"], r["overhead_min_ns"])
    print(f'  ranks {r["ranks"]}, chunk {r["chunk"]:>6}: {ns(r["overhead_ns"])} (median), '
          f'{ns(r["overhead_min_ns"])} (min): {"met" if worst <= kGoalNs else "not met"}; '
          f'CPU {ns(r["cpu_overhead_ns"])}')
verdict = "met" if len(met) == len(dynamic) else "partly met" if met else "not met"
print(f"  overall: {verdict} ({len(met)} of {len(dynamic)} chunked configurations, "
      "both estimates within the goal)")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(r["failed"] for r in rows):
    print("WARNING: some tasks failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
