#!/bin/bash
# {{title}}
# Written by fanout submit from template slurm-point.sh; to resubmit it alone: sbatch {{script}}
#SBATCH --job-name={{job_name}}
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

# One OpenMP thread per CPU of each task. srun does not inherit --cpus-per-task from the batch
# job (Slurm 22.05 and later), so it is handed on.
export OMP_NUM_THREADS=${SLURM_CPUS_PER_TASK:-1}
export SRUN_CPUS_PER_TASK=$OMP_NUM_THREADS

cd {{workdir}}
{{launch}}
