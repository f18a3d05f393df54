// FunctionWork: a plain function per task (a CPU kernel) as what every engine runs.
#pragma once

#include <functional>

#include "exec/error_log.hpp"
#include "exec/work.hpp"

namespace fanout {

/// A task: runs task `id` and says whether it succeeded. May throw; that is recorded as
/// ErrorClass::exception with the message in the error log.
using TaskFn = std::function<ErrorClass(TaskId)>;

/// Per-worker set-up, run once on each thread that will run tasks, before the clock starts
/// (buffers allocated and first-touched by the thread that uses them). Empty: nothing to set up.
/// May throw: a set-up failure.
using WorkerInitFn = std::function<void()>;

/// As BlockingWork it runs the function on the calling thread; as SlotWork each task ends inside
/// start(), so the event loop runs one task at a time: for CPU work a loop interleaves but never
/// overlaps, which is the lesson (expect about 1x against serial).
class FunctionWork : public BlockingWork, public SlotWork {
 public:
  explicit FunctionWork(TaskFn fn, WorkerInitFn init = {});

  void prepare_worker(int worker) override;
  Sample run(TaskId id, int worker, const RunContext& ctx) override;

  /// Runs the init on the calling thread, the one that runs the loop.
  void prepare(EventLoop& loop, int slots, TaskId tasks) override;
  void start(SlotControl& control, int slot, TaskId id, int attempt) override;

  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  /// fn(id) with its exceptions turned into ErrorClass::exception.
  ErrorClass call(TaskId id) noexcept;

  TaskFn fn_;
  WorkerInitFn init_;
  ErrorLog errors_;
};

}  // namespace fanout
