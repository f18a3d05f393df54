// MultiDriver: the async I/O engine, one curl multi handle keeping N transfers in flight.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "http/body_file.hpp"
#include "http/distinct_errors.hpp"
#include "job/job_spec.hpp"
#include "workload/io_plan.hpp"

namespace fanout {

/// An event loop in the calling thread (curl's 10-at-a-time shape, on curl's socket API; see
/// MultiEvents): up to `concurrency` transfers in flight, new task ids pulled from the TaskSource
/// as slots free, easy handles reused slot by slot, connections pooled by the multi handle (sized
/// to concurrency). Retries wait by timer in the same loop, never blocking the other transfers.
/// The handles are made by prepare() (or the first run()) and live as long as the driver, so a
/// run is timed from its first request to its last response, without handle set-up before or
/// closing the pooled connections after; a second run() reuses those connections.
/// processes+async puts one of these per node (src/app decides where).
class MultiDriver : public Executor {
 public:
  /// `concurrency` < 1 counts as 1. Throws ConfigError if spec.output_dir is set but unusable.
  MultiDriver(int concurrency, const IoPlan& plan, const IoSpec& spec);
  ~MultiDriver() override;
  int workers() const override { return concurrency_; }
  /// Makes the multi handle and min(concurrency, tasks in the plan) easy handles. Throws
  /// std::runtime_error if libcurl or epoll cannot be set up.
  void prepare() override;
  /// Throws std::runtime_error if a curl_multi_* call fails (a broken invariant, not a task error).
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  struct Handles;
  void set_up();

  int concurrency_;
  IoPlan plan_;
  IoSpec spec_;
  std::unique_ptr<BodyDir> bodies_;
  DistinctErrors errors_;
  std::unique_ptr<Handles> handles_;
};

}  // namespace fanout
