// Workload: everything fanout knows about a workload kind (cpu, io, ...) behind one interface, so
// that the rest of the house never branches on which kind a job has.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/input_file.hpp"
#include "cli/options.hpp"
#include "exec/executor.hpp"
#include "exec/model.hpp"
#include "timing/histogram.hpp"
#include "workload/kind_tally.hpp"

namespace fanout {

class World;

/// How a kind's tasks use the workers of a rank, which placement turns into threads and slots.
struct PlacementHints {
  /// Threads of the threads models when the job sets none; 0: the rank's cores (CPU work).
  int pool_threads = 0;
  /// Tasks in flight per event loop (async models): 1 for CPU work, which a loop cannot overlap;
  /// 0: as many as the threads models would have threads (the farm's slots).
  int loop_slots = 1;
  /// Cores one worker keeps busy: the default threads and slots are the cores divided by it.
  int cores_per_worker = 1;
  /// processes+async: one event loop per node (the node's ranks but one sit out) instead of one
  /// per rank.
  bool loop_per_node = false;
  /// Workers compete for cores (CPU work); false when they mostly wait (I/O), which makes many
  /// more threads than cores no oversubscription.
  bool uses_cores = true;
};

/// The job-file key that weak scaling multiplies by a point's workers, and its base value.
struct WeakKnob {
  std::string key;         ///< "KIND.key", e.g. the task count
  std::uint64_t base = 1;  ///< its value in the job
  std::string unit;        ///< what one unit of it is, e.g. "tasks", "passes over the URL list"
};

/// A study's default for one job key at a point's model, when the job leaves the key unset.
struct StudyDefault {
  std::string key;    ///< "KIND.key"
  std::string value;  ///< e.g. "rank"
  std::string note;   ///< why, for the study report
};

/// A figure a kind adds to the summary of a run, e.g. requests per second.
struct Figure {
  std::string key;     ///< JSON key in runs[]; "a.b" nests b in object a ("latency_s.p50")
  std::string column;  ///< table column, "" for JSON only
  double value = 0;    ///< NaN: undefined
  enum class Unit {
    count,
    per_second,
    megabytes_per_second,
    gigabytes_per_second,
    seconds,
    fraction,  ///< shown as a percentage
    ratio,     ///< shown as "1.93x"
  } unit = Unit::count;
};

/// What a kind's figures are computed from: one run's median repetition and every repetition's
/// merged histogram.
struct FigureInput {
  /// The kind's tally (Workload::make_tally) of the repetition closest to the median wall, merged
  /// over its ranks; null for a kind that keeps none.
  const KindTally* median_tally = nullptr;
  double median_wall_s = 0;                   ///< that repetition's wall
  const LatencyHistogram& histogram;          ///< of every repetition (see Workload::in_histogram)
  std::uint64_t tasks = 0;                    ///< tasks the run was to run (samples may be fewer)
  int workers = 1;                            ///< ranks x workers per rank
  const std::vector<std::string>& hosts;      ///< host of every rank
  std::uint64_t median_ok = 0;                ///< tasks of the median repetition that succeeded

