// [shell]: its options, what a farm means to placement, compare, studies and reports, and its
// tasks bound to the child engines, with the logs directory and the joblog made on binding.
#include "workload/shell/shell_workload.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "cli/format.hpp"
#include "cli/text.hpp"
#include "launch/host.hpp"
#include "launch/launcher_env.hpp"
#include "mpi/world.hpp"
#include "workload/committing_executor.hpp"
#include "workload/effects.hpp"
#include "workload/shell/farm_binding.hpp"
#include "workload/shell/farm_engines.hpp"
#include "workload/shell/farm_journals.hpp"
#include "workload/shell/farm_runner.hpp"
#include "workload/shell/farm_summary.hpp"
#include "workload/shell/farm_tasks.hpp"
#include "workload/shell/shell_fields.hpp"
#include "workload/shell/shell_options.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/task_list.hpp"
#include "workload/shell/task_plan.hpp"

namespace fanout {
namespace {

/// compare's slots: the placement's (a slot per core, or per cores-per-task) and four times as
/// many, to see whether the tasks overlap.

/// How long nvidia-smi -L may take to list the node's GPUs (a hung driver must not hang the farm).
constexpr int kNvidiaSmiTimeout_ms = 10'000;

/// compare's default sample: two rounds of its widest slot count on this host, at least 16.
std::uint64_t default_sample() {
  return std::max<std::uint64_t>(16,
                                 2ull * kCompareWiderSlots * static_cast<unsigned>(online_cores()));
}

class ShellBound : public BoundWorkload {
 public:
  /// `counts`: rank 0's count of the joblog's durable lines; `runs`: rank 0's run log, which gets
  /// the run's end line when this is destroyed. Both null on the other ranks and without a joblog.
  ShellBound(std::shared_ptr<const FarmSetup> setup, int ranks,
             std::shared_ptr<const JoblogCounts> counts, std::shared_ptr<FarmRunLog> runs)
      : setup_(std::move(setup)), ranks_(ranks), counts_(std::move(counts)) {
    if (runs) {
      ending_ = std::make_unique<FarmRunEnding>(
          std::move(runs),
          [counts = counts_] { return counts ? counts->counts() : JoblogCounts::Counts{}; },
          setup_->launcher);
    }
  }

  TaskId count() const override { return setup_->plan.count(); }

  std::unique_ptr<Executor> make_executor(Model model, const RankPart& part) override {
    int workers = std::max(1, part.workers);
    // Slots by cores, and no more than the rank's GPUs feed (binding refused a rank without).
    if (setup_->spec.gpus_per_task > 0) {
      workers =
          std::min(workers, static_cast<int>(setup_->gpus.size()) / setup_->spec.gpus_per_task);
    }
    slots_ = static_cast<std::uint64_t>(is_distributed(model) ? ranks_ : 1) *
             static_cast<std::uint64_t>(workers);
    std::unique_ptr<Executor> executor = make_farm_executor(model, workers, setup_);
    // The measurement ends once this rank's joblog lines are durable: what it reports as done is
    // in the joblog.
    if (setup_->joblog) {
      executor = std::make_unique<CommittingExecutor>(std::move(executor), setup_->joblog->log(),
                                                      "the joblog " + setup_->spec.joblog);
    }
    return ending_ ? ending_->watch(std::move(executor)) : std::move(executor);
  }

  std::optional<LiveProgress> live_progress() const override {
    if (!counts_) return std::nullopt;
    const JoblogCounts::Counts c = counts_->counts();
    LiveProgress p;
    p.done = c.done;
    p.failed = c.failed;
    p.total = count();
    // Every slot is busy until the list runs dry.
    p.running = std::min<std::uint64_t>(slots_.load(), p.total > p.done ? p.total - p.done : 0);
    return p;
  }

