// Hand-built RunReports for the report tests: every duration derives from the task id, so the
// numbers (and the golden files) never change between runs.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "report/record_files.hpp"
#include "report/run_report.hpp"

namespace fanout::testing {

/// A task's outcome as the mock decides it from the id.
struct MockTask {
  double duration_s = 0;
  ErrorClass error = ErrorClass::none;
  std::int16_t http_status = 0;
  std::uint64_t bytes = 0;
};

/// One repetition's records: tasks [0, tasks) dealt round-robin to ranks, then to worker slots
/// inside a rank; each slot runs its tasks back to back from t = 0.
std::vector<Sample> mock_samples(int ranks, int workers, std::uint64_t tasks,
                                 const std::function<MockTask(TaskId)>& task);

/// The repetition a run of `samples` reports: its tallies folded by SampleFold (the measuring
/// loop's fold, with `kind`'s histogram and kind tally), per-rank figures derived from the
/// samples (busy = sum of durations, wall = last end, idle = workers * wall - busy, CPU = 0.98 /
/// 0.01 busy). The repetition's wall is the given one (a real run's includes start-up the mock
/// lacks).
Repetition mock_repetition(const Workload& kind, double wall_s, int ranks, int workers,
                           std::span<const Sample> samples);

/// A report as rank 0 holds it, and beside it the records a run streams to the per-task files
/// (which no report holds), by (run, repetition, partial), in the order they were measured.
struct MockReport : RunReport {
  using Key = std::tuple<std::size_t, std::size_t, bool>;
  std::vector<std::pair<Key, std::vector<Sample>>> records;

  /// The records of one section.
  const std::vector<Sample>& records_of(std::size_t run, std::size_t rep, bool partial) const;
  /// Adds a run and the records of its repetitions, one vector per repetition.
  void add_run(ModelRun run, std::vector<std::vector<Sample>> reps_samples);
  /// Sections in measurement order: repetition k of every run before repetition k + 1, the cut
  /// one where it would have been.
  std::vector<Key> measurement_order() const;
};

/// Streams the report's records into `files` in measurement order, in batches of `batch`
/// samples, each section ended, as the session does.
void stream(RecordFiles& files, const MockReport& report, std::size_t batch);

/// The per-task files a run of `report` publishes at its end.
struct Published {
  std::string csv;
  std::string trace;
};
/// Streams the report's records into RecordFiles (batches of `batch`) writing into a scratch
/// directory, publishes the CSV and the trace as the end of a run does, and reads them back.
Published publish(MockReport report, std::size_t batch = 1000);

/// The environment shared by the fixtures: 3 ranks on 2 nodes of 2 cores.
Environment mock_environment();

/// `compare` of a fib job: serial, threads (2), async, processes+threads (3 x 2, oversubscribed,
/// noisy, one wrong result), three repetitions each, with a recommendation.
MockReport cpu_compare_report();

/// `run` of an I/O job with processes+async on 2 ranks, 4 transfers in flight: one timeout, one
/// HTTP 503, the rest 200 with 1000 bytes; a given serial base time and one launcher note.
MockReport io_run_report();

/// cpu_compare_report() stopped by SIGTERM during the third repetition of processes+threads:
/// two complete repetitions there, the third cut after 5 of 12 tasks (wall 0.21 s).
MockReport stopped_compare_report();

}  // namespace fanout::testing
