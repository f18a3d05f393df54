#!/usr/bin/env bash
# Stops the single-node Slurm that cluster/slurm-up.sh started in DIR and removes its state.
# Usage: cluster/slurm-down.sh DIR
# Cancels every job of that instance and waits for them to end; stops slurmd and slurmctld by their
# pid files (TERM, then KILL after a while) and the instance's own munged; stops daemons of an earlier
# run of the same DIR whose pid files are gone; removes everything but DIR/log (kept for post-mortems;
# the next slurm-up clears it). Safe to call when nothing is up.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

[ $# -eq 1 ] || { echo "usage: slurm-down.sh DIR" >&2; exit 2; }
[ -d "$1" ] || exit 0
dir=$(cd "$1" && pwd -P)
conf=$dir/slurm.conf
jobs_timeout_s=20
exit_timeout_s=10

if [ -z "${FANOUT_SLURM_LOCK_HELD:-}" ]; then
  exec 9>"$dir/.lock"
  flock -w 60 9 || { echo "slurm-down: another slurm-up/slurm-down holds $dir/.lock for over 60 s" >&2; exit 1; }
fi

# A daemon that exited stays a zombie until PID 1 reaps it, and kill -0 still reaches a zombie.
alive() { local st; st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) && [ "${st%% *}" != Z ]; }
# The pid in a pid file counts only while its command line still names DIR: pids get reused.
pid_of() {
  local pid args
  pid=$(cat "$1" 2>/dev/null) && [ -n "$pid" ] && alive "$pid" \
    && args=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") && [[ "$args" == *"$dir/"* ]] && echo "$pid"
}

munged_pid=$(pid_of "$dir/run/munged.pid") || true
slurmctld_pid=$(pid_of "$dir/run/slurmctld.pid") || true
slurmd_pid=$(pid_of "$dir/run/slurmd.pid") || true

# Jobs first: slurmd gone leaves their processes running.
if [ -f "$conf" ] && [ -n "$munged_pid" ] && [ -n "$slurmctld_pid" ]; then
  export SLURM_CONF=$conf
  mapfile -t jobs < <(squeue -h -o %i 2>/dev/null)
  if [ ${#jobs[@]} -gt 0 ]; then
    scancel "${jobs[@]}" 2>/dev/null || true
    deadline=$((SECONDS + jobs_timeout_s))
    while [ -n "$(squeue -h -o %i 2>/dev/null)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    left=$(squeue -h -o '%i %T' 2>/dev/null | tr '\n' ' ')
    [ -z "$left" ] || echo "slurm-down: jobs still there after ${jobs_timeout_s} s: $left" >&2
  fi
elif [ -n "$slurmd_pid" ]; then
  echo "slurm-down: slurmctld or munged of $dir is gone, so its jobs cannot be cancelled;" \
    "job processes (under slurmstepd) may be left running" >&2
fi

stop_pids() {
  local pid deadline
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  deadline=$((SECONDS + exit_timeout_s))
  for pid in "$@"; do
    while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    if alive "$pid"; then
      echo "slurm-down: pid $pid did not exit on TERM within ${exit_timeout_s} s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

# TERM lets the daemons shut down cleanly, but only while they can talk: without munged nothing
# authenticates, and without slurmctld slurmd retries its goodbye; either way TERM would only cost
# MessageTimeout (10 s), and the state is about to be removed anyway.
if [ -z "$munged_pid" ]; then
  kill -KILL $slurmd_pid $slurmctld_pid 2>/dev/null || true
elif [ -z "$slurmctld_pid" ]; then
  kill -KILL $slurmd_pid 2>/dev/null || true
else
  stop_pids $slurmd_pid $slurmctld_pid
fi
# munged takes 2 s to leave on TERM and keeps nothing worth saving (its key and socket go with DIR).
kill -KILL $munged_pid 2>/dev/null || true

# Daemons of an earlier run of this DIR whose pid files went with it (ctest killed, build dir removed).
for pid in $(pgrep -x slurmd; pgrep -x slurmctld; pgrep -x munged); do
  case " $munged_pid $slurmctld_pid $slurmd_pid " in *" $pid "*) continue ;; esac
  args=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
  case "$args" in
    *" -f $conf "*|*" --socket=$dir/munge/munge.socket "*)
      echo "slurm-down: killing ${args%% *} (pid $pid) of an earlier run of $dir" >&2
      kill -KILL "$pid" 2>/dev/null || true ;;
  esac
done

rm -rf "$dir/run" "$dir/state" "$dir/spool" "$dir/tmp" "$dir/munge" "$conf"
