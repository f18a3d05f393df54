#!/bin/bash
# {{title}}
# Written by fanout submit-farm from template slurm-farm.sh: job {{index}} of the farm's chain.
# The farm starts no task that would not end by FANOUT_END_TIME: the job's end, less the warning
# below and the minute by which Slurm may send it early. Its tasks are expected to take
# shell.time-request, or as long as the longest task so far; once none fits, the ranks let the
# tasks in flight finish, record them, and exit 75. Slurm's SIGTERM, {{warn_s}} s or up to a
# minute more before the time limit, is the safety net for a task that runs longer than expected:
# to the ranks themselves under srun (srun would answer a SIGTERM of its own by killing its tasks
# at once), to this script under mpirun, which passes it on; the ranks then stop the tasks in
# flight (those run again in the next job). Then `fanout continue-farm` counts the tasks the
# joblog still lacks and, if any, submits the next job of the chain with --resume, after this one
# (afterany).
#SBATCH --job-name={{job_name}}
#SBATCH --nodes={{nodes}}
#SBATCH --ntasks-per-node={{ranks_per_node}}
#SBATCH --cpus-per-task={{threads}}
#SBATCH --time={{time}}
#SBATCH --signal={{signal}}
{{?dependency}}#SBATCH --dependency={{dependency}}
{{?partition}}#SBATCH --partition={{partition}}
{{?account}}#SBATCH --account={{account}}
{{?exclusive}}#SBATCH --exclusive
#SBATCH --output={{log}}
set -u
{{?setup}}{{setup}}
{{?modules}}module load {{modules}}

# srun does not inherit --cpus-per-task from the batch job (Slurm 22.05 and later).
export SRUN_CPUS_PER_TASK=${SLURM_CPUS_PER_TASK:-1}

cd {{workdir}}
end=$(date -d "$(squeue -h -j "$SLURM_JOB_ID" -o %e)" +%s 2>/dev/null) || end=$(($(date +%s) + {{time_s}}))
export FANOUT_END_TIME=$((end - {{warn_s}} - 60))
trap 'kill -TERM "$farm" 2>/dev/null' TERM
{{launch}} &
farm=$!
# A trapped signal ends `wait` early; wait again for the farm's own exit status.
status=0
wait "$farm" || status=$?
while kill -0 "$farm" 2>/dev/null; do
  status=0
  wait "$farm" || status=$?
done
{{continue}} --exit "$status"
exit "$status"
