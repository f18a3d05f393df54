// StudySpec: a `fanout scale` sweep resolved from the command line into plain, validated values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exec/model.hpp"
#include "launch/host_list.hpp"
#include "launch/launch_line.hpp"
#include "report/progress_line.hpp"

namespace fanout {

/// Strong scaling keeps the work fixed as workers grow; weak scaling grows it with them.
enum class ScaleMode { strong, weak };
inline std::string to_string(ScaleMode m) { return m == ScaleMode::weak ? "weak" : "strong"; }

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
  /// --hosts or --hostfile: the hosts mpirun places every point's ranks on, in slot order; empty
  /// leaves placement to mpirun (this node, or the batch allocation's hosts).
  HostList hosts;
  bool quiet = false;  ///< no table and no progress; errors and warnings still go to stderr
  ProgressMode progress = ProgressMode::automatic;  ///< --progress
  /// The job file and job flags, forwarded verbatim to every point's `fanout run`. In weak mode
  /// they leave out the workload's weak knob (Workload::study), which the study sets per point.
  std::vector<std::string> run_args;
  /// The arguments that resolve the job as `fanout run` sees it: run_args plus, in weak mode, the
  /// base work the study multiplies (so a later `fanout collect` can resolve the same job).
  std::vector<std::string> job_args;
  /// What the study decided on the user's behalf (e.g. one I/O driver per rank), for the report.
  std::vector<std::string> notes;
};

}  // namespace fanout
