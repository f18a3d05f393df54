// The OpenMP pool: one parallel region, per-thread sample vectors, merged at the end.
#include "exec/pool_engine.hpp"

#include <omp.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <stdexcept>

#include "exec/sample_storage.hpp"
#include "exec/serial_engine.hpp"
#include "exec/task_feed.hpp"
#include "exec/tsan_sync.hpp"

namespace fanout {
namespace {

/// The first exception thrown by any thread of a region, rethrown after it.
class FirstError {
 public:
  void capture() noexcept {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace

PoolEngine::PoolEngine(int threads, std::unique_ptr<BlockingWork> work)
    : threads_(threads), work_(std::move(work)) {
  if (threads_ < 1) throw std::invalid_argument("PoolEngine: threads must be at least 1");
  if (!work_) throw std::invalid_argument("PoolEngine: no work");
}

void PoolEngine::prepare() {
  FirstError error;
  // Addresses only: TSan's names for the region's fork and join (see tsan_sync.hpp).
  char fork = 0, join = 0;
  tsan_release(&fork);
#pragma omp parallel num_threads(threads_)
  {
    tsan_acquire(&fork);
    try {
      work_->prepare_worker(omp_get_thread_num());
    } catch (...) {
      error.capture();
    }
    tsan_release(&join);
  }
  tsan_acquire(&join);
  error.rethrow();
}

std::vector<Sample> PoolEngine::run(TaskSource& source, const RunContext& ctx) {
  // One slot per thread, written once at the end of the region: threads fill a vector of their
  // own meanwhile, so no two threads write the same cache line per task.
  std::vector<std::vector<Sample>> per_thread(static_cast<std::size_t>(threads_));
  std::atomic<bool> source_failed{false};
  FirstError error;
  char fork = 0, join = 0;
  tsan_release(&fork);
#pragma omp parallel num_threads(threads_)
  {
    tsan_acquire(&fork);
    const int thread = omp_get_thread_num();
    std::vector<Sample> mine;
    try {
      TaskFeed feed(source, ctx.stop);
      while (!source_failed.load(std::memory_order_relaxed)) {
        const std::optional<TaskId> id = feed.next();
        if (!id) break;
        append_sample(mine, run_timed(*work_, *id, thread, ctx), ctx.sink);
      }
    } catch (...) {
      // Work never throws per task; this is the source or an allocation failing.
      source_failed.store(true, std::memory_order_relaxed);
      error.capture();
    }
    per_thread[static_cast<std::size_t>(thread)] = std::move(mine);
    tsan_release(&join);
  }
  tsan_acquire(&join);
  error.rethrow();
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
