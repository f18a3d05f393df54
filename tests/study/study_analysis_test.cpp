// The plan of a sweep and the analysis of its points: base case, speedup, efficiency, Karp-Flatt,
// fit, stop point and warnings, from synthetic measurements.
#include "study/study_analysis.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "job/job_options.hpp"

namespace fanout {
namespace {

StudySpec spec_of(std::vector<int> ranks, std::vector<int> threads, ScaleMode mode, int repeat) {
  StudySpec spec;
  spec.ranks = std::move(ranks);
  spec.threads = std::move(threads);
  spec.mode = mode;
  spec.repeat = repeat;
  spec.out_dir = "out";
  return spec;
}

/// A report whose points ran and took `wall(point)` in every repetition, +-1 % around it.
template <typename WallFn>
StudyReport measured(const StudySpec& spec, WallFn wall) {
  StudyReport r;
  r.spec = spec;
  r.job = job_from_flags({"--cpu.count", "48"});
  for (const StudyPoint& point : plan_points(spec, *r.job.workload)) {
    PointResult p;
    p.point = point;
    p.launched = p.ok = true;
    p.tasks = 48ull * point.work_factor;
    const double w = wall(point);
    for (int i = 0; i < spec.repeat; ++i) p.walls_s.push_back(w * (1 + 0.01 * ((i % 3) - 1)));
    summarize_point(p);
    r.points.push_back(std::move(p));
  }
  analyze(r);
  return r;
}

bool has_warning(const StudyReport& r, const std::string& kind, const std::string& point = "") {
  return std::any_of(r.warnings.begin(), r.warnings.end(), [&](const StudyWarning& w) {
    return w.kind == kind && (point.empty() || w.point == point);
  });
}

TEST(StudyPlan, OrdersByWorkersThenThreadsAndAddsTheBaseCase) {
  const auto points =
      plan_points(spec_of({2, 4}, {1, 2}, ScaleMode::strong, 3), *job_from_flags({}).workload);
  std::vector<std::string> keys;
  for (const auto& p : points) keys.push_back(p.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"r1-t1", "r2-t1", "r4-t1", "r2-t2", "r4-t2"}));
  EXPECT_EQ(points[0].model, Model::processes);
  EXPECT_EQ(points[3].model, Model::processes_threads);
  EXPECT_EQ(points[3].workers, 4);
  EXPECT_EQ(points[4].workers, 8);
  for (const auto& p : points) EXPECT_EQ(p.work_factor, 1);
}

TEST(StudyPlan, WeakModeGrowsTheWorkWithTheWorkers) {
  const auto points =
      plan_points(spec_of({1, 2, 4}, {1, 3}, ScaleMode::weak, 3), *job_from_flags({}).workload);
  for (const auto& p : points) EXPECT_EQ(p.work_factor, p.ranks * p.threads) << p.key();
}

TEST(StudyPlan, AsyncPointsCountRanksAsWorkers) {
  const auto points = plan_points(
      spec_of({1, 2, 4}, {1}, ScaleMode::strong, 3),
      *job_from_flags({"--workload", "io", "--io.url", "http://127.0.0.1:1/"}).workload);
  for (const auto& p : points) {
    EXPECT_EQ(p.model, Model::processes_async);
    EXPECT_EQ(p.workers, p.ranks);
  }
}

TEST(StudyAnalysis, StrongScalingFollowingAmdahl) {
  const double f = 0.08, t1 = 2.0;
  const StudyReport r =
      measured(spec_of({1, 2, 4, 8}, {1}, ScaleMode::strong, 5),
               [&](const StudyPoint& p) { return t1 * (f + (1 - f) / p.workers); });
  ASSERT_TRUE(r.base_index);
  EXPECT_EQ(r.points[*r.base_index].point.key(), "r1-t1");
  EXPECT_DOUBLE_EQ(*r.points[0].speedup, 1.0);
  EXPECT_DOUBLE_EQ(*r.points[0].efficiency, 1.0);
  EXPECT_FALSE(r.points[0].karp_flatt);  // p = 1
  for (std::size_t i = 1; i < r.points.size(); ++i) {
    const PointResult& p = r.points[i];
    const double expected = 1 / (f + (1 - f) / p.point.workers);
    EXPECT_NEAR(*p.speedup, expected, 1e-9) << p.point.key();
    EXPECT_NEAR(*p.efficiency, expected / p.point.workers, 1e-9);
    EXPECT_NEAR(*p.karp_flatt, f, 1e-9);
  }
  ASSERT_TRUE(r.fit);
  EXPECT_EQ(r.fit->law, "amdahl");
  EXPECT_NEAR(r.fit->serial_fraction, f, 1e-6);
  // Efficiencies 1, 0.926, 0.806, 0.641: scaling stops paying off (under 0.8) at 8 workers.
  ASSERT_TRUE(r.stop_index);
  EXPECT_EQ(r.points[*r.stop_index].point.workers, 8);
  EXPECT_TRUE(has_warning(r, "few_repetitions"));
  EXPECT_FALSE(has_warning(r, "poor_fit"));
}

