// The command line that launches one point of a study: mpirun or srun, then `fanout run` with the
// point's model, threads and repetitions. Pure functions; src/study/process.hpp runs them.
#pragma once

#include <string>
#include <vector>

#include "study/study_report.hpp"

namespace fanout {

/// What the launch lines depend on besides the study and the point.
struct LaunchContext {
  Launcher launcher = Launcher::mpirun;  ///< resolved: mpirun or srun
  std::string fanout_exe;                ///< absolute path of this fanout binary
  int cores = 1;                         ///< online cores here; above them mpirun oversubscribes
  bool as_root = false;                  ///< Open MPI refuses root without --allow-run-as-root
  /// Inside a PBS allocation: mpirun places the ranks on the hosts of this file (PBS_NODEFILE).
  std::string hostfile;
};

/// srun inside a Slurm allocation (SLURM_JOB_ID set), mpirun otherwise, unless one is forced.
Launcher resolve_launcher(Launcher requested, bool in_slurm_allocation);

/// mpirun -np R --bind-to none -q [--hostfile F] [--oversubscribe] [--allow-run-as-root], or
/// srun --mpi=pmix -n R -c T (Open MPI as Debian builds it speaks PMIx only).
/// Binding is off under mpirun so a rank's threads may use every core; srun gives each rank T cores.
std::vector<std::string> launcher_argv(const LaunchContext& ctx, const StudyPoint& point);

/// The whole argv of a point: launcher, then `fanout run` with the forwarded job arguments and
/// --model M --threads T --repeat N --base none --quiet --json JSON_PATH; in weak mode also
/// --cpu.count (cpu) or --io.repeat (io) multiplied by the point's work factor.
std::vector<std::string> point_argv(const LaunchContext& ctx, const StudySpec& spec,
                                    const JobSpec& job, const StudyPoint& point,
                                    const std::string& json_path);

/// `FANOUT run ARGS --model M --threads T --repeat N --base none --quiet --json JSON_PATH` (and the
/// weak-mode work): point_argv without the launcher, for batch scripts.
std::vector<std::string> run_argv(const std::string& fanout_exe, const StudySpec& spec,
                                  const JobSpec& job, const StudyPoint& point,
                                  const std::string& json_path);

/// The point command with R, T, M and the file names as placeholders, for the report.
std::string launch_template(const LaunchContext& ctx, const StudySpec& spec, const JobSpec& job);

/// The flag weak mode grows: --cpu.count (cpu) or --io.repeat (io, passes over the URL list).
std::string weak_work_flag(const JobSpec& job);
/// The base work that flag multiplies by a point's work factor: cpu.count or io.repeat.
std::uint64_t weak_base_work(const JobSpec& job);

/// argv as a shell would need it typed: words with special characters in single quotes.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace fanout
