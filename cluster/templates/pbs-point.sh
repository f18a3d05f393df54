#!/bin/bash
# {{title}}
# Written by fanout submit from template pbs-point.sh (PBS Pro / OpenPBS); to resubmit it alone: qsub {{script}}
#PBS -N {{job_name}}
#PBS -l select={{nodes}}:ncpus={{cpus_per_node}}:mpiprocs={{ranks_per_node}}:ompthreads={{threads}}
#PBS -l walltime={{time}}
#PBS -l place={{place}}
{{?partition}}#PBS -q {{partition}}
{{?account}}#PBS -A {{account}}
#PBS -j oe
#PBS -o {{log}}
set -eu
{{?setup}}{{setup}}
{{?modules}}module load {{modules}}

# PBS sets OMP_NUM_THREADS from ompthreads; the same value if it did not.
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-{{threads}}}

cd {{workdir}}
{{launch}}