 private:
  std::shared_ptr<const FarmSetup> setup_;
  int ranks_ = 1;
  std::shared_ptr<const JoblogCounts> counts_;  ///< rank 0: the joblog's durable lines
  std::atomic<std::uint64_t> slots_{1};
  /// After counts_: destroyed first, while the counts still count.
  std::unique_ptr<FarmRunEnding> ending_;
};

class ShellWorkload : public Workload, public Effects {
 public:
  /// `tasks`: the list and its plan, or nothing yet in a launched job, where rank 0 reads the
  /// list when the job is bound (`list_flag` names it for errors then, and `then_sample` is
  /// compare's sample of the plan). `sampled`: the plan is a sample (shell.sample, or compare's),
  /// which may run more than once.
  ShellWorkload(ShellSpec spec, std::shared_ptr<FarmTasks> tasks, std::string list_flag,
                TaskId then_sample, bool sampled)
      : spec_(std::move(spec)),
        tasks_(std::move(tasks)),
        list_flag_(std::move(list_flag)),
        then_sample_(then_sample),
        sample_asked_(sampled) {}

  std::string_view kind() const override { return "shell"; }

  nlohmann::json to_json() const override {
    return {{"tasks", spec_.tasks_file},
            {"command", spec_.command},
            {"inputs", spec_.inputs_file},
            {"list_size", list().size()},
            {"planned", plan().count()},
            {"workdir", spec_.workdir},
            {"count", spec_.count},
            {"slots", spec_.slots},
            {"cores_per_task", spec_.cores_per_task},
            {"gpus_per_task", spec_.gpus_per_task},
            {"timeout_s", spec_.timeout_s},
            {"kill_grace_s", spec_.kill_grace_s},
            {"retries", spec_.retries},
            {"halt", to_string(spec_.halt)},
            {"logs", spec_.logs_dir},
            {"output", spec_.output == FarmOutput::records ? "records" : "files"},
            {"joblog", spec_.joblog},
            {"resume", spec_.resume},
            {"resume_failed", spec_.resume_failed},
            {"resumed_finished", resumed().finished},
            {"resumed_failed", resumed().failed},
            {"sample", spec_.sample},
            {"rerun", spec_.rerun}};
  }

  std::string describe(std::optional<std::uint64_t> count) const override {
    if (!count) return "shell, " + source();
    const std::uint64_t tasks = *count;
    std::string out = "shell, " + plural(tasks, "task");
    if (tasks != list().size()) out += " of " + std::to_string(list().size());
    if (sampled()) out += ", a sample (the same tasks for every measurement)";
    out += " (" + source() + ")";
    if (resumed().finished > 0) {
      out += ", resumed: " + std::to_string(resumed().finished) + " in the joblog" +
             (resumed().failed ? " (" + std::to_string(resumed().failed) + " failed)" : "");
    }
    if (spec_.cores_per_task > 1)
      out += ", " + std::to_string(spec_.cores_per_task) + " cores per task";
    if (spec_.gpus_per_task > 0) out += ", " + plural(spec_.gpus_per_task, "GPU") + " per task";
    if (spec_.timeout_s > 0) out += ", timeout " + format_seconds(spec_.timeout_s);
    if (spec_.retries > 0) out += ", retries " + std::to_string(spec_.retries);
    if (spec_.halt.when != HaltRule::When::never) out += ", halt " + to_string(spec_.halt);
    out += ", logs " + spec_.logs_dir;
    return out;
  }

  ModelSupport models() const override {
    return {{Model::serial, Model::threads, Model::async, Model::processes, Model::processes_async},
            {}};
  }

  PlacementHints placement() const override {
    PlacementHints h;
    h.pool_threads = spec_.slots;  // 0: the cores over cores_per_task
    h.loop_slots = spec_.slots;    // 0: as many as the pool would have threads
    h.cores_per_worker = spec_.cores_per_task;
    h.loop_per_node = false;
    h.uses_cores = true;
    h.tunes_slots = true;
    h.worker_noun = h.loop_worker_noun = "slots";
    return h;
  }

  StudyHints study() const override {
    StudyHints h{
        {"shell.sample", spec_.sample > 0 ? spec_.sample : default_sample(), "tasks of the sample"},
        Model::processes_async,
        {}};
    if (spec_.rerun || spec_.sample > 0) return h;
    const std::string n = std::to_string(default_sample());
    h.defaults = {{"shell.sample", n,
                   "shell.sample = " + n + ": every point runs the same random sample of " + n +
                       " of the farm's tasks (set shell.sample, or shell.rerun = true to run "
                       "every task at every point)",
                   std::nullopt}};
    return h;
  }

