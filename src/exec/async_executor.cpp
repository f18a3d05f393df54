// The event-loop model on Boost.Asio: each handler runs one task, then posts the handler for the next.
#include "exec/async_executor.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>
#include <utility>

namespace fanout {

namespace {

// The loop's state. Posting the next task only when one finishes keeps one handler queued at a
// time, whatever the task count, the way a coroutine that awaits hands control back to the loop.
class TaskLoop {
 public:
  TaskLoop(boost::asio::io_context& io, TaskSource& source, const TaskFn& fn, const RunContext& ctx,
           ErrorLog& errors)
      : io_(io), source_(source), fn_(fn), ctx_(ctx), errors_(errors) {}

  void step() {
    if (stop_requested(ctx_.stop)) return;  // nothing posted: the loop ends after this task
    if (pending_.empty()) {
      const std::optional<TaskRange> range = source_.next();
      if (!range) return;  // nothing posted: io_context::run() returns
      pending_ = *range;
      reserve_samples(samples_, pending_.size());
    }
    samples_.push_back(run_task(fn_, pending_.begin++, ctx_, 0, errors_));
    boost::asio::post(io_, [this] { step(); });
  }

  std::vector<Sample> take_samples() { return std::move(samples_); }

 private:
  boost::asio::io_context& io_;
  TaskSource& source_;
  const TaskFn& fn_;
  const RunContext& ctx_;
  ErrorLog& errors_;
  TaskRange pending_;
  std::vector<Sample> samples_;
};

}  // namespace

AsyncExecutor::AsyncExecutor(TaskFn fn, WorkerInitFn init)
    : fn_(std::move(fn)), init_(std::move(init)) {
  if (!fn_) throw std::invalid_argument("AsyncExecutor: empty task function");
}

void AsyncExecutor::prepare() {
  if (init_) init_();
}

std::vector<Sample> AsyncExecutor::run(TaskSource& source, const RunContext& ctx) {
  errors_.clear();
  // Concurrency hint 1: the loop is only ever run by this one thread.
  boost::asio::io_context io(1);
  TaskLoop loop(io, source, fn_, ctx, errors_);
  boost::asio::post(io, [&loop] { loop.step(); });
  io.run();
  return loop.take_samples();
}

}  // namespace fanout
