#!/bin/bash
# {{title}}
# Written by fanout submit from template pbs-collect.sh (PBS Pro / OpenPBS): runs once every point's
# job has ended, however it ended (afterany), and builds the study report.
#PBS -N {{job_name}}
#PBS -W depend={{dependency}}
#PBS -l select=1:ncpus=1
#PBS -l walltime={{time}}
{{?partition}}#PBS -q {{partition}}
{{?account}}#PBS -A {{account}}
#PBS -j oe
#PBS -o {{log}}
set -eu
{{?setup}}{{setup}}
{{?modules}}module load {{modules}}

cd {{workdir}}
{{fanout}} collect {{out_dir}}
