#!/bin/bash
# {{title}}
# Written by fanout submit from template slurm-collect.sh: runs once every point's job has
# ended, however it ended (afterany), and builds the study report from what they measured.
#SBATCH --job-name={{job_name}}
#SBATCH --dependency={{dependency}}
#SBATCH --nodes=1
#SBATCH --ntasks=1
#SBATCH --time={{time}}
{{?partition}}#SBATCH --partition={{partition}}
{{?account}}#SBATCH --account={{account}}
#SBATCH --output={{log}}
set -eu
{{?setup}}{{setup}}
{{?modules}}module load {{modules}}

cd {{workdir}}
{{fanout}} collect {{out_dir}}
