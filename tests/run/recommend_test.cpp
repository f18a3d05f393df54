// The recommendation follows from the measurements: class by CPU share, choice by median wall.
#include "run/recommend.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "../temp_dir.hpp"
#include "report/sample_fold.hpp"
#include "run/run_options.hpp"
#include "workload/shell/shell_fields.hpp"

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
  // processes was fastest by 3 %, too little to pay for more processes: threads is the choice.
  EXPECT_EQ(rec->model, Model::threads);
  EXPECT_EQ(rec->fastest, Model::processes) << "the fastest is still named as such";
  EXPECT_NEAR(rec->speedup, 2.0 / 1.05, 1e-9);
  EXPECT_NE(rec->why.find("CPU-bound"), std::string::npos);
  EXPECT_NE(rec->why.find("processes was fastest: 1.96x"), std::string::npos) << rec->why;
  EXPECT_NE(rec->why.find("async stays near 1.00x"), std::string::npos);
  EXPECT_NE(rec->why.find(" threads took 1.03x the time of processes, a gap within 5% (a cv of 1%) "
                          "that does not pay for the more complex one: use threads (1.90x the "
                          "serial time), the simpler of the two."),
            std::string::npos)
      << rec->why;
  EXPECT_EQ(rec->why.find("More repetitions"), std::string::npos) << "no noise to beat";
}

/// A CPU-bound report of a serial run and `runs`.
RunReport cpu_report(std::vector<ModelRun> runs) {
  RunReport report;
  report.job = resolve_run_job({});
  report.base_index = 0;
  report.runs = {make_run(Model::serial, 1, 1, {2.0, 2.0, 2.0}, 0.99)};
  for (auto& run : runs) report.runs.push_back(std::move(run));
  return report;
}

TEST(Recommend, AGapTheNoiseHidesGivesTheCvAndWhatWouldSeparateThem) {
  // A busy machine: processes+threads 1.56x (cv 14 %), threads 1.31x (cv 18 %), 1.20x apart.
  const auto rec =
      recommend(cpu_report({make_run(Model::threads, 1, 2, {1.25, 1.53, 1.80}, 1.9),
                            make_run(Model::processes_threads, 2, 2, {1.10, 1.28, 1.45}, 1.9)}));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::threads);
  EXPECT_NEAR(rec->speedup, 2.0 / 1.53, 1e-9);
  EXPECT_NE(rec->why.find("processes+threads was fastest: 1.56x"), std::string::npos) << rec->why;
  EXPECT_NE(rec->why.find(" threads took 1.20x the time of processes+threads; at a cv of 14% and "
                          "18% across repetitions the two cannot be told apart: use threads "
                          "(1.31x the serial time), the simpler of the two. More repetitions "
                          "(--repeat), a quieter machine or pinning ranks and threads to cores"),
            std::string::npos)
      << rec->why;
  EXPECT_EQ(rec->why.find("within noise"), std::string::npos) << rec->why;
}

TEST(Recommend, AGapBeyondTheNoiseKeepsTheFastest) {
  // The same 1.20x gap with a cv of 2 %: processes+threads is faster, and nothing calls it a tie.
  const auto rec =
      recommend(cpu_report({make_run(Model::threads, 1, 2, {1.50, 1.53, 1.56}, 1.9),
                            make_run(Model::processes_threads, 2, 2, {1.27, 1.28, 1.29}, 1.9)}));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::processes_threads);
  EXPECT_NEAR(rec->speedup, 2.0 / 1.28, 1e-9);
  EXPECT_EQ(rec->why.find(" took "), std::string::npos) << rec->why;
  EXPECT_EQ(rec->why.find("simpler"), std::string::npos) << rec->why;
}

TEST(Recommend, WhenTheFastestIsTheSimplerItIsNamedAndKept) {
  const auto rec = recommend(cpu_report({make_run(Model::threads, 1, 2, {1.0, 1.01, 1.02}, 1.9),
                                         make_run(Model::processes, 2, 1, {1.04, 1.03, 1.05}, 1)}));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::threads);
  EXPECT_NE(rec->why.find(" processes took 1.03x the time of threads, a gap within 5% (a cv of 1%) "
                          "that does not pay for the more complex one: use threads, the simpler "
                          "of the two."),
            std::string::npos)
      << rec->why;
}

