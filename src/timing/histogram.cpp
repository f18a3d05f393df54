// Log-linear latency buckets: indexing, merging and nearest-rank percentiles.
#include "timing/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace fanout {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kUnitS = 1e-6;  // bucket bounds are multiples of 1 µs

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0), min_s_(kNaN), max_s_(kNaN) {}

LatencyHistogram::LatencyHistogram(std::vector<std::uint64_t> buckets, double min_s, double max_s)
    : buckets_(std::move(buckets)), min_s_(min_s), max_s_(max_s) {
  if (buckets_.size() != kBucketCount) {
    throw std::invalid_argument("LatencyHistogram: expected " + std::to_string(kBucketCount) +
                                " buckets, got " + std::to_string(buckets_.size()));
  }
  count_ = std::accumulate(buckets_.begin(), buckets_.end(), std::uint64_t{0});
  if (count_ == 0) {
    min_s_ = max_s_ = kNaN;
    return;
  }
  const auto first = static_cast<std::size_t>(
      std::find_if(buckets_.begin(), buckets_.end(), [](auto c) { return c != 0; }) -
      buckets_.begin());
  const auto last = static_cast<std::size_t>(
      buckets_.rend() -
      std::find_if(buckets_.rbegin(), buckets_.rend(), [](auto c) { return c != 0; }) - 1);
  if (std::isnan(min_s_)) min_s_ = bucket_lower_s(first);
  if (std::isnan(max_s_)) {
    max_s_ = last + 1 == kBucketCount ? bucket_lower_s(last) : bucket_upper_s(last);
  }
}

LatencyHistogram::LatencyHistogram(std::vector<std::uint64_t> buckets)
    : LatencyHistogram(std::move(buckets), kNaN, kNaN) {}

std::size_t LatencyHistogram::bucket_index(double seconds) {
  return Layout::index(seconds / kUnitS);
}

double LatencyHistogram::bucket_lower_s(std::size_t index) {
  return Layout::value_at(index, 0) * kUnitS;
}

double LatencyHistogram::bucket_upper_s(std::size_t index) {
  if (index >= kBucketCount - 1) return std::numeric_limits<double>::infinity();
  if (index == 0) return kUnitS;
  return bucket_lower_s(index + 1);
}

void LatencyHistogram::record(double seconds) {
  if (!(seconds > 0)) seconds = 0;
  ++buckets_[bucket_index(seconds)];
  ++count_;
  min_s_ = std::isnan(min_s_) ? seconds : std::min(min_s_, seconds);
  max_s_ = std::isnan(max_s_) ? seconds : std::max(max_s_, seconds);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  // std::fmin/fmax ignore a NaN side, which is how an empty histogram says "no value".
  min_s_ = std::fmin(min_s_, other.min_s_);
  max_s_ = std::fmax(max_s_, other.max_s_);
}

double LatencyHistogram::min() const { return min_s_; }
double LatencyHistogram::max() const { return max_s_; }

double LatencyHistogram::percentile(double q) const {
  if (count_ == 0 || std::isnan(q)) return kNaN;
  if (q >= 100) return max_s_;
  if (q <= 0) return min_s_;
  // The small slack keeps q / 100 * count from rounding up past an exact integer rank.
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(q / 100.0 * static_cast<double>(count_) - 1e-9)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const double upper = bucket_upper_s(i);
      const double mid = std::isinf(upper) ? bucket_lower_s(i) : (bucket_lower_s(i) + upper) / 2;
      return std::clamp(mid, min_s_, max_s_);
    }
  }
  return max_s_;
}

}  // namespace fanout
