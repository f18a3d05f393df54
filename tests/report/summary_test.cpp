// Derived metrics on hand-built reports: base case, speedup, efficiency, imbalance, task and
// latency statistics, and the honest-report warnings.
#include "report/summary.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "job/job_options.hpp"
#include "report/sample_fold.hpp"
#include "report_fixture.hpp"
#include "timing/byte_codec.hpp"

namespace fanout {
namespace {

using testing::cpu_compare_report;
using testing::io_run_report;
using testing::mock_repetition;
using testing::MockTask;
using testing::stopped_compare_report;

std::vector<std::string> kinds_for(const ReportSummary& s, const std::string& model) {
  std::vector<std::string> out;
  for (const auto& w : s.warnings) {
    if (w.model == model) out.push_back(w.kind);
  }
  return out;
}

TEST(Summary, BaseCaseIsTheMedianOfTheSerialRun) {
  const auto s = summarize(cpu_compare_report());
  ASSERT_TRUE(s.base);
  EXPECT_EQ(s.base->model, Model::serial);
  EXPECT_DOUBLE_EQ(s.base->wall_s, 2.0);
  EXPECT_TRUE(s.base->measured);
  EXPECT_EQ(s.base->repetitions, 3);
}

TEST(Summary, GivenBaseWallIsUsedWithoutASerialRun) {
  const auto s = summarize(io_run_report());
  ASSERT_TRUE(s.base);
  EXPECT_FALSE(s.base->measured);
  EXPECT_DOUBLE_EQ(s.base->wall_s, 1.2);
  EXPECT_DOUBLE_EQ(*s.runs[0].speedup, 1.2 / 0.26);
}

TEST(Summary, NoBaseCaseMeansNoSpeedup) {
  RunReport r = cpu_compare_report();
  r.base_index.reset();
  const auto s = summarize(r);
  EXPECT_FALSE(s.base);
  EXPECT_FALSE(s.runs[1].speedup);
  EXPECT_FALSE(s.runs[1].efficiency);
}

TEST(Summary, WallIsTheMedianOverRepetitions) {
  const auto s = summarize(cpu_compare_report());
  const RunSummary& threads = s.runs[1];
  EXPECT_EQ(threads.walls_s, (std::vector<double>{1.05, 1.0, 1.02}));
  EXPECT_DOUBLE_EQ(threads.wall_s, 1.02);
  EXPECT_DOUBLE_EQ(threads.wall_min_s, 1.0);
  EXPECT_DOUBLE_EQ(threads.wall_max_s, 1.05);
  EXPECT_EQ(threads.median_rep, 2u);
  EXPECT_DOUBLE_EQ(threads.wall_cv, stddev(threads.walls_s) / mean(threads.walls_s));
}

TEST(Summary, SpeedupAndEfficiency) {
  const auto s = summarize(cpu_compare_report());
  EXPECT_DOUBLE_EQ(*s.runs[0].speedup, 1.0);
  EXPECT_DOUBLE_EQ(*s.runs[0].efficiency, 1.0);
  EXPECT_DOUBLE_EQ(*s.runs[1].speedup, 2.0 / 1.02);
  EXPECT_DOUBLE_EQ(*s.runs[1].efficiency, 2.0 / 1.02 / 2);
  EXPECT_DOUBLE_EQ(*s.runs[3].speedup, 2.0 / 0.42);
  EXPECT_DOUBLE_EQ(*s.runs[3].efficiency, 2.0 / 0.42 / 6);
}

TEST(Summary, AsyncModelsHaveSpeedupButNoEfficiency) {
  const auto cpu = summarize(cpu_compare_report());
  EXPECT_DOUBLE_EQ(*cpu.runs[2].speedup, 2.0 / 2.01);
  EXPECT_FALSE(cpu.runs[2].efficiency);
  const auto io = summarize(io_run_report());
  EXPECT_TRUE(io.runs[0].speedup);
  EXPECT_FALSE(io.runs[0].efficiency);
  EXPECT_FALSE(io.runs[0].worker_imbalance);
}

TEST(Summary, ImbalanceOverWorkersAndRanks) {
  const auto s = summarize(cpu_compare_report());
  // Serial: one worker, nothing to balance.
  EXPECT_DOUBLE_EQ(s.runs[0].imbalance, 1.0);
  EXPECT_FALSE(s.runs[0].worker_imbalance);
  // Threads: even ids (0.15, 0.17, ...) on slot 0 = 0.96 s, odd ids on slot 1 = 1.02 s.
  EXPECT_DOUBLE_EQ(*s.runs[1].worker_imbalance, 1.02 / 0.99);
  EXPECT_DOUBLE_EQ(s.runs[1].imbalance, 1.02 / 0.99);
  // processes+threads: every rank busy 0.66 s, slots 0.32 or 0.34 s.
  EXPECT_NEAR(s.runs[3].rank_imbalance, 1.0, 1e-12);
  EXPECT_NEAR(*s.runs[3].worker_imbalance, 0.34 / 0.33, 1e-12);
}

TEST(Summary, RankImbalanceIsMaxOverMeanBusy) {
  ModelRun run;
  run.model = Model::processes;
  run.ranks = 2;
  Repetition rep;
  rep.wall_s = 3;
  rep.per_rank = {RankSummary{0, "a", 1, 3, 0, 3.0}, RankSummary{1, "a", 1, 1, 0, 1.0}};
  run.reps.push_back(rep);
  const RunSummary s = summarize_run(run, 4.0, *cpu_compare_report().job.workload);
  EXPECT_DOUBLE_EQ(s.rank_imbalance, 1.5);
  EXPECT_DOUBLE_EQ(s.imbalance, 1.5);  // no samples: ranks are all we know
  EXPECT_DOUBLE_EQ(*s.efficiency, 4.0 / 3 / 2);
}

TEST(Summary, ImbalanceCountsWorkerSlotsThatRanNothing) {
  ModelRun run;
  run.model = Model::threads;
  run.workers_per_rank = 4;
  run.reps.push_back(testing::mock_repetition(
      *cpu_compare_report().job.workload, 1, 1, 4,
      testing::mock_samples(1, 4, 2, [](TaskId) { return MockTask{1.0}; })));
  const RunSummary s = summarize_run(run, std::nullopt, *cpu_compare_report().job.workload);
  EXPECT_DOUBLE_EQ(*s.worker_imbalance, 1.0 / 0.5);  // busy {1, 1, 0, 0}
}

TEST(Summary, TaskDurationsAndFailuresOverEveryRepetition) {
  const auto s = summarize(cpu_compare_report());
  const RunSummary& hybrid = s.runs[3];
  EXPECT_EQ(hybrid.task_runs, 36u);
  EXPECT_EQ(hybrid.failed, 1u);
  EXPECT_EQ(hybrid.errors_by_class[ErrorClass::wrong_result], 1u);
  EXPECT_EQ(hybrid.task_duration.count, 36u);
  // Percentiles from the duration sketch, within its stated error of the exact 0.165 and 0.18;
  // min and max exact.
  constexpr double kError = DurationSketch::kRelativeError;
  EXPECT_NEAR(hybrid.task_duration.median, 0.165, 0.165 * kError);
  EXPECT_NEAR(hybrid.task_duration.p90, 0.18, 0.18 * kError);
  EXPECT_DOUBLE_EQ(hybrid.task_duration.max, 0.18);
  EXPECT_DOUBLE_EQ(hybrid.task_duration.min, 0.15);
}

/// The figure called `key` of a run's summary; NaN when the kind has none of that name.
double figure(const RunSummary& s, const std::string& key) {
  for (const Figure& f : s.figures) {
    if (f.key == key) return f.value;
  }
  return std::nan("");
}

TEST(Summary, IoThroughputAndLatency) {
  const auto s = summarize(io_run_report());
  const RunSummary& io = s.runs[0];
  EXPECT_EQ(figure(io, "requests"), 10);
  EXPECT_EQ(figure(io, "bytes"), 8 * 1000 + 20);
  EXPECT_DOUBLE_EQ(figure(io, "requests_per_s"), 10 / 0.26);
  EXPECT_DOUBLE_EQ(figure(io, "bytes_per_s"), 8020 / 0.26);
  // The timeout got no response and is left out; the 503 counts.
  EXPECT_EQ(figure(io, "latency_s.count"), 9);
  EXPECT_NEAR(figure(io, "latency_s.p50"), 0.102, 0.102 * 0.008);
  EXPECT_NEAR(figure(io, "latency_s.p90"), 0.108, 0.108 * 0.008);
  EXPECT_DOUBLE_EQ(figure(io, "latency_s.max"), 0.108);
  EXPECT_EQ(io.errors_by_class[ErrorClass::timeout], 1u);
  EXPECT_EQ(io.errors_by_class[ErrorClass::http_5xx], 1u);
  EXPECT_TRUE(summarize(cpu_compare_report()).runs[0].figures.empty()) << "fib has no figures";
}

// As measure() does: each rank folds its own samples, rank 0 merges the tallies' bytes; the
// figures are those of one fold over every sample.
TEST(Summary, TalliesMergedOverRanksGiveTheFiguresOfEverySample) {
  const testing::MockReport whole = io_run_report();
  const Workload& kind = *whole.job.workload;
  const std::vector<Sample>& samples = whole.records_of(0, 0, false);
  SampleFold rank0(kind), rank1(kind), merged(kind);
  for (const Sample& smp : samples) (smp.rank == 0 ? rank0 : rank1).add({&smp, 1});
  for (const SampleFold* rank : {&rank0, &rank1}) {
    merged.merge_bytes(encode(rank->tally()), rank->kind_tally()->to_bytes());
  }
  RunReport r = whole;
  const Repetition& was = r.runs[0].reps[0];
  Repetition rep = std::move(merged).repetition();
  rep.wall_s = was.wall_s;
  rep.per_rank = was.per_rank;
  r.runs[0].reps[0] = std::move(rep);
  const RunSummary a = summarize(whole).runs[0];
  const RunSummary b = summarize(r).runs[0];
  ASSERT_EQ(a.figures.size(), b.figures.size());
  for (std::size_t f = 0; f < a.figures.size(); ++f) {
    EXPECT_EQ(a.figures[f].key, b.figures[f].key);
    if (std::isnan(a.figures[f].value)) {
      EXPECT_TRUE(std::isnan(b.figures[f].value)) << a.figures[f].key;
    } else {
      EXPECT_DOUBLE_EQ(a.figures[f].value, b.figures[f].value) << a.figures[f].key;
    }
  }
  EXPECT_EQ(figure(b, "latency_s.count"), 9);
  EXPECT_EQ(b.task_runs, 10u);
  EXPECT_EQ(b.errors_by_class, a.errors_by_class);
  EXPECT_NEAR(*b.worker_imbalance, *a.worker_imbalance, 1e-12);
}

TEST(Summary, TriadReportsTheBandwidthItsKernelMoved) {
  RunReport r = cpu_compare_report();
  r.job = job_from_flags(
      {"--cpu.kernel", "triad", "--cpu.array", "1MiB", "--cpu.sweeps", "2", "--cpu.count", "12"});
  const auto s = summarize(r);
  // The serial run's median repetition: 12 tasks, each 2 sweeps over 131072 elements of 24 bytes.
  const double bytes = 12.0 * 2 * (1 << 17) * 24;
  EXPECT_DOUBLE_EQ(figure(s.runs[0], "bytes_moved"), bytes);
  EXPECT_DOUBLE_EQ(figure(s.runs[0], "gigabytes_per_s"), bytes / 2.0 / 1e9);
  // Only the median repetition counts (the hybrid's third, without the failed task of its first).
  EXPECT_DOUBLE_EQ(figure(s.runs[3], "bytes_moved"), bytes);
}

TEST(Summary, RankZerosDispatcherSaysHowManyRanksItCanFeed) {
  EXPECT_DOUBLE_EQ(feedable_ranks(1e-5, 4, 0.01, 2), 4 * 0.01 / (2 * 1e-5));
  EXPECT_TRUE(std::isnan(feedable_ranks(NAN, 4, 0.01, 2))) << "no request answered";
  EXPECT_TRUE(std::isnan(DispatchLoad{}.cost_s()));

  auto report = cpu_compare_report();
  ModelRun& hybrid = report.runs[3];  // processes+threads, 3 ranks x 2 threads, dynamic
  ASSERT_EQ(hybrid.schedule, Schedule::dynamic);
  hybrid.chunk = 1;
  for (Repetition& rep : hybrid.reps) rep.dispatch = DispatchLoad{100, 0.002};  // 20 us each
  auto s = summarize(report);
  ASSERT_TRUE(s.runs[3].dispatch);
  const DispatchCapacity& d = *s.runs[3].dispatch;
  EXPECT_EQ(d.requests, 100u);
  EXPECT_DOUBLE_EQ(d.cost_s, 2e-5);
  const double mean = s.runs[3].task_duration.mean;
  EXPECT_DOUBLE_EQ(d.feedable_ranks, mean / (2 * 2e-5));
  EXPECT_DOUBLE_EQ(d.per_request, 1) << "ids not counted: the chunk";
  EXPECT_FALSE(s.runs[2].dispatch) << "a static run has no dispatcher";

  // Node leaders ask for a node's round: 40 ids an answer feed 40 times the ranks.
  for (Repetition& rep : hybrid.reps) rep.dispatch = DispatchLoad{100, 0.002, 4000};
  s = summarize(report);
  ASSERT_TRUE(s.runs[3].dispatch);
  EXPECT_DOUBLE_EQ(s.runs[3].dispatch->per_request, 40);
  EXPECT_DOUBLE_EQ(s.runs[3].dispatch->feedable_ranks, 40 * mean / (2 * 2e-5));
  const auto kinds = kinds_for(s, "processes+threads");
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "dispatch_capacity"), 0)
      << "tasks of ~0.16 s feed thousands of ranks";

