#!/usr/bin/env bash
# Bytes read from a 4 MB farm task list and a 4 MB io URL list, summed over 6 ranks on a 3-node
# cluster of network namespaces (cluster/netns-up.sh, brought up here and taken down after), each
# rank's reads of the list counted with strace -P. One reader: about 1 x the list, not 6 x.
# Usage: tests/bench/list_reads.sh BUILD_DIR   (knob: FANOUT_BEFORE=path of another fanout, e.g. a
# build of main, measured the same way first). Root only (namespaces); otherwise it says so and
# passes.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
source "$here/common.sh" "${1:-build}"

if [[ $(id -u) != 0 ]]; then
  echo "list_reads: needs root for the namespace cluster; skipped"
  exit 0
fi
cluster=$(cd "$BENCH_BUILD_DIR" && pwd)/bench-netns
down() { bash "$BENCH_REPO/cluster/netns-down.sh" "$cluster" >/dev/null 2>&1 || true; }
trap down EXIT
if ! bash "$BENCH_REPO/cluster/netns-up.sh" --subnet 10.214.0 "$cluster" 3 >/dev/null; then
  echo "list_reads: no namespace cluster here (cluster/netns-up.sh failed); skipped"
  exit 0
fi
bench_python "$BENCH_REPO/tests/cluster/cluster_list_reads_e2e.py" "$FANOUT" "$cluster" table \
  ${FANOUT_BEFORE:+"$FANOUT_BEFORE"}
