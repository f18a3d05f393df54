// The threads I/O engine: workers fill private sample vectors, merged after join.
#include "http/threads_fetcher.hpp"

#include <algorithm>
#include <exception>
#include <thread>

#include "http/blocking_fetch.hpp"

namespace fanout {

ThreadsFetcher::ThreadsFetcher(int threads, const IoPlan& plan, const IoSpec& spec)
    : threads_(std::max(1, threads)),
      plan_(plan),
      spec_(spec),
      bodies_(spec.output_dir.empty() ? nullptr : std::make_unique<BodyDir>(spec.output_dir)) {}

void ThreadsFetcher::prepare() {
  if (!transfers_.empty()) return;
  transfers_.reserve(threads_);
  for (int i = 0; i < threads_; ++i)
    transfers_.push_back(std::make_unique<Transfer>(spec_, bodies_.get()));
}

std::vector<Sample> ThreadsFetcher::run(TaskSource& source, const RunContext& ctx) {
  prepare();
  const RetryPolicy policy(spec_);
  std::vector<std::vector<Sample>> per_worker(threads_);
  std::vector<std::exception_ptr> setup_errors(threads_);
  auto work = [&](int index) {
    try {
      auto rng = make_jitter_rng(ctx.rank * threads_ + index);
      BlockingWorker worker{*transfers_[index], policy, rng, errors_, ctx, index};
      while (const auto range = source.next()) {
        for (TaskId id = range->begin; id < range->end; ++id) {
          per_worker[index].push_back(fetch_blocking(worker, id, plan_.url(id)));
        }
      }
    } catch (...) {
      // Only handle set-up can throw here (per-task failures are Samples); report it after join.
      setup_errors[index] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> pool;
    pool.reserve(threads_);
    for (int i = 0; i < threads_; ++i) pool.emplace_back(work, i);
  }
  for (const auto& e : setup_errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<Sample> samples;
  for (auto& v : per_worker) samples.insert(samples.end(), v.begin(), v.end());
  return samples;
}

}  // namespace fanout
