#!/usr/bin/env bash
# fanout-sim at 64 ranks on 8 nodes, both designs and a drawn distribution: every task id run
# exactly once, every actor finished, the efficiency within (0.5, 1]; and bad input refused.
# Asserts no wall time. Usage: tests/sim/sim_small_test.sh FANOUT_SIM
set -euo pipefail
sim=$1
fail() { echo "sim_small_test: $*" >&2; exit 1; }

# The value of KEY in a key=value line.
kv() { [[ " $1 " =~ [[:space:]]$2=([^[:space:]]*) ]] && echo "${BASH_REMATCH[1]}"; }

check() {
  local line tasks
  line=$("$sim" --ranks 64 --cores-per-node 8 --format kv "$@") || fail "exit $? for $*"
  echo "$line"
  tasks=$(kv "$line" tasks)
  [[ $(kv "$line" ran) == "$tasks" ]] || fail "ran != tasks ($*)"
  [[ $(kv "$line" duplicates) == 0 && $(kv "$line" missed) == 0 ]] || fail "not exactly once ($*)"
  [[ $(kv "$line" unfinished) == 0 ]] || fail "actors left waiting ($*)"
  awk -v e="$(kv "$line" efficiency)" 'BEGIN { exit !(e > 0.5 && e <= 1.000001) }' ||
    fail "efficiency $(kv "$line" efficiency) outside (0.5, 1] ($*)"
  awk -v b="$(kv "$line" root_busy)" 'BEGIN { exit !(b > 0 && b < 1) }' ||
    fail "root busy share $(kv "$line" root_busy) outside (0, 1) ($*)"
}

check --design flat
check --design leaders --times exponential --mean 5ms
check --design leaders --group 2 --times lognormal --tasks 5000 --chunk 3
check --design flat --times pareto --shape 2.5 --tasks 6400 --chunk 2

# With constant times, one node and chunks that divide the work evenly, nothing is lost but the
# messages' time: the makespan is the work per rank plus at most a millisecond.
line=$("$sim" --ranks 8 --cores-per-node 8 --tasks 800 --chunk 10 --mean 10ms --format kv)
echo "$line"
awk -v m="$(kv "$line" makespan_s)" 'BEGIN { exit !(m >= 1.0 && m < 1.001) }' ||
  fail "makespan $(kv "$line" makespan_s) for 100 tasks of 10 ms a rank: expected 1.0-1.001 s"

# Replay: a joblog's runtimes, cycled.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n' >"$work/log"
for i in 1 2 3 4; do
  printf '%d\th\t1700000000.000\t%10.3f\t0\t0\t0\t0\tsleep 1\n' "$i" "0.$i" >>"$work/log"
done
line=$("$sim" --ranks 2 --cores-per-node 2 --times replay --joblog "$work/log" --chunk 1 --format kv)
echo "$line"
[[ $(kv "$line" tasks) == 4 ]] || fail "replay: expected the joblog's 4 tasks"
awk -v s="$(kv "$line" task_s)" 'BEGIN { exit !(s > 0.9999 && s < 1.0001) }' ||
  fail "replay: task time $(kv "$line" task_s), expected 1.0 (0.1 + 0.2 + 0.3 + 0.4)"

# Bad input: one line naming the flag, exit 2, before any simulation.
refused() {
  local status=0 err
  err=$("$sim" "${@:2}" 2>&1 >/dev/null) || status=$?
  [[ $status == 2 ]] || fail "expected exit 2 for ${*:2}, got $status"
  [[ $(wc -l <<<"$err") == 1 && $err == *"$1"* ]] || fail "expected one line naming $1: $err"
}
refused --shape --times pareto --shape 1
refused --times --times gamma
refused --joblog --times replay --joblog "$work/none"
refused --joblog --joblog "$work/log"
refused --ranks --ranks 0
refused --group --design flat --group 4
echo "sim_small_test: ok"
