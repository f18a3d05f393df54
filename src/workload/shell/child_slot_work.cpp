// Children in the event loop: a pidfd per child, read as "exited" after the wake-up; deadlines
// for timeouts and kills; a 100 ms tick while tasks run, to pass the run's stop on to them.
#include "workload/shell/child_slot_work.hpp"

#include <signal.h>
#include <sys/epoll.h>

#include <optional>

namespace fanout {
namespace {

/// How soon a stop reaches the tasks in flight (a signal may land on another thread than the
/// loop's, which then sleeps on).
constexpr auto kTick = std::chrono::milliseconds(100);

}  // namespace

struct ChildSlotWork::Slot : EventLoop::Watcher {
  ChildSlotWork* work = nullptr;
  int index = 0;
  FarmTask task;
  bool running = false;  ///< a child is in flight
  /// The child ended of a stop signal before the run's stop came: recorded at the deadline, or
  /// when the stop comes first (FarmRunner::awaits_stop).
  std::optional<Sample> held;
  void on_ready(int, std::uint32_t) override { work->exited_.push_back(index); }
};

/// Wakes the loop every kTick while children run, so after_wake sees a stop soon.
class ChildSlotWork::Tick : public EventLoop::Alarm {
 public:
  explicit Tick(ChildSlotWork& work) : work_(work) {}
  void on_due() override {
    if (work_.busy_ > 0 && !work_.stop_seen_) due = Clock::now() + kTick;
  }

 private:
  ChildSlotWork& work_;
};

ChildSlotWork::ChildSlotWork(std::shared_ptr<FarmRunner> runner) : runner_(std::move(runner)) {}

ChildSlotWork::~ChildSlotWork() {
  abandon();
  if (loop_ && tick_) loop_->remove_alarm(tick_.get());
}

void ChildSlotWork::prepare(EventLoop& loop, int slots, TaskId) {
  if (loop_) return;
  loop_ = &loop;
  for (int i = 0; i < slots; ++i) {
    auto s = std::make_unique<Slot>();
    s->work = this;
    s->index = i;
    slots_.push_back(std::move(s));
  }
  exited_.reserve(static_cast<std::size_t>(slots));
  tick_ = std::make_unique<Tick>(*this);
  loop.add_alarm(tick_.get());
}

void ChildSlotWork::start(SlotControl& control, int slot, TaskId id, int attempt) {
  Slot& s = *slots_[static_cast<std::size_t>(slot)];
  if (attempt == 1) s.task = runner_->begin(id, slot);
  Sample failure;
  if (!runner_->start_attempt(s.task, failure, control.context())) {
    failure.attempts = static_cast<std::uint32_t>(s.task.attempt);
    runner_->record(failure, s.task, control.context());
    control.finish(slot, failure);
    return;
  }
  s.running = true;
  ++busy_;
  loop_->watch(s.task.child.pidfd, EPOLLIN, &s);
  if (tick_->due == EventLoop::never() && !stop_seen_) tick_->due = Clock::now() + kTick;
  police(control, slot);
}

void ChildSlotWork::police(SlotControl& control, int slot) {
  Slot& s = *slots_[static_cast<std::size_t>(slot)];
  const Clock::time_point next = runner_->police(s.task, control.context(), Clock::now());
  if (next != Clock::time_point::max()) control.arm_deadline(slot, next);
}

void ChildSlotWork::on_deadline(SlotControl& control, int slot) {
  Slot& s = *slots_[static_cast<std::size_t>(slot)];
  if (s.held) {
    done(control, s);
  } else if (s.running) {
    police(control, slot);
  }
}

void ChildSlotWork::done(SlotControl& control, Slot& s) {
  const RunContext& ctx = control.context();
  Sample result = *s.held;
  s.held.reset();
  runner_->settle(result, ctx);
  if (runner_->should_retry(result, s.task, ctx)) {
    control.retry(s.index, 0);
    return;
  }
  result.attempts = static_cast<std::uint32_t>(s.task.attempt);
  runner_->record(result, s.task, ctx);
  control.finish(s.index, result);
}

void ChildSlotWork::after_wake(SlotControl& control) {
  const RunContext& ctx = control.context();
  // A launcher that died turns into the run's stop, which the rest of this passes on.
  runner_->launcher_lost(ctx);
  for (std::size_t i = 0; i < exited_.size(); ++i) {
    Slot& s = *slots_[static_cast<std::size_t>(exited_[i])];
    if (!s.running) continue;
    loop_->unwatch(s.task.child.pidfd);
    s.running = false;
    --busy_;
    s.held = runner_->end_attempt(s.task, ctx);
    if (runner_->awaits_stop(*s.held, ctx)) {
      control.arm_deadline(s.index, Clock::now() + FarmRunner::kStopWait);
      continue;
    }
    done(control, s);
  }
  exited_.clear();
  if (!stop_seen_ && stop_ends_tasks(ctx)) {
    stop_seen_ = true;
    for (auto& s : slots_) {
      if (s->held) {
        done(control, *s);
      } else if (s->running) {
        police(control, s->index);
      }
    }
  }
}

void ChildSlotWork::abandon() {
  // A broken run: end every child in flight rather than leave it behind.
  for (auto& s : slots_) {
    if (!s->running) continue;
    if (loop_) loop_->unwatch(s->task.child.pidfd);
    signal_group(s->task.child, SIGKILL);
    reap_child(s->task.child);
    s->running = false;
  }
  busy_ = 0;
  exited_.clear();
}

}  // namespace fanout
