#!/bin/bash
# {{title}}
# Written by fanout submit from template pbs-array.sh (PBS Pro / OpenPBS); to resubmit it alone: qsub {{script}}
# Every subjob asks for the largest point's chunks and runs its own point on part of them.
#PBS -N {{job_name}}
#PBS -J 0-{{last_index}}
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

{{point_table}}
i=$PBS_ARRAY_INDEX
out={{out_dir}}

export OMP_NUM_THREADS=${threads[i]}

cd {{workdir}}
{{launch}}
