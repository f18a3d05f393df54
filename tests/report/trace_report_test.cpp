// The Chrome trace: one complete event per task run, every model and repetition in its own pid
// range, named tracks, microseconds.
#include "report/trace_report.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "job/job_options.hpp"
#include "report/sample_fold.hpp"
#include "report_fixture.hpp"

namespace fanout {
namespace {

using nlohmann::json;

Sample sample(TaskId id, int rank, int thread, double start, double dur,
              ErrorClass error = ErrorClass::none) {
  Sample s;
  s.id = id;
  s.rank = rank;
  s.worker = thread;
  s.start_s = start;
  s.duration_s = dur;
  s.error = error;
  return s;
}

/// serial (rank 0) x 2 repetitions, then processes+threads on 2 ranks x 2 threads x 1 repetition;
/// its records beside it.
testing::MockReport report() {
  testing::MockReport r;
  r.command = "compare";
  r.job = job_from_flags({"--cpu.kernel", "fib", "--cpu.count", "3"});
  r.job.name = "fib";
  r.env.world_size = 2;
  const Workload& kind = *r.job.workload;
  ModelRun serial;
  serial.model = Model::serial;
  serial.tasks = 3;
  std::vector<std::vector<Sample>> serial_records;
  for (int rep = 0; rep < 2; ++rep) {
    std::vector<Sample> samples;
    for (TaskId id = 0; id < 3; ++id) samples.push_back(sample(id, 0, 0, 0.1 * id, 0.1));
    Repetition p = fold_repetition(kind, samples);
    p.per_rank = {RankSummary{0, "node1"}};
    serial.reps.push_back(p);
    serial_records.push_back(std::move(samples));
  }
  ModelRun hybrid;
  hybrid.model = Model::processes_threads;
  hybrid.ranks = 2;
  hybrid.workers_per_rank = 2;
  hybrid.tasks = 4;
  std::vector<Sample> samples = {sample(0, 0, 0, 0, 0.25), sample(1, 0, 1, 0.000001, 0.25),
                                 sample(2, 1, 0, 0, 0.5, ErrorClass::wrong_result),
                                 sample(3, 1, 1, 0.002, 0.125)};
  Repetition p = fold_repetition(kind, samples);
  p.per_rank = {RankSummary{0, "node1"}, RankSummary{1, "node2"}};
  hybrid.reps.push_back(p);
  r.add_run(serial, std::move(serial_records));
  r.add_run(hybrid, {std::move(samples)});
  return r;
}

TEST(TraceReport, OneSlicePerTaskRunInItsOwnSection) {
  const json doc = json::parse(testing::publish(report()).trace);
  ASSERT_TRUE(doc["traceEvents"].is_array());
  using Key = std::pair<std::string, int>;  // (model, rep)
  std::map<Key, std::multiset<int>> ids;
  std::map<Key, std::set<int>> pids;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] != "X") continue;
    const auto key =
        std::make_pair(e["args"]["model"].get<std::string>(), e["args"]["rep"].get<int>());
    ids[key].insert(e["args"]["id"].get<int>());
    pids[key].insert(e["pid"].get<int>());
    EXPECT_EQ(e["name"], std::to_string(e["args"]["id"].get<int>()));
  }
  EXPECT_EQ(ids[Key("serial", 1)], (std::multiset<int>{0, 1, 2}));
  EXPECT_EQ(ids[Key("serial", 2)], (std::multiset<int>{0, 1, 2}));
  EXPECT_EQ(ids[Key("processes+threads", 1)], (std::multiset<int>{0, 1, 2, 3}));
  // Sections: pid = section x 2 + rank.
  EXPECT_EQ(pids[Key("serial", 1)], (std::set<int>{0}));
  EXPECT_EQ(pids[Key("serial", 2)], (std::set<int>{2}));
  EXPECT_EQ(pids[Key("processes+threads", 1)], (std::set<int>{4, 5}));
  EXPECT_EQ(doc["otherData"]["pids"],
            "pid = section x 2 + rank; sections: 0 = serial rep 1, 1 = serial rep 2, 2 = "
            "processes+threads rep 1");
}

TEST(TraceReport, MicrosecondsStatusAndTrackNames) {
  const json doc = json::parse(testing::publish(report()).trace);
  std::map<std::pair<int, int>, std::string> thread_names;
  std::map<int, std::string> process_names;
  const json* failed = nullptr;
  for (const json& e : doc["traceEvents"]) {
    if (e["ph"] == "M" && e["name"] == "thread_name") {
      thread_names[{e["pid"].get<int>(), e["tid"].get<int>()}] = e["args"]["name"];
    }
    if (e["ph"] == "M" && e["name"] == "process_name") process_names[e["pid"]] = e["args"]["name"];
    if (e["ph"] == "X" && e["pid"] == 5 && e["args"]["id"] == 2) failed = &e;
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ((*failed)["args"]["status"], "wrong_result");
  EXPECT_EQ((*failed)["tid"], 0);
  EXPECT_DOUBLE_EQ((*failed)["dur"].get<double>(), 500000.0);
  EXPECT_EQ(process_names[5], "processes+threads rep 1: rank 1 (node2)");
  EXPECT_EQ(process_names[0], "serial rep 1: rank 0 (node1)");
  EXPECT_EQ(thread_names[std::make_pair(4, 1)], std::string("thread 1"));
  EXPECT_EQ(thread_names.size(), 6u);  // serial x2 sections x 1 thread, hybrid 2 ranks x 2 threads
}

}  // namespace
}  // namespace fanout
