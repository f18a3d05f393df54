// Derived metrics of a RunReport (speedup, efficiency, imbalance, task statistics, the kind's
// figures) and the honest-report warnings: pure functions, computed once and shared by every
// renderer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/run_report.hpp"
#include "timing/histogram.hpp"
#include "timing/statistics.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// What speedups are measured against.
struct BaseCase {
  Model model = Model::serial;
  double wall_s = 0;      ///< median wall of the base run, or RunReport::base_wall_s
  bool measured = false;  ///< true: a run of this report (base_index); false: given from outside
  int repetitions = 0;    ///< repetitions behind wall_s (0 when given)
};

/// One ModelRun, summarised.
/// What rank 0's dispatcher did and how many ranks it can feed at the run's task length.
struct DispatchCapacity {
  std::uint64_t requests = 0;  ///< chunk requests it answered
  double cost_s = 0;           ///< the time each took it
  double busy_share = 0;       ///< of the repetition's wall
  /// Tasks an answer handed out on average: about the chunk when ranks ask, a node's round when
  /// node leaders do.
  double per_request = 0;
  double feedable_ranks = 0;  ///< feedable_ranks() at the run's mean task, per_request and workers
};

struct RunSummary {
  std::vector<double> walls_s;  ///< wall of every repetition, in order
  /// The repetition whose wall is closest to the median (the lower one on a tie); per-rank detail
  /// and throughput come from it.
  std::size_t median_rep = 0;
  double wall_s = 0;  ///< median wall over repetitions
  double wall_min_s = 0;
  double wall_max_s = 0;
  double wall_cv = 0;             ///< NaN with one repetition
  ConfidenceInterval wall_ci;     ///< distribution-free 95 % interval of the median wall
  std::optional<double> speedup;  ///< base wall / wall_s; absent without a base case
  /// speedup / (ranks * workers_per_rank). Absent for async models (async, processes+async):
  /// their workers are transfers in flight multiplexed on one thread, not cores, so dividing by
  /// them would not measure how well cores are used. Speedup is the figure to compare them by.
  std::optional<double> efficiency;
  double rank_imbalance = 0;  ///< max / mean busy over ranks, median repetition (1 = balanced)
  /// max / mean busy over every worker slot (rank, thread) from the samples, median repetition,
  /// slots that ran nothing counted as 0. Absent for async models and single-worker runs.
  std::optional<double> worker_imbalance;
  double imbalance = 0;  ///< worker_imbalance where present, else rank_imbalance
  /// Over the samples of every repetition, from the tallies' DurationSketch: percentiles within
  /// DurationSketch::kRelativeError (0.78 %) of the exact ones; count, min, max, mean and stddev
  /// exact.
  DurationStats task_duration;
  std::uint64_t task_runs = 0;  ///< samples over every repetition (tasks * repetitions)
  std::uint64_t failed = 0;     ///< failed samples over every repetition
  ErrorCounts errors_by_class;  ///< failed task runs per class; [none] = 0
  /// The workload kind's figures (Workload::summarise): throughput, latency percentiles.
  std::vector<Figure> figures;
  RunDetails details;  ///< the kind's lines and JSON beyond the figures (Workload::summarise)
  /// Every figure comes from the repetition a stop cut (summarises_cut_run, workload/effects.hpp).
  bool from_cut_run = false;
  /// Rank 0's dispatcher in the median repetition of a dynamic schedule across ranks.
  std::optional<DispatchCapacity> dispatch;
};

/// "answered N chunk requests, X each (Y % of the wall): with tasks of T on average, chunks of C
/// and W workers a rank, it can feed about K ranks": rank 0's dispatcher in words.
std::string dispatch_line(const DispatchCapacity& d, const ModelRun& run, const RunSummary& s);

/// An honest-report warning. kind: "incomplete", "setup" (RunReport::notes from the launcher),
/// "high_cv", "too_short", "oversubscribed", "failed_tasks".
struct Warning {
  std::string kind;
  std::string model;  ///< the run it concerns, as users write it; empty for the whole report
  std::string message;
};

struct ReportSummary {
  std::optional<BaseCase> base;
  std::vector<RunSummary> runs;  ///< parallel to RunReport::runs
  std::vector<Warning> warnings;
};

/// Coefficient of variation of repeated walls above which a run is flagged.
inline constexpr double kMaxWallCv = 0.05;
/// A wall shorter than this, or than kMinWallResolutions clock steps, is flagged as too short.
inline constexpr double kMinWallS = 0.010;
inline constexpr double kMinWallResolutions = 100;

ReportSummary summarize(const RunReport& report);

/// The "incomplete" warning: why (the stop signal, or a file written mid-run), how many of the
/// planned repetitions each model completed, and which repetition a stop cut at how many tasks,
/// e.g. "incomplete: stopped by SIGTERM after 2 of 3 repetitions of serial and processes;
/// repetition 3 of processes cut at 120 of 400 tasks (kept out of the statistics)".
std::string incomplete_message(const RunReport& report);

std::optional<BaseCase> base_case(const RunReport& report);
/// `hosts`: of every rank (the kind's details may count per host).
RunSummary summarize_run(const ModelRun& run, std::optional<double> base_wall_s,
                         const Workload& workload, const std::vector<std::string>& hosts = {});
std::vector<Warning> warnings(const RunReport& report, const std::vector<RunSummary>& runs);

/// False for models whose workers are transfers in flight rather than cores (see efficiency).
bool efficiency_applies(Model m);
/// Threads a model keeps busy per rank: workers_per_rank, or 1 for the event loops.
int threads_per_rank(const ModelRun& run);
/// max / mean of busy times; NaN when empty or when nothing was busy.
double imbalance_ratio(const std::vector<double>& busy_s);

}  // namespace fanout
