// Folding samples into a TaskTally, and merging tallies.
#include "timing/task_tally.hpp"

#include <algorithm>
#include <functional>

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

}  // namespace fanout
