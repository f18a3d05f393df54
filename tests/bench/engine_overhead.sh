#!/usr/bin/env bash
# Benchmark: what the engines cost per task (1M noop tasks) and what a waiting rank burns.
# Usage: tests/bench/engine_overhead.sh BUILD_DIR
# Knobs (environment): BENCH_TASKS (1000000), BENCH_OUT (BUILD_DIR/bench). Asserts nothing: the
# per-task overhead and the CPU share of a waiting rank are printed with their goals.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

tasks=${BENCH_TASKS:-1000000}
kGoalNs=1000
kGoalShare=0.05
load_before=$(bench_load)
if ! engines=$(bench_tool engine_overhead) || ! idle=$(bench_tool idle_cpu); then
  echo "goal: engine overhead <= ${kGoalNs} ns per task; a waiting rank's CPU <= ${kGoalShare} of its wait"
  echo "  not measured: the benchmark programs are not built"
  echo "  overall: not measured"
  exit 0
fi
echo "engine_overhead: $tasks noop tasks per engine (load average $load_before)" >&2
"$engines" "$tasks" | tee "$BENCH_OUT/engine_overhead.txt"
"${BENCH_MPIRUN[@]}" --bind-to none -np 2 "$idle" | tee -a "$BENCH_OUT/engine_overhead.txt"
python3 - "$BENCH_OUT/engine_overhead.txt" "$kGoalNs" "$kGoalShare" "$load_before" "$(bench_load)" <<'PY'
import sys
path, goal_ns, goal_share, load0, load1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
rows = [dict(kv.split("=") for kv in line.split()[1:] if "=" in kv) | {"name": line.split()[1]}
        for line in open(path) if line.startswith("engine ")]
idle = [dict(kv.split("=") for kv in line.split()[1:]) for line in open(path) if line.startswith("idle ")]
worst = max(float(r["wall_ns_per_task"]) for r in rows if r["chunk"] == "1000")
met_engines = worst <= goal_ns
share = max(float(idle[0]["barrier_cpu_share"]), float(idle[0]["dispatcher_cpu_share"])) if idle else float("nan")
met_idle = share <= goal_share
print(f"goal: engine overhead <= {goal_ns:.0f} ns per task (chunks of 1000); a waiting rank's CPU "
      f"<= {goal_share:.2f} of its wait")
print(f"  engines: worst {worst:.1f} ns per task: {'met' if met_engines else 'NOT met'}")
print(f"  waiting: worst CPU share {share:.4f}: {'met' if met_idle else 'NOT met'}")
print(f"  load average {load0} -> {load1}")
print(f"  overall: {'met' if met_engines and met_idle else 'NOT met'}")
PY
