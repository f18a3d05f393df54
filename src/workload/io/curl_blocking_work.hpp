// CurlBlockingWork: an I/O task on a blocking easy handle per worker, retries and back-off
// included.
#pragma once

#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "exec/error_log.hpp"
#include "exec/work.hpp"
#include "workload/io/io_context.hpp"
#include "workload/io/retry_policy.hpp"
#include "workload/io/transfer.hpp"

namespace fanout {

/// What the serial loop and the pool run for I/O: like a browser session, each worker keeps one
/// easy handle for every request, so a connection to a host is opened once and reused. The
/// handles are made in prepare_worker() (or on a worker's first task) and live as long as the
/// work, so a run is timed without making them or closing their connections. A worker sleeps
/// between retries: it has nothing else to do meanwhile.
class CurlBlockingWork : public BlockingWork {
 public:
  /// `workers` handles, one a worker, over `io` (which outlives the work).
  CurlBlockingWork(int workers, const IoContext& io);
  /// Makes worker `worker`'s easy handle. Throws std::runtime_error if libcurl cannot.
  void prepare_worker(int worker) override;
  Sample run(TaskId id, int worker, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  struct Worker {
    std::unique_ptr<Transfer> transfer;
    std::optional<std::mt19937_64> rng;
  };
  IoContext io_;
  RetryPolicy policy_;
  std::vector<Worker> workers_;
  ErrorLog errors_;
};

}  // namespace fanout
