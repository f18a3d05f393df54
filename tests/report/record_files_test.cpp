// RecordFiles: rows streamed in batches, in measurement order (round robin over models), are
// appended beside the CSV and published once at the end; a stop gets a copy of the complete
// sections so far; a repetition whose records are not all in is left out; the trace holds every
// task; a producer's failure leaves the old file whole and no temporary file behind.
#include "report/record_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "../temp_dir.hpp"
#include "report/csv_report.hpp"
#include "report/writer.hpp"
#include "report_fixture.hpp"

namespace fanout {
namespace {

using test::slurp;
using testing::MockReport;

/// The CSV text of the report's sections in measurement order (`upto`: the first that many).
std::string expected_csv(const MockReport& report, std::size_t upto = ~std::size_t{0}) {
  std::string out = csv_header(report.job.workload->records().fields) + "\n";
  std::size_t n = 0;
  for (const auto& [r, k, partial] : report.measurement_order()) {
    if (n++ == upto) break;
    const ModelRun& run = report.runs[r];
    append_csv_rows(out, report, r, k, partial ? *run.partial : run.reps[k],
                    report.records_of(r, k, partial), partial);
  }
  return out;
}

std::size_t entries(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

class RecordFilesTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  MockReport with_paths(MockReport report) const {
    report.job.run.csv_path = scratch_ / "tasks.csv";
    report.job.run.trace_path = scratch_ / "trace.json";
    return report;
  }
  test::ScratchDir scratch_{"record-files"};
};

TEST_P(RecordFilesTest, PublishedFilesHoldEveryRecordInMeasurementOrder) {
  for (const MockReport& fixture : {testing::cpu_compare_report(), testing::io_run_report(),
                                    testing::stopped_compare_report()}) {
    const testing::Published files = testing::publish(fixture, GetParam());
    EXPECT_EQ(files.csv, expected_csv(fixture));
    const nlohmann::json trace = nlohmann::json::parse(files.trace);
    std::size_t slices = 0, records = 0;
    for (const auto& e : trace["traceEvents"]) slices += e["ph"] == "X" ? 1 : 0;
    for (const auto& section : fixture.records) records += section.second.size();
    EXPECT_EQ(slices, records);
  }
}

INSTANTIATE_TEST_SUITE_P(Batches, RecordFilesTest, ::testing::Values(1, 3, 1000));

TEST_F(RecordFilesTest, RowsGrowBesideTheCsvWhichIsPublishedOnceAtTheEnd) {
  const MockReport report = with_paths(testing::cpu_compare_report());
  const std::string& csv = report.job.run.csv_path;
  {
    RecordFiles files(report.job);
    testing::stream(files, report, 5);
    EXPECT_FALSE(std::filesystem::exists(csv)) << "the CSV is not rewritten while the run goes on";
    EXPECT_EQ(entries(scratch_.path()), 1u) << "the rows wait in one temporary file";
    files.publish_csv(report);
    EXPECT_EQ(slurp(csv), expected_csv(report));
    EXPECT_EQ(entries(scratch_.path()), 1u) << "the temporary file became the CSV";
    std::filesystem::remove(csv);
    files.publish_csv(report);  // once only: the end of the run
    EXPECT_FALSE(std::filesystem::exists(csv));
  }
  {
    RecordFiles dropped(report.job);  // a run that ends before its end (an error)
    testing::stream(dropped, report, 1000);
    ASSERT_EQ(entries(scratch_.path()), 1u);
  }
  EXPECT_EQ(entries(scratch_.path()), 0u) << "an unpublished temporary file is removed";
}

TEST_F(RecordFilesTest, AStopGetsACopyOfTheCompleteSectionsAndRowsGoOn) {
  const MockReport report = with_paths(testing::cpu_compare_report());
  const std::string& csv = report.job.run.csv_path;
  RecordFiles files(report.job);
  const std::vector<Sample>& first = report.records_of(0, 0, false);
  ASSERT_FALSE(first.empty());
  files.add(report, 0, 0, false, first);
  files.copy_csv_so_far(report);
  EXPECT_EQ(slurp(csv), csv_header({}) + "\n") << "a repetition still arriving is left out";
  files.end_section(0, 0, false);
  files.copy_csv_so_far(report);
  EXPECT_EQ(slurp(csv), expected_csv(report, 1));
  const std::vector<Sample>& second = report.records_of(1, 0, false);
  files.add(report, 1, 0, false, second);
  files.end_section(1, 0, false);
  const std::vector<Sample>& third = report.records_of(2, 0, false);
  files.add(report, 2, 0, false, std::span<const Sample>(third.data(), 4));
  files.publish_csv(report);
  EXPECT_EQ(slurp(csv), expected_csv(report, 2)) << "the rows of a section not all in are cut";
  EXPECT_EQ(entries(scratch_.path()), 1u);
}

TEST_F(RecordFilesTest, WithoutRecordsTheCsvIsItsHeader) {
  const MockReport report = with_paths(testing::io_run_report());
  RecordFiles files(report.job);
  files.publish_csv(report);
  EXPECT_EQ(slurp(report.job.run.csv_path),
            csv_header(report.job.workload->records().fields) + "\n");
}

TEST_F(RecordFilesTest, TheSameTraceSectionsAreNotWrittenTwice) {
  const MockReport report = with_paths(testing::cpu_compare_report());
  RecordFiles files(report.job);
  testing::stream(files, report, 1000);
  files.publish_trace(report);
  std::filesystem::remove(report.job.run.trace_path);
  // Nothing new since the last: the final write after the progress one.
  files.publish_trace(report);
  EXPECT_FALSE(std::filesystem::exists(report.job.run.trace_path));
}

TEST_F(RecordFilesTest, AFailingProducerKeepsTheOldFileAndLeavesNoTemporary) {
  const std::string path = scratch_ / "tasks.csv";
  write_file_atomically(path, "old\n");
  EXPECT_THROW(write_produced_atomically(path,
                                         [](const auto& put) {
                                           put("half");
                                           throw std::runtime_error("spool gone");
                                         }),
               std::runtime_error);
  EXPECT_EQ(slurp(path), "old\n");
  EXPECT_EQ(entries(scratch_.path()), 1u);
}

}  // namespace
}  // namespace fanout
