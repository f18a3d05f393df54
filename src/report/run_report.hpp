// RunReport: everything rank 0 knows after a run or compare, the one input of every renderer.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "exec/dispatch_load.hpp"
#include "job/job_spec.hpp"
#include "mpi/environment.hpp"
#include "timing/record.hpp"
#include "timing/task_tally.hpp"
#include "workload/kind_tally.hpp"

namespace fanout {

/// What one rank measured in one repetition.
struct RankSummary {
  int rank = 0;
  std::string host;
  int workers = 1;          ///< concurrent workers inside the rank
  std::uint64_t tasks = 0;  ///< tasks this rank ran
  std::uint64_t failed = 0;
  double busy_s = 0;      ///< sum of this rank's task durations
  double idle_s = 0;      ///< workers * wall - busy (never negative)
  double wall_s = 0;      ///< from the common start to this rank's last task end
  double cpu_user_s = 0;  ///< process CPU time spent during the run (getrusage delta)
  double cpu_sys_s = 0;
};

/// One repetition of one model, as gathered at rank 0.
struct Repetition {
  double wall_s = 0;  ///< max over ranks of their wall
  std::vector<RankSummary> per_rank;
  /// The tasks folded on every rank (SampleFold) and merged at rank 0: what every statistic is
  /// computed from. The records themselves go to the CSV and trace files, never into the report.
  TaskTally tally;
  /// The kind's own summary of the tasks (Workload::make_tally), folded and merged the same way;
  /// null for a kind that keeps none.
  std::shared_ptr<const KindTally> kind_tally;
  /// Rank 0's dispatcher of a dynamic schedule across ranks; zeros otherwise.
  DispatchLoad dispatch;
};

/// One model's repetitions.
struct ModelRun {
  Model model = Model::serial;
  int ranks = 1;             ///< ranks that ran tasks
  int workers_per_rank = 1;  ///< threads, or tasks in flight for the event-loop models
  Schedule schedule = Schedule::static_block;
  std::uint64_t chunk = 0;  ///< dynamic chunk size used (0 for static)
  std::uint64_t tasks = 0;
  std::vector<Repetition> reps;  ///< complete repetitions only: every statistic comes from these
  std::vector<std::string> error_messages;  ///< first distinct failure messages, capped
  /// The repetition a stop signal cut short (fewer than `tasks` samples), if any. It would have
  /// been reps[reps.size()]; it is kept out of reps and every statistic, and its records go to
  /// the CSV joblog marked partial.
  std::optional<Repetition> partial;
};

/// The model recommendation that closes `compare`.
struct Recommendation {
  std::string bound;        ///< "cpu" or "io" (or "mixed", when the tasks' own CPU time tells)
  double cpu_fraction = 0;  ///< serial run's (user+sys) / wall, or its tasks' (the farm)
  /// The model to use: the fastest, or a simpler one the measurements cannot tell from it.
  Model model = Model::serial;
  double speedup = 0;             ///< its median wall against the serial run's
  Model fastest = Model::serial;  ///< the fastest by median wall among runs with fewest failures
  std::string why;                ///< one or two sentences derived from the measurements
  std::string measured_by = "serial run";  ///< whose CPU time: "serial run", "serial run's tasks"
  /// The recommended run's workers per core, where the kind advises it (the farm's slots per core).
  std::optional<double> workers_per_core;
};

struct RunReport {
  std::string command;  ///< "run" or "compare"
  JobSpec job;
  Environment env;
  std::vector<ModelRun> runs;
  /// Index into runs of the base case for speedup (the serial run), if one was measured.
  std::optional<std::size_t> base_index;
  /// Without a serial run in this invocation (plain `run`), speedup uses this serial time if known.
  std::optional<double> base_wall_s;
  std::optional<Recommendation> recommendation;
  bool incomplete = false;  ///< not every planned measurement is in: written mid-run, or stopped
  /// "SIGTERM" or "SIGINT" when that signal ended the run before every planned measurement was
  /// done; empty otherwise (complete, or a snapshot written while the run went on).
  std::string stopped_by;
  /// The error that ended the run before every planned measurement was done (rank 0 could not
  /// write the partial results); empty otherwise.
  std::string ended_by_error;
  /// Warnings the launcher found about the set-up (e.g. threads beyond the rank's cores), shown
  /// with the report's own warnings.
  std::vector<std::string> notes;
};

}  // namespace fanout
