# Shared set-up for the benchmark scripts: the fanout binary, the mpirun line, where results go, the load.
# Sourced, not run: `source tests/bench/common.sh BUILD_DIR`.

BENCH_BUILD_DIR=${1:-build}
if [[ ! -x $BENCH_BUILD_DIR/fanout ]]; then
  echo "bench: no fanout binary in $BENCH_BUILD_DIR (build it first: make)" >&2
  exit 2
fi
FANOUT=$(cd "$BENCH_BUILD_DIR" && pwd)/fanout
BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_CORES=${BENCH_CORES:-$(nproc)}
BENCH_REPEAT=${BENCH_REPEAT:-3}
# JSON reports stay here after the run, for a second look at anything the summary shows.
BENCH_OUT=${BENCH_OUT:-$BENCH_BUILD_DIR/bench}
mkdir -p "$BENCH_OUT"

# Binding is chosen per measurement; this is everything else of the mpirun line.
BENCH_MPIRUN=(mpirun -q --oversubscribe)
if [[ $(id -u) == 0 ]]; then BENCH_MPIRUN+=(--allow-run-as-root); fi

# The 1-, 5- and 15-minute load averages: on a shared machine they say how far to trust a figure.
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }

# Prints a command, then runs it with its table output hidden (the JSON report is what is read).
bench_run() {
  echo "  \$ ${*/#$FANOUT/fanout}" >&2
  "$@" >/dev/null
}

# One line on the machine, and a warning when its figures cannot show scaling: with the kernel's
# autogroup on, all processes of this session share one session's slice of the CPU, so on a machine
# busy with other sessions p workers split that slice instead of getting p cores.
bench_machine_note() {
  local load1 autogroup=0
  load1=$(cut -d' ' -f1 /proc/loadavg)
  [[ -r /proc/sys/kernel/sched_autogroup_enabled ]] &&
    autogroup=$(cat /proc/sys/kernel/sched_autogroup_enabled)
  echo "machine: $(hostname), $BENCH_CORES cores, load average $(bench_load)," \
       "kernel autogroup $([[ $autogroup == 1 ]] && echo on || echo off)"
  if awk -v l="$load1" -v c="$BENCH_CORES" 'BEGIN { exit !(l > c) }'; then
    echo "WARNING: load average $load1 > $BENCH_CORES cores: other programs hold the cores, so"
    echo "  wall-clock speedups and overheads below measure the contention as much as fanout."
    if [[ $autogroup == 1 ]]; then
      echo "  Autogroup is on: this session's workers share one session's CPU slice; see the"
      echo "  'cpu share' column. Rerun on an idle machine for scaling figures."
    fi
  fi
}

# Starts `fanout serve --port 0` in the background with its log in $work (which the caller made)
# and sets server_pid and base_url; on failure prints the log and exits. $1 names the caller.
bench_start_server() {
  "$FANOUT" serve --port 0 >"$work/serve.log" 2>&1 &
  server_pid=$!
  base_url=
  for _ in $(seq 100); do
    base_url=$(sed -n '1s/^listening on //p' "$work/serve.log")
    [[ -n $base_url ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ -z $base_url ]]; then
    echo "$1: fanout serve did not start:" >&2
    cat "$work/serve.log" >&2
    exit 1
  fi
}

# EXIT trap for scripts that used bench_start_server: stops the server, removes $work.
bench_stop_server() {
  if [[ -n ${server_pid:-} ]]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
