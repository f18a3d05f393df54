#!/usr/bin/env bash
# Benchmark: where a farm's output goes, at scale. Files created per COUNT tasks (100,000) in each
# mode, counted by an inotify watch (count_creates.py: spools made and unlinked at once count
# too), and tasks/s of 2000 trivial tasks in each mode in interleaved rounds: records (the
# default), per-task files in buckets (--output files), and today's per-task files in one folder
# (a fanout binary from before records, BENCH_FARM_OUTPUT_BASE; not measured without one).
# Usage: tests/bench/farm_output.sh BUILD_DIR
# Knobs (environment): BENCH_FARM_OUTPUT_BASE (fanout binary writing LOGS/N.out), BENCH_FARM_OUTPUT_COUNT
# (100000), BENCH_FARM_TASKS (2000), BENCH_FARM_ROUNDS (BENCH_REPEAT, 3), BENCH_OUT. Asserts no time.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

base=${BENCH_FARM_OUTPUT_BASE:-}
count_tasks=${BENCH_FARM_OUTPUT_COUNT:-100000}
tasks=${BENCH_FARM_TASKS:-2000}
rounds=${BENCH_FARM_ROUNDS:-$BENCH_REPEAT}
kSlots=2

work=$(mktemp -d)
trap bench_cleanup EXIT
results=$BENCH_OUT/farm_output.tsv
: >"$results"
no_base=
if [[ -z $base ]]; then
  no_base="BENCH_FARM_OUTPUT_BASE is not set (a fanout built before shell.output, e.g. from git archive)"
elif [[ ! -x $base ]]; then
  no_base="BENCH_FARM_OUTPUT_BASE=$base is not an executable"
fi
[[ -n $no_base ]] && echo "farm_output: today's mode not measured: $no_base" >&2

# The modes: name, binary, extra flags.
modes=("records" "files" "one folder")
binary_of() { [[ $1 == "one folder" ]] && echo "$base" || echo "$FANOUT"; }
flags_of() { [[ $1 == files ]] && echo "--output files" || true; }
measured() { [[ $1 != "one folder" || -z $no_base ]]; }

# farm MODE TASK_FILE JSON [WRAPPER...]: one farm into a fresh $work/logs; its output on stdout.
farm() {
  local mode=$1 list=$2 json=$3
  shift 3
  rm -rf "$work/logs"
  mkdir "$work/logs"
  # shellcheck disable=SC2046
  "$@" "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "$(binary_of "$mode")" farm "$list" \
    --logs "$work/logs" --model async --slots "$kSlots" --quiet --progress none --json "$json" \
    $(flags_of "$mode")
}

# rate JSON: tasks/s and tasks done from the run clock of a JSON report.
rate() {
  python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
done = run["tasks_ok"] + run["tasks_failed"]
tps = done / run["wall_s"]
print(f"{tps:.1f}", int(run["tasks_ok"]))' "$1"
}

load_before=$(bench_load)
started=$SECONDS
bench_task_file "$count_tasks" true "$work/count.txt"
echo "farm_output: files created by $count_tasks tasks of \`true\` in each mode (load $load_before)" >&2
for mode in "${modes[@]}"; do
  measured "$mode" || continue
  json=$BENCH_OUT/farm_output_count_${mode// /_}.json
  echo "  \$ fanout farm ($mode) $count_tasks tasks" >&2
  line=$(farm "$mode" "$work/count.txt" "$json" bench_python "$here/count_creates.py" "$work/logs" |
         grep '^created=')
  read -r created overflow < <(bench_kv "$line" created overflow)
  left=$(find "$work/logs" -mindepth 1 | wc -l)
  biggest=$(find "$work/logs" -type d -exec sh -c 'ls -A "$1" | wc -l' _ {} \; | sort -n | tail -1)
  read -r tps ok < <(rate "$json")
  printf 'count\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$created" "$overflow" "$left" "$biggest" \
    "$tps" "$ok" >>"$results"
done

bench_task_file "$tasks" true "$work/true.txt"
bench_task_file "$tasks" 'echo out; echo err >&2' "$work/echo.txt"
echo "farm_output: $tasks tasks, $kSlots slots, $rounds interleaved rounds" >&2
for round in $(seq "$rounds"); do
  for list in true echo; do
    for mode in "${modes[@]}"; do
      measured "$mode" || continue
      json=$BENCH_OUT/farm_output_${list}_${mode// /_}_$round.json
      echo "  \$ fanout farm ($mode) $list round $round" >&2
      farm "$mode" "$work/$list.txt" "$json" >/dev/null
      read -r tps ok < <(rate "$json")
      printf 'rate\t%s\t%s\t%s\t%s\t%s\n' "$round" "$list" "$mode" "$tps" "$ok" >>"$results"
    done
  done
done
load_after=$(bench_load)

bench_python - "$results" "$count_tasks" "$tasks" "$kSlots" "$load_before" "$load_after" \
  "$((SECONDS - started))" "$no_base" <<'EOF'
import sys

from rounds import Rounds, per_round

results, count_tasks, tasks, slots, load_before, load_after, seconds, no_base = sys.argv[1:]
count_tasks, tasks = int(count_tasks), int(tasks)
counts, by_list = [], {"true": Rounds(), "echo": Rounds()}
for line in open(results):
    f = line.rstrip("\n").split("\t")
    if f[0] == "count":
        counts.append(f[1:])
    else:
        _, rnd, lst, mode, tps, ok = f
        by_list[lst].add(rnd, mode, tps=float(tps), ok=int(ok))

print(f"farm output at scale: files and folders created per {count_tasks:,} tasks of `true` "
      f"(one rank, {slots} slots, async), counted by inotify")
print(f'{"mode":<12} {"created":>9} {"per task":>9} {"left in LOGS":>13} '
      f'{"largest folder":>15} {"tasks/s":>8}')
for mode, created, overflow, left, biggest, tps, ok in counts:
    per = int(created) / count_tasks
    note = " (inotify overflowed: a lower bound)" if overflow == "1" else ""
    note += f" ({count_tasks - int(ok)} tasks not ok)" if int(ok) != count_tasks else ""
    print(f"{mode:<12} {int(created):>9,} {per:>9.4f} {int(left):>13,} {int(biggest):>15,} "
          f"{float(tps):>8.0f}{note}")
print()
for lst, rounds in by_list.items():
    what = "`true`" if lst == "true" else "`echo out; echo err >&2` (a line to each stream)"
    print(f"tasks/s, {tasks} tasks of {what}, {len(rounds)} interleaved rounds, medians:")
    for mode in rounds.clients:
        line = (f"  {mode:<12} {rounds.median(mode, 'tps'):>7.0f}/s "
                f"per round {per_round(rounds.series(mode, 'tps'), '{:.0f}')}")
        if mode != "one folder" and "one folder" in rounds.clients:
            r, per = rounds.ratio(mode, "one folder", "tps")
            line += f"; vs one folder {r:.2f}x (per round {per_round(per)})"
        print(line)
if no_base:
    print(f"not measured: today's one-folder files: {no_base}")
print("created: files and folders made under LOGS during the run, those removed again included")
print("  (records' spools: made and unlinked at once). tasks/s: tasks over the run clock of the")
print("  JSON report (runs[0].wall_s). Logs on the local disk of the machine; a parallel file")
print("  system's metadata server makes each creation cost far more.")
print(f"load average (1, 5, 15 min): {load_before} before, {load_after} after; {seconds} s")
EOF
echo "JSON reports: $BENCH_OUT"
