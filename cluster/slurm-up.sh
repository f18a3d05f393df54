#!/usr/bin/env bash
# Brings up a private single-node Slurm (munged, slurmctld, slurmd) with all its files under DIR, for tests.
# Usage: cluster/slurm-up.sh DIR
# Prints one line, SLURM_CONF=DIR/slurm.conf, on stdout once the node is idle; diagnostics go to stderr.
# Idempotent: with DIR already up it only prints the line; a half-dead instance in DIR is stopped and
# started afresh. Stop it with cluster/slurm-down.sh DIR.
# Each instance has its own munged (socket and key under DIR) and its own free TCP ports, so two
# instances, a leftover from a killed run, or a system munged/Slurm on 6817/6818 do not interfere.
# Works as root (daemons run as root) and as an unprivileged user (daemons run as that user, who is
# then the only user that can run jobs).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "slurm-up: $*" >&2; exit 1; }
# shellcheck source=cluster/slurm-lib.sh
. "$here/slurm-lib.sh"
[ $# -eq 1 ] || { echo "usage: slurm-up.sh DIR" >&2; exit 2; }
mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
conf=$dir/slurm.conf
start_timeout_s=30

for prog in munged munge unmunge slurmctld slurmd sinfo scontrol; do
  command -v "$prog" >/dev/null 2>&1 \
    || die "'$prog' not found; install Slurm with: bash cluster/deps.sh --slurm (as root)"
done

# One caller at a time per DIR: ctest may start the fixture while a manual call is running.
exec 9>"$dir/.lock"
flock -w 60 9 || die "another slurm-up/slurm-down holds $dir/.lock for over 60 s"

# A daemon that exited stays a zombie until PID 1 reaps it, and kill -0 still reaches a zombie.
alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }
pid_alive() {
  local pid args
  pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && alive "$pid" \
    && args=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") && [[ "$args" == *"$dir/"* ]]
}

node_state() { SLURM_CONF=$conf sinfo -h -o %T 2>/dev/null | head -n1; }

is_up() {
  [ -f "$conf" ] && pid_alive "$dir/run/munged.pid" && pid_alive "$dir/run/slurmctld.pid" \
    && pid_alive "$dir/run/slurmd.pid" || return 1
  case "$(node_state)" in idle|mixed|allocated|completing) return 0 ;; *) return 1 ;; esac
}

if is_up; then
  echo "SLURM_CONF=$conf"
  exit 0
fi

# Whatever is left in DIR (daemons of a killed run, old state) goes before a clean start.
FANOUT_SLURM_LOCK_HELD=1 bash "$here/slurm-down.sh" "$dir" >&2

# Daemons of an instance whose DIR was deleted keep running on their own ports: harmless here,
# but worth a word, since nothing will stop them.
for pid in $(pgrep -x slurmctld; pgrep -x slurmd; pgrep -x munged); do
  args=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
  case "$args" in
    *" -f "*) f=${args#* -f } ;;
    *" --socket="*) f=${args#* --socket=} ;;
    *) continue ;;
  esac
  f=${f%% *}
  [ -e "$f" ] || echo "slurm-up: note: pid $pid (${args% }) belongs to a removed instance;" \
    "stop it with: kill $pid" >&2
done

user=$(id -un)
rm -rf "$dir/log"
mkdir -p "$dir/run" "$dir/log" "$dir/state" "$dir/spool" "$dir/tmp" "$dir/munge"

slurm_start_munged "$dir"
socket=$dir/munge/munge.socket

# Free ports below the ephemeral range, so that no client connection takes one meanwhile.
port_free() { [ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }
pick_port() {
  local p i
  for i in $(seq 1 200); do
    p=$((10000 + RANDOM % 20000))
    [ "$p" != "${1:-}" ] && port_free "$p" && { echo "$p"; return 0; }
  done
  return 1
}
ctld_port=$(pick_port) || die "found no free TCP port in 10000-29999"
slurmd_port=$(pick_port "$ctld_port") || die "found no free TCP port in 10000-29999"

host=$(hostname -s)
hardware=$(slurm_node_hardware)

cat >"$conf" <<EOF
# Single-node test cluster written by cluster/slurm-up.sh; everything lives under $dir.
ClusterName=fanout
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
TmpFS=$dir/tmp
$(slurm_common_conf "$dir")
NodeName=$host $hardware NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=01:00:00 State=UP
PartitionName=short Nodes=$host MaxTime=00:01:00 State=UP
EOF

setsid slurmctld -f "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 9>&- \
  || die "slurmctld did not start: $(tail -n 3 "$dir/log/slurmctld.log" 2>/dev/null)"
setsid slurmd -f "$conf" </dev/null >>"$dir/log/slurmd.out" 2>&1 9>&- \
  || die "slurmd did not start: $(tail -n 3 "$dir/log/slurmd.log" 2>/dev/null)"

deadline=$((SECONDS + start_timeout_s))
state=
while [ $SECONDS -lt $deadline ]; do
  state=$(node_state)
  [ "$state" = idle ] && { echo "SLURM_CONF=$conf"; exit 0; }
  sleep 0.1
done
echo "slurm-up: node '$host' is '${state:-not known to slurmctld}' after ${start_timeout_s} s, expected idle." \
  "Last log lines:" >&2
tail -n 5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 2>/dev/null || true
SLURM_CONF=$conf scontrol show node "$host" 2>/dev/null | grep -E 'State=|Reason=' >&2 || true
exit 1