  /// The host of `rank`, or "rank N" for one outside `hosts`.
  std::string host_of(int rank) const {
    return rank >= 0 && static_cast<std::size_t>(rank) < hosts.size()
               ? hosts[static_cast<std::size_t>(rank)]
               : "rank " + std::to_string(rank);
  }
};

/// What a kind says about one run beyond its figures: lines under the report's table and an object
/// in the JSON (runs[].details), e.g. the farm's slowest tasks and its tasks per host.
struct RunDetails {
  std::vector<std::string> lines;
  nlohmann::json json;  ///< null: none
};

/// What a kind that keeps a record of finished tasks across runs (the farm's joblog) knows of them
/// before it runs.
struct RecordedTasks {
  std::uint64_t total = 0;     ///< tasks of the whole list
  std::uint64_t finished = 0;  ///< recorded as finished (any exit)
  std::uint64_t failed = 0;    ///< of those, failed
  std::uint64_t left = 0;      ///< what a run of this workload would run
};

/// Tasks finished so far in a measurement under way, as far as a kind can tell while it runs.
struct LiveProgress {
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::uint64_t running = 0;
  std::uint64_t total = 0;
  /// What the line says after the counts; "" for "F failed, R running".
  std::string detail;
};

/// A rank's part in one measurement: its workers (threads of the pool, slots of the event loop; 1
/// for the serial loop) and its place among the ranks that run tasks, which a job-wide budget
/// (io.per-host, io.rate-per-host) is split over: one driver per node holds its node's share.
struct RankPart {
  int workers = 1;
  int index = 0;  ///< this rank among those that run tasks
  int of = 1;     ///< ranks that run tasks
};

/// The job's workload once bound to a run: its tasks and the executors that run them.
class BoundWorkload {
 public:
  virtual ~BoundWorkload() = default;
  virtual TaskId count() const = 0;
  /// The executor that runs this rank's tasks under `model`, its part as given.
  virtual std::unique_ptr<Executor> make_executor(Model model, const RankPart& part) = 0;
  /// On rank 0, while a measurement runs (from another thread): the farm's tasks done so far on
  /// every rank, read from its joblog. nullopt: the kind tells progress only between measurements.
  virtual std::optional<LiveProgress> live_progress() const { return std::nullopt; }
};

/// One kind's resolved section of a job and what it means to the rest of fanout.
class Workload {
 public:
  virtual ~Workload() = default;

  /// The kind's name: the job file's `workload = NAME` and its [NAME] section.
  virtual std::string_view kind() const = 0;
  /// The section's values, for the job in every JSON document ({"kernel": "fib", ...}).
  virtual nlohmann::json to_json() const = 0;
  /// One line for the report header, e.g. "cpu, 30 tasks, kernel fib n=27".
  virtual std::string describe(std::uint64_t tasks) const = 0;
  /// A few words for the study header, e.g. "cpu, kernel fib n=27".
  virtual std::string describe_short() const = 0;

  /// The models `compare` runs by default, in the order of the lesson.
  virtual std::vector<Model> compare_models() const = 0;
  /// Why `model` does not apply to this kind ("" when it does).
  virtual std::string model_refusal(Model model) const { return ""; }
  virtual PlacementHints placement() const { return {}; }
  /// The model of a study point with `threads` threads per rank, when the study names none.
  virtual Model study_model(int threads) const {
    return threads > 1 ? Model::processes_threads : Model::processes;
  }
  /// Keys a study sets for its points at `model` unless the job sets them.
  virtual std::vector<StudyDefault> study_defaults(Model model) const { return {}; }
  virtual WeakKnob weak_knob() const = 0;

  /// Per-task fields beyond the common core: CSV columns and trace args.
  virtual RecordFields record_fields() const { return {}; }
  /// The error classes its tasks can end with (besides none), for the counts in the report.
  virtual std::vector<ErrorClass> error_classes() const = 0;
  /// True for the samples that go into the run's mergeable histogram (e.g. requests that got a
  /// response); kinds that keep no histogram answer false for every sample.
  virtual bool in_histogram(const Sample& s) const { return false; }
  /// A fresh, empty summary of the kind's own records, for figures, details and
  /// task_cpu_fraction that the common tally and histogram do not give (io's bytes, the farm's
  /// slowest tasks); every rank folds its tasks into one and rank 0 merges them, so no process
  /// holds a per-task record. Null: the kind needs none.
  virtual std::unique_ptr<KindTally> make_tally() const { return nullptr; }
  /// The kind's throughput and latency figures for one run.
  virtual std::vector<Figure> figures(const FigureInput& in) const { return {}; }
  /// Files the kind reads or keeps besides the job file (a URL list, a task list, a joblog), so
  /// that no output overwrites one.
  virtual std::vector<NamedPath> input_files() const { return {}; }
  /// Directories the kind creates files in (saved bodies), checked before any work.
  virtual std::vector<NamedPath> output_dirs() const { return {}; }
  /// What its workers are called in the recommendation: "workers", "transfers in flight".
  virtual std::string worker_noun(Model model) const { return "workers"; }
  /// Lines and JSON about one run beyond the figures (none by default).
  virtual RunDetails details(const FigureInput& in) const { return {}; }
  /// True when a run that a stop cut short is still summarised from what it ran (the farm: its
  /// finished tasks are the result), instead of being kept out of every statistic.
  virtual bool summarise_cut_run() const { return false; }

