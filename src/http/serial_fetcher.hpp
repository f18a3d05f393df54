// SerialFetcher: the serial I/O engine, one request at a time on one reused easy handle.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "http/body_file.hpp"
#include "http/distinct_errors.hpp"
#include "http/transfer.hpp"
#include "job/job_spec.hpp"
#include "workload/io_plan.hpp"

namespace fanout {

/// Like a browser session: one easy handle for every request, so a connection to a host is opened
/// once and reused. The handle is made by prepare() (or the first run()) and lives as long as the
/// fetcher, so a run is timed without making it or closing its connection (as for MultiDriver).
class SerialFetcher : public Executor {
 public:
  /// Throws ConfigError if spec.output_dir is set but unusable.
  SerialFetcher(const IoPlan& plan, const IoSpec& spec);
  int workers() const override { return 1; }
  /// Makes the easy handle. Throws std::runtime_error if libcurl cannot.
  void prepare() override;
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return errors_.messages(); }

 private:
  IoPlan plan_;
  IoSpec spec_;
  std::unique_ptr<BodyDir> bodies_;
  DistinctErrors errors_;
  std::unique_ptr<Transfer> transfer_;
};

}  // namespace fanout