  // A dispatcher as slow as the tasks are short: 3 ranks are past what it feeds.
  for (Repetition& rep : hybrid.reps) rep.dispatch = DispatchLoad{100, 10.0};
  s = summarize(report);
  const auto warned = std::find_if(s.warnings.begin(), s.warnings.end(),
                                   [](const Warning& w) { return w.kind == "dispatch_capacity"; });
  ASSERT_NE(warned, s.warnings.end());
  EXPECT_NE(warned->message.find("processes+threads: rank 0 answered 100 chunk requests, 100.0 "
                                 "ms each"),
            std::string::npos)
      << warned->message;
  EXPECT_NE(warned->message.find("it can feed about 0 ranks, and this run had 3: ranks waited"),
            std::string::npos)
      << warned->message;
}

TEST(Summary, WarningsFollowTheHonestReportRules) {
  const auto s = summarize(cpu_compare_report());
  EXPECT_TRUE(kinds_for(s, "serial").empty());
  EXPECT_TRUE(kinds_for(s, "threads").empty());
  EXPECT_TRUE(kinds_for(s, "async").empty());
  EXPECT_EQ(kinds_for(s, "processes+threads"),
            (std::vector<std::string>{"high_cv", "oversubscribed", "failed_tasks"}));
  const auto& failed = s.warnings.back();
  EXPECT_EQ(failed.message, "processes+threads: 1 of 36 task runs failed (wrong_result 1)");
}

