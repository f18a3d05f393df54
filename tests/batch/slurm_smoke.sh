#!/usr/bin/env bash
# Smoke test of the fixture's Slurm: a one-line batch job and a 2-rank `srun --mpi=pmix` inside one.
# Usage: slurm_smoke.sh MPI_HELLO WORKDIR   (with SLURM_CONF in the environment)
set -euo pipefail

fail() { echo "slurm_smoke: $*" >&2; exit 1; }
[ $# -eq 2 ] || fail "usage: slurm_smoke.sh MPI_HELLO WORKDIR"
[ -n "${SLURM_CONF:-}" ] || fail "SLURM_CONF is not set; run under the slurm fixture"
hello=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
poll_timeout_s=60

# sbatch --wait polls at 2, 10 and 42 s; squeue every 0.1 s sees the end within a tenth of a second.
wait_job() {
  local deadline=$((SECONDS + poll_timeout_s))
  while [ -n "$(squeue -h -j "$1")" ]; do
    [ $SECONDS -lt $deadline ] || fail "job $1 still queued after ${poll_timeout_s} s: $(squeue -h -j "$1" -o '%T %r')"
    sleep 0.1
  done
}

expect_completed() {
  local info
  info=$(scontrol show job "$1")
  grep -q 'JobState=COMPLETED ' <<<"$info" && grep -q ' ExitCode=0:0' <<<"$info" \
    || fail "job $1 did not complete cleanly: $(grep -oE '(JobState|Reason|ExitCode)=[^ ]*' <<<"$info" | tr '\n' ' ')"
}

host_job=$(sbatch --parsable -J smoke-host -o "$work/host-%j.out" --wrap hostname)
mpi_job=$(sbatch --parsable -J smoke-mpi -n 2 -o "$work/mpi-%j.out" --wrap "srun --mpi=pmix $hello")
wait_job "$host_job"
wait_job "$mpi_job"
expect_completed "$host_job"
expect_completed "$mpi_job"

got=$(cat "$work/host-$host_job.out")
[ "$got" = "$(hostname)" ] || fail "hostname job wrote '$got', expected '$(hostname)'"

got=$(sed 's/ on .*//' "$work/mpi-$mpi_job.out" | sort)
expected=$'rank 0 of 2\nrank 1 of 2'
[ "$got" = "$expected" ] || fail "srun --mpi=pmix printed '$(cat "$work/mpi-$mpi_job.out")', expected ranks 0 and 1 of 2"
echo "slurm_smoke: jobs $host_job and $mpi_job completed; 2 ranks under srun --mpi=pmix"