TEST(Recommend, WhenNothingClearlyBeatsSerialSerialIsTheChoice) {
  const auto rec = recommend(cpu_report({make_run(Model::threads, 1, 2, {1.95, 1.95, 1.95}, 1)}));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::serial);
  EXPECT_DOUBLE_EQ(rec->speedup, 1.0);
  EXPECT_NE(rec->why.find("CPU-bound: the serial run kept a CPU busy 99% of its wall time"),
            std::string::npos)
      << rec->why;
  EXPECT_NE(rec->why.find(" serial took 1.03x the time of threads, a gap within 5% (a cv of 0%) "
                          "that does not pay for the more complex one: use serial, the simpler "
                          "of the two."),
            std::string::npos)
      << rec->why;
}

TEST(Recommend, OneRepetitionHasNoCvToJudgeBy) {
  auto rec = recommend(cpu_report(
      {make_run(Model::threads, 1, 2, {1.03}, 1.9), make_run(Model::processes, 2, 1, {1.0}, 1)}));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::threads);
  EXPECT_NE(rec->why.find("a gap within 5% (one repetition each, so no cv)"), std::string::npos)
      << rec->why;
  // Beyond 5 % one repetition says nothing of noise: the faster one it is.
  rec = recommend(cpu_report(
      {make_run(Model::threads, 1, 2, {1.2}, 1.9), make_run(Model::processes, 2, 1, {1.0}, 1)}));
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::processes);
  EXPECT_EQ(rec->why.find("simpler"), std::string::npos) << rec->why;
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
  EXPECT_EQ(rec->model, Model::threads);  // async was faster but lost requests
  EXPECT_NEAR(rec->speedup, 20.0, 1e-9);
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

/// A farm run whose every task took `task_s` with `cpu_share` of it on a CPU, its samples folded
/// as the measuring loop folds them (the farm's kind tally holds the tasks' CPU time).
ModelRun farm_run(const Workload& kind, Model model, int ranks, int slots, double wall,
                  double task_s, double cpu_share, int failed = 0) {
  ModelRun run = make_run(model, ranks, slots, {wall}, 0.001, failed);
  std::vector<Sample> samples;
  for (int i = 0; i < 16; ++i) {
    Sample s;
    s.id = i;
    s.duration_s = task_s;
    if (i < failed) s.error = ErrorClass::exit_status;
    ShellFields f;
    f.user_s = static_cast<float>(task_s * cpu_share);
    f.seq = i + 1;
    set_kind_fields(s, f);
    samples.push_back(s);
  }
  Repetition folded = fold_repetition(kind, samples, run.reps[0].wall_s);
  folded.per_rank = std::move(run.reps[0].per_rank);
  run.reps[0] = std::move(folded);
  return run;
}

struct FarmReport {
  test::ScratchDir dir;
  RunReport report;
  FarmReport() {
    std::ofstream((dir / "t.txt")) << "sleep 1\n";
    report.job = resolve_run_job({"--workload", "shell", "--shell.tasks", (dir / "t.txt")});
    report.base_index = 0;
    report.env.cores_per_node = 2;
    report.env.cores_available = 2;
    report.env.nodes = 1;
  }
};

TEST(Recommend, AFarmIsClassifiedByItsTasksRusageAndGetsSlotsPerCore) {
  FarmReport f;
  // The ranks themselves hardly use a CPU: only the children's rusage tells what the tasks are.
  f.report.runs = {farm_run(*f.report.job.workload, Model::serial, 1, 1, 16.0, 1.0, 0.02),
                   farm_run(*f.report.job.workload, Model::async, 1, 2, 8.1, 1.0, 0.02),
                   farm_run(*f.report.job.workload, Model::async, 1, 8, 2.1, 1.0, 0.02)};
  const auto rec = recommend(f.report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->bound, "io");
  EXPECT_EQ(rec->measured_by, "serial run's tasks");
  EXPECT_NEAR(rec->cpu_fraction, 0.02, 1e-6);
  EXPECT_EQ(rec->model, Model::async);
  ASSERT_TRUE(rec->workers_per_core);
  EXPECT_DOUBLE_EQ(*rec->workers_per_core, 4.0);
  EXPECT_NE(rec->why.find("4 slots per core (8 on 2 cores)"), std::string::npos) << rec->why;
  EXPECT_NE(rec->why.find("saturate near 50 per core"), std::string::npos) << rec->why;
}

