// LatencyHistogram: log-linear buckets of request latencies that merge by summing, so ranks can
// MPI-reduce them.
#pragma once

#include <cstdint>
#include <vector>

#include "timing/log_buckets.hpp"

namespace fanout {

/// HdrHistogram-like bucketing from 1 µs to about 1074 s (2^30 µs): every power-of-two octave
/// [2^k, 2^(k+1)) µs is split into kSubBuckets equal buckets, so a bucket is at most 1/64 of its
/// lower bound wide and its midpoint is within 1/128 (0.78 %) of any value in it. Bucket 0 holds
/// values below 1 µs and the last bucket values from 2^30 µs up.
///
/// Two histograms that saw different values merge by adding their bucket vectors element-wise;
/// that is what an MPI_Reduce(MPI_SUM) over buckets() computes. min and max are exact while
/// values are recorded and merged; a histogram rebuilt from bare buckets estimates them from the
/// outermost non-empty buckets unless they are passed in (reduce them with MPI_MIN / MPI_MAX).
class LatencyHistogram {
 public:
  using Layout = LogLinearBuckets<64, 30>;
  static constexpr int kSubBuckets = Layout::kSubBuckets;
  static constexpr int kOctaves = Layout::kOctaves;
  static constexpr std::size_t kBucketCount = Layout::kCount;

  LatencyHistogram();
  /// From summed buckets (size kBucketCount, else std::invalid_argument); min_s / max_s may be
  /// NaN when unknown.
  explicit LatencyHistogram(std::vector<std::uint64_t> buckets, double min_s, double max_s);
  explicit LatencyHistogram(std::vector<std::uint64_t> buckets);

  /// Records one latency in seconds; negative or NaN values count as 0.
  void record(double seconds);
  /// Adds other's counts into this one.
  void merge(const LatencyHistogram& other);

  const std::vector<std::uint64_t>& buckets() const { return buckets_; }
  std::uint64_t count() const { return count_; }
  /// Smallest and largest value seen; NaN when empty.
  double min() const;
  double max() const;
  /// The q-th percentile (q in [0, 100]) by nearest rank, the smallest recorded value whose rank
  /// is >= ceil(q / 100 * count), reported as its bucket's midpoint clamped to [min, max], so
  /// within 0.78 % of the exact nearest-rank value inside the 1 µs .. 2^30 µs range. q = 100 gives
  /// max(); NaN when empty. Interpolating between buckets would invent precision the buckets lack.
  double percentile(double q) const;

  /// Index of the bucket a value in seconds falls into.
  static std::size_t bucket_index(double seconds);
  /// Bounds of a bucket in seconds: [lower, upper); the last bucket's upper bound is infinity.
  static double bucket_lower_s(std::size_t index);
  static double bucket_upper_s(std::size_t index);

  /// The histogram's fields, for byte_codec.hpp (to travel between ranks).
  template <class Self, class Io>
  static void fields(Self& h, Io& io) {
    io(h.buckets_, h.count_, h.min_s_, h.max_s_);
    io.check(h.buckets_.size() == kBucketCount, "a histogram of the wrong size");
  }

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  double min_s_;
  double max_s_;
};

}  // namespace fanout
