#!/usr/bin/env bash
# CTest smoke test for the benchmark scripts: tiny sizes, checks they run and print both goal verdicts.
# Asserts no time, only that the scripts still match the CLI and the JSON document.
# Usage: tests/bench/smoke_test.sh BUILD_DIR
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
log=$out/log.txt
BENCH_FIB_N=18 BENCH_FIB_COUNT=8 BENCH_TASKS=4000 BENCH_REPEAT=1 BENCH_OUT=$out \
  BENCH_IO_REQUESTS=200 BENCH_IO_SERIAL=5 BENCH_WRK_SECONDS=1 \
  bash "$(dirname "${BASH_SOURCE[0]}")/run_all.sh" "$1" >"$log"
cat "$log"
fail() { echo "smoke_test: $*" >&2; exit 1; }
[[ $(grep -c '^  overall: ' "$log") == 10 ]] || fail "expected each goal block twice (table, summary)"
grep -q '^goal: parallel efficiency' "$log" || fail "no efficiency goal"
grep -q '^goal: dynamic scheduling overhead' "$log" || fail "no dispatch goal"
grep -q '^goal: async wall' "$log" || fail "no I/O latency goal"
for model in serial threads async processes processes+threads; do
  grep -q "^compare p=1 *$model " "$log" || fail "no p=1 row for $model"
done
if grep -q 'some tasks failed' "$log"; then fail "tasks failed"; fi
echo "smoke_test: ok"
