// What a farm keeps so that `fanout farm-explain` can say why each task is where it is: every
// rank's start journal, and on rank 0 the run log's start line, opened on binding, and its end
// line, written once the run is over.
#pragma once

#include <functional>
#include <memory>

#include "exec/executor.hpp"
#include "mpi/world.hpp"
#include "workload/shell/farm_run_log.hpp"
#include "workload/shell/joblog.hpp"
#include "workload/shell/launcher_watch.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/start_journal.hpp"

namespace fanout {

/// A rank's journals: null both for a farm without a joblog (a sample, compare's), the run log
/// null on every rank but 0.
struct FarmJournals {
  std::shared_ptr<StartJournal> starts;
  std::shared_ptr<FarmRunLog> runs;
};

/// The run log's start line of a run of `spec` on `world`, planning `planned` of the list's
/// `list_size` tasks: now, this process's pid and host, and the list and joblog as absolute
/// paths, so that farm-explain finds them from any directory.
FarmRunStart farm_run_start(const World& world, const ShellSpec& spec, std::uint64_t list_size,
                            std::uint64_t planned);

/// Collective, after bind_farm_logs (the logs directory exists). Every rank opens
/// LOGS/starts/RANK; rank 0 opens LOGS/runs and writes `start` to it. Every rank refuses alike
/// (exit 2) when one cannot.
FarmJournals bind_farm_journals(World& world, const ShellSpec& spec, const FarmRunStart& start);

/// Rank 0's end line: written when this is destroyed, once the run is over on every rank, with
/// how it stopped (the stop the run's executors saw, the launcher's loss, or an error unwinding)
/// and what it finished.
class FarmRunEnding {
 public:
  /// `counts`: the joblog lines this run wrote so far (JoblogCounts::counts).
  FarmRunEnding(std::shared_ptr<FarmRunLog> runs, std::function<JoblogCounts::Counts()> counts,
                LauncherWatch launcher)
      : runs_(std::move(runs)), counts_(std::move(counts)), launcher_(launcher) {}
  ~FarmRunEnding();
  FarmRunEnding(const FarmRunEnding&) = delete;
  FarmRunEnding& operator=(const FarmRunEnding&) = delete;

  /// `inner`, which also notes the run's stop flag when it runs, for the end line.
  std::unique_ptr<Executor> watch(std::unique_ptr<Executor> inner);

 private:
  std::shared_ptr<FarmRunLog> runs_;
  std::function<JoblogCounts::Counts()> counts_;
  LauncherWatch launcher_;
  /// The run's stop flag, as the executors were given it; it outlives the bound workload.
  std::shared_ptr<const StopFlag*> stop_ = std::make_shared<const StopFlag*>(nullptr);
};

}  // namespace fanout
