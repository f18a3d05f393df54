// RecordFiles: rows streamed in batches, in measurement order (round robin over models), give
// the CSV and trace text that rendering the same samples held in the report gives; a repetition
// whose records are not all in is left out; a producer's failure leaves the old file whole.
#include "report/record_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "../temp_dir.hpp"
#include "report/csv_report.hpp"
#include "report_fixture.hpp"
#include "report/trace_report.hpp"
#include "report/writer.hpp"

namespace fanout {
namespace {

using test::slurp;

/// Streams every repetition of `report` (which holds its samples) into `files`, repetition by
/// repetition across the runs as the session measures them, in batches of `batch` samples.
void stream(RecordFiles& files, const RunReport& report, std::size_t batch) {
  std::size_t most = 0;
  for (const auto& run : report.runs) most = std::max(most, run.reps.size() + (run.partial ? 1 : 0));
  for (std::size_t k = 0; k < most; ++k) {
    for (std::size_t r = 0; r < report.runs.size(); ++r) {
      const ModelRun& run = report.runs[r];
      const bool partial = k == run.reps.size() && run.partial;
      if (k >= run.reps.size() && !partial) continue;
      const std::vector<Sample>& samples = partial ? run.partial->samples : run.reps[k].samples;
      for (std::size_t at = 0; at < samples.size(); at += batch) {
        const std::size_t n = std::min(batch, samples.size() - at);
        files.add(report, r, k, partial, std::span<const Sample>(samples.data() + at, n));
      }
      files.end_section(r, k, partial);
    }
  }
}

class RecordFilesTest : public ::testing::TestWithParam<std::size_t> {
 protected:
  RunReport with_paths(RunReport report) const {
    report.job.run.csv_path = scratch_ / "tasks.csv";
    report.job.run.trace_path = scratch_ / "trace.json";
    return report;
  }
  test::ScratchDir scratch_{"record-files"};
};

TEST_P(RecordFilesTest, StreamedFilesEqualTheRenderedOnes) {
  for (const RunReport& fixture :
       {testing::cpu_compare_report(), testing::io_run_report(), testing::stopped_compare_report()}) {
    const RunReport report = with_paths(fixture);
    RecordFiles files(report.job);
    ASSERT_TRUE(files.wanted());
    stream(files, report, GetParam());
    files.publish_csv(report);
    files.publish_trace(report);
    EXPECT_EQ(slurp(report.job.run.csv_path), render_csv(report));
    EXPECT_EQ(slurp(report.job.run.trace_path), render_trace(report));
    EXPECT_EQ(render_trace(report), trace_document(report).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
}

INSTANTIATE_TEST_SUITE_P(Batches, RecordFilesTest, ::testing::Values(1, 3, 1000));

TEST_F(RecordFilesTest, ARepetitionStillArrivingIsLeftOut) {
  const RunReport report = with_paths(testing::cpu_compare_report());
  RecordFiles files(report.job);
  const std::vector<Sample>& first = report.runs[0].reps[0].samples;
  ASSERT_FALSE(first.empty());
  files.add(report, 0, 0, false, first);
  files.publish_csv(report);
  EXPECT_EQ(slurp(report.job.run.csv_path), csv_header({}) + "\n");
  files.end_section(0, 0, false);
  files.publish_csv(report);
  std::string rows;
  append_csv_rows(rows, report, 0, 0, report.runs[0].reps[0], first, false);
  EXPECT_EQ(slurp(report.job.run.csv_path), csv_header({}) + "\n" + rows);
}

TEST_F(RecordFilesTest, TheSameSectionsAreNotWrittenTwice) {
  const RunReport report = with_paths(testing::cpu_compare_report());
  RecordFiles files(report.job);
  stream(files, report, 1000);
  files.publish_csv(report);
  std::filesystem::remove(report.job.run.csv_path);
  files.publish_csv(report);  // nothing new since the last: the final write after the progress one
  EXPECT_FALSE(std::filesystem::exists(report.job.run.csv_path));
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
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(scratch_.path())) ++entries;
  EXPECT_EQ(entries, 1u);
}

}  // namespace
}  // namespace fanout
