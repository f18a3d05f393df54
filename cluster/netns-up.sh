#!/usr/bin/env bash
# Brings up a test cluster of N nodes made of Linux network namespaces on this machine, for multi-node tests.
# Usage: cluster/netns-up.sh [--slurm] [--prefix P] [--subnet A.B.C] DIR N
#   N node namespaces PREFIXn1..PREFIXnN, each with a veth to a bridge in the switch namespace
#   PREFIXsw, addresses A.B.C.11.. in a /24 that exists only inside these namespaces (default
#   10.213.0), names in /etc/netns/NODE/hosts (the machine's /etc/hosts stays as it is).
#   PREFIX defaults to "fo" + 4 hex digits of DIR's path, so two build folders never share a name.
#   --slurm adds a multi-node Slurm: munged and slurmctld in node 1, one slurmd per node.
# Writes into DIR: cluster.env (the names, read by netns-down.sh), hostfile, rsh (the agent for
# Open MPI's --mca plm_rsh_agent), on (`DIR/on NODE CMD...` runs CMD inside NODE with its hostname),
# mpirun (`DIR/mpirun ARGS` = mpirun inside node 1 over every node), and with --slurm slurm.conf.
# Prints NODES=... (and SLURM_CONF=...) once every node answers. Idempotent: with DIR up as asked (and
# no Slurm job left) it only prints; anything else in DIR is torn down first. Stop it with cluster/netns-down.sh DIR.
# Root only: without root, or where namespaces cannot be made, it exits 77 (CTest's skip code).
# Never touches the default namespace's interfaces, addresses or routes; the nodes have no route
# out of their /24.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "netns-up: $*" >&2; exit 1; }
# shellcheck source=cluster/slurm-lib.sh
. "$here/slurm-lib.sh"
skip() { echo "netns-up: skipped: $*" >&2; exit 77; }
usage() { echo "usage: netns-up.sh [--slurm] [--prefix P] [--subnet A.B.C] DIR N" >&2; exit 2; }

want_slurm=0 prefix= subnet=10.213.0
while [ $# -gt 0 ]; do
  case "$1" in
    --slurm) want_slurm=1; shift ;;
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --subnet) [ $# -ge 2 ] || usage; subnet=$2; shift 2 ;;
    -*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
n=$2
[[ "$n" =~ ^[1-9][0-9]?$ ]] && [ "$n" -le 80 ] || die "N '$n': expected a node count from 1 to 80"
[[ "$subnet" =~ ^(10\.[0-9]+\.[0-9]+|192\.168\.[0-9]+|172\.(1[6-9]|2[0-9]|3[01])\.[0-9]+)$ ]] \
  || die "--subnet '$subnet': expected the first three numbers of a private /24, e.g. 10.213.0"

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, bind mounts in /etc/netns)"
for prog in ip unshare flock mpirun; do
  command -v "$prog" >/dev/null 2>&1 || skip "'$prog' not found (bash cluster/deps.sh installs it)"
done
unshare --net --uts true 2>/dev/null || skip "this machine does not let root create network namespaces"

mkdir -p "$1"
dir=$(cd "$1" && pwd -P)
: "${prefix:=fo$(printf '%s' "$dir" | cksum | awk '{printf "%04x", $1 % 65536}')-}"
[[ "$prefix" =~ ^[a-z][a-z0-9-]{0,9}$ ]] \
  || die "--prefix '$prefix': expected up to 10 lower-case letters, digits or '-', starting with a letter"

if [ $want_slurm = 1 ]; then
  for prog in munged munge slurmctld slurmd sinfo; do
    command -v "$prog" >/dev/null 2>&1 || skip "'$prog' not found (bash cluster/deps.sh --slurm installs it)"
  done
fi

# The /24 must not be one the machine itself uses, or a node's address would also name a real host.
if ip -4 -o addr show | awk '{print $4}' | grep -q "^${subnet//./\\.}\." \
    || ip -4 route show | awk '{print $1}' | grep -q "^${subnet//./\\.}\."; then
  die "--subnet $subnet: this machine has addresses or routes in $subnet.0/24; pick another"
fi

exec 9>"$dir/.lock"
flock -w 60 9 || die "another netns-up/netns-down holds $dir/.lock for over 60 s"

nodes=()
for i in $(seq 1 "$n"); do nodes+=("${prefix}n$i"); done
switch=${prefix}sw
addr_of() { echo "$subnet.$((10 + $1))"; }
conf=$dir/slurm.conf

in_node() { local node=$1; shift; ip netns exec "$node" "$@"; }
# Whether NODE reaches ADDR: a connect to a port nothing listens on is refused only by a host that
# is there (no ping needed; nothing is sent beyond the /24).
reaches() {
  local err
  err=$(ip netns exec "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/9" 2>&1) || true
  [[ "$err" == *"Connection refused"* ]]
}
# Run inside node 1 with node 1's hostname (as every client of the cluster does).
on_first() { "$dir/on" "${nodes[0]}" "$@"; }

