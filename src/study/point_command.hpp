// The command line of one point of a study: the launcher words (launch/launch_line.hpp), then
// `fanout run` with the point's model, threads, repetitions and work. Pure functions; scale runs
// them, submit writes them into job scripts and submit.json alike.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "launch/launch_line.hpp"
#include "study/study_report.hpp"

namespace fanout {

/// What the launch lines of `fanout scale` depend on besides the study and the point.
struct LaunchContext {
  Launcher launcher = Launcher::mpirun;  ///< resolved: mpirun or srun
  std::string fanout_exe;                ///< absolute path of this fanout binary
  int cores = 1;                         ///< online cores here; above them mpirun oversubscribes
  bool as_root = false;                  ///< Open MPI refuses root without --allow-run-as-root
  /// Inside a PBS allocation: mpirun places the ranks on the hosts of this file (PBS_NODEFILE).
  std::string hostfile;
  /// --hosts or --hostfile (over PBS_NODEFILE): the hosts and slots the ranks go to.
  HostList hosts;
};

/// srun inside a Slurm allocation (SLURM_JOB_ID set), mpirun otherwise, unless one is forced.
Launcher resolve_launcher(Launcher requested, bool in_slurm_allocation);

/// The varying words of a point's `fanout run`: literals for one point, shell expansions for the
/// element of a job array.
struct RunWords {
  Word model;
  Word threads;
  Word json;  ///< the run document's path
  Word work;  ///< weak mode: the weak knob's value; unused in strong mode
};

/// `FANOUT run ARGS --model M --threads T --repeat N --base none --quiet --json J`, and in weak
/// mode the workload's weak knob (Workload::study) set to the point's work.
Words run_words(const std::string& fanout_exe, const StudySpec& spec, const JobSpec& job,
                const RunWords& words);
/// The RunWords of `point`, literal.
RunWords point_run_words(const StudySpec& spec, const JobSpec& job, const StudyPoint& point,
                         const std::string& json_path);

/// The weak knob's value at `point`: its base times the point's work factor.
std::uint64_t point_work(const JobSpec& job, const StudyPoint& point);

/// How `fanout scale` starts a point: mpirun -np R [--hostfile F | --host LIST] --bind-to none
/// [--oversubscribe when R x T exceeds the cores, or with hosts R exceeds their slots]
/// [--allow-run-as-root], or srun --mpi=pmix --ntasks=R --cpus-per-task=T. Binding is off under
/// mpirun so a rank's threads may use every core; srun gives each rank T cores. Not -q: mpirun's
/// own messages name the rank or node a failed point lost (launch/launcher_messages.hpp).
LaunchLine scale_launch(const LaunchContext& ctx, const StudyPoint& point);

/// The whole argv of a point of `fanout scale`: its launcher, then `fanout run`.
std::vector<std::string> point_argv(const LaunchContext& ctx, const StudySpec& spec,
                                    const JobSpec& job, const StudyPoint& point,
                                    const std::string& json_path);

/// The point command with R, T, M and the file names as placeholders, for the report.
std::string launch_template(const LaunchContext& ctx, const StudySpec& spec, const JobSpec& job);

}  // namespace fanout
