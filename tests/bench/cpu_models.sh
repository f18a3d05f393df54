#!/usr/bin/env bash
# Benchmark: fib under every model at 1 worker and at p = cores, speedup and efficiency, binding compared.
# Usage: tests/bench/cpu_models.sh BUILD_DIR
# Knobs (environment): BENCH_FIB_N (35), BENCH_FIB_COUNT (40), BENCH_REPEAT (3), BENCH_CORES (nproc),
# BENCH_OUT (BUILD_DIR/bench). Nothing here asserts a time: it prints what it measured.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

fib_n=${BENCH_FIB_N:-35}
fib_count=${BENCH_FIB_COUNT:-40}
p=$BENCH_CORES
# A hybrid needs both levels: p/2 ranks of 2 threads (1 rank of p threads when p < 4).
if ((p >= 4)); then hybrid_ranks=$((p / 2)); else hybrid_ranks=1; fi
hybrid_threads=$((p / hybrid_ranks))

job=("$BENCH_REPO/jobs/fib.ini" --cpu.n "$fib_n" --cpu.count "$fib_count" --repeat "$BENCH_REPEAT"
     --quiet)
manifest=$BENCH_OUT/cpu_models.tsv
: >"$manifest"

# measure LABEL BINDING JSON MPIRUN_OPTIONS... -- FANOUT_ARGS...
measure() {
  local label=$1 binding=$2 json=$BENCH_OUT/$3
  shift 3
  local mpi=()
  while [[ $1 != -- ]]; do mpi+=("$1"); shift; done
  shift
  bench_run "${BENCH_MPIRUN[@]}" "${mpi[@]}" "$FANOUT" "$@" --json "$json"
  printf '%s\t%s\t%s\n' "$label" "$binding" "$json" >>"$manifest"
}

load_before=$(bench_load)
started=$SECONDS
echo "cpu_models: fib($fib_n) x $fib_count tasks, $BENCH_REPEAT repetitions, p = 1 and $p" \
     "(load average $load_before)" >&2

measure "compare p=1" none compare_p1.json --bind-to none -np 1 -- \
  compare "${job[@]}" --threads 1
measure "compare p=$p" none "compare_p$p.json" --bind-to none -np "$p" -- \
  compare "${job[@]}"
measure "run" none "threads_p$p.json" --bind-to none -np 1 -- \
  run "${job[@]}" --base none --model threads --threads "$p"
measure "run" none "processes_p${p}_none.json" --bind-to none -np "$p" -- \
  run "${job[@]}" --base none --model processes
measure "run" core "processes_p${p}_core.json" --bind-to core -np "$p" -- \
  run "${job[@]}" --base none --model processes
measure "run" none "hybrid_p${p}_none.json" --bind-to none -np "$hybrid_ranks" -- \
  run "${job[@]}" --base none --model processes+threads --threads "$hybrid_threads"
# PE=T gives each rank T cores of its own, so its threads are not all bound to one core.
measure "run" "core, PE=$hybrid_threads" "hybrid_p${p}_core.json" \
  --map-by "slot:PE=$hybrid_threads" --bind-to core -np "$hybrid_ranks" -- \
  run "${job[@]}" --base none --model processes+threads --threads "$hybrid_threads"

load_after=$(bench_load)
echo >&2

python3 - "$manifest" "$p" "$load_before" "$load_after" "$((SECONDS - started))" <<'EOF'
import json
import statistics
import sys

manifest, cores, load_before, load_after, seconds = sys.argv[1:]
cores = int(cores)
kGoal = 0.95
kGoalModels = ("processes", "threads", "processes+threads")

rows = []
for line in open(manifest):
    label, binding, path = line.rstrip("\n").split("\t")
    doc = json.load(open(path))
    for run in doc["runs"]:
        active = [r for r in run["per_rank"] if r["workers"] > 0]
        workers = sum(r["workers"] for r in active)
        cpu = sum(r["cpu_user_s"] + r["cpu_sys_s"] for r in active)
        rows.append({
            "source": label, "binding": binding, "model": run["model"],
            "layout": f'{run["ranks"]}x{run["workers_per_rank"]}', "workers": workers,
            "wall": run["wall_s"], "cv": run["wall_cv"],
            # CPU time the workers got over what they could have used: well below 100 % means
            # other programs held the cores, so the wall time says more about them than about fanout.
            "cpu_share": cpu / (run["wall_s"] * workers) if run["wall_s"] > 0 and workers else None,
            "cpu": cpu,
            "failed": run["failed"],
        })

# One base for every row: the serial median measured next to the p = cores runs.
serial = [r for r in rows if r["model"] == "serial" and r["source"] == f"compare p={cores}"]
if not serial:
    serial = [r for r in rows if r["model"] == "serial"]
base = statistics.median(r["wall"] for r in serial)
base_cpu = statistics.median(r["cpu"] for r in serial)
for r in rows:
    r["speedup"] = base / r["wall"]
    r["efficiency"] = r["speedup"] / r["workers"]
    # Serial CPU time over this model's CPU time: the work a model adds (spinning, scheduling,
    # cache misses), which a busy machine does not hide the way it hides wall-clock scaling.
    r["cpu_efficiency"] = base_cpu / r["cpu"] if r["cpu"] > 0 else None

def pct(x):
    return "-" if x is None else f"{100 * x:.1f} %"

header = (f'{"source":<13} {"model":<18} {"ranks x thr":>11} {"binding":<11} {"wall (median)":>13} '
          f'{"±cv":>7} {"speedup":>8} {"efficiency":>10} {"cpu share":>9} {"cpu-time eff":>12} '
          f'{"failed":>6}')
print(f"fib benchmark: base case serial, median wall {base:.3f} s; p = cores = {cores}")
print(header)
print("-" * len(header))
for r in rows:
    print(f'{r["source"]:<13} {r["model"]:<18} {r["layout"]:>11} {r["binding"]:<11} '
          f'{r["wall"]:>11.3f} s {pct(r["cv"]):>7} {r["speedup"]:>7.2f}x {pct(r["efficiency"]):>10} '
          f'{pct(r["cpu_share"]):>9} {pct(r["cpu_efficiency"]):>12} {r["failed"]:>6}')

print()
print(f"goal: parallel efficiency >= {100 * kGoal:.0f} % at p = cores ({cores}) "
      f"for {', '.join(kGoalModels)}")
all_met = True
for model in kGoalModels:
    at_p = [r for r in rows if r["model"] == model and r["workers"] == cores]
    if not at_p:
        print(f"  {model:<18} not measured at p = {cores}")
        all_met = False
        continue
    met = [r for r in at_p if r["efficiency"] >= kGoal]
    verdict = "met" if len(met) == len(at_p) else "partly met" if met else "not met"
    all_met = all_met and len(met) == len(at_p)
    detail = ", ".join(f'{pct(r["efficiency"])} ({r["source"]}, {r["layout"]}, bind {r["binding"]})'
                       for r in at_p)
    print(f"  {model:<18} {verdict}: {detail}")
print(f"  overall: {'met' if all_met else 'not met'}")
print("cpu share: CPU time the workers got / (wall x workers); well under 100 % means other programs")
print("  held the cores and the wall-clock figures measure them, not fanout.")
print("cpu-time eff: serial CPU time / this run's CPU time (100 % = the model adds no work).")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
if any(r["failed"] for r in rows):
    print("WARNING: some tasks failed; see the JSON reports")
EOF
echo "JSON reports: $BENCH_OUT"