slurm_idle_nodes() {
  SLURM_CONF=$conf on_first sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l
}

is_up() {
  [ -f "$dir/cluster.env" ] || return 1
  # shellcheck disable=SC1091
  [ "$(. "$dir/cluster.env" && echo "$PREFIX|$NODES|$SUBNET|$SLURM")" \
    = "$prefix|${nodes[*]}|$subnet|$want_slurm" ] || return 1
  local node
  for node in "$switch" "${nodes[@]}"; do [ -e "/run/netns/$node" ] || return 1; done
  reaches "${nodes[-1]}" "$(addr_of 1)" || return 1
  # A Slurm left with jobs (a killed test's) is started afresh rather than handed on busy.
  [ $want_slurm = 0 ] || { [ "$(slurm_idle_nodes)" = "$n" ] \
    && [ -z "$(SLURM_CONF=$conf on_first squeue -h -o %i 2>/dev/null)" ]; }
}

print_result() {
  echo "NODES=${nodes[*]}"
  [ $want_slurm = 0 ] || echo "SLURM_CONF=$conf"
}

if is_up; then
  print_result
  exit 0
fi

started=$(date +%s.%N)
FANOUT_NETNS_LOCK_HELD=1 bash "$here/netns-down.sh" --prefix "$prefix" "$dir" >&2
# A failure half-way leaves namespaces behind: take them down again before saying so.
trap 'st=$?; if [ $st -ne 0 ]; then FANOUT_NETNS_LOCK_HELD=1 bash "$here/netns-down.sh" --prefix "$prefix" "$dir" >&2 || true; fi' EXIT

for node in "$switch" "${nodes[@]}"; do
  [ ! -e "/run/netns/$node" ] || die "namespace $node exists and is not this cluster's; pick another --prefix"
done

# The bridge and every veth are made inside the switch namespace, then one end moves into its
# node: nothing is ever created in the default namespace.
ip netns add "$switch"
ip -n "$switch" link set lo up
ip -n "$switch" link add br0 type bridge
ip -n "$switch" link set br0 up
hosts="127.0.0.1 localhost"$'\n'
for i in $(seq 1 "$n"); do hosts+="$(addr_of "$i") ${nodes[$((i - 1))]}"$'\n'; done
for i in $(seq 1 "$n"); do
  node=${nodes[$((i - 1))]}
  ip netns add "$node"
  ip -n "$switch" link add "v-n$i" type veth peer name eth0 netns "$node"
  ip -n "$switch" link set "v-n$i" master br0 up
  ip -n "$node" link set lo up
  ip -n "$node" addr add "$(addr_of "$i")/24" dev eth0
  ip -n "$node" link set eth0 up
  mkdir -p "/etc/netns/$node"
  printf '%s' "$hosts" >"/etc/netns/$node/hosts"
done

cat >"$dir/on" <<EOF
#!/bin/sh
# Runs a command inside one node of the test cluster in $dir, with that node's hostname.
# Usage: $dir/on NODE CMD [ARG...]   (NODE one of: ${nodes[*]})
[ \$# -ge 2 ] || { echo "usage: \$0 NODE CMD [ARG...]" >&2; exit 2; }
case " ${nodes[*]} " in *" \$1 "*) ;; *) echo "\$0: '\$1' is not a node of this cluster (${nodes[*]})" >&2; exit 2 ;; esac
[ ! -f "$conf" ] || export SLURM_CONF="$conf"
node=\$1; shift
exec ip netns exec "\$node" unshare --uts -- sh -c 'hostname "\$0" && exec "\$@"' "\$node" "\$@"
EOF

# Open MPI calls the agent as `AGENT HOST CMD...` and means CMD for a remote shell, as ssh would:
# the words are joined and read by sh, which keeps the quoting of values such as orte_hnp_uri.
cat >"$dir/rsh" <<EOF
#!/bin/sh
# Open MPI's launch agent for the test cluster in $dir (--mca plm_rsh_agent): runs CMD inside HOST's namespace.
# Usage: $dir/rsh HOST CMD...
[ \$# -ge 2 ] || { echo "usage: \$0 HOST CMD..." >&2; exit 2; }
case " ${nodes[*]} " in *" \$1 "*) ;; *) echo "\$0: '\$1' is not a node of this cluster (${nodes[*]})" >&2; exit 2 ;; esac
node=\$1; shift
exec ip netns exec "\$node" unshare --uts -- sh -c "hostname \$node && \$*"
EOF

