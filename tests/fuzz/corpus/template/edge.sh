{{?partition}}#SBATCH --partition={{partition}}
{{job_name}} {{nodes}}
{{unknown}}
{{open