  RecordSpec records() const override {
    return {shell_record_fields(),
            {ErrorClass::exit_status, ErrorClass::signaled, ErrorClass::timeout,
             ErrorClass::not_started, ErrorClass::stopped},
            nullptr};
  }

  std::unique_ptr<KindTally> make_tally() const override { return std::make_unique<FarmTally>(); }
  KindSummary summarise(const FigureInput& in) const override {
    return {farm_figures(in), farm_details(in, list())};
  }
  /// The list it reads, and the joblog it keeps (an output laid over it would lose the record of
  /// finished tasks).
  KindFiles files() const override {
    KindFiles f;
    if (spec_.command.empty())
      f.inputs.push_back({spec_.tasks_file, "--shell.tasks"});
    else
      f.inputs.push_back({spec_.inputs_file, "--shell.inputs"});
    if (!spec_.joblog.empty()) f.inputs.push_back({spec_.joblog, "--shell.joblog"});
    return f;
  }

  /// The farm runs users' commands: it is a run with effects, and its joblog the log.
  const Effects* effects() const override { return this; }

  std::string rerun_refusal(std::uint64_t runs) const override {
    if (runs <= 1 || spec_.rerun) return "";
    // In a launched job no rank has read the list yet: whether the sample leaves tasks out is
    // known once rank 0 has read it, and checked then (bind).
    if (!tasks_->list && sample_asked_) {
      deferred_runs_ = std::max<std::uint64_t>(deferred_runs_, runs);
      return "";
    }
    if (tasks_->list && sampled()) return "";
    const std::string commands =
        tasks_->list ? plural(list().size(), "command") : std::string("commands");
    return "runs each of the farm's " + commands + " " + std::to_string(runs) +
           " times; set shell.rerun = true if they may run again, or time a sample "
           "(shell.sample = N)";
  }

  std::shared_ptr<const Workload> for_compare() const override {
    if (spec_.resume || spec_.resume_failed) {
      throw ConfigError(
          "--shell.resume: compare runs a sample of the farm's tasks and writes no "
          "joblog; resume a farm with run or farm");
    }
    ShellSpec spec = spec_;
    spec.joblog.clear();
    // Beside the farm's own logs (a sample's are in LOGS/sample already: they stay there).
    if (spec_.sample == 0)
      spec.logs_dir = (std::filesystem::path(spec_.logs_dir) / "compare").string();
    const std::uint64_t n = spec_.sample > 0 ? spec_.sample : default_sample();
    auto tasks = std::make_shared<FarmTasks>();
    if (tasks_->list) {
      tasks->list = tasks_->list;
      tasks->plan = sample_tasks(tasks_->plan, n);
    }
    return std::make_shared<ShellWorkload>(spec, std::move(tasks), list_flag_, n, true);
  }

  std::optional<RecordedTasks> recorded() const override {
    RecordedTasks r;
    r.total = spec_.count > 0 ? std::min<std::uint64_t>(spec_.count, list().size()) : list().size();
    r.finished = resumed().finished;
    r.failed = resumed().failed;
    r.left = plan().count();
    return r;
  }

  std::string restart_refusal() const override { return joblog_restart_refusal(spec_); }
  std::vector<std::string> resume_keys() const override {
    return {"shell.resume", "shell.resume-failed"};
  }
  std::string log_dir_key() const override { return "shell.logs"; }