TEST(Summary, ShortRunsAndIncompleteReportsAreFlagged) {
  RunReport r = cpu_compare_report();
  for (auto& rep : r.runs[1].reps) rep.wall_s = 0.004;
  r.incomplete = true;
  const auto s = summarize(r);
  EXPECT_EQ(kinds_for(s, "threads"), (std::vector<std::string>{"too_short"}));
  EXPECT_EQ(s.warnings.front().kind, "incomplete");
  EXPECT_EQ(s.warnings.front().model, "");
}

TEST(Summary, StoppedRunSaysBySignalHowFarAndWhatWasCut) {
  const auto s = summarize(stopped_compare_report());
  ASSERT_FALSE(s.warnings.empty());
  EXPECT_EQ(s.warnings.front().kind, "incomplete");
  EXPECT_EQ(s.warnings.front().message,
            "incomplete: stopped by SIGTERM after 3 of 3 repetitions of serial, threads and async, "
            "2 of 3 of processes+threads; repetition 3 of processes+threads cut at 5 of 12 tasks "
            "(kept out of the statistics)");
  EXPECT_EQ(s.runs[3].walls_s, (std::vector<double>{0.40, 0.5}));
  EXPECT_EQ(s.runs[3].task_runs, 24u);
}

TEST(Summary, StoppedBeforeAnyMeasurementNamesEveryModel) {
  RunReport r = cpu_compare_report();
  for (auto& run : r.runs) run.reps.clear();
  r.runs[0].partial =
      mock_repetition(*r.job.workload, 0.5, 1, 1,
                      testing::mock_samples(1, 1, 3, [](TaskId) { return MockTask{0.15}; }));
  r.incomplete = true;
  r.stopped_by = "SIGINT";
  r.job.run.repeat = 1;
  EXPECT_EQ(summarize(r).warnings.front().message,
            "incomplete: stopped by SIGINT after 0 of 1 repetition of serial, threads, async and "
            "processes+threads; repetition 1 of serial cut at 3 of 12 tasks (kept out of the "
            "statistics)");
}

