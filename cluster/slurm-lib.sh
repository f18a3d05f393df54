# Shell functions shared by the test Slurms: slurm-up.sh (one node) and netns-up.sh --slurm (one node per namespace).
# Source it after defining die MESSAGE (print and exit).

# slurm_start_munged DIR [CMD...]: starts a munged of DIR's own (key, pid, log and seed under DIR),
# through CMD if given (e.g. ip netns exec NODE), and checks that it answers on its socket,
# DIR/munge/munge.socket.
slurm_start_munged() {
  local dir=$1 socket=$1/munge/munge.socket
  shift
  mkdir -p "$dir/munge" "$dir/run" "$dir/log"
  # munged refuses a socket directory that others cannot traverse, and a readable key.
  chmod 755 "$dir/munge"
  (umask 077 && head -c 1024 /dev/urandom >"$dir/munge/munge.key")
  # The daemons must not inherit the caller's lock on fd 9, or they would hold it for as long as they run.
  "$@" setsid munged --socket="$socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" </dev/null >>"$dir/log/munged.out" 2>&1 9>&- \
    || die "munged did not start: $(tail -n 3 "$dir/log/munged.log" 2>/dev/null)"
  munge -S "$socket" -n 2>/dev/null | unmunge -S "$socket" >/dev/null 2>&1 \
    || die "munged started but does not answer on $socket; see $dir/log/munged.log"
}

# slurm_node_hardware: this machine's node line from slurmd -C without its NodeName, RealMemory
# lowered by 10 %: slurmd measures a little less than it reports here, and a node short of its
# RealMemory drains.
slurm_node_hardware() {
  local line mem
  line=$(slurmd -C | head -n1)
  [[ "$line" == NodeName=* ]] || die "'slurmd -C' printed '$line', expected NodeName=..."
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$line")
  sed -e 's/^NodeName=[^ ]* //' -e "s/RealMemory=[0-9]*/RealMemory=$((mem * 9 / 10))/" <<<"$line"
}

# slurm_common_conf DIR: the slurm.conf lines every test Slurm shares (no cgroups, PMIx, no
# accounting, finished jobs in DIR/log/jobcomp.txt).
slurm_common_conf() {
  cat <<CONF
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
EnforcePartLimits=ALL
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=600
InactiveLimit=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$1/log/jobcomp.txt
CONF
}
