// Workload: everything fanout knows about a workload kind (cpu, io, ...) behind one interface, so
// that the rest of the house never branches on which kind a job has.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/input_file.hpp"
#include "cli/options.hpp"
#include "exec/executor.hpp"
#include "exec/model.hpp"
#include "timing/histogram.hpp"
#include "workload/kind_tally.hpp"

namespace fanout {

class World;
class Effects;

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
  /// The workers are slots a user sizes (the farm's): compare also tries event loops with
  /// kCompareWiderSlots times as many, and the recommendation says how many per core to use.
  bool tunes_slots = false;
  /// What the workers are called in the report: of the threads and serial models, and of the
  /// event loops ("transfers in flight").
  std::string worker_noun = "workers";
  std::string loop_worker_noun = "workers";
  /// What the tasks are called where the report says what overlapping them gives ("requests").
  std::string task_noun = "tasks";
};

/// compare's wider event loops for a kind that tunes its slots: whether tasks overlap.
inline constexpr int kCompareWiderSlots = 4;

/// What the workers of `model` are called: "workers", "slots", "transfers in flight".
inline const std::string& worker_noun(const PlacementHints& hints, Model model) {
  return event_loop(model) ? hints.loop_worker_noun : hints.worker_noun;
}

/// The job-file key that weak scaling multiplies by a point's workers, and its base value.
struct WeakKnob {
  std::string key;         ///< "KIND.key", e.g. the task count
  std::uint64_t base = 1;  ///< its value in the job
  std::string unit;        ///< what one unit of it is, e.g. "tasks", "passes over the URL list"
};

/// A study's default for one job key, when the job leaves the key unset.
struct StudyDefault {
  std::string key;    ///< "KIND.key"
  std::string value;  ///< e.g. "rank"
  std::string note;   ///< why, for the study report
  /// Only for points of this model; nullopt: every point.
  std::optional<Model> only_at;
};

/// How a scaling study treats a kind: what weak scaling grows, the model of its points, and the
/// keys it sets for them.
struct StudyHints {
  WeakKnob weak;
  /// The model of every point when the study names none; nullopt: processes, or
  /// processes+threads for points of more than one thread.
  std::optional<Model> model;
  std::vector<StudyDefault> defaults;
};

/// The model of a study point with `threads` threads per rank, when the study names none.
inline Model study_model(const StudyHints& hints, int threads) {
  if (hints.model) return *hints.model;
  return threads > 1 ? Model::processes_threads : Model::processes;
}

/// The models a kind is measured under.
struct ModelSupport {
  /// What `compare` runs by default, in the order of the lesson.
  std::vector<Model> compare;
  /// Models that do not apply, each with why.
  std::vector<std::pair<Model, std::string>> refused;
};

/// What a kind's tasks leave in their records: the fields beyond the common core, the error
/// classes they end with, and which records go into the run's latency histogram.
struct RecordSpec {
  /// CSV columns and trace args beyond the common core.
  RecordFields fields;
  /// The error classes its tasks can end with (besides none), for the counts in the report.
  std::vector<ErrorClass> error_classes;
  /// True for the samples that go into the run's mergeable histogram (requests that got a
  /// response); null: the kind keeps no histogram.
  bool (*in_histogram)(const Sample&) = nullptr;
};

/// Files a kind reads or writes besides the job file, checked before any work.
struct KindFiles {
  /// Read or kept (a URL list, a task list, a joblog): no output may overwrite one.
  std::vector<NamedPath> inputs;
  /// Directories it creates files in (saved bodies).
  std::vector<NamedPath> output_dirs;
  /// Files it may write in them (io.hgrm's, in the folder of every model it could run): none may
  /// be an input.
  std::vector<NamedPath> outputs;
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
  double median_wall_s = 0;               ///< that repetition's wall
  const LatencyHistogram& histogram;      ///< of every repetition (see RecordSpec::in_histogram)
  std::uint64_t tasks = 0;                ///< tasks the run was to run (samples may be fewer)
  int workers = 1;                        ///< ranks x workers per rank
  const std::vector<std::string>& hosts;  ///< host of every rank
  std::uint64_t median_ok = 0;            ///< tasks of the median repetition that succeeded

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
  /// Warnings about the run, for the report's warnings (table and JSON) beside the general ones.
  struct Warning {
    std::string kind;     ///< e.g. "generator_limited"
    std::string message;  ///< a sentence, without the model
  };
  std::vector<Warning> warnings;
  /// A file rendered with the summary and written with the report (atomically, beside the JSON)
  /// as DIR/MODEL/NAME: a folder per model, so that the runs of `compare` keep theirs apart.
  struct Output {
    std::string dir;
    std::string name;
    std::string text;
  };
  std::vector<Output> outputs;
  /// The names of those that are gnuplot scripts: drawn at the end, in their folder, when gnuplot
  /// is on PATH.
  std::vector<std::string> plots;
};

/// What a kind says about one run.
struct KindSummary {
  std::vector<Figure> figures;
  RunDetails details;
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

/// One kind's resolved section of a job and what it means to the rest of fanout: the measuring
/// core. A kind whose tasks have effects on the world (the farm's commands, a download) also
/// answers effects(), the layer in src/effects/ that keeps such runs from losing or repeating work.
class Workload {
 public:
  virtual ~Workload() = default;

  /// The kind's name: the job file's `workload = NAME` and its [NAME] section.
  virtual std::string_view kind() const = 0;
  /// The section's values, for the job in every JSON document ({"kernel": "fib", ...}).
  virtual nlohmann::json to_json() const = 0;
  /// One line for the report header, e.g. "cpu, 30 tasks, kernel fib n=27"; without a task count,
  /// a few words for a study's header, e.g. "cpu, kernel fib n=27".
  virtual std::string describe(std::optional<std::uint64_t> tasks) const = 0;

  /// The models compare runs, and those that do not apply.
  virtual ModelSupport models() const = 0;
  virtual PlacementHints placement() const { return {}; }
  virtual StudyHints study() const = 0;

  virtual RecordSpec records() const = 0;
  /// A fresh, empty summary of the kind's own records, for figures that the common tally and
  /// histogram do not give (io's bytes, the farm's slowest tasks); every rank folds its tasks into
  /// one and rank 0 merges them, so no process holds a per-task record. Null: none needed.
  virtual std::unique_ptr<KindTally> make_tally() const { return nullptr; }
  /// The kind's figures and details for one run.
  virtual KindSummary summarise(const FigureInput& in) const { return {}; }
  virtual KindFiles files() const { return {}; }

  /// Collective: binds the workload to this run on every rank (reads its inputs, starts what it
  /// needs, such as the embedded server on rank 0). Throws ConfigError for bad input, alike on
  /// every rank.
  virtual std::unique_ptr<BoundWorkload> bind(World& world) const = 0;

  /// The layer for runs with effects (src/effects/effects.hpp); null for a measurement whose
  /// tasks change nothing (kernels, requests whose bodies are dropped).
  virtual const Effects* effects() const { return nullptr; }
};

/// Why `model` does not apply to `workload`, "" when it does.
std::string model_refusal(const Workload& workload, Model model);

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
/// Every kind's process_setup(), to hold while the process runs jobs.
std::vector<std::shared_ptr<void>> workload_process_setups();

}  // namespace fanout
