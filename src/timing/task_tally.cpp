// Folding samples into a TaskTally, merging tallies, and their byte form.
#include "timing/task_tally.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "timing/byte_codec.hpp"

namespace fanout {

void TaskTally::add(const Sample& s, bool in_histogram) {
  ++ran;
  if (!s.ok()) {
    ++failed;
    ++errors_by_class[s.error];
    if (s.error == ErrorClass::stopped) ++stopped;
  }
  durations.record(s.duration_s);
  if (in_histogram) histogram.record(s.duration_s);
  std::vector<double>& busy = busy_by_worker[s.rank];
  const auto w = static_cast<std::size_t>(std::max(0, s.worker));
  if (busy.size() <= w) busy.resize(w + 1, 0.0);
  busy[w] += s.duration_s;
}

void TaskTally::merge(const TaskTally& other) {
  ran += other.ran;
  failed += other.failed;
  stopped += other.stopped;
  std::transform(errors_by_class.begin(), errors_by_class.end(), other.errors_by_class.begin(),
                 errors_by_class.begin(), std::plus<>());
  durations.merge(other.durations);
  histogram.merge(other.histogram);
  for (const auto& [rank, theirs] : other.busy_by_worker) {
    std::vector<double>& mine = busy_by_worker[rank];
    if (mine.size() < theirs.size()) mine.resize(theirs.size(), 0.0);
    for (std::size_t w = 0; w < theirs.size(); ++w) mine[w] += theirs[w];
  }
}

double TaskTally::busy_s() const {
  double sum = 0;
  for (const auto& [rank, busy] : busy_by_worker) {
    for (double b : busy) sum += b;
  }
  return sum;
}

// Layout: ran, failed, stopped, errors_by_class, the duration sketch's numbers, the histogram's
// buckets, min and max, then the count of ranks and, per rank, its number, worker count and busy
// seconds.
std::vector<char> tally_to_bytes(const TaskTally& t) {
  std::vector<char> out;
  put_bytes(out, t.ran);
  put_bytes(out, t.failed);
  put_bytes(out, t.stopped);
  for (std::uint64_t c : t.errors_by_class) put_bytes(out, c);
  for (double v : t.durations.to_numbers()) put_bytes(out, v);
  for (std::uint64_t b : t.histogram.buckets()) put_bytes(out, b);
  put_bytes(out, t.histogram.min());
  put_bytes(out, t.histogram.max());
  put_bytes(out, static_cast<std::uint64_t>(t.busy_by_worker.size()));
  for (const auto& [rank, busy] : t.busy_by_worker) {
    put_bytes(out, static_cast<std::int64_t>(rank));
    put_bytes(out, static_cast<std::uint64_t>(busy.size()));
    for (double b : busy) put_bytes(out, b);
  }
  return out;
}

TaskTally tally_from_bytes(std::span<const char> bytes) {
  ByteReader in(bytes, "TaskTally");
  TaskTally t;
  t.ran = in.take<std::uint64_t>();
  t.failed = in.take<std::uint64_t>();
  t.stopped = in.take<std::uint64_t>();
  for (std::uint64_t& c : t.errors_by_class) c = in.take<std::uint64_t>();
  std::vector<double> numbers(DurationSketch::kNumberCount);
  for (double& v : numbers) v = in.take<double>();
  t.durations = DurationSketch::from_numbers(numbers);
  std::vector<std::uint64_t> buckets(LatencyHistogram::kBucketCount);
  for (std::uint64_t& b : buckets) b = in.take<std::uint64_t>();
  const double min_s = in.take<double>(), max_s = in.take<double>();
  t.histogram = LatencyHistogram(std::move(buckets), min_s, max_s);
  const auto ranks = in.take<std::uint64_t>();
  for (std::uint64_t r = 0; r < ranks; ++r) {
    const auto rank = static_cast<int>(in.take<std::int64_t>());
    std::vector<double>& busy = t.busy_by_worker[rank];
    busy.resize(in.take_count(sizeof(double)));
    for (double& b : busy) b = in.take<double>();
  }
  in.expect_end();
  return t;
}

}  // namespace fanout
