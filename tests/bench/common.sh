# Shared set-up for the benchmark scripts: the binaries, the mpirun line, where results go, the load, servers.
# Sourced, not run: `source tests/bench/common.sh BUILD_DIR`.

BENCH_BUILD_DIR=${1:-build}
if [[ ! -x $BENCH_BUILD_DIR/fanout ]]; then
  echo "bench: no fanout binary in $BENCH_BUILD_DIR (build it first: make)" >&2
  exit 2
fi
FANOUT=$(cd "$BENCH_BUILD_DIR" && pwd)/fanout
BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_HERE=$BENCH_REPO/tests/bench
# The bench-only yardsticks (tests/bench/*.c) are built beside fanout, in BUILD_DIR/tests/bench.
BENCH_TOOLS=$(cd "$BENCH_BUILD_DIR" && pwd)/tests/bench
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

# Python with the scripts' shared modules (tests/bench/*.py) importable.
bench_python() { PYTHONPATH="$BENCH_HERE${PYTHONPATH:+:$PYTHONPATH}" python3 "$@"; }

# Path of a yardstick built from tests/bench/NAME.c; fails (status 1, a line on stderr) when the
# build folder has none, e.g. one built before it existed.
bench_tool() {
  if [[ ! -x $BENCH_TOOLS/$1 ]]; then
    echo "bench: no $1 in $BENCH_TOOLS (build it: cmake --build $BENCH_BUILD_DIR)" >&2
    return 1
  fi
  echo "$BENCH_TOOLS/$1"
}

# The values of KEYs, in that order on one line, from a yardstick's output line of key=value
# pairs (bare_http_client, triad_stream); fails if one is missing.
# Usage: bench_kv LINE KEY...
bench_kv() {
  local line=" $1 " key values=()
  shift
  for key in "$@"; do
    [[ $line =~ [[:space:]]$key=([^[:space:]]*) ]] || return 1
    values+=("${BASH_REMATCH[1]}")
  done
  echo "${values[*]}"
}

# 1000 client sockets and 1000 in the server: the default soft limit (often 1024) is too low.
# $1 names the caller, $2 the descriptors it needs.
bench_raise_fd_limit() {
  ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
  local limit
  limit=$(ulimit -Sn)
  if [[ $limit != unlimited ]] && ((limit < $2)); then
    echo "$1: open-file limit $limit < $2: expect connect errors" >&2
  fi
}

# Starts `fanout serve --port 0 [SERVE_ARGS...]` in the background with its log in $work (which
# the caller made) and sets server_pid and base_url; on failure prints the log and exits.
# $1 names the caller.
bench_start_server() {
  # Made before the server starts: its own redirection may come after the first look below.
  : >"$work/serve.log"
  "$FANOUT" serve --port 0 "${@:2}" >"$work/serve.log" 2>&1 &
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

# One `fanout run` of an I/O job against the fanout serve at $base_url, appended to $manifest as
# a row for io_rows.py: LABEL, IDEAL_S (or "pool": the threads model's, from the pool fanout
# made), SCALE (its wall and ideal are multiplied by it: a run of fewer requests standing for
# more), the JSON report, and the server's /stats counters before and after (connections).
# Usage: bench_measure_io LABEL IDEAL_S|pool SCALE JSON_NAME FANOUT_RUN_ARGS...
bench_measure_io() {
  local label=$1 ideal=$2 scale=$3 json=$BENCH_OUT/$4
  shift 4
  local before after
  before=$(curl -s "$base_url/stats")
  bench_run "${BENCH_MPIRUN[@]}" --bind-to none -np 1 "$FANOUT" run --workload io --base none \
    --quiet --json "$json" "$@"
  after=$(curl -s "$base_url/stats")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$ideal" "$scale" "$json" "$before" "$after" \
    >>"$manifest"
}

bench_port_open() {
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
    "$1" 2>/dev/null
}

# Starts nginx (BENCH_NGINX, /usr/sbin/nginx) from nginx-bench.conf.in with WORKERS worker
# processes, serving /f (BODY_BYTES) and, when DELAY_S is given, /delay (/f after DELAY_S seconds
# on the echo module's timer, BENCH_NGINX_ECHO_MODULE); its files live in $work/nginx, which it
# makes. Sets nginx_pid and nginx_url. Returns 1 with the reason in nginx_error when it cannot.
# Usage: bench_start_nginx WORKERS BODY_BYTES [DELAY_S]
bench_start_nginx() {
  local workers=$1 body=$2 delay=${3:-} nginx=${BENCH_NGINX:-/usr/sbin/nginx}
  local echo_module=${BENCH_NGINX_ECHO_MODULE:-/usr/lib/nginx/modules/ngx_http_echo_module.so}
  local prefix=$work/nginx port
  nginx_pid= nginx_url= nginx_error=
  if ! command -v "$nginx" >/dev/null; then
    nginx_error="$nginx is not installed"
    return 1
  fi
  # Lines that need the echo module carry @ECHO_MODULE@ or echo_: dropped when there is no delay.
  local drop_echo='/@ECHO_MODULE@\|echo_/d'
  if [[ -n $delay ]]; then
    if [[ ! -r $echo_module ]]; then
      nginx_error="no nginx echo module at $echo_module (libnginx-mod-http-echo) for a delayed route"
      return 1
    fi
    drop_echo=
  fi
  # nginx's workers drop root privileges: the prefix must be readable by everyone.
  chmod 755 "$work"
  mkdir -p "$prefix/html" "$prefix/tmp"
  chmod 755 "$prefix" "$prefix/html"
  head -c "$body" /dev/zero | tr '\0' 'x' >"$prefix/html/f"
  chmod 644 "$prefix/html/f"
  # The free port can be taken between picking and binding it: pick again a few times.
  for _ in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    sed -e "$drop_echo" -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$port|g" \
      -e "s|@WORKERS@|$workers|g" -e "s|@ECHO_MODULE@|$echo_module|g" -e "s|@DELAY_S@|$delay|g" \
      "$BENCH_HERE/nginx-bench.conf.in" >"$prefix/nginx.conf"
    "$nginx" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/error.log" -g 'daemon off;' &
    nginx_pid=$!
    for _ in $(seq 100); do
      bench_port_open "$port" && break
      kill -0 "$nginx_pid" 2>/dev/null || break
      sleep 0.05
    done
    if bench_port_open "$port"; then
      nginx_url=http://127.0.0.1:$port
      return 0
    fi
    kill -TERM "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    nginx_pid=
  done
  nginx_error="nginx did not start: $(tail -n 3 "$prefix/error.log" 2>/dev/null | tr '\n' ' ')"
  return 1
}

# Connections nginx has accepted so far (its stub_status; the status request itself is one).
bench_nginx_accepted() { curl -s "$nginx_url/nginx_status" | awk 'NR == 3 { print $1 }'; }

# EXIT trap for scripts that started servers: stops fanout serve and nginx if running, removes
# $work.
bench_cleanup() {
  local pid
  for pid in ${server_pid:-} ${nginx_pid:-}; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}

# Writes a task file for `fanout farm` (and GNU parallel, bare_spawn): COUNT lines, each LINE.
# Usage: bench_task_file COUNT LINE FILE
bench_task_file() {
  awk -v n="$1" -v line="$2" 'BEGIN { for (i = 0; i < n; ++i) print line }' >"$3"
}
