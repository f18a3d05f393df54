#!/usr/bin/env bash
# Benchmark: fanout's dynamic dispatch simulated at 1k, 10k and 100k ranks (fanout-sim: the same
# protocol code as the MPI runs, on SimGrid), flat against node leaders, with the dispatchers'
# cost per message calibrated first on this machine from a real run.
# Usage: tests/bench/dispatch_sim.sh BUILD_DIR
# The grid: BENCH_SIM_RANKS x BENCH_SIM_MEANS x flat, leaders, constant task times; then the
# other distributions at BENCH_SIM_SHAPES_RANKS and the first mean. Chunk 1 by default: what a
# farm of uneven tasks wants, and the most requests rank 0 can be asked to answer.
# Knobs (environment): BENCH_SIM_RANKS ("1000 10240 102400"), BENCH_SIM_MEANS ("10ms 100ms 1s"),
# BENCH_SIM_FLAT_MAX (10240: the most ranks simulated flat), BENCH_SIM_TASKS_PER_RANK (20), BENCH_SIM_CHUNK (1), BENCH_SIM_SHAPES ("exponential lognormal
# pareto"), BENCH_SIM_SHAPES_RANKS (10240), BENCH_SIM_COST (measured: rank 0's dispatcher's time
# per request), BENCH_SIM_CALIBRATION_TASKS (2000000), BENCH_REPEAT (3: calibration repetitions),
# BENCH_OUT (BUILD_DIR/bench). The 102,400-rank runs take 2-3 minutes and about 6 GB each.
# Nothing here asserts a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

sim=$(cd "$BENCH_BUILD_DIR" && pwd)/fanout-sim
read -r -a ranks_list <<<"${BENCH_SIM_RANKS:-1000 10240 102400}"
read -r -a means <<<"${BENCH_SIM_MEANS:-10ms 100ms 1s}"
per_rank=${BENCH_SIM_TASKS_PER_RANK:-20}
chunk=${BENCH_SIM_CHUNK:-1}
read -r -a shapes <<<"${BENCH_SIM_SHAPES-exponential lognormal pareto}"
shapes_ranks=${BENCH_SIM_SHAPES_RANKS:-10240}
calibration_tasks=${BENCH_SIM_CALIBRATION_TASKS:-2000000}
goal="goal: efficiency >= 0.95 with node leaders at 10,240 ranks for 10 ms tasks and at 102,400 for 100 ms"

if [[ ! -x $sim ]]; then
  echo "dispatch_sim: not measured: no fanout-sim in $BENCH_BUILD_DIR (it is built where SimGrid is:"
  echo "  cluster/deps.sh installs libsimgrid-dev; then reconfigure)"
  echo
  echo "$goal"
  echo "  overall: not measured (no fanout-sim)"
  exit 0
fi

# Calibration: rank 0's dispatcher's cost per request, request seen to reply sent, as fanout run
# reports it, from a run that keeps it busy: empty tasks handed out one at a time to another rank.
cost=${BENCH_SIM_COST:-}
calibration="BENCH_SIM_COST=$cost (given)"
if [[ -z $cost ]]; then
  json=$BENCH_OUT/dispatch_sim_calibration.json
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 2 "$FANOUT" run --workload cpu \
    --cpu.kernel noop --cpu.count "$calibration_tasks" --model processes --schedule dynamic \
    --chunk 1 --repeat "$BENCH_REPEAT" --base none --quiet --json "$json"
  read -r cost requests < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["runs"][-1].get("dispatch")
print(*(d["cost_per_request_s"], d["requests"]) if d else ("-", 0))' "$json")
  calibration="measured here: mpirun -np 2 fanout run --cpu.kernel noop --cpu.count"
  calibration+=" $calibration_tasks --schedule dynamic --chunk 1, median of $BENCH_REPEAT:"
  calibration+=" $requests requests"
  if [[ $cost == - ]]; then
    cost=5e-6
    calibration="not measured: rank 0 answered no request in the calibration run; fanout-sim's"
    calibration+=" default (raise BENCH_SIM_CALIBRATION_TASKS, or set BENCH_SIM_COST)"
  fi
fi

