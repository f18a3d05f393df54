#!/usr/bin/env bash
# Benchmark: the farm's joblog at 6 ranks on the 3-node namespace test cluster (cluster/netns-up.sh,
# brought up here and taken down at the end): a farm of `true` tasks, output records, run by this
# build's fanout and, interleaved in the same rounds, by another build (BENCH_JOBLOG_BASE, e.g. one
# from before rank 0 wrote the joblog alone). Per run: tasks/s on fanout's run clock, and the
# joblog lines/s written over it, with a check that every task has exactly one whole line; and,
# to tell the log's cost from the dispatch's, the share of the ranks' time idle at the end (the
# dynamic schedule's tail) and the longest a rank waited after its last task (its lines' commit).
# Usage: tests/bench/joblog_writer.sh BUILD_DIR   (as root: the cluster is network namespaces)
# Knobs (environment): BENCH_JOBLOG_BASE (a fanout binary; unset: this build alone),
# BENCH_JOBLOG_TASKS (4000), BENCH_JOBLOG_ROUNDS (BENCH_REPEAT, 3), BENCH_OUT (BUILD_DIR/bench).
# Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

tasks=${BENCH_JOBLOG_TASKS:-4000}
rounds=${BENCH_JOBLOG_ROUNDS:-$BENCH_REPEAT}
base=${BENCH_JOBLOG_BASE:-}
kRanks=6

work=$(mktemp -d)
cluster=$(cd "$BENCH_BUILD_DIR" && pwd)/bench-netns
finish() {
  bash "$BENCH_REPO/cluster/netns-down.sh" "$cluster" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap finish EXIT
up=0
bash "$BENCH_REPO/cluster/netns-up.sh" "$cluster" 3 >/dev/null || up=$?
if ((up == 77)); then
  echo "joblog_writer: not measured: the namespace cluster cannot be made here (root only)"
  exit 0
fi
((up == 0)) || exit "$up"
bench_task_file "$tasks" true "$work/tasks.txt"
results=$BENCH_OUT/joblog_writer.tsv
: >"$results"

# run_farm ROUND CLIENT BINARY: one farm over the cluster; records wall, tasks, joblog lines.
run_farm() {
  local round=$1 client=$2 binary=$3 json=$BENCH_OUT/joblog_writer_$1_${2// /_}.json
  rm -rf "$work/logs"
  "$cluster/mpirun" -q -np "$kRanks" "$binary" farm "$work/tasks.txt" --logs "$work/logs" \
    --output records --quiet --progress none --json "$json" >/dev/null 2>"$work/err" || true
  python3 - "$json" "$work/logs/joblog" "$round" "$client" "$tasks" >>"$results" <<'PY'
import collections, json, sys
report, joblog, rnd, client, tasks = sys.argv[1:]
run = json.load(open(report))["runs"][0]
text = open(joblog).read()
lines = text.splitlines()[1:]
seqs = collections.Counter(int(l.split("\t")[0]) for l in lines if len(l.split("\t")) >= 9)
once = text.endswith("\n") and sorted(seqs) == list(range(1, int(tasks) + 1)) \
    and max(seqs.values()) == 1
ranks = run.get("per_rank", [])
wall = float(run["wall_s"])
# The dispatch's tail: the share of the ranks' time spent idle after their last task while the
# slowest rank still ran; and the longest a rank waited after its last task (its log's commit).
tail = sum(wall - r["wall_s"] for r in ranks) / (len(ranks) * wall) if ranks else 0.0
after = max((r["wall_s"] - r["busy_s"] for r in ranks), default=0.0)
print(f"{rnd}\t{client}\t{wall}\t{run['tasks_ok']}\t{len(lines)}\t{int(once)}\t{tail}\t{after}")
PY
}

load_before=$(bench_load)
started=$SECONDS
echo "joblog_writer: $tasks tasks of \`true\`, $kRanks ranks on 3 nodes, $rounds interleaved" \
     "rounds (load average $load_before)" >&2
for round in $(seq "$rounds"); do
  run_farm "$round" "this build" "$FANOUT"
  [[ -n $base ]] && run_farm "$round" "base" "$base"
done
load_after=$(bench_load)

bench_python - "$results" "$tasks" "$load_before" "$load_after" "$((SECONDS - started))" \
  "$base" <<'EOF'
import sys

from rounds import Rounds, per_round

results, tasks, load_before, load_after, seconds, base = sys.argv[1:]
rounds = Rounds()
bad = []
for line in open(results):
    rnd, client, wall, ok, lines, once, tail, after = line.rstrip("\n").split("\t")
    rounds.add(rnd, client, tps=int(ok) / float(wall), lps=int(lines) / float(wall),
               wall=float(wall), tail=float(tail), after=float(after))
    if once != "1":
        bad.append(f"{client} round {rnd}")
print(f"joblog writer: {tasks} tasks of `true`, 6 ranks on 3 namespace nodes, output records, "
      f"{len(rounds)} interleaved rounds, medians")
header = (f'{"client":<12} {"tasks/s":>9} {"per round":>20} {"joblog lines/s":>15} {"wall":>9} '
          f'{"tail idle":>9} {"last wait":>10}')
print(header)
print("-" * len(header))
for c in rounds.clients:
    print(f'{c:<12} {rounds.median(c, "tps"):>7.0f}/s {per_round(rounds.series(c, "tps"), "{:.0f}"):>20} '
          f'{rounds.median(c, "lps"):>13.0f}/s {rounds.median(c, "wall"):>7.3f} s '
          f'{100 * rounds.median(c, "tail"):>8.1f}% {1000 * rounds.median(c, "after"):>7.1f} ms')
if base:
    r, per = rounds.ratio("this build", "base", "tps")
    print(f"tasks/s, this build over base: {r:.2f}x (per round {per_round(per)}); base: {base}")
print("tasks/s and lines/s: over fanout's run clock (runs[0].wall_s of its JSON report).")
print("tail idle: the ranks' time idle after their last task while the slowest still ran (the "
      "dispatch's tail); last wait: the longest a rank waited after its last task (its lines' commit).")
print("every task exactly one whole joblog line: "
      + ("yes, every run" if not bad else "NO in " + ", ".join(bad)))
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF
echo "JSON reports: $BENCH_OUT"
