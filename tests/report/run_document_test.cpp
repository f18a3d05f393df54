// Shape of the JSON report: every documented key present with the documented type.
#include "report/run_document.hpp"

#include <gtest/gtest.h>

#include "report_fixture.hpp"

namespace fanout {
namespace {

using nlohmann::json;
using Type = json::value_t;

bool is_number(const json& j) { return j.is_number(); }
bool is_uint(const json& j) { return j.is_number_unsigned() || (j.is_number_integer() && j >= 0); }

#define EXPECT_KEY(obj, key, pred)                                       \
  do {                                                                   \
    ASSERT_TRUE((obj).contains(key)) << "missing key " << (key);         \
    EXPECT_TRUE(pred((obj).at(key))) << (key) << " = " << (obj).at(key); \
  } while (0)

bool is_string(const json& j) { return j.is_string(); }
bool is_bool(const json& j) { return j.is_boolean(); }
bool is_object(const json& j) { return j.is_object(); }
bool is_array(const json& j) { return j.is_array(); }
bool is_int(const json& j) { return j.is_number_integer(); }

TEST(JsonReport, TopLevelKeys) {
  const json doc = json_document(testing::cpu_compare_report());
  EXPECT_KEY(doc, "fanout_version", is_string);
  EXPECT_EQ(doc["command"], "compare");
  EXPECT_KEY(doc, "incomplete", is_bool);
  ASSERT_TRUE(doc.contains("stopped_by"));
  EXPECT_TRUE(doc["stopped_by"].is_null());
  EXPECT_KEY(doc, "job", is_object);
  EXPECT_KEY(doc, "environment", is_object);
  EXPECT_KEY(doc, "base_case", is_object);
  EXPECT_KEY(doc, "runs", is_array);
  EXPECT_KEY(doc, "warnings", is_array);
  EXPECT_KEY(doc, "recommendation", is_object);
  EXPECT_EQ(doc.size(), 10u);
}

TEST(JsonReport, JobHoldsEveryResolvedField) {
  const json job = json_document(testing::cpu_compare_report())["job"];
  EXPECT_EQ(job["name"], "fib");
  EXPECT_EQ(job["workload"], "cpu");
  for (const char* k : {"kernel"}) EXPECT_KEY(job["cpu"], k, is_string);
  for (const char* k : {"n", "count", "width", "array_bytes", "sweeps"})
    EXPECT_KEY(job["cpu"], k, is_int);
  EXPECT_EQ(job["cpu"]["n"], 27);
  EXPECT_FALSE(job.contains("io")) << "only the job's own kind has a section";
  const json io_job = json_document(testing::io_run_report())["job"];
  EXPECT_EQ(io_job["workload"], "io");
  EXPECT_FALSE(io_job.contains("cpu"));
  const json& io = io_job["io"];
  EXPECT_KEY(io, "urls", is_array);
  for (const char* k : {"url_file", "output_dir"}) EXPECT_KEY(io, k, is_string);
  for (const char* k :
       {"repeat", "concurrency", "retries", "max_body", "max_redirects", "serve_size"}) {
    EXPECT_KEY(io, k, is_int);
  }
  for (const char* k : {"timeout_s", "connect_timeout_s", "backoff_s", "serve_delay_s"}) {
    EXPECT_KEY(io, k, is_number);
  }
  for (const char* k : {"http2", "insecure", "driver_per_rank", "serve"})
    EXPECT_KEY(io, k, is_bool);
  const json& run = job["run"];
  EXPECT_EQ(run["model"], "serial");
  EXPECT_EQ(run["schedule"], "static");
  for (const char* k : {"threads", "chunk", "repeat"}) EXPECT_KEY(run, k, is_int);
  EXPECT_KEY(run, "models", is_array);
  for (const char* k : {"json_path", "csv_path"}) EXPECT_KEY(run, k, is_string);
  EXPECT_KEY(run, "quiet", is_bool);
}

TEST(JsonReport, EnvironmentHoldsEveryField) {
  const json env = json_document(testing::cpu_compare_report())["environment"];
  EXPECT_EQ(env["hosts"], json({"node-a", "node-a", "node-b"}));
  for (const char* k : {"world_size", "nodes", "cores_per_node", "cores_available"})
    EXPECT_KEY(env, k, is_int);
  for (const char* k : {"binding", "mpi_library", "compiler", "openmp", "fanout_version",
                        "started_at", "command_line"}) {
    EXPECT_KEY(env, k, is_string);
  }
  EXPECT_KEY(env, "clock_resolution_s", is_number);
}

TEST(JsonReport, RunsCarryEveryDocumentedFigure) {
  const json doc = json_document(testing::cpu_compare_report());
  ASSERT_EQ(doc["runs"].size(), 4u);
  EXPECT_EQ(doc["base_case"],
            json({{"model", "serial"}, {"wall_s", 2.0}, {"measured", true}, {"repetitions", 3}}));
  const json& run = doc["runs"][3];
  EXPECT_EQ(run["model"], "processes+threads");
  EXPECT_EQ(run["schedule"], "dynamic");
  for (const char* k : {"ranks", "workers_per_rank", "chunk", "tasks", "repetitions", "task_runs",
                        "failed", "median_repetition"}) {
    EXPECT_KEY(run, k, is_uint);
  }
  for (const char* k : {"wall_s", "wall_min_s", "wall_max_s", "wall_cv", "speedup", "efficiency",
                        "imbalance", "imbalance_ranks", "imbalance_workers"}) {
    EXPECT_KEY(run, k, is_number);
  }
  EXPECT_EQ(run["wall_s_reps"], json({0.40, 0.5, 0.42}));
  EXPECT_DOUBLE_EQ(run["speedup"].get<double>(), 2.0 / 0.42);
  for (const char* k : {"lower", "upper", "level"}) EXPECT_KEY(run["wall_ci95"], k, is_number);
  for (const char* k : {"mean", "median", "p90", "p99", "max"})
    EXPECT_KEY(run["task_duration_s"], k, is_number);
  const json& errors = run["errors_by_class"];
  EXPECT_EQ(errors, json({{"wrong_result", 1}, {"exception", 0}}))
      << "the classes a cpu task can end with";
  EXPECT_EQ(run["error_messages"], json({"task 3: fib(27) = 196417, expected 196418"}));
  ASSERT_EQ(run["per_rank"].size(), 3u);
  const json& rank = run["per_rank"][2];
  for (const char* k : {"rank", "workers", "tasks", "failed"}) EXPECT_KEY(rank, k, is_uint);
  EXPECT_EQ(rank["host"], "node-b");
  for (const char* k : {"busy_s", "idle_s", "wall_s", "cpu_user_s", "cpu_sys_s"})
    EXPECT_KEY(rank, k, is_number);
  EXPECT_FALSE(run.contains("requests_per_s"));  // io only
  ASSERT_TRUE(run.contains("partial_repetition"));
  EXPECT_TRUE(run["partial_repetition"].is_null());
}

TEST(JsonReport, StoppedRunSaysWhyAndKeepsTheCutRepetitionOut) {
  const json doc = json_document(testing::stopped_compare_report());
  EXPECT_EQ(doc["incomplete"], true);
  EXPECT_EQ(doc["stopped_by"], "SIGTERM");
  const json& run = doc["runs"][3];
  EXPECT_EQ(run["repetitions"], 2);
  EXPECT_EQ(run["wall_s_reps"], json({0.40, 0.5}));
  EXPECT_EQ(run["task_runs"], 24);  // the cut repetition's 5 tasks are not in the statistics
  EXPECT_DOUBLE_EQ(run["wall_s"].get<double>(), 0.45);
  const json& cut = run["partial_repetition"];
  ASSERT_TRUE(cut.is_object());
  EXPECT_EQ(cut["rep"], 2);
  EXPECT_EQ(cut["tasks_done"], 5);
  EXPECT_EQ(cut["tasks_planned"], 12);
  EXPECT_EQ(cut["failed"], 0);
  EXPECT_DOUBLE_EQ(cut["wall_s"].get<double>(), 0.21);
  EXPECT_EQ(cut["tasks_stopped"], 0) << "only a farm's commands are stopped in flight";
  EXPECT_EQ(cut.size(), 6u);
  EXPECT_TRUE(doc["runs"][0]["partial_repetition"].is_null());
  EXPECT_EQ(doc["warnings"][0]["kind"], "incomplete");
}

TEST(JsonReport, StoppedBeforeTheFirstMeasurementStillADocument) {
  RunReport r = testing::cpu_compare_report();
  for (auto& run : r.runs) run.reps.clear();
  r.recommendation.reset();
  r.incomplete = true;
  r.stopped_by = "SIGINT";
  const json doc = json::parse(render_json(r));
  EXPECT_EQ(doc["stopped_by"], "SIGINT");
  EXPECT_TRUE(doc["base_case"].is_null());
  for (const auto& run : doc["runs"]) {
    EXPECT_EQ(run["repetitions"], 0);
    EXPECT_TRUE(run["wall_s"].is_null());
    EXPECT_TRUE(run["partial_repetition"].is_null());
  }
}

TEST(JsonReport, UndefinedFiguresAreNull) {
  const json doc = json_document(testing::cpu_compare_report());
  EXPECT_TRUE(doc["runs"][2]["efficiency"].is_null());  // async
  EXPECT_TRUE(doc["runs"][2]["imbalance_workers"].is_null());
  RunReport r = testing::io_run_report();
  r.base_wall_s.reset();
  r.recommendation.reset();
  const json io = json_document(r);
  EXPECT_TRUE(io["base_case"].is_null());
  EXPECT_TRUE(io["recommendation"].is_null());
  EXPECT_TRUE(io["runs"][0]["speedup"].is_null());
  EXPECT_TRUE(io["runs"][0]["wall_cv"].is_null());  // one repetition
}

TEST(JsonReport, IoRunsCarryThroughputAndLatency) {
  const json run = json_document(testing::io_run_report())["runs"][0];
  EXPECT_EQ(run["requests"], 10);
  EXPECT_EQ(run["bytes"], 8020);
  EXPECT_KEY(run, "requests_per_s", is_number);
  EXPECT_KEY(run, "bytes_per_s", is_number);
  EXPECT_EQ(run["latency_s"]["count"], 9);
  for (const char* k : {"p50", "p90", "p99", "p999", "max"})
    EXPECT_KEY(run["latency_s"], k, is_number);
  EXPECT_EQ(run["errors_by_class"]["timeout"], 1);
  EXPECT_EQ(run["errors_by_class"]["http_5xx"], 1);
}

TEST(JsonReport, WarningsAndRecommendation) {
  const json doc = json_document(testing::cpu_compare_report());
  ASSERT_EQ(doc["warnings"].size(), 3u);
  for (const auto& w : doc["warnings"]) {
    for (const char* k : {"kind", "model", "message"}) EXPECT_KEY(w, k, is_string);
  }
  EXPECT_EQ(doc["warnings"][1]["kind"], "oversubscribed");
  const json& rec = doc["recommendation"];
  EXPECT_EQ(rec["bound"], "cpu");
  EXPECT_EQ(rec["model"], "processes+threads");
  EXPECT_EQ(rec["fastest"], "processes+threads");
  for (const char* k : {"cpu_fraction", "speedup"}) EXPECT_KEY(rec, k, is_number);
  EXPECT_KEY(rec, "why", is_string);
}

TEST(JsonReport, RenderedTextParsesBack) {
  RunReport r = testing::io_run_report();
  r.runs[0].error_messages = {std::string("bad byte \xff in a message")};
  const std::string text = render_json(r);
  ASSERT_EQ(text.back(), '\n');
  const json back = json::parse(text);
  EXPECT_EQ(back["runs"][0]["tasks"], 10);
}

TEST(JsonReport, ReadingBackRefusesImpossibleFigures) {
  json doc = json_document(testing::io_run_report());
  EXPECT_NO_THROW(read_run_document(doc));
  doc["runs"][0]["wall_s_reps"] = {0.5, -1.0};
  try {
    read_run_document(doc);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("wall time of -1"), std::string::npos) << e.what();
  }
  doc = json_document(testing::io_run_report());
  doc["runs"][0]["failed"] = 1000;
  EXPECT_THROW(read_run_document(doc), std::runtime_error);
}

TEST(JsonReport, ReadingBackRefusesCountsThatAreNoIntegers) {
  // get<std::uint64_t>() of 1e300 was a cast out of range (undefined behaviour).
  const auto error_of = [](const json& doc) -> std::string {
    try {
      read_run_document(doc);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  json doc = json_document(testing::io_run_report());
  doc["runs"][0]["tasks"] = 1e300;
  EXPECT_NE(error_of(doc).find("runs[].tasks = 1e+300, expected an integer"), std::string::npos)
      << error_of(doc);
  doc = json_document(testing::io_run_report());
  doc["runs"][0]["failed"] = -1;
  EXPECT_NE(error_of(doc).find("runs[].failed = -1"), std::string::npos) << error_of(doc);
  doc = json_document(testing::io_run_report());
  doc["environment"]["world_size"] = 3e9;
  EXPECT_NE(error_of(doc).find("world_size = 3000000000.0"), std::string::npos) << error_of(doc);
  doc = json_document(testing::io_run_report());
  doc["environment"]["cores_by_host"] = {{"node7", 1e300}};
  EXPECT_NE(error_of(doc).find("cores_by_host.node7 = 1e+300"), std::string::npos) << error_of(doc);
  doc["environment"]["cores_by_host"] = {{"node7", 16}};
  EXPECT_EQ(error_of(doc), "");
  EXPECT_EQ(read_run_document(doc).environment.cores_by_host.at("node7"), 16);
}

TEST(JsonReport, ReadingAFileRefusesWhatIsNoFile) {
  try {
    read_run_document_file("/dev/zero");  // stat'ed, never read
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("it is a character device"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace fanout
