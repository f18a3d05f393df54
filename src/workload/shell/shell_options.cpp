// The [shell] section's keys and the help each gives: a farm's options, in the order --help lists
// them.
#include "workload/shell/shell_options.hpp"

namespace fanout {

OptionGroup shell_options() {
  using Arity = OptionSpec::Arity;
  return {"[shell] a farm of your own commands",
          {{"shell.tasks",
            "file of commands, one a line ('#' comments, blank lines skipped; a CRLF line's "
            "carriage return dropped)"},
           {"shell.command",
            "or a command template run once per input, GNU parallel style: {} {.} {/} {//} "
            "{/.} {#} (task number) {%} (slot), each quoted for the shell unless one is in the "
            "first word (`{}` runs each input as a command); with none, ' {}' is appended"},
           {"shell.inputs", "file of inputs for shell.command, one a line"},
           {"shell.workdir", "directory the commands run in (default: the working directory)"},
           {"shell.count", "run only the first N tasks of the list"},
           {"shell.slots", "tasks in flight per rank (default: its cores / shell.cores-per-task)"},
           {"shell.cores-per-task",
            "cores each task uses: its OMP_NUM_THREADS and FANOUT_CORES; fewer slots (default 1)"},
           {"shell.gpus-per-task",
            "GPUs each task gets as its own CUDA_VISIBLE_DEVICES and ROCR_VISIBLE_DEVICES, from "
            "the node's (CUDA_VISIBLE_DEVICES, SLURM_STEP_GPUS, SLURM_JOB_GPUS or nvidia-smi -L); "
            "fewer slots (default 0: none handed out)"},
           {"shell.timeout", "per attempt: SIGTERM to its process group, e.g. 10m (default none)"},
           {"shell.kill-grace", "SIGKILL this long after a timeout's SIGTERM (default 5s)"},
           {"shell.time-request",
            "the longest a task takes, e.g. 30m: no task starts that would not end before the "
            "allocation does (FANOUT_END_TIME, which submit-farm's jobs set, or "
            "SLURM_JOB_END_TIME); the farm then exits 75 and a later job resumes it (default: the "
            "longest task finished so far)"},
           {"shell.retries", "run a failed task again up to N times (default 0)"},
           {"shell.halt",
            "never | now,fail=N | soon,fail=N | now,fail=P% | soon,fail=P% (GNU parallel's "
            "--halt: P% of all the tasks, however many finished; soon lets the tasks in flight "
            "finish; counted per rank, P% of its share) (default never)"},
           {"shell.logs",
            "directory for the tasks' output and the joblog (default: beside the outputs, "
            "named after the list: tasks.logs)"},
           {"shell.output",
            "records: each rank appends its tasks' stdout and stderr to one file of framed "
            "records, LOGS/output/RANK.records, read with `fanout farm-output LOGS` (a few files "
            "whatever the task count: what a parallel file system needs at scale) | files: "
            "LOGS/B/N.out and LOGS/B/N.err per task N, B = N / 1000 (two files per task) "
            "(default records)"},
           {"shell.joblog",
            "GNU parallel --joblog file, a line per finished task, written by rank 0 and made "
            "durable (fdatasync) at most every 50 ms: a node crash loses at most 50 ms of "
            "finished tasks (default LOGS/joblog)"},
           {"shell.resume", "run only the tasks the joblog does not record", Arity::flag},
           {"shell.resume-failed", "and rerun those it records as failed", Arity::flag},
           {"shell.sample",
            "run a random sample of N tasks, the same every time, to time them: no joblog, logs "
            "in LOGS/sample (compare's default: 16, or 8 per core)"},
           {"shell.rerun",
            "allow running the commands more than once in one invocation "
            "(repetitions, compare of the whole list, studies)",
            Arity::flag}}};
}

}  // namespace fanout
