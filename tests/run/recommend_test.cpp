// The recommendation follows from the measurements: class by CPU share, choice by median wall.
#include "run/recommend.hpp"

#include <gtest/gtest.h>

#include "run/run_options.hpp"

namespace fanout {
namespace {

ModelRun make_run(Model model, int ranks, int workers, std::vector<double> walls, double cpu_share,
                  std::uint64_t failed = 0) {
  ModelRun run;
  run.model = model;
  run.ranks = ranks;
  run.workers_per_rank = workers;
  for (double w : walls) {
    Repetition rep;
    rep.wall_s = w;
    RankSummary r;
    r.wall_s = w;
    r.cpu_user_s = w * cpu_share;
    r.failed = failed;
    rep.per_rank.push_back(r);
    run.reps.push_back(rep);
  }
  return run;
}

TEST(Recommend, CpuBoundPicksTheFastestParallelModel) {
  RunReport report;
  report.job = resolve_run_job({});
  report.base_index = 0;
  report.runs = {make_run(Model::serial, 1, 1, {2.0, 2.1, 2.0}, 0.99),
                 make_run(Model::threads, 1, 2, {1.05, 1.04, 1.06}, 1.9),
                 make_run(Model::async, 1, 1, {2.02, 2.0, 2.01}, 0.99),
                 make_run(Model::processes, 2, 1, {1.02, 1.01, 1.03}, 0.99)};
  const auto rec = recommend(report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->bound, "cpu");
  EXPECT_NEAR(rec->cpu_fraction, 0.99, 1e-9);
  EXPECT_EQ(rec->fastest, Model::processes);
  EXPECT_NEAR(rec->fastest_speedup, 2.0 / 1.02, 1e-9);
  EXPECT_NE(rec->why.find("CPU-bound"), std::string::npos);
  EXPECT_NE(rec->why.find("async stays near 1.00x"), std::string::npos);
  EXPECT_NE(rec->why.find("threads is within"), std::string::npos);
}

TEST(Recommend, IoBoundAndFailedRunsAreNotChosen) {
  RunReport report;
  report.job = resolve_run_job({"--workload", "io", "--io.url", "http://127.0.0.1:1/"});
  report.base_index = 0;
  report.runs = {make_run(Model::serial, 1, 1, {10.0}, 0.03),
                 make_run(Model::threads, 1, 50, {0.5}, 0.2),
                 make_run(Model::async, 1, 50, {0.2}, 0.1, /*failed=*/3),
                 make_run(Model::processes, 2, 1, {5.0}, 0.03)};
  const auto rec = recommend(report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->bound, "io");
  EXPECT_EQ(rec->fastest, Model::threads);  // async was faster but lost requests
  EXPECT_NEAR(rec->fastest_speedup, 20.0, 1e-9);
  EXPECT_NE(rec->why.find("with 50 workers"), std::string::npos) << rec->why;
}

TEST(Recommend, AnEventLoopsWorkersAreTheKindsNoun) {
  RunReport report;
  report.job = resolve_run_job({"--workload", "io", "--io.url", "http://127.0.0.1:1/"});
  report.base_index = 0;
  report.runs = {make_run(Model::serial, 1, 1, {10.0}, 0.03),
                 make_run(Model::async, 1, 50, {0.2}, 0.1)};
  const auto rec = recommend(report);
  ASSERT_TRUE(rec);
  EXPECT_NE(rec->why.find("with 50 transfers in flight"), std::string::npos) << rec->why;
}

TEST(Recommend, NeedsASerialBase) {
  RunReport report;
  report.job = resolve_run_job({});
  report.runs = {make_run(Model::threads, 1, 2, {1.0}, 1.0)};
  EXPECT_FALSE(recommend(report));
}

}  // namespace
}  // namespace fanout
