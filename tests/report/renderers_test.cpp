// Golden-text tests of the table and the CSV joblog (as a run publishes it), and the number
// formats.
// FANOUT_UPDATE_GOLDEN=1 rewrites the golden files from the current output (then review the diff).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cli/config_error.hpp"
#include "cli/format.hpp"
#include "report/csv_report.hpp"
#include "report/table_report.hpp"
#include "report/text_table.hpp"
#include "report/trace_report.hpp"
#include "report_fixture.hpp"

namespace fanout {
namespace {

std::string golden_path(const std::string& name) {
  return std::string(FANOUT_GOLDEN_DIR) + "/" + name;
}

void expect_golden(const std::string& name, const std::string& actual) {
  if (std::getenv("FANOUT_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path(name), std::ios::binary) << actual;
    return;
  }
  std::ifstream in(golden_path(name), std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << golden_path(name);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "differs from " << golden_path(name);
}

TEST(TableReport, CpuCompareMatchesGolden) {
  expect_golden("compare_cpu.txt", render_table(testing::cpu_compare_report()));
}

TEST(TableReport, IoRunMatchesGolden) {
  expect_golden("run_io.txt", render_table(testing::io_run_report()));
}

TEST(TableReport, IncompleteAndBaselessReportsSayso) {
  RunReport r = testing::cpu_compare_report();
  r.incomplete = true;
  r.base_index.reset();
  r.recommendation.reset();
  const std::string text = render_table(r);
  EXPECT_NE(text.find("[INCOMPLETE: stopped early]"), std::string::npos);
  EXPECT_NE(text.find("base case:    none"), std::string::npos);
  EXPECT_EQ(text.find("recommendation:"), std::string::npos);
}

TEST(TableReport, StoppedRunSaysBySignalAndWhatWasCut) {
  const std::string text = render_table(testing::stopped_compare_report());
  EXPECT_NE(text.find("[INCOMPLETE: stopped by SIGTERM]"), std::string::npos) << text;
  EXPECT_NE(
      text.find("  - incomplete: stopped by SIGTERM after 3 of 3 repetitions of serial, threads "
                "and async, 2 of 3 of processes+threads; repetition 3 of processes+threads cut "
                "at 5 of 12 tasks"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("repetitions:  2 to 3 per model"), std::string::npos) << text;
}

TEST(CsvReport, CutRepetitionRowsAreMarkedPartial) {
  const std::string csv = testing::publish(testing::stopped_compare_report()).csv;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.substr(line.rfind(',') + 1), "partial");
  std::size_t rows = 0, partial = 0;
  while (std::getline(in, line)) {
    ++rows;
    if (line.substr(line.rfind(',') + 1) == "1") {
      ++partial;
      EXPECT_EQ(line.rfind("3,processes+threads,2,", 0), 0u) << line;  // run 3, rep index 2
    } else {
      EXPECT_EQ(line.substr(line.rfind(',') + 1), "0") << line;
    }
  }
  EXPECT_EQ(partial, 5u);
  EXPECT_EQ(rows, 3u * 3 * 12 + 2 * 12 + 5);
}

TEST(TraceReport, CutRepetitionHasItsOwnLabelledSection) {
  const nlohmann::json doc =
      nlohmann::json::parse(testing::publish(testing::stopped_compare_report()).trace);
  const std::string pids = doc["otherData"]["pids"];
  EXPECT_NE(pids.find("processes+threads rep 3 (cut by a stop)"), std::string::npos) << pids;
  std::size_t cut_slices = 0;
  for (const auto& e : doc["traceEvents"]) {
    if (e["ph"] == "X" && e["args"]["model"] == "processes+threads" && e["args"]["rep"] == 3)
      ++cut_slices;
  }
  EXPECT_EQ(cut_slices, 5u);
}

TEST(CsvReport, IoRunMatchesGolden) {
  expect_golden("run_io.csv", testing::publish(testing::io_run_report()).csv);
}

TEST(CsvReport, OneRowPerTaskRunAfterTheHeader) {
  const std::string csv = testing::publish(testing::cpu_compare_report()).csv;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, csv_header({}));
  EXPECT_EQ(line,
            "run,model,rep,id,rank,host,thread,start_s,duration_s,status,error,attempts,partial")
      << "a CPU run's joblog has no HTTP columns";
  std::size_t rows = 0;
  while (std::getline(in, line)) ++rows;
  EXPECT_EQ(rows, 4u * 3 * 12);  // models x repetitions x tasks
}

TEST(CsvReport, QuotesFieldsThatNeedIt) {
  testing::MockReport r = testing::io_run_report();
  r.runs[0].reps[0].per_rank[0].host = "odd,\"host\"";
  const std::string csv = testing::publish(r).csv;
  EXPECT_NE(csv.find(",\"odd,\"\"host\"\"\","), std::string::npos);
}

TEST(Format, SecondsPickTheirUnit) {
  EXPECT_EQ(format_seconds(1.23456), "1.235 s");
  EXPECT_EQ(format_seconds(123.456), "123.5 s");
  EXPECT_EQ(format_seconds(0.01234), "12.34 ms");
  EXPECT_EQ(format_seconds(0.000123456), "123.5 µs");
  EXPECT_EQ(format_seconds(8.5e-7), "850.0 ns");
  EXPECT_EQ(format_seconds(0.9999999), "1.000 s");
  EXPECT_EQ(format_seconds(0), "0 s");
  EXPECT_EQ(format_seconds(std::nan("")), "-");
}

TEST(Format, RatiosPercentsRatesBytes) {
  EXPECT_EQ(format_ratio(3.849), "3.85x");
  EXPECT_EQ(format_ratio(std::optional<double>{}), "-");
  EXPECT_EQ(format_percent(0.973), "97.3 %");
  EXPECT_EQ(format_rate(1234.0), "1.23k/s");
  EXPECT_EQ(format_rate(38.46), "38.5/s");
  EXPECT_EQ(format_rate(2.5e6), "2.5M/s");
  EXPECT_EQ(format_bytes(32ull << 20), "32 MiB");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_exact(0.1), "0.1");
  EXPECT_EQ(format_exact(1.0 / 3), "0.333333333");
}

TEST(Format, ExactIsPrintfsNineSignificantDigits) {
  for (double v : {0.0, -0.0, 1.0, 2.9875e-08, 1.0 / 3, 123456789.0, 1234567891.0, 1e-300, 6.02e23,
                   -42.5, 0.1, 1e21, 5e-324, HUGE_VAL, -HUGE_VAL}) {
    char want[64];
    std::snprintf(want, sizeof want, "%.9g", v);
    EXPECT_EQ(format_exact(v), want) << v;
  }
  EXPECT_EQ(format_exact(std::nan("")), "");
}

TEST(TextTable, AlignsByDisplayWidth) {
  TextTable t({{"name", TextTable::Align::left}, {"time"}});
  t.add_row({"a", "1.0 µs"});
  t.add_row({"bbbbbb", "10.0 ms"});
  EXPECT_EQ(t.render(), "name       time\na        1.0 µs\nbbbbbb  10.0 ms\n");
}

}  // namespace
}  // namespace fanout
