// The farm's journals opened on binding, and the run log's end line written after the run.
#include "workload/shell/farm_journals.hpp"

#include <unistd.h>

#include <exception>
#include <filesystem>

#include "mpi/agree.hpp"
#include "timing/clock.hpp"
#include "workload/shell/logs_dir.hpp"

namespace fanout {
namespace {

/// `path` made absolute; "" stays "".
std::string absolute_or_empty(const std::string& path) {
  std::error_code ec;
  return path.empty() ? path : std::filesystem::absolute(path, ec).lexically_normal().string();
}

/// An executor that notes the stop flag it runs under, then runs `inner`.
class StopNotingExecutor : public Executor {
 public:
  StopNotingExecutor(std::unique_ptr<Executor> inner, std::shared_ptr<const StopFlag*> stop)
      : inner_(std::move(inner)), stop_(std::move(stop)) {}
  int workers() const override { return inner_->workers(); }
  void prepare() override { inner_->prepare(); }
  std::vector<Sample> run(TaskSource& source, const RunContext& ctx) override {
    *stop_ = ctx.stop;
    return inner_->run(source, ctx);
  }
  std::vector<std::string> error_messages() const override { return inner_->error_messages(); }

 private:
  std::unique_ptr<Executor> inner_;
  std::shared_ptr<const StopFlag*> stop_;
};

}  // namespace

FarmRunStart farm_run_start(const World& world, const ShellSpec& spec, std::uint64_t list_size,
                            std::uint64_t planned) {
  FarmRunStart s;
  s.epoch_s = epoch_now_s();
  s.pid = static_cast<long>(::getpid());
  s.host = world.host();
  s.ranks = world.size();
  s.tasks_file = absolute_or_empty(spec.tasks_file);
  s.command = spec.command;
  s.inputs_file = absolute_or_empty(spec.inputs_file);
  s.count = spec.count;
  s.list_size = list_size;
  s.planned = planned;
  s.joblog = absolute_or_empty(spec.joblog);
  s.resume = spec.resume;
  s.resume_failed = spec.resume_failed;
  s.output = spec.output == FarmOutput::records ? "records" : "files";
  return s;
}

FarmJournals bind_farm_journals(World& world, const ShellSpec& spec, const FarmRunStart& start) {
  FarmJournals j;
  if (spec.joblog.empty()) return j;
  agreed(world, false, [&] {
    make_logs_dir(start_journal_dir(spec.logs_dir));
    j.starts = std::make_shared<StartJournal>(start_journal_path(spec.logs_dir, world.rank()));
  });
  agreed(world, true, [&] {
    j.runs = std::make_shared<FarmRunLog>(spec.logs_dir);
    // A run log that cannot be written costs the explanation, not the farm.
    (void)j.runs->started(start);
  });
  return j;
}

FarmRunEnding::~FarmRunEnding() {
  if (!runs_) return;
  try {
    FarmRunEnd e;
    e.epoch_s = epoch_now_s();
    const StopFlag* stop = *stop_;
    e.how = std::uncaught_exceptions() > 0
                ? std::string("error")
                : end_how(stop ? stop->reason() : StopReason{}, launcher_.gone());
    if (counts_) {
      const JoblogCounts::Counts c = counts_();
      e.done = c.done;
      e.failed = c.failed;
    }
    (void)runs_->ended(e);
  } catch (...) {
    // The end line only explains; a destructor must not throw.
  }
}

std::unique_ptr<Executor> FarmRunEnding::watch(std::unique_ptr<Executor> inner) {
  return std::make_unique<StopNotingExecutor>(std::move(inner), stop_);
}

}  // namespace fanout