  /// Tasks with effects (the farm's commands): `run` measures no serial base case unless asked.
  virtual bool measure_base_by_default() const { return true; }
  /// Why an invocation that runs every task `runs` times (repetitions, a base case, compare's
  /// models) is refused, "" when it is not: the farm refuses to rerun its commands unless asked.
  virtual std::string rerun_refusal(std::uint64_t runs) const { return ""; }
  /// What compare measures when it is not this workload itself (the farm: a sample of its
  /// tasks, the same for every model, without joblog); null: this one.
  virtual std::shared_ptr<const Workload> for_compare() const { return nullptr; }
  /// compare measures `model` at its placement's workers times each of these (the farm: also
  /// four times as many slots, to see whether its tasks overlap).
  virtual std::vector<int> compare_width_factors(Model model) const { return {1}; }
  /// The share of their wall time the tasks of one run kept a CPU busy, when its kind tally
  /// (make_tally; null for a kind without one) tells (the farm: its children's rusage); nullopt:
  /// the ranks' own CPU time tells.
  virtual std::optional<double> task_cpu_fraction(const KindTally* tally) const {
    return std::nullopt;
  }
  /// True when the recommendation says how many workers per core to use (the farm's slots).
  virtual bool advises_workers_per_core() const { return false; }
  /// The record of finished tasks this workload was read against (the farm's joblog, with
  /// resume); nullopt for kinds that start afresh every run.
  virtual std::optional<RecordedTasks> recorded_tasks() const { return std::nullopt; }
  /// Why a run would mix its records with an earlier run's (a farm's joblog that holds tasks,
  /// without resume), "" when it would not; checked before any task starts.
  virtual std::string restart_refusal() const { return ""; }
  /// The exit status of a run in which tasks failed: 0 where failures are data (kernels, URL
  /// lists); the farm's 1, as a script running users' commands expects.
  virtual int failed_tasks_exit_status() const { return 0; }

  /// Collective: binds the workload to this run on every rank (reads its inputs, starts what it
  /// needs, such as the embedded server on rank 0). Throws ConfigError for bad input, alike on
  /// every rank.
  virtual std::unique_ptr<BoundWorkload> bind(World& world) const = 0;
};

/// A kind as fanout knows it before any job is read: its section's options, and how they become
/// a Workload.
class WorkloadType {
 public:
  virtual ~WorkloadType() = default;
  virtual std::string_view name() const = 0;
  /// The [name] section's options, named with the section ("name.key"), under one help heading.
  virtual OptionGroup options() const = 0;
  /// The section read and validated (errors name the file:line or flag).
  virtual std::shared_ptr<const Workload> read(const OptionReader& options) const = 0;
  /// Set-up of a library for the whole process (curl_global_init), made before MPI and any thread
  /// starts and held until the process ends; null when the kind needs none.
  virtual std::shared_ptr<void> process_setup() const { return nullptr; }
};

/// True when `--threads T` gives each rank T workers under `model`: the threads models, and the
/// event loops of a kind whose slots follow the threads (PlacementHints::loop_slots 0: the farm).
inline bool threads_give_workers(Model model, const Workload& workload) {
  return threaded(model) || (event_loop(model) && workload.placement().loop_slots == 0);
}

/// Every kind, the default (cpu) first: the one list a new kind is added to.
const std::vector<const WorkloadType*>& workload_types();
/// The kind called `name`, or null.
const WorkloadType* find_workload_type(std::string_view name);
/// Every kind's process_setup(), to hold while the process runs jobs.
std::vector<std::shared_ptr<void>> workload_process_setups();

}  // namespace fanout
