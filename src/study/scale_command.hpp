// `fanout scale`: the sweep's main line — plan the points, launch each (mpirun or srun), read
// back its run, analyse, write study.json, study.csv and the plots, print the table.
#pragma once

#include <ostream>
#include <string>

#include "cli/command.hpp"
#include "job/job_spec.hpp"
#include "launch/allocation.hpp"
#include "study/study_spec.hpp"

namespace fanout {

/// Runs the study outside MPI (it is the launcher of every point, not a rank). Files go to
/// spec.out_dir, rewritten after every point so a stopped study keeps what it measured. Returns 0
/// when every point succeeded, 1 when some failed (each recorded with its error; the study goes
/// on), 128 + N when signal N (SIGINT, SIGTERM) stopped it. Throws ConfigError for what is wrong
/// before the first launch: started under mpirun, launcher not on PATH, --out not creatable, a
/// point that needs more CPUs than the batch allocation it runs in holds. Inside an allocation
/// (Slurm: srun; PBS: mpirun over PBS_NODEFILE) the points are launched with what it provides.
int run_scale(const StudySpec& spec, const JobSpec& job, const Allocation& allocation,
              const std::string& command_line, std::ostream& out, std::ostream& err);

/// `fanout scale ARGS`: parse, then run_scale in the allocation this process is in.
int scale_command_main(const CommandArgs& args);

}  // namespace fanout