manifest=$BENCH_OUT/dispatch_sim.tsv
: >"$manifest"
load_before=$(bench_load)
started=$SECONDS
echo "dispatch_sim: ranks ${ranks_list[*]}, mean task ${means[*]}, $per_rank tasks a rank," \
     "chunk $chunk, flat and leaders; $cost s per message (load average $load_before)" >&2
# Usage: simulate TIMES MEAN RANKS
# Flat past BENCH_SIM_FLAT_MAX ranks (10240) is left out: rank 0 saturates at 10,240 already, and
# SimGrid with ~100,000 requests queued at one mailbox ran for over 44 minutes without ending.
flat_max=${BENCH_SIM_FLAT_MAX:-10240}
simulate() {
  local design line args
  for design in flat leaders; do
    if [ "$design" = flat ] && [ "$3" -gt "$flat_max" ]; then
      echo "  flat at $3 ranks not simulated (over BENCH_SIM_FLAT_MAX=$flat_max: rank 0 is saturated" \
           "well before, and the simulation of its queue takes hours)" >&2
      continue
    fi
    args=(--ranks "$3" --design "$design" --times "$1" --mean "$2" --tasks "$(($3 * per_rank))"
          --chunk "$chunk" --cost "${cost}s" --format kv)
    echo "  \$ fanout-sim ${args[*]}" >&2
    line=$("$sim" "${args[@]}")
    printf '%s\t%s\t%s\n' "$2" "$design" "$line" >>"$manifest"
  done
}
for ranks in "${ranks_list[@]}"; do
  for mean in "${means[@]}"; do simulate constant "$mean" "$ranks"; done
done
for times in "${shapes[@]}"; do simulate "$times" "${means[0]}" "$shapes_ranks"; done
load_after=$(bench_load)
echo >&2

python3 - "$manifest" "$BENCH_OUT" "$cost" "$calibration" "$goal" "$load_before" "$load_after" \
  "$((SECONDS - started))" <<'EOF_PY'
import shutil
import subprocess
import sys

manifest, out_dir, cost, calibration, goal, load_before, load_after, seconds = sys.argv[1:]
cost = float(cost)

