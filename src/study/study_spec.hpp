// StudySpec: a `fanout scale` sweep resolved from the command line into plain, validated values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/progress_line.hpp"
#include "job/job_spec.hpp"

namespace fanout {

/// Strong scaling keeps the work fixed as workers grow; weak scaling grows it with them.
enum class ScaleMode { strong, weak };
/// What starts each point: mpirun, srun, or whichever fits (srun inside a Slurm allocation).
enum class Launcher { automatic, mpirun, srun };

// Header-only, so that src/cli can fill a StudySpec without linking the study library.

inline std::string to_string(ScaleMode m) { return m == ScaleMode::weak ? "weak" : "strong"; }

inline std::string to_string(Launcher l) {
  switch (l) {
    case Launcher::automatic: return "auto";
    case Launcher::mpirun: return "mpirun";
    case Launcher::srun: return "srun";
  }
  return "?";
}

struct StudySpec {
  std::vector<int> ranks{1};    ///< --ranks: MPI ranks of each point, as listed
  std::vector<int> threads{1};  ///< --threads: threads per rank of each point, as listed
  ScaleMode mode = ScaleMode::strong;
  int repeat = 3;  ///< repetitions inside every point's run
  /// --model: the same model at every point; unset picks one per point (point_model).
  std::optional<Model> model;
  double efficiency_threshold = 0.8;  ///< "stops paying off" below this efficiency
  std::string out_dir;                ///< --out: where every file of the study goes
  Launcher launcher = Launcher::automatic;
  bool quiet = false;  ///< no table and no progress; errors and warnings still go to stderr
  ProgressMode progress = ProgressMode::automatic;  ///< --progress
  /// The job file and job flags, forwarded verbatim to every point's `fanout run`. In weak mode
  /// they leave out cpu.count and io.repeat, which the study sets per point.
  std::vector<std::string> run_args;
  /// The arguments that resolve the job as `fanout run` sees it: run_args plus, in weak mode, the
  /// base work the study multiplies (so a later `fanout collect` can resolve the same job).
  std::vector<std::string> job_args;
  /// What the study decided on the user's behalf (e.g. one I/O driver per rank), for the report.
  std::vector<std::string> notes;
};

/// The model of a point with `threads` threads per rank: --model if given, else processes+threads
/// for cpu (processes at one thread) and processes+async for io.
inline Model point_model(const StudySpec& spec, WorkloadKind workload, int threads) {
  if (spec.model) return *spec.model;
  if (workload == WorkloadKind::io) return Model::processes_async;
  return threads > 1 ? Model::processes_threads : Model::processes;
}

}  // namespace fanout