  std::unique_ptr<BoundWorkload> bind(World& world) const override {
    if (!tasks_->list) {
      *tasks_ = load_farm_tasks(world, spec_, list_flag_, then_sample_);
      // What rerun_refusal could not decide before the list was read; alike on every rank.
      if (deferred_runs_ > 1 && !sampled()) {
        throw ConfigError("the sample of " + std::to_string(plan().count()) +
                          " tasks is every one of the farm's " + plural(list().size(), "command") +
                          ", which this job runs " + std::to_string(deferred_runs_) +
                          " times; set shell.rerun = true if they may run again, or time a "
                          "smaller sample (shell.sample = N)");
      }
    }
    // GPUs first: a node without them is refused before anything is written.
    std::vector<std::string> gpus = bind_farm_gpus(world, spec_, [] {
      return detect_gpus([](const char* name) { return std::getenv(name); },
                         [] { return run_nvidia_smi(kNvidiaSmiTimeout_ms); });
    });
    std::shared_ptr<WalltimeGate> walltime = bind_farm_walltime(
        world, spec_, resumed().longest_s, [](const char* name) { return std::getenv(name); });
    FarmBinding logs = bind_farm_logs(world, spec_, resumed().joblog_bytes);
    auto setup = std::make_shared<FarmSetup>();
    setup->walltime = std::move(walltime);
    setup->gpus = std::move(gpus);
    setup->spec = spec_;
    setup->list = tasks_->list;
    setup->plan = plan();
    setup->halt_tasks =
        static_cast<double>(sampled() ? plan().count() : recorded()->total) / world.size();
    setup->child = ChildSetup::from_environment(spec_.workdir, spec_.cores_per_task, world.rank(),
                                                world.node_index(), spec_.gpus_per_task > 0);
    setup->logs_dir = spec_.logs_dir;
    setup->host = world.host();
    setup->node_rank = world.node_rank();
    setup->joblog = std::move(logs.joblog);
    setup->joblog_lock = std::move(logs.lock);
    setup->output = std::move(logs.output);
    setup->launcher = LauncherWatch::of_this_process();
    FarmJournals journals = bind_farm_journals(
        world, spec_, farm_run_start(world, spec_, list().size(), plan().count()));
    setup->starts = std::move(journals.starts);
    return std::make_unique<ShellBound>(setup, world.size(), std::move(logs.counts),
                                        std::move(journals.runs));
  }

 private:
  std::string source() const {
    if (spec_.command.empty()) return spec_.tasks_file;
    // A template of several lines is shown on one, as the header is one line per item.
    std::string command;
    for (char c : spec_.command) command += c == '\n' ? std::string("\\n") : std::string(1, c);
    return "'" + command + "' over " + spec_.inputs_file;
  }

  /// The list and plan, once read: at once where this process reads the list, else on binding.
  const FarmTasks& tasks() const {
    if (!tasks_->list) throw std::logic_error("the farm's task list is read when the job is bound");
    return *tasks_;
  }
  const TaskList& list() const { return *tasks().list; }
  const TaskPlan& plan() const { return tasks().plan; }
  const ResumeState& resumed() const { return tasks().resumed; }
  /// A sample that leaves tasks out.
  bool sampled() const { return sample_asked_ && plan().count() < list().size(); }

  ShellSpec spec_;
  /// Filled once, by binding in a launched job (the object is otherwise immutable).
  std::shared_ptr<FarmTasks> tasks_;
  std::string list_flag_;
  TaskId then_sample_ = 0;
  bool sample_asked_ = false;
  /// The runs rerun_refusal was asked about before the list was read (0: none), checked on
  /// binding: a memo of a pending check, not state of the workload.
  mutable std::uint64_t deferred_runs_ = 0;
};

/// Where the logs go unless shell.logs says: beside the run's outputs (the directory of --json,
/// --csv or --trace, else the working directory), named after the task list: tasks.txt ->
/// tasks.logs.
std::string default_logs_dir(const OptionReader& r, const ShellSpec& spec) {
  namespace fs = std::filesystem;
  fs::path dir = ".";
  for (const char* key : {"json", "csv", "trace"}) {
    if (!r.has(key)) continue;
    std::string out;
    r.path(key, out);
    dir = fs::path(out).parent_path();
    if (dir.empty()) dir = ".";
    break;
  }
  const std::string& list = spec.command.empty() ? spec.tasks_file : spec.inputs_file;
  return (dir / (fs::path(list).stem().string() + ".logs")).lexically_normal().string();
}

class ShellType : public WorkloadType {
 public:
  std::string_view name() const override { return "shell"; }

  OptionGroup options() const override { return shell_options(); }