TEST(StudyAnalysis, WeakScalingUsesTheScaledSpeedupAndGustafson) {
  const double f = 0.1, t1 = 1.0;
  // T(p) = T1 p / S(p) with S(p) = p - f (p - 1): the grown work takes a little longer.
  const StudyReport r = measured(
      spec_of({1, 2, 4}, {1, 2}, ScaleMode::weak, 6),
      [&](const StudyPoint& p) { return t1 * p.workers / (p.workers - f * (p.workers - 1)); });
  ASSERT_TRUE(r.fit);
  EXPECT_EQ(r.fit->law, "gustafson");
  EXPECT_NEAR(r.fit->serial_fraction, f, 1e-9);
  for (const auto& p : r.points) {
    EXPECT_FALSE(p.karp_flatt) << "Karp-Flatt is a strong-scaling figure";
    EXPECT_NEAR(*p.efficiency, 1 - f * (p.point.workers - 1) / p.point.workers, 1e-9);
  }
  EXPECT_FALSE(has_warning(r, "few_repetitions"));
}

TEST(StudyAnalysis, AFailedPointIsRecordedAndLeftOutOfTheFit) {
  StudyReport r = measured(spec_of({1, 2, 4}, {1}, ScaleMode::strong, 3),
                           [](const StudyPoint& p) { return 1.0 / p.workers; });
  PointResult& failed = r.points[1];
  failed.ok = false;
  failed.exit_code = 1;
  failed.error = "mpirun was unable to launch";
  analyze(r);
  EXPECT_FALSE(failed.speedup);
  EXPECT_TRUE(has_warning(r, "failed_point", "r2-t1"));
  ASSERT_TRUE(r.fit);
  EXPECT_EQ(r.fit->samples, 2u);
  EXPECT_NEAR(r.fit->serial_fraction, 0.0, 1e-9);
  EXPECT_FALSE(r.stop_index);
}

TEST(StudyAnalysis, WithoutTheBaseCaseThereIsNoSpeedup) {
  StudyReport r = measured(spec_of({1, 2}, {1}, ScaleMode::strong, 3),
                           [](const StudyPoint& p) { return 1.0 / p.workers; });
  r.points[0].ok = false;
  r.points[0].error = "boom";
  analyze(r);
  EXPECT_FALSE(r.base_index);
  EXPECT_FALSE(r.fit);
  for (const auto& p : r.points) EXPECT_FALSE(p.speedup);
  EXPECT_TRUE(has_warning(r, "no_base"));
}

TEST(StudyAnalysis, RunWarningsCarryTheirPointAndIdleWorkersAreFlagged) {
  StudyReport r = measured(spec_of({1, 2}, {1, 4}, ScaleMode::strong, 3),
                           [](const StudyPoint& p) { return 1.0 / p.workers; });
  r.points.back().run_warnings.push_back({"oversubscribed", "",
                                          "processes+threads: 2 ranks x 4 "
                                          "threads = 8 on 2 cores"});
  r.points.back().tasks = 5;
  analyze(r);
  EXPECT_TRUE(has_warning(r, "oversubscribed", "r2-t4"));
  EXPECT_TRUE(has_warning(r, "idle_workers", "r2-t4"));
  const auto it = std::find_if(r.warnings.begin(), r.warnings.end(),
                               [](const StudyWarning& w) { return w.kind == "oversubscribed"; });
  EXPECT_EQ(it->message.rfind("r2-t4: processes+threads", 0), 0u) << it->message;
}

TEST(StudyAnalysis, PointSummaryIsTheMedianAndItsInterval) {
  PointResult p;
  p.walls_s = {1.3, 1.0, 1.1, 1.2, 5.0, 1.15};
  summarize_point(p);
  EXPECT_DOUBLE_EQ(p.wall_s, 1.175);
  EXPECT_DOUBLE_EQ(p.wall_ci.lower, 1.0);
  EXPECT_DOUBLE_EQ(p.wall_ci.upper, 5.0);
  EXPECT_GE(p.wall_ci.level, 0.95);
}

}  // namespace
}  // namespace fanout