def seconds_of(text):
    for unit, scale in (("ms", 1e-3), ("us", 1e-6), ("s", 1.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    return float(text)

rows = []
for line in open(manifest):
    mean, design, kv = line.rstrip("\n").split("\t")
    r = dict(item.split("=", 1) for item in kv.split())
    for key in ("ranks", "leaders", "tasks", "chunk", "duplicates", "missed", "unfinished",
                "rss_bytes"):
        r[key] = int(r[key])
    for key in ("makespan_s", "efficiency", "root_msgs_per_s", "root_busy", "leader_msgs_per_s",
                "leader_busy", "real_s", "task_s", "bound_s"):
        r[key] = float(r[key])
    r["mean"], r["mean_s"], r["design"] = mean, seconds_of(mean), design
    rows.append(r)

print("dispatch simulated with fanout-sim (SimGrid S4U; the protocol code of src/dispatch), a")
print("fat tree of 40-core nodes; efficiency = task time / (ranks x makespan); rank 0 = the root;")
print("vs bound = max(task time / ranks, longest task) / makespan: 1 when nothing but the tasks")
print("themselves limits the run; leaders: as fanout lays them out, one per node but rank 0's")
print("(whose ranks ask rank 0), asking rank 0 for 2 x 40 x chunk tasks at a time; once: every id")
print("ran exactly once; busy: time spent answering / makespan (past 100 % when rank 0 is still")
print("answering after the last task ended)")
print(f"per-message cost of rank 0 and of each leader: {1e6 * cost:.2f} us ({calibration})")
header = (f'{"ranks":>7} {"times":<11} {"mean":>6} {"design":<8} {"efficiency":>10} {"vs bound":>8} '
          f'{"makespan":>10} '
          f'{"rank 0 msg/s":>12} {"busy":>6} {"leader msg/s":>12} {"busy":>6} '
          f'{"once":>4} {"sim real":>8} {"sim RSS":>9}')
print(header)
print("-" * len(header))
for r in rows:
    leader = r["design"] == "leaders"
    once = r["duplicates"] == 0 and r["missed"] == 0 and r["unfinished"] == 0
    print(f'{r["ranks"]:>7} {r["times"]:<11} {r["mean"]:>6} {r["design"]:<8} {r["efficiency"]:>10.4f} '
          f'{r["bound_s"] / r["makespan_s"]:>8.4f} '
          f'{r["makespan_s"]:>8.3f} s {r["root_msgs_per_s"]:>12.0f} {100 * r["root_busy"]:>5.1f}% '
          f'{r["leader_msgs_per_s"] if leader else 0:>12.0f} '
          f'{100 * r["leader_busy"] if leader else 0:>5.1f}% {"yes" if once else "NO":>4} '
          f'{r["real_s"]:>6.1f} s {r["rss_bytes"] / 2**20:>5.0f} MiB')

# The plot: efficiency, and rank 0's busy share, against ranks for each task length and design,
# constant task times.
grid = [r for r in rows if r["times"] == "constant"]
plot = f"{out_dir}/dispatch_sim.png"
data = f"{out_dir}/dispatch_sim.dat"
with open(data, "w") as f:
    for mean in dict.fromkeys(r["mean"] for r in grid):
        for design in ("flat", "leaders"):
            f.write(f"# {design} {mean}\n")
            for r in grid:
                if r["mean"] == mean and r["design"] == design:
                    f.write(f'{r["ranks"]} {r["efficiency"]} {r["root_busy"]} '
                            f'{r["root_msgs_per_s"]}\n')
            f.write("\n\n")
if shutil.which("gnuplot"):
    blocks = [(design, mean) for mean in dict.fromkeys(r["mean"] for r in grid)
              for design in ("flat", "leaders")]
    def series(column):
        return ", ".join(
            f"'{data}' index {i} using 1:{column} with linespoints "
            f"dashtype {1 if design == 'leaders' else 2} title '{design} {mean}'"
            for i, (design, mean) in enumerate(blocks))
    script = (
        "set terminal pngcairo size 1000,800 noenhanced\n"
        f"set output '{plot}'\n"
        "set multiplot layout 2,1\n"
        "set logscale x\nset key outside right\nset grid\n"
        "set xlabel 'ranks'\nset ylabel 'efficiency'\nset yrange [0:1.05]\n"
        "set title 'simulated efficiency = task time / (ranks x makespan)'\n"
        f"plot {series(2)}\n"
        "set ylabel \"rank 0's busy share\"\nset yrange [0:1.05]\n"
        "set title \"rank 0's dispatcher: share of the makespan spent answering\"\n"
        f"plot {series(3)}\n"
        "unset multiplot\n")
    result = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    print(f"plot: {plot}" if result.returncode == 0 else f"plot failed: {result.stderr.strip()}")
else:
    print("plot: not drawn (no gnuplot); data in", data)

broken = [r for r in grid if r["design"] == "flat" and r["efficiency"] < 0.95]
if broken:
    print("flat breaks (efficiency < 0.95): " + "; ".join(
        f'{r["ranks"]} ranks at {r["mean"]} ({r["efficiency"]:.2f}, rank 0 busy '
        f'{100 * r["root_busy"]:.0f} %)' for r in broken))
else:
    print("flat holds (efficiency >= 0.95) everywhere measured")

print()
print(goal)
targets = [(10240, 0.01), (102400, 0.1)]
verdicts = []
for ranks, mean_s in targets:
    match = [r for r in grid if r["design"] == "leaders" and r["ranks"] == ranks
             and abs(r["mean_s"] - mean_s) < 1e-9]
    if not match:
        print(f"  {ranks} ranks, {1e3 * mean_s:.0f} ms, leaders: not measured")
        continue
    e = match[0]["efficiency"]
    verdicts.append(e >= 0.95)
    print(f'  {ranks} ranks, {1e3 * mean_s:.0f} ms, leaders: {e:.4f}: '
          f'{"met" if e >= 0.95 else "not met"}')
if not verdicts:
    overall = "not measured"
else:
    overall = "met" if all(verdicts) else "partly met" if any(verdicts) else "not met"
    if len(verdicts) < len(targets) and overall == "met":
        overall = "partly measured, met"
print(f"  overall: {overall}")
if any(r["duplicates"] or r["missed"] or r["unfinished"] for r in rows):
    print("WARNING: a simulation did not run every task exactly once; see", manifest)
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF_PY