TEST(Summary, MidRunSnapshotIsNotCalledStopped) {
  RunReport r = cpu_compare_report();
  r.runs[3].reps.pop_back();
  r.incomplete = true;
  const std::string message = summarize(r).warnings.front().message;
  EXPECT_EQ(message.find("stopped by"), std::string::npos) << message;
  EXPECT_NE(message.find("still going"), std::string::npos) << message;
  EXPECT_NE(
      message.find("3 of 3 repetitions of serial, threads and async, 2 of 3 of processes+threads"),
      std::string::npos)
      << message;
}

TEST(Summary, LauncherNotesBecomeSetupWarnings) {
  RunReport r = cpu_compare_report();
  r.notes = {"rank 1: 4 threads but 2 cores in its affinity mask"};
  const auto s = summarize(r);
  EXPECT_EQ(s.warnings.front().kind, "setup");
  EXPECT_EQ(s.warnings.front().message, r.notes[0]);
}

TEST(Summary, TooShortScalesWithACoarseClock) {
  RunReport r = cpu_compare_report();
  r.env.clock_resolution_s = 0.01;  // 100 steps = 1 s
  const auto s = summarize(r);
  EXPECT_EQ(kinds_for(s, "threads"), (std::vector<std::string>{}));
  EXPECT_EQ(kinds_for(s, "processes+threads").front(), "high_cv");
  EXPECT_EQ(kinds_for(s, "processes+threads").at(1), "too_short");
}

