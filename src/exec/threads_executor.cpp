// The OpenMP threads model: one parallel region, per-thread sample vectors, merged at the end.
#include "exec/threads_executor.hpp"

#include <omp.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "exec/tsan_sync.hpp"

namespace fanout {

ThreadsExecutor::ThreadsExecutor(int threads, TaskFn fn, WorkerInitFn init)
    : threads_(threads), fn_(std::move(fn)), init_(std::move(init)) {
  if (threads_ < 1) throw std::invalid_argument("ThreadsExecutor: threads must be at least 1");
  if (!fn_) throw std::invalid_argument("ThreadsExecutor: empty task function");
}

void ThreadsExecutor::prepare() {
  if (!init_) return;
  std::exception_ptr init_error;
  std::mutex init_error_mutex;
  // Addresses only: TSan's names for the region's fork and join (see tsan_sync.hpp).
  char fork = 0, join = 0;

  tsan_release(&fork);
#pragma omp parallel num_threads(threads_)
  {
    tsan_acquire(&fork);
    try {
      init_();
    } catch (...) {
      std::lock_guard lock(init_error_mutex);
      if (!init_error) init_error = std::current_exception();
    }
    tsan_release(&join);
  }
  tsan_acquire(&join);
  if (init_error) std::rethrow_exception(init_error);
}

std::vector<Sample> ThreadsExecutor::run(TaskSource& source, const RunContext& ctx) {
  errors_.clear();
  // One slot per thread, written once at the end of the region: threads fill a vector of their
  // own meanwhile, so no two threads write the same cache line per task.
  std::vector<std::vector<Sample>> per_thread(static_cast<std::size_t>(threads_));
  std::atomic<bool> source_failed{false};
  std::exception_ptr source_error;
  std::mutex source_error_mutex;
  // Addresses only: TSan's names for the region's fork and join (see tsan_sync.hpp).
  char fork = 0, join = 0;

  tsan_release(&fork);
#pragma omp parallel num_threads(threads_)
  {
    tsan_acquire(&fork);
    const int thread = omp_get_thread_num();
    std::vector<Sample> mine;
    try {
      while (!source_failed.load(std::memory_order_relaxed) && !stop_requested(ctx.stop)) {
        const std::optional<TaskRange> range = source.next();
        if (!range) break;
        reserve_samples(mine, range->size());
        for (TaskId id = range->begin; id < range->end && !stop_requested(ctx.stop); ++id) {
          mine.push_back(run_task(fn_, id, ctx, thread, errors_));
        }
      }
    } catch (...) {
      // Tasks cannot get here (run_task catches); this is the source or an allocation failing.
      source_failed.store(true, std::memory_order_relaxed);
      std::lock_guard lock(source_error_mutex);
      if (!source_error) source_error = std::current_exception();
    }
    per_thread[static_cast<std::size_t>(thread)] = std::move(mine);
    tsan_release(&join);
  }
  tsan_acquire(&join);

  if (source_error) std::rethrow_exception(source_error);
  // Append into the largest vector rather than into a new one: one thread's samples are not
  // copied at all, and with one thread the merge is free.
  std::size_t total = 0, largest = 0;
  for (std::size_t t = 0; t < per_thread.size(); ++t) {
    total += per_thread[t].size();
    if (per_thread[t].size() > per_thread[largest].size()) largest = t;
  }
  std::vector<Sample> samples = std::move(per_thread[largest]);
  reserve_samples(samples, total - samples.size());
  for (std::size_t t = 0; t < per_thread.size(); ++t) {
    if (t != largest) samples.insert(samples.end(), per_thread[t].begin(), per_thread[t].end());
  }
  return samples;
}

}  // namespace fanout
