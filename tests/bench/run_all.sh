#!/usr/bin/env bash
# `make bench`: runs every benchmark against BUILD_DIR's fanout and ends with the goals, met or not.
# Usage: tests/bench/run_all.sh BUILD_DIR   (knobs: see each script's header)
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

bench_machine_note
echo
logs=()
for bench in cpu_models triad_bandwidth engine_overhead dispatch_overhead dispatch_sim_validate dispatch_sim \
    task_memory kind_memory io_latency io_floor io_throughput io_processes open_loop_peers \
    download_throughput farm_throughput farm_memory list_reads joblog_writer; do
  echo "== $bench"
  log=$BENCH_OUT/$bench.txt
  bash "$here/$bench.sh" "$BENCH_BUILD_DIR" | tee "$log"
  logs+=("$log")
  echo
done

echo "== summary"
# Each script ends its table with a goal block: from its "goal:" line to its "overall:" line.
for log in "${logs[@]}"; do
  awk '/^goal:/ { on = 1 } on { print } /^  overall:/ { on = 0 }' "$log"
done
bench_machine_note
echo "reports and logs: $BENCH_OUT"
