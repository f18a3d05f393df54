#!/usr/bin/env bash
# Benchmark: fanout-sim against real runs of the same tasks. Real: `fanout farm` of sleep tasks
# under mpirun at 2-12 ranks on this machine (flat: every rank asks rank 0; and at 8 and 12 with
# node leaders over "nodes" of 4 ranks, FANOUT_DISPATCH_NODE_SIZE=4), and at 3-9 ranks on the
# 3-node namespace cluster (as root; leaders, as fanout chooses across nodes); dynamic dispatch,
# fanout's default chunk. Simulated: the joblog the farm wrote, replayed (each task's JobRuntime)
# on as many ranks, nodes and cores, the same design, the farm's chunk and the dispatcher's cost
# per request that the run itself reported. Compared: the run's wall time against the simulated
# makespan.
# Usage: tests/bench/dispatch_sim_validate.sh BUILD_DIR
# Knobs (environment): BENCH_VALIDATE_RANKS ("2 4 8 12"), BENCH_VALIDATE_LEADER_RANKS ("8 12"),
# BENCH_VALIDATE_TASKS_PER_RANK (20),
# BENCH_VALIDATE_CLUSTER_RANKS ("3 6 9"; "" skips the cluster), BENCH_VALIDATE_LINK_LATENCY
# (1.9us: the namespaces' 14-17 us round trip over the 4 links of the simulated path),
# BENCH_OUT (BUILD_DIR/bench). Nothing here asserts a time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh" "${1:-build}"

sim=$(cd "$BENCH_BUILD_DIR" && pwd)/fanout-sim
read -r -a ranks_list <<<"${BENCH_VALIDATE_RANKS:-2 4 8 12}"
read -r -a cluster_ranks <<<"${BENCH_VALIDATE_CLUSTER_RANKS-3 6 9}"
read -r -a leader_ranks <<<"${BENCH_VALIDATE_LEADER_RANKS-8 12}"
per_rank=${BENCH_VALIDATE_TASKS_PER_RANK:-20}
link_latency=${BENCH_VALIDATE_LINK_LATENCY:-1.9us}
goal="goal: simulated makespan within 10 % of the real run's wall time"

if [[ ! -x $sim ]]; then
  echo "dispatch_sim_validate: not measured: no fanout-sim in $BENCH_BUILD_DIR (no SimGrid)"
  echo
  echo "$goal"
  echo "  overall: not measured (no fanout-sim)"
  exit 0
fi

