// ChildSlotWork: farm tasks on the event loop — posix_spawn, then the child's pidfd in the epoll
// set; N children in flight and no thread per child.
#pragma once

#include <memory>
#include <vector>

#include "exec/work.hpp"
#include "workload/shell/farm_runner.hpp"

namespace fanout {

class ChildSlotWork : public SlotWork {
 public:
  explicit ChildSlotWork(std::shared_ptr<FarmRunner> runner);
  ~ChildSlotWork() override;

  void prepare(EventLoop& loop, int slots, TaskId tasks) override;
  void start(SlotControl& control, int slot, TaskId id, int attempt) override;
  void after_wake(SlotControl& control) override;
  void on_deadline(SlotControl& control, int slot) override;
  void abandon() override;
  std::vector<std::string> error_messages() const override { return runner_->error_messages(); }

 private:
  struct Slot;
  class Tick;
  void police(SlotControl& control, int slot);
  /// Records the slot's held result (or retries it).
  void done(SlotControl& control, Slot& s);

  std::shared_ptr<FarmRunner> runner_;
  EventLoop* loop_ = nullptr;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<int> exited_;  ///< slots whose child exited since the last after_wake
  std::unique_ptr<Tick> tick_;
  int busy_ = 0;
  bool stop_seen_ = false;  ///< the stop that ends tasks in flight was passed on to them
};

}  // namespace fanout
