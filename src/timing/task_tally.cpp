// Folding samples into a TaskTally, merging tallies, and their byte form.
#include "timing/task_tally.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace fanout {

void TaskTally::add(const Sample& s, bool in_histogram) {
  ++ran;
  if (!s.ok()) {
    ++failed;
    ++errors_by_class[static_cast<std::size_t>(s.error)];
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
  for (std::size_t c = 0; c < errors_by_class.size(); ++c) errors_by_class[c] += other.errors_by_class[c];
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

namespace {

template <class T>
void put(std::vector<char>& out, const T& v) {
  const auto* p = reinterpret_cast<const char*>(&v);
  out.insert(out.end(), p, p + sizeof v);
}

template <class T>
T take(std::span<const char>& in) {
  if (in.size() < sizeof(T)) throw std::invalid_argument("TaskTally: truncated bytes");
  T v;
  std::memcpy(&v, in.data(), sizeof v);
  in = in.subspan(sizeof v);
  return v;
}

}  // namespace

// Layout: ran, failed, stopped, errors_by_class, the duration sketch's numbers, the histogram's
// buckets, min and max, then the count of ranks and, per rank, its number, worker count and busy
// seconds.
std::vector<char> tally_to_bytes(const TaskTally& t) {
  std::vector<char> out;
  put(out, t.ran);
  put(out, t.failed);
  put(out, t.stopped);
  for (std::uint64_t c : t.errors_by_class) put(out, c);
  for (double v : t.durations.to_numbers()) put(out, v);
  for (std::uint64_t b : t.histogram.buckets()) put(out, b);
  put(out, t.histogram.min());
  put(out, t.histogram.max());
  put(out, static_cast<std::uint64_t>(t.busy_by_worker.size()));
  for (const auto& [rank, busy] : t.busy_by_worker) {
    put(out, static_cast<std::int64_t>(rank));
    put(out, static_cast<std::uint64_t>(busy.size()));
    for (double b : busy) put(out, b);
  }
  return out;
}

TaskTally tally_from_bytes(std::span<const char> in) {
  TaskTally t;
  t.ran = take<std::uint64_t>(in);
  t.failed = take<std::uint64_t>(in);
  t.stopped = take<std::uint64_t>(in);
  for (std::uint64_t& c : t.errors_by_class) c = take<std::uint64_t>(in);
  std::vector<double> numbers(DurationSketch::kNumberCount);
  for (double& v : numbers) v = take<double>(in);
  t.durations = DurationSketch::from_numbers(numbers);
  std::vector<std::uint64_t> buckets(LatencyHistogram::kBucketCount);
  for (std::uint64_t& b : buckets) b = take<std::uint64_t>(in);
  const double min_s = take<double>(in), max_s = take<double>(in);
  t.histogram = LatencyHistogram(std::move(buckets), min_s, max_s);
  const auto ranks = take<std::uint64_t>(in);
  for (std::uint64_t r = 0; r < ranks; ++r) {
    const auto rank = static_cast<int>(take<std::int64_t>(in));
    const auto workers = take<std::uint64_t>(in);
    if (workers > in.size() / sizeof(double)) throw std::invalid_argument("TaskTally: truncated bytes");
    std::vector<double>& busy = t.busy_by_worker[rank];
    busy.resize(workers);
    for (double& b : busy) b = take<double>(in);
  }
  if (!in.empty()) throw std::invalid_argument("TaskTally: trailing bytes");
  return t;
}

}  // namespace fanout
