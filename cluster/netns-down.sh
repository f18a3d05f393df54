#!/usr/bin/env bash
# Tears down the namespace test cluster that cluster/netns-up.sh brought up in DIR.
# Usage: cluster/netns-down.sh [--prefix P] DIR
# Cancels the Slurm jobs (if Slurm is up), then ends every process inside the cluster's own
# namespaces (`ip netns pids`: TERM, KILL after a while), deletes the namespaces PREFIXn* and PREFIXsw
# and /etc/netns/PREFIXn*, the Open MPI session dirs /tmp/ompi.PREFIXn*, and DIR's state but DIR/log
# (kept for post-mortems; the next netns-up clears it). The prefix comes from DIR/cluster.env, else
# from --prefix, else from DIR's path as netns-up derives it, so it works after a killed test or a
# half-made cluster. Safe to call twice, and when nothing is up. Root only (exits 77 without).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

usage() { echo "usage: netns-down.sh [--prefix P] DIR" >&2; exit 2; }
prefix=
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage
[ "$(id -u)" = 0 ] || { echo "netns-down: skipped: needs root" >&2; exit 77; }
[ -d "$1" ] || [ -n "$prefix" ] || exit 0
mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
exit_timeout_s=5
jobs_timeout_s=15

if [ -z "${FANOUT_NETNS_LOCK_HELD:-}" ]; then
  exec 9>"$dir/.lock"
  flock -w 60 9 || { echo "netns-down: another netns-up/netns-down holds $dir/.lock for over 60 s" >&2; exit 1; }
fi

if [ -f "$dir/cluster.env" ]; then
  # shellcheck disable=SC1091
  prefix=$(. "$dir/cluster.env" && echo "$PREFIX")
fi
: "${prefix:=fo$(printf '%s' "$dir" | cksum | awk '{printf "%04x", $1 % 65536}')-}"
[[ "$prefix" =~ ^[a-z][a-z0-9-]{0,9}$ ]] || { echo "netns-down: bad prefix '$prefix'" >&2; exit 2; }

mapfile -t spaces < <(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${prefix}(n[0-9]+|sw)$" || true)
first=${prefix}n1

# Jobs first, while slurmctld and the slurmds can still end them cleanly.
if [ -f "$dir/slurm.conf" ] && [ -e "/run/netns/$first" ] && [ -x "$dir/on" ]; then
  mapfile -t jobs < <("$dir/on" "$first" squeue -h -o %i 2>/dev/null || true)
  if [ ${#jobs[@]} -gt 0 ]; then
    "$dir/on" "$first" scancel "${jobs[@]}" 2>/dev/null || true
    deadline=$((SECONDS + jobs_timeout_s))
    while [ -n "$("$dir/on" "$first" squeue -h -o %i 2>/dev/null)" ] && [ $SECONDS -lt $deadline ]; do
      sleep 0.1
    done
  fi
fi

# A process that exited stays a zombie until its parent reaps it; a zombie needs no killing.
alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }
ns_pids() {
  local ns pid
  for ns in "${spaces[@]}"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      [ "$pid" != $$ ] && alive "$pid" && echo "$pid"
    done
  done
}

mapfile -t pids < <(ns_pids)
if [ ${#pids[@]} -gt 0 ]; then
  kill -TERM "${pids[@]}" 2>/dev/null || true
  deadline=$((SECONDS + exit_timeout_s))
  while [ $SECONDS -lt $deadline ]; do
    mapfile -t pids < <(ns_pids)
    [ ${#pids[@]} -gt 0 ] || break
    sleep 0.05
  done
  for round in 1 2 3 4 5; do
    mapfile -t pids < <(ns_pids)
    [ ${#pids[@]} -gt 0 ] || break
    [ $round -gt 1 ] || echo "netns-down: killing ${#pids[@]} process(es) that ignored TERM: $(
      for pid in "${pids[@]}"; do tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-60; echo -n '; '; done)" >&2
    kill -KILL "${pids[@]}" 2>/dev/null || true
    sleep 0.1
  done
fi

for ns in "${spaces[@]}"; do
  ip netns delete "$ns" 2>/dev/null || echo "netns-down: could not delete namespace $ns" >&2
done
for d in /etc/netns/"${prefix}"n*; do
  [ -d "$d" ] && [[ "$(basename "$d")" =~ ^${prefix}n[0-9]+$ ]] && rm -rf "$d"
done
rmdir /etc/netns 2>/dev/null || true
# Session dirs are named after the host (= node) name, so these are this cluster's only.
rm -rf /tmp/ompi."${prefix}"n[0-9]*
rm -rf "$dir/run" "$dir/state" "$dir/spool" "$dir/tmp" "$dir/munge" "$dir/slurm.conf" \
  "$dir/cluster.env" "$dir/hostfile" "$dir/on" "$dir/rsh" "$dir/mpirun"