TEST(Recommend, AFarmsCpuBoundAndMixedTasks) {
  FarmReport cpu;
  cpu.report.runs = {farm_run(*cpu.report.job.workload, Model::serial, 1, 1, 16.0, 1.0, 0.97),
                     farm_run(*cpu.report.job.workload, Model::async, 1, 2, 9.0, 2.0, 0.5),
                     farm_run(*cpu.report.job.workload, Model::async, 1, 8, 8.1, 8.0, 0.12)};
  auto rec = recommend(cpu.report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->bound, "cpu");
  EXPECT_NE(rec->why.find("prefer one per core"), std::string::npos) << rec->why;
  FarmReport mixed;
  const Workload& kind = *mixed.report.job.workload;
  mixed.report.runs = {farm_run(kind, Model::serial, 1, 1, 16.0, 1.0, 0.5),
                       farm_run(kind, Model::async, 1, 2, 8.0, 1.0, 0.5)};
  rec = recommend(mixed.report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->bound, "mixed");
}

TEST(Recommend, AFarmsTieBetweenSlotCountsUsesFewerSlotsAndCountsThemAsAUserWould) {
  FarmReport f;
  // 8 slots beat 2 by 2 %: the 2 slots are the choice, one per core of the two.
  const Workload& kind = *f.report.job.workload;
  f.report.runs = {farm_run(kind, Model::serial, 1, 1, 16.0, 1.0, 0.02),
                   farm_run(kind, Model::async, 1, 2, 2.04, 1.0, 0.02),
                   farm_run(kind, Model::async, 1, 8, 2.0, 1.0, 0.02)};
  const auto rec = recommend(f.report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::async);
  EXPECT_NEAR(rec->speedup, 16.0 / 2.04, 1e-9);
  ASSERT_TRUE(rec->workers_per_core);
  EXPECT_DOUBLE_EQ(*rec->workers_per_core, 1.0);
  EXPECT_NE(rec->why.find("async with 2 slots took 1.02x the time of async with 8 slots"),
            std::string::npos)
      << rec->why;
  EXPECT_NE(rec->why.find("use async with 2 slots (7.84x the serial time), the simpler"),
            std::string::npos)
      << rec->why;
  EXPECT_NE(rec->why.find("That is 1 slot per core (2 on 2 cores)."), std::string::npos)
      << rec->why;
  EXPECT_EQ(rec->why.find("1 slots"), std::string::npos) << rec->why;
}

TEST(Recommend, AnEventLoopsOneTransferIsSingular) {
  RunReport report;
  report.job = resolve_run_job({"--workload", "io", "--io.url", "http://127.0.0.1:1/"});
  report.base_index = 0;
  report.runs = {make_run(Model::serial, 1, 1, {10.0}, 0.03),
                 make_run(Model::async, 1, 1, {5.0}, 0.1)};
  const auto rec = recommend(report);
  ASSERT_TRUE(rec);
  EXPECT_NE(rec->why.find("with 1 transfer in flight (1 rank)"), std::string::npos) << rec->why;
}

TEST(Recommend, WhenEveryModelFailsTheSameTasksTheFewestFailuresStillChoose) {
  FarmReport f;
  f.report.runs = {farm_run(*f.report.job.workload, Model::serial, 1, 1, 16.0, 1.0, 0.02, 1),
                   farm_run(*f.report.job.workload, Model::async, 1, 8, 2.0, 1.0, 0.02, 1),
                   farm_run(*f.report.job.workload, Model::threads, 1, 8, 1.5, 1.0, 0.02, 3)};
  const auto rec = recommend(f.report);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->model, Model::async) << "threads was faster but failed more tasks";
  EXPECT_NE(rec->why.find("Every model had failed tasks (1 at least)"), std::string::npos)
      << rec->why;
}

TEST(Recommend, NeedsASerialBase) {
  RunReport report;
  report.job = resolve_run_job({});
  report.runs = {make_run(Model::threads, 1, 2, {1.0}, 1.0)};
  EXPECT_FALSE(recommend(report));
}

}  // namespace
}  // namespace fanout
