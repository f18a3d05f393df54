// The serial I/O engine: pull a range, fetch each URL in turn on the same handle.
#include "http/serial_fetcher.hpp"

#include "http/blocking_fetch.hpp"

namespace fanout {

SerialFetcher::SerialFetcher(const IoPlan& plan, const IoSpec& spec)
    : plan_(plan),
      spec_(spec),
      bodies_(spec.output_dir.empty() ? nullptr : std::make_unique<BodyDir>(spec.output_dir)) {}

void SerialFetcher::prepare() {
  if (!transfer_) transfer_ = std::make_unique<Transfer>(spec_, bodies_.get());
}

std::vector<Sample> SerialFetcher::run(TaskSource& source, const RunContext& ctx) {
  prepare();
  const RetryPolicy policy(spec_);
  auto rng = make_jitter_rng(ctx.rank);
  BlockingWorker worker{*transfer_, policy, rng, errors_, ctx, 0};
  std::vector<Sample> samples;
  while (const auto range = source.next()) {
    for (TaskId id = range->begin; id < range->end; ++id) {
      samples.push_back(fetch_blocking(worker, id, plan_.url(id)));
    }
  }
  return samples;
}

}  // namespace fanout
