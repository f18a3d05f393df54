// Statistics on literal inputs: moments, numpy-style percentiles, confidence intervals, describe().
#include "timing/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace fanout {
namespace {

TEST(Statistics, MomentsOfOneToFour) {
  const std::vector<double> v = {4, 1, 3, 2};
  EXPECT_DOUBLE_EQ(mean(v), 2.5);
  EXPECT_DOUBLE_EQ(minimum(v), 1);
  EXPECT_DOUBLE_EQ(maximum(v), 4);
  EXPECT_DOUBLE_EQ(median(v), 2.5);
  EXPECT_DOUBLE_EQ(stddev(v), std::sqrt(5.0 / 3.0));
  EXPECT_DOUBLE_EQ(cv(v), std::sqrt(5.0 / 3.0) / 2.5);
}

TEST(Statistics, MedianOfOddCountIsTheMiddleValue) {
  EXPECT_DOUBLE_EQ(median({7, 1, 5}), 5);
  EXPECT_DOUBLE_EQ(median({42}), 42);
}

TEST(Statistics, PercentileInterpolatesLinearlyLikeNumpy) {
  // numpy.percentile([1, 2, 3, 4], q) for q = 0, 25, 90, 100.
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(percentile(v, 0), 1);
  EXPECT_DOUBLE_EQ(percentile(v, 25), 1.75);
  EXPECT_DOUBLE_EQ(percentile(v, 90), 3.7);
  EXPECT_DOUBLE_EQ(percentile(v, 100), 4);
  // numpy.percentile([15, 20, 35, 40, 50], 40) == 29.0
  EXPECT_DOUBLE_EQ(percentile({50, 15, 40, 20, 35}, 40), 29);
}

TEST(Statistics, PercentileLeavesItsInputUnsorted) {
  const std::vector<double> v = {3, 1, 2};
  (void)percentile(v, 50);
  EXPECT_EQ(v, (std::vector<double>{3, 1, 2}));
}

TEST(Statistics, UndefinedStatisticsAreNaN) {
  const std::vector<double> empty;
  EXPECT_TRUE(std::isnan(mean(empty)));
  EXPECT_TRUE(std::isnan(median(empty)));
  EXPECT_TRUE(std::isnan(minimum(empty)));
  EXPECT_TRUE(std::isnan(percentile(empty, 50)));
  EXPECT_TRUE(std::isnan(stddev({1.0})));
  EXPECT_TRUE(std::isnan(cv({1.0})));
  EXPECT_TRUE(std::isnan(cv({0.0, 0.0})));
}

TEST(Statistics, MedianConfidenceIntervalFromOrderStatistics) {
  // n = 10: P(B <= 1) = 11/1024 <= 0.025 < P(B <= 2) = 56/1024, so k = 2: [x(2), x(9)].
  std::vector<double> v(10);
  std::iota(v.begin(), v.end(), 1.0);
  std::reverse(v.begin(), v.end());
  const auto ci = median_ci95(v);
  EXPECT_DOUBLE_EQ(ci.lower, 2);
  EXPECT_DOUBLE_EQ(ci.upper, 9);
  EXPECT_DOUBLE_EQ(ci.level, 1.0 - 2.0 * 11.0 / 1024.0);
}

TEST(Statistics, MedianConfidenceIntervalOfFewValuesIsTheRangeWithItsTrueLevel) {
  const auto ci = median_ci95({5, 1, 3, 2, 4});
  EXPECT_DOUBLE_EQ(ci.lower, 1);
  EXPECT_DOUBLE_EQ(ci.upper, 5);
  EXPECT_DOUBLE_EQ(ci.level, 1.0 - 2.0 / 32.0);
}

TEST(Statistics, MedianConfidenceIntervalOfManyValuesIsNarrowAndCovers95) {
  std::vector<double> v(100000);
  std::iota(v.begin(), v.end(), 0.0);
  const auto ci = median_ci95(v);
  EXPECT_LT(ci.lower, 49999.5);
  EXPECT_GT(ci.upper, 49999.5);
  EXPECT_LT(ci.upper - ci.lower, 700);  // about 2 * 1.96 * sqrt(n) / 2 ranks
  EXPECT_GE(ci.level, 0.95);
  EXPECT_LT(ci.level, 0.96);
}

TEST(Statistics, DescribeOneToHundred) {
  std::vector<double> v(100);
  std::iota(v.begin(), v.end(), 1.0);
  std::shuffle(v.begin(), v.end(), std::mt19937(7));
  const DurationStats d = describe(v);
  EXPECT_EQ(d.count, 100u);
  EXPECT_DOUBLE_EQ(d.mean, 50.5);
  EXPECT_DOUBLE_EQ(d.min, 1);
  EXPECT_DOUBLE_EQ(d.median, 50.5);
  EXPECT_DOUBLE_EQ(d.p90, 90.1);
  EXPECT_DOUBLE_EQ(d.p99, 99.01);
  EXPECT_DOUBLE_EQ(d.p999, 99.901);
  EXPECT_DOUBLE_EQ(d.max, 100);
  EXPECT_DOUBLE_EQ(d.stddev, stddev(v));
  EXPECT_DOUBLE_EQ(d.cv, d.stddev / 50.5);
}

TEST(Statistics, DescribeEmpty) {
  const DurationStats d = describe({});
  EXPECT_EQ(d.count, 0u);
  EXPECT_TRUE(std::isnan(d.median));
  EXPECT_TRUE(std::isnan(d.max));
}

}  // namespace
}  // namespace fanout