  std::shared_ptr<const Workload> read(const OptionReader& r) const override {
    constexpr double kMaxWait_s = 30 * 86400.0;
    ShellSpec spec;
    r.path("shell.tasks", spec.tasks_file);
    // Not r.text: as in GNU parallel, a template may hold newlines (a script of several lines).
    if (r.has("shell.command")) {
      spec.command = r.raw("shell.command");
      if (spec.command.empty()) r.fail("shell.command", "must not be empty");
    }
    r.path("shell.inputs", spec.inputs_file);
    r.path("shell.workdir", spec.workdir);
    r.integer("shell.count", spec.count, 1, 4'000'000'000);
    r.integer("shell.slots", spec.slots, 1, 100'000);
    r.integer("shell.cores-per-task", spec.cores_per_task, 1, 4096);
    r.integer("shell.gpus-per-task", spec.gpus_per_task, 0, 1024);
    r.duration("shell.timeout", spec.timeout_s, false, kMaxWait_s);
    r.duration("shell.kill-grace", spec.kill_grace_s, true, 3600);
    r.duration("shell.time-request", spec.time_request_s, false, kMaxWait_s);
    r.integer("shell.retries", spec.retries, 0, 100);
    if (r.has("shell.halt")) {
      const auto halt = parse_halt_rule(r.raw("shell.halt"));
      if (!halt)
        r.fail("shell.halt",
               "expected never, now,fail=N, soon,fail=N, now,fail=P% or soon,fail=P%");
      spec.halt = *halt;
    }
    r.path("shell.logs", spec.logs_dir);
    r.choice<FarmOutput>("shell.output", spec.output,
                         {{"records", FarmOutput::records}, {"files", FarmOutput::files}});
    r.path("shell.joblog", spec.joblog);
    r.boolean("shell.resume", spec.resume);
    r.boolean("shell.resume-failed", spec.resume_failed);
    r.integer("shell.sample", spec.sample, 1, 4'000'000'000);
    r.boolean("shell.rerun", spec.rerun);

    const bool has_tasks = !spec.tasks_file.empty(), has_command = !spec.command.empty();
    if (has_tasks && has_command) {
      r.fail("shell.command",
             "give shell.tasks (a file of commands) or shell.command with "
             "shell.inputs, not both");
    }
    if (has_command && spec.inputs_file.empty()) {
      r.fail("shell.command", "needs shell.inputs = FILE, one input a line");
    }
    if (!has_command && !spec.inputs_file.empty()) {
      r.fail("shell.inputs", "needs shell.command = TEMPLATE to run on each input");
    }
    if (!has_tasks && !has_command) {
      const std::string at =
          r.from_file("workload") ? r.where("workload") : "--workload " + r.raw("workload");
      throw ConfigError(at +
                        ": workload = shell needs [shell] tasks = FILE, or command = TEMPLATE "
                        "with inputs = FILE");
    }
    if (!spec.workdir.empty()) {
      struct stat st {};
      if (::stat(spec.workdir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        r.fail("shell.workdir", "not a directory; give the directory the commands run in");
      }
    }
    if (spec.logs_dir.empty()) spec.logs_dir = default_logs_dir(r, spec);
    if (spec.sample > 0) {
      // A sample is a measurement, run as often as it is measured: no joblog, which would mix
      // it with the farm's own record, and its logs apart from the farm's.
      if (spec.resume || spec.resume_failed) {
        r.fail(spec.resume ? "shell.resume" : "shell.resume-failed",
               "a sample (shell.sample) is measured afresh each time and keeps no joblog");
      }
      spec.joblog.clear();
      spec.logs_dir = (std::filesystem::path(spec.logs_dir) / "sample").string();
    } else if (spec.joblog.empty()) {
      spec.joblog = (std::filesystem::path(spec.logs_dir) / "joblog").string();
    }

    // A process on its own reads the list now; in a launched job rank 0 reads it for every rank
    // when the job is bound, and no other rank opens it.
    const std::string list_flag = r.located(has_command ? "shell.inputs" : "shell.tasks");
    auto tasks = std::make_shared<FarmTasks>();
    try {
      TaskList::check_template(spec);
      if (!started_by_launcher()) {
        *tasks = plan_farm(std::make_shared<const TaskList>(spec), spec, 0);
      }
    } catch (const TaskListError& e) {
      if (!e.key.empty()) r.fail(e.key, e.what());
      throw;
    }
    const bool sampled = spec.sample > 0;
    return std::make_shared<ShellWorkload>(std::move(spec), std::move(tasks), list_flag, 0,
                                           sampled);
  }
};

}  // namespace

const WorkloadType& shell_workload_type() {
  static const ShellType type;
  return type;
}

}  // namespace fanout
