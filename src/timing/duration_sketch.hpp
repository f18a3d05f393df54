// DurationSketch: a mergeable summary of task durations (count, exact min, max and mean, stddev,
// and percentiles with a stated relative error), so that no rank keeps every duration to describe
// them.
#pragma once

#include <cstdint>
#include <vector>

#include "timing/log_buckets.hpp"
#include "timing/statistics.hpp"

namespace fanout {

/// Log-linear buckets from 1 ns to 2^42 ns (about 73 minutes), each power-of-two octave split into
/// kSubBuckets equal buckets: the LatencyHistogram's layout, with a floor a thousand times lower
/// because a task (a noop kernel) can take well under a microsecond. Besides the buckets it keeps
/// the exact count, min, max, mean and the sum of squared deviations (Welford; two sketches merge
/// by Chan's formula), so mean, stddev and cv are exact up to rounding.
///
/// Percentiles follow statistics.hpp's definition (linear interpolation between the closest
/// ranks), with each rank's value read as its bucket's midpoint clamped to [min, max]: every such
/// value is within kRelativeError (1/128, 0.78 %) of the exact one, and so is the interpolation
/// between two of them. Below 1 ns (a clock's zero) the error is at most 1 ns; above 2^42 ns the
/// value reads as max. The smallest and largest ranks are exact (min and max).
class DurationSketch {
 public:
  using Layout = LogLinearBuckets<64, 42>;
  static constexpr int kSubBuckets = Layout::kSubBuckets;
  static constexpr int kOctaves = Layout::kOctaves;
  static constexpr std::size_t kBucketCount = Layout::kCount;
  static constexpr double kRelativeError = 1.0 / (2 * kSubBuckets);

  DurationSketch();

  /// Records one duration in seconds; negative or NaN values count as 0.
  void record(double seconds);
  void merge(const DurationSketch& other);

  std::uint64_t count() const { return count_; }
  /// Percentile q in [0, 100] as described above; NaN when empty.
  double percentile(double q) const;
  /// Every field of DurationStats (NaN where statistics.hpp leaves one undefined).
  DurationStats describe() const;

  /// The sketch's fields, for byte_codec.hpp (to travel between ranks).
  template <class Self, class Io>
  static void fields(Self& s, Io& io) {
    io(s.buckets_, s.count_, s.min_s_, s.max_s_, s.mean_s_, s.m2_);
    io.check(s.buckets_.size() == kBucketCount, "a duration sketch of the wrong size");
  }

  static std::size_t bucket_index(double seconds);
  /// Midpoint of a bucket in seconds (0 for bucket 0's [0, 1 ns); the last bucket's lower bound).
  static double bucket_mid_s(std::size_t index);

 private:
  /// The value of the k-th smallest duration (0-based) as the sketch knows it.
  double value_at_rank(std::uint64_t k) const;

  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  double min_s_ = 0;
  double max_s_ = 0;
  double mean_s_ = 0;
  double m2_ = 0;  ///< sum of squared deviations from the mean
};

}  // namespace fanout
