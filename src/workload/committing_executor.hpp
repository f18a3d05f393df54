// CommittingExecutor: an executor whose run() returns only once the lines of the tasks it ran are
// durable in their log, so that what the run then counts and reports as done is recorded.
#pragma once

#include <memory>

#include "exec/executor.hpp"
#include "workload/line_sink.hpp"

namespace fanout {

class CommittingExecutor : public Executor {
 public:
  /// `what` names the log in the error run() throws when it cannot commit ("the joblog X").
  CommittingExecutor(std::unique_ptr<Executor> inner, std::shared_ptr<LineSink> log,
                     std::string what);
  int workers() const override { return inner_->workers(); }
  void prepare() override { inner_->prepare(); }
  /// The inner run, then the log's commit; throws when the commit fails (lines lost).
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override;
  std::vector<std::string> error_messages() const override { return inner_->error_messages(); }

 private:
  std::unique_ptr<Executor> inner_;
  std::shared_ptr<LineSink> log_;
  std::string what_;
};

}  // namespace fanout
