// Effects: what a kind whose tasks change the world (the farm's commands, a download's files) adds
// to the measuring core, and the rules every such run follows, so that it never loses or repeats
// work. src/effects/ builds the batch chains of such runs on it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workload/workload.hpp"

namespace fanout {

/// What the durable log of finished work (the farm's joblog) held before this run.
struct RecordedTasks {
  std::uint64_t total = 0;     ///< tasks of the whole list
  std::uint64_t finished = 0;  ///< recorded as finished (any exit)
  std::uint64_t failed = 0;    ///< of those, failed
  std::uint64_t left = 0;      ///< what a run of this workload would run
};

/// The durable side of a kind with effects: its log of finished work and how a run resumes it.
class Effects {
 public:
  virtual ~Effects() = default;
  /// What the log this run was read against records; nullopt where the log cannot count tasks
  /// before the run (a download's journal counts files, not list lines).
  virtual std::optional<RecordedTasks> recorded() const = 0;
  /// Why this run would mix its records with an earlier run's (a joblog holding tasks, without
  /// resume), "" when it would not; checked before any task starts.
  virtual std::string restart_refusal() const { return ""; }
  /// Why running every task `runs` times in one invocation (repetitions, a base case, compare's
  /// models) is refused, "" when it is not.
  virtual std::string rerun_refusal(std::uint64_t runs) const = 0;
  /// What compare measures instead of this run (a sample of its tasks, the same for every model,
  /// keeping no log); null: this one, as rerun_refusal allows. Throws ConfigError when compare
  /// cannot stand in for it.
  virtual std::shared_ptr<const Workload> for_compare() const { return nullptr; }
  /// The job keys that resume from the log ("shell.resume", "shell.resume-failed"); the first is
  /// what every job of a batch chain but the first adds.
  virtual std::vector<std::string> resume_keys() const = 0;
  /// The job key that says where the log lives ("shell.logs"), which a batch chain sets to its
  /// submission directory unless the job sets it.
  virtual std::string log_dir_key() const = 0;
};

/// A run that a stop cut short is still summarised from what it ran: its finished work is the
/// result, where a cut measurement is kept out of every statistic.
inline bool summarises_cut_run(const Workload& w) { return w.effects() != nullptr; }
/// `run` measures no serial base case unless asked: the tasks would do their work twice.
inline bool measures_base_by_default(const Workload& w) { return w.effects() == nullptr; }
/// The exit status of a run in which tasks failed: 1 for work the user asked done, as a script
/// running it expects; 0 where failures are data (kernels, URL lists timed).
inline int failed_tasks_exit_status(const Workload& w) { return w.effects() ? 1 : 0; }
/// True when the report advises on timing (walls too short to time well, noise): measurements
/// only; a run with effects is judged by what it did.
inline bool gets_timing_advice(const Workload& w) { return w.effects() == nullptr; }

}  // namespace fanout
