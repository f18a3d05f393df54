// LatencyHistogram: bucket layout, percentiles within the error bound, merge equals one recording.
#include "timing/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace fanout {
namespace {

// Exact nearest-rank percentile: the value of rank ceil(q/100 * n), 1-based.
double nearest_rank(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(q / 100.0 * static_cast<double>(v.size()) - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, v.size());
  return v[rank - 1];
}

std::vector<double> log_uniform(std::size_t n, double lo_s, double hi_s, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(std::log(lo_s), std::log(hi_s));
  std::vector<double> v(n);
  for (auto& x : v) x = std::exp(u(rng));
  return v;
}

TEST(LatencyHistogram, BucketsTileTheRangeWithBoundedWidth) {
  using H = LatencyHistogram;
  EXPECT_EQ(H::bucket_index(0), 0u);
  EXPECT_EQ(H::bucket_index(0.5e-6), 0u);
  EXPECT_EQ(H::bucket_index(-1), 0u);
  EXPECT_EQ(H::bucket_index(1e-6), 1u);
  EXPECT_LT(H::bucket_index(1000.0), H::kBucketCount - 1);
  EXPECT_EQ(H::bucket_index(2000.0), H::kBucketCount - 1);
  for (std::size_t i = 1; i + 1 < H::kBucketCount; ++i) {
    const double lo = H::bucket_lower_s(i), hi = H::bucket_upper_s(i);
    // Bounds are powers of two in µs; in seconds they carry rounding, hence the 1e-12 margins.
    ASSERT_EQ(H::bucket_index(lo * (1 + 1e-12)), i) << "lower bound of bucket " << i;
    ASSERT_EQ(H::bucket_index(hi * (1 - 1e-12)), i) << "just below the upper bound of " << i;
    ASSERT_LE((hi - lo) / lo, 1.0 / 64 + 1e-12);
  }
}

TEST(LatencyHistogram, PercentilesWithinOnePercentOfExact) {
  const auto values = log_uniform(20000, 2e-6, 900.0, 1);
  LatencyHistogram h;
  for (double v : values) h.record(v);
  EXPECT_EQ(h.count(), values.size());
  EXPECT_DOUBLE_EQ(h.min(), *std::min_element(values.begin(), values.end()));
  EXPECT_DOUBLE_EQ(h.max(), *std::max_element(values.begin(), values.end()));
  for (double q : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99}) {
    const double exact = nearest_rank(values, q);
    EXPECT_NEAR(h.percentile(q), exact, exact * 0.0079) << "q = " << q;
  }
  EXPECT_DOUBLE_EQ(h.percentile(100), h.max());
}

TEST(LatencyHistogram, NarrowLatenciesKeepTheirScale) {
  // 100 ms server delay plus a little jitter: every percentile stays within 1 %.
  std::vector<double> values;
  for (int i = 0; i < 1000; ++i) values.push_back(0.100 + 0.00001 * i);
  LatencyHistogram h;
  for (double v : values) h.record(v);
  for (double q : {50.0, 90.0, 99.0, 99.9}) {
    EXPECT_NEAR(h.percentile(q), nearest_rank(values, q), 0.01 * nearest_rank(values, q));
  }
}

TEST(LatencyHistogram, MergeEqualsRecordingIntoOne) {
  const auto a_values = log_uniform(5000, 1e-5, 1.0, 2);
  const auto b_values = log_uniform(3000, 1e-3, 50.0, 3);
  LatencyHistogram a, b, all;
  for (double v : a_values) a.record(v), all.record(v);
  for (double v : b_values) b.record(v), all.record(v);
  a.merge(b);
  EXPECT_EQ(a.buckets(), all.buckets());
  EXPECT_EQ(a.count(), all.count());
  EXPECT_DOUBLE_EQ(a.min(), all.min());
  EXPECT_DOUBLE_EQ(a.max(), all.max());
  for (double q : {50.0, 90.0, 99.0, 99.9, 100.0})
    EXPECT_DOUBLE_EQ(a.percentile(q), all.percentile(q));
}

TEST(LatencyHistogram, MergingAnEmptyHistogramChangesNothing) {
  LatencyHistogram a, empty;
  a.record(0.25);
  a.merge(empty);
  EXPECT_EQ(a.count(), 1u);
  EXPECT_DOUBLE_EQ(a.min(), 0.25);
  empty.merge(a);
  EXPECT_DOUBLE_EQ(empty.max(), 0.25);
}

TEST(LatencyHistogram, RebuiltFromSummedBucketsAsAfterAnMpiReduce) {
  const auto r0 = log_uniform(1000, 1e-4, 0.5, 4);
  const auto r1 = log_uniform(1000, 1e-4, 0.5, 5);
  LatencyHistogram h0, h1, all;
  for (double v : r0) h0.record(v), all.record(v);
  for (double v : r1) h1.record(v), all.record(v);
  std::vector<std::uint64_t> sum(LatencyHistogram::kBucketCount);
  for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = h0.buckets()[i] + h1.buckets()[i];

  const LatencyHistogram exact(sum, all.min(), all.max());
  EXPECT_EQ(exact.count(), all.count());
  for (double q : {50.0, 90.0, 99.0, 100.0})
    EXPECT_DOUBLE_EQ(exact.percentile(q), all.percentile(q));

  const LatencyHistogram bare(sum);
  EXPECT_LE(bare.min(), all.min());
  EXPECT_NEAR(bare.min(), all.min(), all.min() / 64);
  EXPECT_GE(bare.max(), all.max());
  EXPECT_NEAR(bare.max(), all.max(), all.max() / 64);
}

TEST(LatencyHistogram, RejectsBucketVectorsOfTheWrongSize) {
  EXPECT_THROW(LatencyHistogram(std::vector<std::uint64_t>(3)), std::invalid_argument);
}

TEST(LatencyHistogram, EmptyAndOutOfRange) {
  LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_TRUE(std::isnan(h.percentile(50)));
  EXPECT_TRUE(std::isnan(h.min()));
  h.record(0.0000002);
  h.record(5000.0);
  EXPECT_EQ(h.buckets().front(), 1u);
  EXPECT_EQ(h.buckets().back(), 1u);
  EXPECT_LT(h.percentile(50), 1e-6);  // inside the underflow bucket
  EXPECT_DOUBLE_EQ(h.percentile(100), 5000.0);
}

}  // namespace
}  // namespace fanout
