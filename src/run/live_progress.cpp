// A look a second at the kind's live counts, turned into the progress line.
#include "run/live_progress.hpp"

#include <chrono>

namespace fanout {
namespace {

constexpr auto kInterval = std::chrono::seconds(1);

}  // namespace

LiveProgressThread::LiveProgressThread(const BoundWorkload& workload, ProgressLine& line,
                                       std::mutex& lock, std::string command)
    : workload_(workload), line_(line), line_lock_(lock), command_(std::move(command)) {
  if (line_.shows() && workload_.live_progress()) thread_ = std::thread([this] { loop(); });
}

LiveProgressThread::~LiveProgressThread() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LiveProgressThread::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kInterval, [this] { return done_; })) {
    const std::optional<LiveProgress> p = workload_.live_progress();
    if (!p) continue;
    ProgressState state;
    state.command = command_;
    state.done = p->done;
    state.total = p->total;
    state.unit = "tasks";
    state.detail = !p->detail.empty() ? p->detail
                                      : std::to_string(p->failed) + " failed, " +
                                            std::to_string(p->running) + " running";
    std::lock_guard line(line_lock_);
    state.elapsed_s = line_.elapsed_s();
    line_.update(state);
  }
}

}  // namespace fanout
