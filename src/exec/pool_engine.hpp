// PoolEngine: an OpenMP team inside one rank, each thread asking its own feed of the shared source.
#pragma once

#include <memory>

#include "exec/work.hpp"

namespace fanout {

class PoolEngine : public Executor {
 public:
  /// `threads` >= 1 OpenMP threads; throws std::invalid_argument otherwise.
  PoolEngine(int threads, std::unique_ptr<BlockingWork> work);
  int workers() const override { return threads_; }
  /// Runs prepare_worker(thread) in a parallel region of the same team size as run(). libgomp
  /// keeps its pool threads between regions and reuses them for the next team of that size, so
  /// the threads that run the tasks are the ones whose thread-local state was set up here. The
  /// first exception is rethrown after the region.
  void prepare() override;
  /// Each Sample's worker is the omp_get_thread_num() that ran it. Nothing is thrown out of the
  /// parallel region: an exception from the source itself (a broken dynamic dispatcher) stops
  /// every thread and is rethrown after the region has ended.
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return work_->error_messages(); }

 private:
  int threads_;
  std::unique_ptr<BlockingWork> work_;
};

}  // namespace fanout
