#!/usr/bin/env bash
# CTest smoke test for the benchmark scripts: tiny sizes, checks they run and print both goal verdicts.
# Asserts no time, only that the scripts still match the CLI and the JSON document.
# Usage: tests/bench/smoke_test.sh BUILD_DIR
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=$out/log.txt
BENCH_FIB_N=18 BENCH_FIB_COUNT=8 BENCH_TASKS=4000 BENCH_REPEAT=1 BENCH_OUT=$out \
  BENCH_IO_REQUESTS=200 BENCH_IO_SERIAL=5 BENCH_WRK_SECONDS=1 BENCH_FLOOR_ROUNDS=1 \
  BENCH_TRIAD_ARRAY=1048576 BENCH_TRIAD_TASKS=4 BENCH_TRIAD_ROUNDS=1 BENCH_TRIAD_TRIALS=3 \
  BENCH_MEMORY_TASKS="1000 10000" BENCH_KIND_IO_URLS="200 2000" BENCH_KIND_FARM_TASKS="20 100" \
  BENCH_SIM_RANKS=80 BENCH_SIM_MEANS=10ms BENCH_SIM_CALIBRATION_TASKS=2000 BENCH_VALIDATE_RANKS=2 \
  BENCH_VALIDATE_TASKS_PER_RANK=2 BENCH_VALIDATE_LEADER_RANKS= BENCH_VALIDATE_CLUSTER_RANKS= BENCH_OPEN_SECONDS=1 BENCH_DL_FILES=20 BENCH_FARM_TASKS=50 BENCH_FARM_MEMORY_TASKS="1000 10000" BENCH_FARM_MEMORY_SECONDS=1 \
  bash "$(dirname "${BASH_SOURCE[0]}")/run_all.sh" "$1" >"$log"
cat "$log"
fail() { echo "smoke_test: $*" >&2; exit 1; }
[[ $(grep -c '^  overall: ' "$log") == 34 ]] || fail "expected each goal block twice (table, summary)"
grep -q '^goal: parallel efficiency' "$log" || fail "no efficiency goal"
grep -q '^goal: dynamic scheduling overhead' "$log" || fail "no dispatch goal"
grep -q '^goal: efficiency >= 0.95 with node leaders' "$log" || fail "no simulated dispatch goal"
grep -q '^goal: simulated makespan within 10 %' "$log" || fail "no simulation validation goal"
if [[ -x $1/fanout-sim ]]; then
  grep -q '^ *80 *constant *10ms *leaders .* yes ' "$log" || fail "no dispatch_sim row (exactly once)"
  grep -q '^1 node *flat *constant *2 ' "$log" || fail "no dispatch_sim_validate row"
fi
grep -q '^goal: engine overhead' "$log" || fail "no engine overhead goal"
grep -q '^idle barrier_cpu_share=' "$log" || fail "no idle CPU figures"
grep -q '^goal: async wall' "$log" || fail "no I/O latency goal"
grep -q '^goal: fanout triad' "$log" || fail "no triad bandwidth goal"
grep -q '^goal: peak RSS' "$log" || fail "no task memory goal"
grep -q '^goal: fanout async wall <= .* bare epoll client' "$log" || fail "no I/O floor goal"
grep -q '^goal: fanout async >= .*CPU per request' "$log" || fail "no I/O throughput goal"
grep -q '^goal: fanout farm >= .*GNU parallel' "$log" || fail "no farm throughput goal"
grep -q "^goal: rank 0's peak RSS per queued task" "$log" || fail "no farm memory goal"
grep -q '^goal: peak RSS of every rank at the largest list' "$log" || fail "no io and farm memory goal"
grep -q '^goal: fanout (sha256 verified, journal on)' "$log" || fail "no download goal"
grep -q "^goal: at most 1.1 x the list's size" "$log" || fail "no list reads goal"
for client in "fanout" "curl --parallel"; do
  grep -q "^$client  *[0-9.]* s  *[0-9.]* MiB/s " "$log" || fail "no download_throughput row for $client"
done
# Each measurement the new scripts take, so a yardstick that did not build or run shows here.
grep -q '^ *1 .*x ' "$log" || fail "no triad row at 1 worker"
for client in "fanout async" "bare client"; do
  grep -q "^fanout serve  $client " "$log" || fail "no io_floor row for $client on fanout serve"
done
grep -q '^ *10000 .* MiB' "$log" || fail "no task_memory row"
for client in "fanout async" "fanout threads" "fanout 2 ranks" "bare spawn"; do
  grep -q "^$client  *[0-9]*/s " "$log" || fail "no farm_throughput row for $client"
done
# Without GNU parallel the script says so and measures the rest: only its row is then not checked.
if [[ $(parallel --version 2>&1 || true) == "GNU parallel"* ]]; then
  grep -q '^parallel -j2  *[0-9]*/s ' "$log" || fail "no farm_throughput row for GNU parallel"
else
  grep -q '^not measured: .*GNU parallel' "$log" || fail "no word on GNU parallel's absence"
fi
grep -q '^  queued .* bytes/task' "$log" || fail "no farm_memory figure per queued task"
grep -q '^goal: fanout io.rate holds the rate' "$log" || fail "no open-loop peers goal"
# Without hey (cluster/deps.sh --bench) the script says so: its rows are then not checked.
if command -v hey >/dev/null; then
  for client in "fanout io.rate" "hey -q"; do
    grep -q "^$client  *[0-9]* *[0-9.]*/s " "$log" || fail "no open_loop_peers row for $client"
  done
fi
for client in fanout "curl --parallel" wrk; do
  grep -q "^$client .* us " "$log" || fail "no CPU per request for $client"
done
for model in serial threads async processes processes+threads; do
  grep -q "^compare p=1 *$model " "$log" || fail "no p=1 row for $model"
done
if grep -q 'some tasks failed' "$log"; then fail "tasks failed"; fi
echo "smoke_test: ok"
