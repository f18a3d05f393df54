// The event-loop engine with work that waits: slots kept full, descriptors watched, retries by
// timer, deadlines, and the stop flag honoured before every task.
#include "exec/loop_engine.hpp"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "exec/range_source.hpp"

namespace fanout {
namespace {

/// Each attempt waits for its own eventfd, which a timer of the work makes readable after
/// `delay`; attempts of task ids in `fail_first` fail once and ask for a retry after 20 ms;
/// tasks in `hang` never end by themselves and are cut by a deadline of 30 ms.
class TimedWork : public SlotWork, public EventLoop::Watcher, public EventLoop::Alarm {
 public:
  explicit TimedWork(std::chrono::milliseconds delay) : delay_(delay) {}
  ~TimedWork() override {
    if (loop_) loop_->remove_alarm(this);
    for (auto& [slot, fd] : fd_of_slot_) ::close(fd);
  }

  std::set<TaskId> fail_first, hang;
  int max_in_flight = 0;
  std::vector<int> attempts_seen;
  int deadlines = 0;

  void prepare(EventLoop& loop, int, TaskId) override {
    loop_ = &loop;
    loop.add_alarm(this);
  }

  void start(SlotControl& control, int slot, TaskId id, int attempt) override {
    control_ = &control;
    const int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    fd_of_slot_[slot] = fd;
    task_of_slot_[slot] = id;
    loop_->watch(fd, EPOLLIN, this);
    attempts_seen.push_back(attempt);
    if (hang.count(id)) {
      control.arm_deadline(slot, Clock::now() + std::chrono::milliseconds(30));
    } else {
      due_of_slot_[slot] = Clock::now() + delay_;
    }
    max_in_flight = std::max(max_in_flight, static_cast<int>(fd_of_slot_.size()));
    rearm();
  }

  void on_deadline(SlotControl& control, int slot) override {
    ++deadlines;
    Sample s;
    s.error = ErrorClass::timeout;
    end(slot);
    control.finish(slot, s);
  }

  void on_ready(int fd, std::uint32_t) override {
    const auto it = std::find_if(fd_of_slot_.begin(), fd_of_slot_.end(),
                                 [fd](const auto& e) { return e.second == fd; });
    ASSERT_NE(it, fd_of_slot_.end());
    const int slot = it->first;
    const TaskId id = task_of_slot_[slot];
    end(slot);
    if (fail_first.count(id) && !retried_.count(id)) {
      retried_.insert(id);
      control_->retry(slot, 0.02);
      return;
    }
    control_->finish(slot, Sample{});
  }

  /// The work's own timer: makes the due descriptors readable.
  void on_due() override {
    const Clock::time_point now = Clock::now();
    for (auto it = due_of_slot_.begin(); it != due_of_slot_.end();) {
      if (it->second <= now) {
        const std::uint64_t one = 1;
        ASSERT_EQ(::write(fd_of_slot_.at(it->first), &one, sizeof one), 8);
        it = due_of_slot_.erase(it);
      } else {
        ++it;
      }
    }
    rearm();
  }

 private:
  void end(int slot) {
    loop_->unwatch(fd_of_slot_.at(slot));
    ::close(fd_of_slot_.at(slot));
    fd_of_slot_.erase(slot);
    due_of_slot_.erase(slot);
  }
  void rearm() {
    due = EventLoop::never();
    for (const auto& [slot, t] : due_of_slot_) due = std::min(due, t);
  }

  std::chrono::milliseconds delay_;
  EventLoop* loop_ = nullptr;
  SlotControl* control_ = nullptr;
  std::map<int, int> fd_of_slot_;
  std::map<int, TaskId> task_of_slot_;
  std::map<int, Clock::time_point> due_of_slot_;
  std::set<TaskId> retried_;
};

std::vector<Sample> run(LoopEngine& engine, TaskId tasks, StopFlag* stop = nullptr) {
  RangeSource source({0, tasks}, 3);
  engine.prepare();
  return engine.run(source, RunContext{Clock::now(), 4, stop});
}

TEST(LoopEngine, KeepsEverySlotBusyAndRunsEachTaskOnce) {
  auto work = std::make_unique<TimedWork>(std::chrono::milliseconds(5));
  TimedWork& w = *work;
  LoopEngine engine(8, 40, std::move(work));
  const auto samples = run(engine, 40);
  ASSERT_EQ(samples.size(), 40u);
  std::set<TaskId> ids;
  for (const Sample& s : samples) {
    ids.insert(s.id);
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(s.rank, 4);
    EXPECT_GE(s.worker, 0);
    EXPECT_LT(s.worker, 8);
    EXPECT_EQ(s.attempts, 1u);
    EXPECT_GT(s.duration_s, 0);
  }
  EXPECT_EQ(ids.size(), 40u);
  EXPECT_EQ(w.max_in_flight, 8) << "the tasks waited side by side";
}

TEST(LoopEngine, RetriesWaitByTimerWithoutHoldingTheOthers) {
  auto work = std::make_unique<TimedWork>(std::chrono::milliseconds(2));
  work->fail_first = {1, 5};
  LoopEngine engine(4, 12, std::move(work));
  const auto samples = run(engine, 12);
  ASSERT_EQ(samples.size(), 12u);
  for (const Sample& s : samples) {
    EXPECT_TRUE(s.ok()) << s.id;
    EXPECT_EQ(s.attempts, s.id == 1 || s.id == 5 ? 2u : 1u) << s.id;
    // The retried task's time includes its wait: one attempt, 20 ms, another attempt.
    if (s.attempts == 2) {
      EXPECT_GE(s.duration_s, 0.02);
    }
  }
}

TEST(LoopEngine, DeadlinesEndTasksThatDoNotEndThemselves) {
  auto work = std::make_unique<TimedWork>(std::chrono::milliseconds(1));
  work->hang = {2};
  TimedWork& w = *work;
  LoopEngine engine(2, 6, std::move(work));
  const auto samples = run(engine, 6);
  ASSERT_EQ(samples.size(), 6u);
  EXPECT_EQ(w.deadlines, 1);
  for (const Sample& s : samples) EXPECT_EQ(s.ok(), s.id != 2) << s.id;
}

TEST(LoopEngine, AStopStartsNoFurtherTaskAndLetsThoseInFlightFinish) {
  StopFlag stop;
  class StopAfter : public TimedWork {
   public:
    StopAfter(StopFlag& stop) : TimedWork(std::chrono::milliseconds(10)), stop_(stop) {}
    void start(SlotControl& c, int slot, TaskId id, int attempt) override {
      TimedWork::start(c, slot, id, attempt);
      // The signal arrives while six are in flight.
      if (++started_ == 6) stop_.request(StopReason::signal(15));
    }

   private:
    StopFlag& stop_;
    int started_ = 0;
  };
  LoopEngine engine(6, 1000, std::make_unique<StopAfter>(stop));
  // The range is one chunk, so only the engine's check before every task can stop it.
  RangeSource source({0, 1000}, 1000);
  engine.prepare();
  const auto samples = engine.run(source, RunContext{Clock::now(), 0, &stop});
  EXPECT_EQ(samples.size(), 6u) << "the six in flight finished, none started after";
  for (const Sample& s : samples) EXPECT_TRUE(s.ok());
}

}  // namespace
}  // namespace fanout
