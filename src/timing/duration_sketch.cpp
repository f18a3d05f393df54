// Log-linear duration buckets with exact moments: recording, merging, percentiles.
#include "timing/duration_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace fanout {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kUnitS = 1e-9;  // bucket bounds are multiples of 1 ns

}  // namespace

DurationSketch::DurationSketch() : buckets_(kBucketCount, 0) {}

std::size_t DurationSketch::bucket_index(double seconds) { return Layout::index(seconds / kUnitS); }

double DurationSketch::bucket_mid_s(std::size_t index) {
  return Layout::value_at(index, 0.5) * kUnitS;
}

void DurationSketch::record(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  ++buckets_[bucket_index(seconds)];
  if (count_ == 0) {
    min_s_ = max_s_ = seconds;
  } else {
    min_s_ = std::min(min_s_, seconds);
    max_s_ = std::max(max_s_, seconds);
  }
  ++count_;
  const double delta = seconds - mean_s_;
  mean_s_ += delta / static_cast<double>(count_);
  m2_ += delta * (seconds - mean_s_);
}

void DurationSketch::merge(const DurationSketch& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  if (count_ == 0) {
    min_s_ = other.min_s_;
    max_s_ = other.max_s_;
  } else {
    min_s_ = std::min(min_s_, other.min_s_);
    max_s_ = std::max(max_s_, other.max_s_);
  }
  const double n1 = static_cast<double>(count_), n2 = static_cast<double>(other.count_);
  const double delta = other.mean_s_ - mean_s_;
  mean_s_ += delta * n2 / (n1 + n2);
  m2_ += other.m2_ + delta * delta * n1 * n2 / (n1 + n2);
  count_ += other.count_;
}

double DurationSketch::value_at_rank(std::uint64_t k) const {
  if (k == 0) return min_s_;
  if (k + 1 >= count_) return max_s_;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen > k) return std::clamp(bucket_mid_s(i), min_s_, max_s_);
  }
  return max_s_;
}

double DurationSketch::percentile(double q) const {
  if (count_ == 0) return kNaN;
  q = std::clamp(q, 0.0, 100.0);
  const double h = static_cast<double>(count_ - 1) * q / 100.0;
  const auto lo = static_cast<std::uint64_t>(std::floor(h));
  const double frac = h - static_cast<double>(lo);
  const double a = value_at_rank(lo);
  if (frac == 0 || lo + 1 >= count_) return a;
  return a + frac * (value_at_rank(lo + 1) - a);
}

DurationStats DurationSketch::describe() const {
  DurationStats d;
  d.count = count_;
  if (count_ == 0) {
    d.mean = d.min = d.median = d.p90 = d.p99 = d.p999 = d.max = d.stddev = d.cv = kNaN;
    return d;
  }
  d.mean = mean_s_;
  d.min = min_s_;
  d.max = max_s_;
  d.median = percentile(50);
  d.p90 = percentile(90);
  d.p99 = percentile(99);
  d.p999 = percentile(99.9);
  d.stddev = count_ < 2 ? kNaN : std::sqrt(m2_ / static_cast<double>(count_ - 1));
  d.cv = count_ < 2 || mean_s_ == 0 ? kNaN : d.stddev / mean_s_;
  return d;
}

}  // namespace fanout
