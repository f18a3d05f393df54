// SerialEngine: the base case, every task one after another on the calling thread.
#pragma once

#include <memory>

#include "exec/work.hpp"

namespace fanout {

class SerialEngine : public Executor {
 public:
  explicit SerialEngine(std::unique_ptr<BlockingWork> work);
  int workers() const override { return 1; }
  /// Prepares worker 0 on the calling thread.
  void prepare() override;
  /// Samples come back in the order the tasks ran; worker is always 0.
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return work_->error_messages(); }

 private:
  std::unique_ptr<BlockingWork> work_;
};

/// Runs one task of `work` between two clock reads, filling the core of its Sample: what the
/// serial loop and every pool thread do per task. Inline: the per-task hot path.
inline Sample run_timed(BlockingWork& work, TaskId id, int worker, const RunContext& ctx) {
  const Clock::time_point start = Clock::now();
  Sample s = work.run(id, worker, ctx);
  const Clock::time_point end = Clock::now();
  s.id = id;
  s.rank = ctx.rank;
  s.worker = worker;
  s.start_s = seconds_between(ctx.t0, start);
  s.duration_s = seconds_between(start, end);
  return s;
}

}  // namespace fanout
