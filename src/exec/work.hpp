// What the engines run: BlockingWork (task after task on one thread) and SlotWork (tasks in flight
// on an event loop). A workload kind plugs in one of each; the engines own scheduling and timing.
#pragma once

#include <string>
#include <vector>

#include "exec/event_loop.hpp"
#include "exec/executor.hpp"

namespace fanout {

/// Run by the serial loop (one worker) and the OpenMP pool (one per thread): each call runs one
/// task to completion, every attempt included, on the calling thread.
class BlockingWork {
 public:
  virtual ~BlockingWork() = default;
  /// Before the clock starts, on the thread that will run `worker`'s tasks (buffers first touched
  /// there, handles made). May throw: a set-up failure.
  virtual void prepare_worker(int worker) {}
  /// Runs task `id` as worker `worker`. Fills the Sample's error, attempts and kind fields; the
  /// engine sets id, rank, worker and times around the call. Per-task failures never throw.
  virtual Sample run(TaskId id, int worker, const RunContext& ctx) = 0;
  /// First distinct error messages (capped), for the report.
  virtual std::vector<std::string> error_messages() const { return {}; }
};

class SlotControl;

/// Run by the event-loop engine: up to N tasks in flight, one per slot. A task's attempt starts
/// with start() and ends, at once or from a later wake-up of the loop, with SlotControl::finish
/// (the task is done) or SlotControl::retry (another attempt after a delay, by the engine's timer).
class SlotWork {
 public:
  virtual ~SlotWork() = default;
  /// Before the clock starts: set up for `slots` slots, `tasks` of which at most will be busy at
  /// once (handles, the descriptors to watch on `loop`). May throw: a set-up failure.
  virtual void prepare(EventLoop& loop, int slots, TaskId tasks) {}
  /// Starts attempt `attempt` (1 for the first) of task `id` in `slot`.
  virtual void start(SlotControl& control, int slot, TaskId id, int attempt) = 0;
  /// After every wake-up of the loop, e.g. to read what finished.
  virtual void after_wake(SlotControl& control) {}
  /// The deadline armed for `slot` (SlotControl::arm_deadline) passed: stop what it runs, or
  /// escalate and arm another; the task still ends with finish() or retry(). It is also the
  /// slot's timer: a task that only waits (a sleep, a delay) arms its end and finishes here.
  virtual void on_deadline(SlotControl& control, int slot) {}
  /// The run ended by an exception (a broken set-up, not a task): drop every task in flight, so
  /// that the next run starts clean.
  virtual void abandon() {}
  virtual std::vector<std::string> error_messages() const { return {}; }
};

/// What a SlotWork tells the engine about its slots.
class SlotControl {
 public:
  virtual ~SlotControl() = default;
  /// The task in `slot` is done. `result` carries the error and the kind fields; the engine sets
  /// id, rank, worker, attempts (unless `result` says 0: none started) and the times (from the
  /// first attempt's start to now).
  virtual void finish(int slot, const Sample& result) = 0;
  /// This attempt failed; start the next one after `delay_s` seconds.
  virtual void retry(int slot, double delay_s) = 0;
  /// Calls SlotWork::on_deadline(slot) at `due` unless the task ends first (replaces any
  /// deadline armed before for the slot).
  virtual void arm_deadline(int slot, Clock::time_point due) = 0;
  /// The run's context (rank, t0, stop flag).
  virtual const RunContext& context() const = 0;
};

}  // namespace fanout
