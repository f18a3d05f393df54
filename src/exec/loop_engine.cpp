// The event-loop engine: fill the slots, wait, let the work act, refill; timers for what waits.
#include "exec/loop_engine.hpp"

#include <algorithm>
#include <stdexcept>

#include "exec/sample_storage.hpp"
#include "exec/slot_timers.hpp"
#include "exec/task_feed.hpp"

namespace fanout {
namespace {

/// Upper bound of one wait; a due timer or a ready descriptor ends it sooner.
constexpr std::chrono::milliseconds kMaxWait{1000};

}  // namespace

/// The state of one run(): the slots, their timers, and the samples so far.
class LoopEngine::Run : public SlotControl, public EventLoop::Alarm {
 public:
  Run(int slots, SlotWork& work, EventLoop& loop, TaskSource& source, const RunContext& ctx)
      : work_(work),
        loop_(loop),
        feed_(source, ctx.stop),
        ctx_(ctx),
        slots_(slots),
        timers_(slots) {
    for (int s = slots - 1; s >= 0; --s) free_.push_back(s);
    loop_.add_alarm(this);
  }
  ~Run() override { loop_.remove_alarm(this); }

  std::vector<Sample> go() {
    for (;;) {
      fill();
      if (busy_ == 0) break;
      loop_.run_once(kMaxWait);
      work_.after_wake(*this);
    }
    return std::move(samples_);
  }

  void finish(int slot, const Sample& result) override {
    Slot& s = slots_[static_cast<std::size_t>(slot)];
    timers_.disarm(slot);
    sync_alarm();
    Sample out = result;
    out.id = s.task;
    out.rank = ctx_.rank;
    out.worker = slot;
    // A work's 0 stays: no attempt of the task started (Sample::attempts).
    out.attempts = result.attempts == 0 ? 0 : static_cast<std::uint32_t>(s.attempts);
    out.start_s = seconds_between(ctx_.t0, s.start);
    out.duration_s = seconds_between(s.start, Clock::now());
    append_sample(samples_, out, ctx_.sink);
    s.state = State::idle;
    --busy_;
    free_.push_back(slot);
  }

  void retry(int slot, double delay_s) override {
    Slot& s = slots_[static_cast<std::size_t>(slot)];
    s.state = State::backing_off;
    timers_.arm(slot, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(std::max(0.0, delay_s))));
    sync_alarm();
  }

  void arm_deadline(int slot, Clock::time_point due) override {
    timers_.arm(slot, due);
    sync_alarm();
  }

  const RunContext& context() const override { return ctx_; }

  /// The slot timers' alarm: start due retries, tell the work of passed deadlines.
  void on_due() override {
    const Clock::time_point now = Clock::now();
    while (!timers_.empty() && timers_.earliest() <= now) {
      const int slot = timers_.pop();
      Slot& s = slots_[static_cast<std::size_t>(slot)];
      if (s.state == State::backing_off) {
        s.state = State::running;
        work_.start(*this, slot, s.task, ++s.attempts);
      } else if (s.state == State::running) {
        work_.on_deadline(*this, slot);
      }
    }
    sync_alarm();
  }

 private:
  enum class State { idle, running, backing_off };
  struct Slot {
    TaskId task = 0;
    Clock::time_point start;
    int attempts = 0;
    State state = State::idle;
  };

  /// Starts tasks in free slots while the feed has any. A task that ends inside start() frees its
  /// slot again at once, so CPU work runs here task after task without recursion.
  void fill() {
    while (!free_.empty()) {
      const std::optional<TaskId> id = feed_.next();
      if (!id) return;
      const int slot = free_.back();
      free_.pop_back();
      Slot& s = slots_[static_cast<std::size_t>(slot)];
      s.task = *id;
      s.start = Clock::now();
      s.attempts = 1;
      s.state = State::running;
      ++busy_;
      work_.start(*this, slot, *id, 1);
    }
  }

  void sync_alarm() { due = timers_.empty() ? EventLoop::never() : timers_.earliest(); }

  SlotWork& work_;
  EventLoop& loop_;
  TaskFeed feed_;
  const RunContext& ctx_;
  std::vector<Slot> slots_;
  SlotTimers timers_;
  std::vector<int> free_;
  int busy_ = 0;
  std::vector<Sample> samples_;
};

LoopEngine::LoopEngine(int slots, TaskId tasks, std::unique_ptr<SlotWork> work)
    : slots_(std::max(1, slots)), tasks_(tasks), work_(std::move(work)) {
  if (!work_) throw std::invalid_argument("LoopEngine: no work");
}

// The work's sockets and alarms are registered on the loop and leave it in their destructors:
// the work goes first (members alone would destroy the loop first, work_ being declared before it).
LoopEngine::~LoopEngine() { work_.reset(); }

void LoopEngine::prepare() {
  if (loop_) return;
  auto loop = std::make_unique<EventLoop>();
  work_->prepare(*loop, slots_, tasks_);
  loop_ = std::move(loop);
}

std::vector<Sample> LoopEngine::run(TaskSource& source, const RunContext& ctx) {
  prepare();
  Run run(slots_, *work_, *loop_, source, ctx);
  try {
    return run.go();
  } catch (...) {
    work_->abandon();
    throw;
  }
}

}  // namespace fanout
