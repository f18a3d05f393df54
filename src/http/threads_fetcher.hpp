// ThreadsFetcher: the threads I/O engine, a pool of blocking workers with one easy handle each.
#pragma once

#include <memory>
#include <vector>

#include "exec/executor.hpp"
#include "http/body_file.hpp"
#include "http/distinct_errors.hpp"
#include "http/transfer.hpp"
#include "job/job_spec.hpp"
#include "workload/io_plan.hpp"

namespace fanout {

/// `threads` std::threads (I/O workers sleep in the kernel, so they are plain threads rather than
/// an OpenMP team that may spin); each owns an easy handle and pulls ranges from the TaskSource
/// until it is dry. The handles are made by prepare() (or the first run()) and live as long as the
/// fetcher, so a run is timed without making them or closing their connections (as for
/// MultiDriver); the threads are started by each run().
class ThreadsFetcher : public Executor {
 public:
  /// `threads` < 1 counts as 1. Throws ConfigError if spec.output_dir is set but unusable.
  ThreadsFetcher(int threads, const IoPlan& plan, const IoSpec& spec);
  int workers() const override { return threads_; }
  /// Makes one easy handle per thread. Throws std::runtime_error if libcurl cannot.
  void prepare() override;
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  int threads_;
  IoPlan plan_;
  IoSpec spec_;
  std::unique_ptr<BodyDir> bodies_;
  DistinctErrors errors_;
  std::vector<std::unique_ptr<Transfer>> transfers_;  ///< one per thread, by thread index
};

}  // namespace fanout