TEST(Summary, RankZeroModelsAreOversubscribedAgainstOneNode) {
  RunReport r = cpu_compare_report();
  r.runs[1].workers_per_rank = 3;  // 3 threads on a 2-core node, though 2 nodes exist
  const auto s = summarize(r);
  EXPECT_EQ(kinds_for(s, "threads"), (std::vector<std::string>{"oversubscribed"}));
}

TEST(Summary, OversubscriptionIsJudgedPerNode) {
  RunReport r = cpu_compare_report();  // processes+threads: 3 ranks (node-a x2, node-b) x 2 threads
  r.env.cores_by_host = {{"node-a", 2}, {"node-b", 4}};
  const auto message = [](const ReportSummary& s, const std::string& model) {
    for (const auto& w : s.warnings) {
      if (w.kind == "oversubscribed" && w.model == model) return w.message;
    }
    return std::string();
  };
  EXPECT_EQ(message(summarize(r), "processes+threads"),
            "processes+threads: node-a runs 2 ranks x 2 threads = 4 on 2 cores: oversubscribed, so "
            "timings include time-sharing of cores");
  // 6 workers on 6 cores, 4 of them on node-a: a count over the whole job would not see it.
  r.env.cores_by_host = {{"node-a", 4}, {"node-b", 2}};
  EXPECT_EQ(message(summarize(r), "processes+threads"), "");
  r.env.cores_by_host = {{"node-a", 1}, {"node-b", 1}};
  EXPECT_EQ(
      message(summarize(r), "processes+threads"),
      "processes+threads: node-a runs 2 ranks x 2 threads = 4 on 1 core, node-b runs 1 rank x "
      "2 threads = 2 on 1 core: oversubscribed, so timings include time-sharing of cores");
}

TEST(Summary, EmptyRunHasNoFigures) {
  ModelRun run;
  const RunSummary s = summarize_run(run, 1.0, *io_run_report().job.workload);
  EXPECT_TRUE(std::isnan(s.wall_s));
  EXPECT_FALSE(s.speedup);
  EXPECT_EQ(s.task_duration.count, 0u);
}

}  // namespace
}  // namespace fanout

namespace fanout {
namespace {

/// The exact statistics of every complete repetition's records (what a user never gets).
DurationStats exact_durations(const testing::MockReport& report, std::size_t run) {
  std::vector<double> durations;
  for (std::size_t k = 0; k < report.runs[run].reps.size(); ++k) {
    for (const Sample& s : report.records_of(run, k, false)) durations.push_back(s.duration_s);
  }
  return describe(std::move(durations));
}

TEST(Summary, TaskDurationsAreTheRecordsOwnWithinTheSketchError) {
  for (const testing::MockReport& report : {cpu_compare_report(), stopped_compare_report()}) {
    const ReportSummary summary = summarize(report);
    ASSERT_EQ(summary.runs.size(), report.runs.size());
    for (std::size_t i = 0; i < summary.runs.size(); ++i) {
      const DurationStats exact = exact_durations(report, i);
      const DurationStats& got = summary.runs[i].task_duration;
      EXPECT_EQ(got.count, exact.count);
      EXPECT_DOUBLE_EQ(got.min, exact.min);
      EXPECT_DOUBLE_EQ(got.max, exact.max);
      EXPECT_NEAR(got.mean, exact.mean, 1e-12 * exact.mean);
      for (auto [x, y] : {std::pair{exact.median, got.median}, std::pair{exact.p90, got.p90},
                          std::pair{exact.p99, got.p99}}) {
        EXPECT_LE(std::abs(x - y), DurationSketch::kRelativeError * x + 1e-9) << x << " vs " << y;
      }
    }
  }
}

}  // namespace
}  // namespace fanout
