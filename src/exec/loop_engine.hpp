// LoopEngine: one event loop on the calling thread keeping up to N tasks in flight, one per slot,
// with a timer per slot for retries and deadlines.
#pragma once

#include <memory>

#include "exec/work.hpp"

namespace fanout {

/// The async model. Slots are filled from the feed (the stop flag checked before every task),
/// refilled as tasks finish, and a slot backing off before a retry waits by timer in the same
/// loop, never blocking the others. What a slot runs is the SlotWork's business: a curl transfer,
/// a child process, or (for CPU kernels) a task run to completion at once, which makes the loop
/// run one task at a time, as an event loop does with CPU-bound work.
class LoopEngine : public Executor {
 public:
  /// `slots` < 1 counts as 1. `tasks` bounds the slots that can be busy at once (for set-up).
  LoopEngine(int slots, TaskId tasks, std::unique_ptr<SlotWork> work);
  ~LoopEngine() override;
  int workers() const override { return slots_; }
  /// Makes the loop and lets the work set itself up on it. Throws on a set-up failure.
  void prepare() override;
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return work_->error_messages(); }

 private:
  class Run;
  int slots_;
  TaskId tasks_;
  std::unique_ptr<SlotWork> work_;
  std::unique_ptr<EventLoop> loop_;
};

}  // namespace fanout