# Root may run mpirun only when told so; --bind-to none, since each node would pin its first rank
# to core 0 and the ranks of different nodes would then share one core.
cat >"$dir/mpirun" <<EOF
#!/bin/sh
# mpirun over every node of the test cluster in $dir, started inside node 1 (${nodes[0]}).
# Usage: $dir/mpirun [MPIRUN ARGS...] PROGRAM [ARGS...]
exec "$dir/on" "${nodes[0]}" mpirun --allow-run-as-root --mca plm_rsh_agent "$dir/rsh" \\
  --hostfile "$dir/hostfile" --bind-to none "\$@"
EOF
chmod 755 "$dir/on" "$dir/rsh" "$dir/mpirun"

slots=$(nproc)
: >"$dir/hostfile"
for node in "${nodes[@]}"; do echo "$node slots=$slots" >>"$dir/hostfile"; done

cat >"$dir/cluster.env" <<EOF
# Test cluster written by cluster/netns-up.sh; read by cluster/netns-down.sh.
PREFIX=$prefix
SWITCH=$switch
NODES="${nodes[*]}"
SUBNET=$subnet
SLURM=$want_slurm
EOF

for i in $(seq 2 "$n"); do
  reaches "${nodes[0]}" "$(addr_of "$i")" \
    || die "node ${nodes[0]} cannot reach ${nodes[$((i - 1))]} at $(addr_of "$i")"
done

if [ $want_slurm = 1 ]; then
  start_timeout_s=30
  mkdir -p "$dir/run" "$dir/log" "$dir/state" "$dir/spool"
  for node in "${nodes[@]}"; do mkdir -p "$dir/tmp/$node"; done
  mkdir -p "$dir/tmp/shared"
  # munged lives in node 1; its socket is a path, so every namespace reaches it through the
  # shared filesystem.
  slurm_start_munged "$dir" ip netns exec "${nodes[0]}"
  socket=$dir/munge/munge.socket
  hw=$(slurm_node_hardware)
  {
    echo "# Multi-node test cluster written by cluster/netns-up.sh; everything lives under $dir."
    cat <<EOF
ClusterName=fanout
SlurmctldHost=${nodes[0]}($(addr_of 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd-%n.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd-%n.log
TmpFS=$dir/tmp/shared
$(slurm_common_conf "$dir")
EOF
    for i in $(seq 1 "$n"); do
      echo "NodeName=${nodes[$((i - 1))]} NodeAddr=$(addr_of "$i") $hw State=UNKNOWN"
    done
    echo "PartitionName=debug Nodes=${prefix}n[1-$n] Default=YES MaxTime=01:00:00 State=UP"
  } >"$conf"

  in_node "${nodes[0]}" unshare --uts -- sh -c 'hostname "$0" && exec setsid slurmctld -f "$1"' \
    "${nodes[0]}" "$conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 9>&- \
    || die "slurmctld did not start: $(tail -n 3 "$dir/log/slurmctld.log" 2>/dev/null)"
  # `ip netns exec` gives slurmd a fresh /sys without cgroups, which slurmd insists on: an empty
  # tmpfs and a new, empty named v1 hierarchy, in that private mount namespace only. Steps of
  # different nodes must not share TmpFS (PMIx app dirs would clash): each node binds its own.
  for node in "${nodes[@]}"; do
    in_node "$node" unshare --uts -- sh -c '
      hostname "$0" &&
      mount -t tmpfs -o mode=755 "$0-cg" /sys/fs/cgroup &&
      mkdir /sys/fs/cgroup/systemd &&
      mount -t cgroup -o "none,name=$0" "$0-cgv1" /sys/fs/cgroup/systemd &&
      mount --bind "$2/tmp/$0" "$2/tmp/shared" &&
      exec setsid slurmd -f "$1"' "$node" "$conf" "$dir" \
      </dev/null >>"$dir/log/slurmd-$node.out" 2>&1 9>&- \
      || die "slurmd of $node did not start: $(tail -n 3 "$dir/log/slurmd-$node.log" 2>/dev/null)"
  done

  deadline=$((SECONDS + start_timeout_s))
  idle=0
  while [ $SECONDS -lt $deadline ]; do
    idle=$(slurm_idle_nodes)
    [ "$idle" = "$n" ] && break
    sleep 0.1
  done
  if [ "$idle" != "$n" ]; then
    echo "netns-up: $idle of $n Slurm nodes idle after ${start_timeout_s} s. Last log lines:" >&2
    tail -n 5 "$dir/log/slurmctld.log" "$dir"/log/slurmd-*.log >&2 2>/dev/null || true
    SLURM_CONF=$conf on_first sinfo -N -o '%N %T %E' >&2 2>/dev/null || true
    exit 1
  fi
fi

echo "netns-up: $n nodes up in $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s" >&2
print_result
