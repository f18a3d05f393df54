#!/bin/bash
# {{title}}
# Written by fanout submit from template slurm-array.sh; to resubmit it alone: sbatch {{script}}
# Every element asks for the largest point's nodes, tasks per node and CPUs per task, and runs
# its own point on part of them with srun; one job per point (fanout submit without --array)
# asks for no more than each point needs.
#SBATCH --job-name={{job_name}}
#SBATCH --array=0-{{last_index}}
#SBATCH --nodes={{nodes}}
#SBATCH --ntasks-per-node={{ranks_per_node}}
#SBATCH --cpus-per-task={{threads}}
#SBATCH --time={{time}}
{{?partition}}#SBATCH --partition={{partition}}
{{?account}}#SBATCH --account={{account}}
{{?exclusive}}#SBATCH --exclusive
#SBATCH --output={{log}}
set -eu
{{?setup}}{{setup}}
{{?modules}}module load {{modules}}

{{point_table}}
i=$SLURM_ARRAY_TASK_ID
out={{out_dir}}

# One OpenMP thread per CPU of each task of this element's point.
export OMP_NUM_THREADS=${threads[i]}

cd {{workdir}}
{{launch}}
