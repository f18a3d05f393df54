// ChildBlockingWork: a farm task on the serial loop or a pool thread — start the child, wait on
// its pidfd, police its timeout and the run's stop, reap, retry.
#pragma once

#include <memory>

#include "exec/work.hpp"
#include "workload/shell/farm_runner.hpp"

namespace fanout {

class ChildBlockingWork : public BlockingWork {
 public:
  explicit ChildBlockingWork(std::shared_ptr<FarmRunner> runner) : runner_(std::move(runner)) {}
  Sample run(TaskId id, int worker, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return runner_->error_messages(); }

 private:
  std::shared_ptr<FarmRunner> runner_;
};

}  // namespace fanout
