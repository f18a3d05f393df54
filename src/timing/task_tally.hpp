// TaskTally: what every statistic of a repetition needs from its tasks, folded one Sample at a time
// and merged across ranks, so that no process holds every task's record to summarise a run.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "timing/duration_sketch.hpp"
#include "timing/histogram.hpp"
#include "timing/record.hpp"

namespace fanout {

struct TaskTally {
  std::uint64_t ran = 0;        ///< samples folded (tasks run, the stopped ones too)
  std::uint64_t failed = 0;     ///< samples that are not ok (stopped ones included)
  std::uint64_t stopped = 0;    ///< samples a stop ended in flight (ErrorClass::stopped)
  ErrorCounts errors_by_class;  ///< failed samples per class
  DurationSketch durations;     ///< of every sample
  /// The kind's histogram (RecordSpec::in_histogram samples only), with exact min and max.
  LatencyHistogram histogram;
  /// Busy seconds of every worker slot that ran a task: rank -> (worker -> seconds).
  std::map<int, std::vector<double>> busy_by_worker;

  /// Folds one sample; `in_histogram`: whether it goes into `histogram` too.
  void add(const Sample& s, bool in_histogram);
  void merge(const TaskTally& other);
  /// Tasks that finished (any outcome but stopped).
  std::uint64_t done() const { return ran - stopped; }
  /// Failed tasks, not counting those a stop ended.
  std::uint64_t failed_not_stopped() const { return failed - stopped; }
  /// Sum of every sample's duration.
  double busy_s() const;

  /// The tally's fields, for byte_codec.hpp (to travel between ranks: any MPI gather).
  template <class Self, class Io>
  static void fields(Self& t, Io& io) {
    io(t.ran, t.failed, t.stopped, t.errors_by_class, t.durations, t.histogram, t.busy_by_worker);
  }
};

}  // namespace fanout