work=$(mktemp -d)
cluster_dir=$work/netns
cluster_up=
cleanup() {
  if [[ -n $cluster_up ]]; then
    bash "$BENCH_REPO/cluster/netns-down.sh" "$cluster_dir" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
manifest=$BENCH_OUT/dispatch_sim_validate.tsv
: >"$manifest"

# Two task lists: every task 50 ms, and tasks of 10 to 190 ms in a fixed cycle.
task_file() {
  local kind=$1 count=$2 i
  for ((i = 0; i < count; ++i)); do
    if [[ $kind == constant ]]; then
      echo "sleep 0.05"
    else
      printf 'sleep 0.%02d\n' $(((i * 7) % 19 + 1))
    fi
  done
}

# One real farm and its simulation; a row in the manifest.
# Usage: measure PLACE DESIGN RANKS_PER_NODE KIND RANKS LAUNCHER...; $sim_extra: more fanout-sim
# arguments.
measure() {
  local place=$1 design=$2 per_node=$3 kind=$4 ranks=$5
  shift 5
  local dir=$work/$place-$design-$kind-$ranks line
  mkdir -p "$dir"
  task_file "$kind" $((ranks * per_rank)) >"$dir/tasks"
  bench_run "$@" -np "$ranks" "$FANOUT" farm "$dir/tasks" --model processes --schedule dynamic \
    --shell.logs "$dir/logs" --json "$dir/run.json" --quiet
  read -r wall chunk cost < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["runs"][-1]
print(r["wall_s"], r["chunk"], r.get("dispatch", {}).get("cost_per_request_s", 0))' "$dir/run.json")
  local args=(--ranks "$ranks" --cores-per-node "$per_node" --design "$design" --times replay
              --joblog "$dir/logs/joblog" --chunk "$chunk" --cost "${cost}s" --format kv
              "${sim_extra[@]}")
  echo "  \$ fanout-sim ${args[*]}" >&2
  line=$("$sim" "${args[@]}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$place" "$design" "$kind" "$ranks" "$wall" "$cost" \
    "$line" >>"$manifest"
}

load_before=$(bench_load)
started=$SECONDS
echo "dispatch_sim_validate: ranks ${ranks_list[*]} on this machine," \
     "${cluster_ranks[*]:-none} on 3 namespace nodes, $per_rank sleep tasks a rank" >&2
sim_extra=()
for kind in constant varied; do
  for ranks in "${ranks_list[@]}"; do
    measure "1 node" flat "$ranks" "$kind" "$ranks" "${BENCH_MPIRUN[@]}" --bind-to none \
      -x FANOUT_DISPATCH_LEADERS=0
  done
  # Leaders on one machine: every 4 ranks a "node", its messages in shared memory all the same.
  sim_extra=(--link-latency 0.1us)
  for ranks in "${leader_ranks[@]}"; do
    measure "1 node" leaders 4 "$kind" "$ranks" "${BENCH_MPIRUN[@]}" --bind-to none \
      -x FANOUT_DISPATCH_LEADERS=1 -x FANOUT_DISPATCH_NODE_SIZE=4
  done
  sim_extra=()
done

cluster_note=
if ((${#cluster_ranks[@]} > 0)); then
  if bash "$BENCH_REPO/cluster/netns-up.sh" --subnet 10.213.77 "$cluster_dir" 3 >"$work/up.log" 2>&1; then
    cluster_up=1
    sim_extra=(--link-latency "$link_latency")
    for kind in constant varied; do
      for ranks in "${cluster_ranks[@]}"; do
        per_node=$(((ranks + 2) / 3))
        measure "3 nodes" leaders "$per_node" "$kind" "$ranks" "$cluster_dir/mpirun" -q \
          --oversubscribe --map-by "ppr:$per_node:node"
      done
    done
  else
    cluster_note="the 3-node cluster: not measured ($(tail -n 1 "$work/up.log"))"
  fi
fi
load_after=$(bench_load)
echo >&2

python3 - "$manifest" "$goal" "$cluster_note" "$load_before" "$load_after" \
  "$((SECONDS - started))" <<'EOF_PY'
import sys

manifest, goal, cluster_note, load_before, load_after, seconds = sys.argv[1:]
rows = []
for line in open(manifest):
    place, design, kind, ranks, wall, cost, kv = line.rstrip("\n").split("\t")
    r = dict(item.split("=", 1) for item in kv.split())
    rows.append({"place": place, "design": design, "kind": kind, "ranks": int(ranks), "wall": float(wall),
                 "cost": float(cost), "sim": float(r["makespan_s"]), "chunk": int(r["chunk"]),
                 "tasks": int(r["tasks"]), "task_s": float(r["task_s"]),
                 "once": r["duplicates"] == "0" and r["missed"] == "0"})
print("fanout-sim against real runs: fanout farm of sleep tasks (constant: 50 ms each; varied:")
print("10-190 ms), --model processes, dynamic, flat or with node leaders (1 node: every 4 ranks a")
print("node); simulated: its joblog's runtimes replayed, the same design, its chunk,")
print("the cost per request it reported; error = simulated makespan / real wall - 1")
header = (f'{"place":<8} {"design":<8} {"tasks":<8} {"ranks":>5} {"chunk":>5} {"task time":>9} {"real wall":>9} '
          f'{"simulated":>9} {"error":>7} {"cost/req":>9}')
print(header)
print("-" * len(header))
for r in rows:
    r["error"] = r["sim"] / r["wall"] - 1
    print(f'{r["place"]:<8} {r["design"]:<8} {r["kind"]:<8} {r["ranks"]:>5} {r["chunk"]:>5} {r["task_s"]:>7.2f} s '
          f'{r["wall"]:>7.3f} s {r["sim"]:>7.3f} s {100 * r["error"]:>+6.1f}% '
          f'{1e6 * r["cost"]:>6.1f} us')
if cluster_note:
    print(cluster_note)
print()
print(goal)
met = [r for r in rows if abs(r["error"]) <= 0.10]
for place, design in dict.fromkeys((r["place"], r["design"]) for r in rows):
    mine = [r for r in rows if r["place"] == place and r["design"] == design]
    worst = max(mine, key=lambda r: abs(r["error"]))
    inside = sum(abs(r["error"]) <= 0.10 for r in mine)
    print(f'  {place}, {design}: {inside} of {len(mine)} within 10 %; worst {100 * worst["error"]:+.1f} % '
          f'({worst["kind"]}, {worst["ranks"]} ranks)')
overall = "met" if len(met) == len(rows) else "partly met" if met else "not met"
print(f"  overall: {overall} ({len(met)} of {len(rows)} runs)")
if not all(r["once"] for r in rows):
    print("WARNING: a simulation did not run every task exactly once")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF_PY
