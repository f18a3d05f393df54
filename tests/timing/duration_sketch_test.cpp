// DurationSketch: percentiles within its stated relative error of the exact ones, exact moments,
// merging equal to recording everything in one, and the byte form of TaskTally.
#include "timing/duration_sketch.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "timing/byte_codec.hpp"
#include "timing/statistics.hpp"
#include "timing/task_tally.hpp"

namespace fanout {
namespace {

std::vector<double> lognormal_durations(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(2e-6), 1.5);  // 2 us median, sub-us to ms tails
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

void expect_within(double sketch, double exact, const char* what) {
  EXPECT_LE(std::abs(sketch - exact), DurationSketch::kRelativeError * exact + 1e-9) << what;
}

TEST(DurationSketch, PercentilesWithinTheStatedErrorMomentsExact) {
  const std::vector<double> v = lognormal_durations(100'001, 7);
  DurationSketch s;
  for (double x : v) s.record(x);
  const DurationStats exact = describe(v);
  const DurationStats got = s.describe();
  EXPECT_EQ(got.count, exact.count);
  EXPECT_DOUBLE_EQ(got.min, exact.min);
  EXPECT_DOUBLE_EQ(got.max, exact.max);
  EXPECT_NEAR(got.mean, exact.mean, 1e-12 * exact.mean);
  EXPECT_NEAR(got.stddev, exact.stddev, 1e-9 * exact.stddev);
  EXPECT_NEAR(got.cv, exact.cv, 1e-9);
  expect_within(got.median, exact.median, "median");
  expect_within(got.p90, exact.p90, "p90");
  expect_within(got.p99, exact.p99, "p99");
  expect_within(got.p999, exact.p999, "p99.9");
  for (double q : {0.0, 1.0, 25.0, 33.3, 75.0, 99.99, 100.0}) {
    expect_within(s.percentile(q), percentile(v, q), "percentile");
  }
}

TEST(DurationSketch, SmallCountsAndZerosAreExactWhereTheyCan) {
  DurationSketch s;
  EXPECT_TRUE(std::isnan(s.describe().median));
  s.record(0);
  s.record(0);
  EXPECT_EQ(s.percentile(50), 0);
  DurationSketch two;
  two.record(1.0);
  two.record(3.0);
  EXPECT_DOUBLE_EQ(two.percentile(50), 2.0);  // the mean of the two middle values, as describe()
  EXPECT_DOUBLE_EQ(two.percentile(0), 1.0);
  EXPECT_DOUBLE_EQ(two.percentile(100), 3.0);
  EXPECT_TRUE(std::isnan(DurationSketch().describe().stddev));
}

TEST(DurationSketch, MergingEqualsRecordingInOne) {
  const std::vector<double> v = lognormal_durations(20'000, 3);
  DurationSketch all, a, b;
  for (std::size_t i = 0; i < v.size(); ++i) {
    all.record(v[i]);
    (i % 3 ? a : b).record(v[i]);
  }
  a.merge(b);
  const DurationStats x = all.describe(), y = a.describe();
  EXPECT_EQ(x.count, y.count);
  EXPECT_DOUBLE_EQ(x.median, y.median);
  EXPECT_DOUBLE_EQ(x.p99, y.p99);
  EXPECT_DOUBLE_EQ(x.min, y.min);
  EXPECT_DOUBLE_EQ(x.max, y.max);
  EXPECT_NEAR(x.mean, y.mean, 1e-15);
  EXPECT_NEAR(x.stddev, y.stddev, 1e-12 * x.stddev);
}

TEST(TaskTally, FoldsCountsBusyByWorkerAndRoundTripsAsBytes) {
  TaskTally t;
  Sample s;
  s.rank = 1;
  s.worker = 2;
  s.duration_s = 0.5;
  t.add(s, true);
  s.error = ErrorClass::stopped;
  s.worker = 0;
  t.add(s, false);
  s.error = ErrorClass::timeout;
  s.rank = 0;
  t.add(s, true);
  EXPECT_EQ(t.ran, 3u);
  EXPECT_EQ(t.failed, 2u);
  EXPECT_EQ(t.stopped, 1u);
  EXPECT_EQ(t.done(), 2u);
  EXPECT_EQ(t.failed_not_stopped(), 1u);
  EXPECT_EQ(t.errors_by_class[ErrorClass::timeout], 1u);
  EXPECT_EQ(t.histogram.count(), 2u);
  EXPECT_EQ(t.busy_by_worker.at(1), (std::vector<double>{0.5, 0, 0.5}));
  EXPECT_DOUBLE_EQ(t.busy_s(), 1.5);

  const TaskTally back = decode<TaskTally>(encode(t), "TaskTally");
  EXPECT_EQ(back.ran, t.ran);
  EXPECT_EQ(back.stopped, t.stopped);
  EXPECT_EQ(back.errors_by_class, t.errors_by_class);
  EXPECT_EQ(back.busy_by_worker, t.busy_by_worker);
  EXPECT_EQ(back.histogram.buckets(), t.histogram.buckets());
  EXPECT_DOUBLE_EQ(back.histogram.min(), 0.5);
  EXPECT_EQ(back.durations.count(), 3u);

  TaskTally merged = back;
  merged.merge(t);
  EXPECT_EQ(merged.ran, 6u);
  EXPECT_EQ(merged.busy_by_worker.at(1), (std::vector<double>{1.0, 0, 1.0}));
  std::vector<char> cut = encode(t);
  cut.pop_back();
  EXPECT_THROW(decode<TaskTally>(cut, "TaskTally"), std::invalid_argument);
}

}  // namespace
}  // namespace fanout
