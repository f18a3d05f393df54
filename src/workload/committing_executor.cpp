// The inner executor's run, then one commit of the log its tasks' lines went to.
#include "workload/committing_executor.hpp"

#include <stdexcept>

namespace fanout {

CommittingExecutor::CommittingExecutor(std::unique_ptr<Executor> inner,
                                       std::shared_ptr<LineSink> log, std::string what)
    : inner_(std::move(inner)), log_(std::move(log)), what_(std::move(what)) {}

std::vector<Sample> CommittingExecutor::run(TaskSource& source, const RunContext& ctx) {
  std::vector<Sample> samples = inner_->run(source, ctx);
  if (log_ && !log_->commit()) {
    throw std::runtime_error("cannot make " + what_ +
                             " durable (a write, fdatasync or the output records' sync failed): "
                             "the tasks it lacks run again on a resume");
  }
  return samples;
}

}  // namespace fanout
