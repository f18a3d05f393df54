// TaskPlan: which tasks of the list a run runs — all of them, the first `count`, what a resume
// left, or a sample — as the run's task ids 0..count()-1 mapped onto the list.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exec/task.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/task_list.hpp"

namespace fanout {

/// What a joblog says of a task list, for --resume.
struct ResumeState {
  std::uint64_t finished = 0;  ///< tasks of the list it records as finished (any exit)
  std::uint64_t failed = 0;    ///< of those, the ones that failed (nonzero exit or a signal)
  /// The joblog's size before it was read: binding checks, under the joblog's lock, that no other
  /// farm appended since (the plan would run again what that farm finished).
  std::uint64_t joblog_bytes = 0;
  /// The longest JobRuntime it records: what a task is expected to take, against walltime.
  double longest_s = 0;
};

/// A plan that leaves tasks out (a resume, a sample) keeps which as a bit per task of the list
/// and a count per 512 of them, not an index per task: 1M tasks cost every rank 140 KB, not 8 MB.
class TaskPlan {
 public:
  /// Every task of a list of `size`.
  explicit TaskPlan(TaskId size) : size_(size) {}
  /// Exactly these list indices, rising. Throws std::invalid_argument for indices that do not
  /// rise.
  explicit TaskPlan(const std::vector<TaskId>& indices);
  /// The list indices whose bits are set in `bits` (bit i % 64 of word i / 64 is index i).
  static TaskPlan of_bits(std::vector<std::uint64_t> bits);

  TaskId count() const { return size_; }
  /// The list index of run task `id`.
  TaskId index(TaskId id) const { return chosen_ ? chosen_->select(id) : id; }
  /// True when the plan is the whole list in order.
  bool whole() const { return !chosen_; }

 private:
  /// The chosen indices as bits, with the number of bits set before each block of kBlockWords
  /// words, so that the id-th one is found by a binary search and a short scan.
  struct Chosen {
    static constexpr std::size_t kBlockWords = 8;
    std::vector<std::uint64_t> bits;
    std::vector<std::uint64_t> before;  ///< bits set in the blocks before block b
    TaskId select(TaskId id) const;
  };
  void choose(std::vector<std::uint64_t> bits);

  TaskId size_ = 0;
  std::shared_ptr<const Chosen> chosen_;  ///< null: 0..size_-1
};

/// The first `count` tasks (0: all); then, when `spec.resume` or `spec.resume_failed`, only those
/// the joblog at `spec.joblog` does not record as finished (or as finished well). Throws
/// ConfigError naming the joblog's file:line for a line that is no joblog line, that names a task
/// the list lacks, or whose command differs from the list's (a joblog of another list), and
/// naming --shell.joblog when the joblog records tasks but no resume was asked for (the earlier
/// run's records would be mixed with this one's). `state` receives what the joblog held.
TaskPlan plan_tasks(const TaskList& list, const ShellSpec& spec, ResumeState& state);

/// The seed of every sample: the same tasks every time.
inline constexpr std::uint64_t kSampleSeed = 20261201;

/// A random sample of `n` tasks of `plan` (fixed seed: the same every call), in list order; the
/// whole plan when n is 0 or at least its size.
TaskPlan sample_tasks(const TaskPlan& plan, TaskId n);

/// `plan` of a list of `list_size` and what the joblog held, as bytes: the state's figures, then
/// the list indices the plan runs as a bitmap over the list (a plan runs its tasks in list order,
/// as every plan above does), 1 bit per task of the list. What the one rank that read the list and
/// the joblog sends the others.
std::string plan_bytes(const TaskPlan& plan, TaskId list_size, const ResumeState& state);
/// plan_bytes() read back; `state` receives what the joblog held.
TaskPlan plan_from_bytes(std::string_view bytes, TaskId list_size, ResumeState& state);

}  // namespace fanout
