// Hand-built RunReports for the report tests: every duration derives from the task id, so the
// numbers (and the golden files) never change between runs.
#pragma once

#include <functional>

#include "report/run_report.hpp"

namespace fanout::testing {

/// A task's outcome as the mock decides it from the id.
struct MockTask {
  double duration_s = 0;
  ErrorClass error = ErrorClass::none;
  std::int16_t http_status = 0;
  std::uint64_t bytes = 0;
};

/// One repetition: tasks [0, tasks) dealt round-robin to ranks, then to worker slots inside a rank;
/// each slot runs its tasks back to back from t = 0. Per-rank figures are derived from the samples
/// (busy = sum of durations, wall = last end, idle = workers * wall - busy, CPU = 0.98 / 0.01 busy).
/// The repetition's wall is the given one (a real run's wall includes start-up the mock lacks).
Repetition mock_repetition(double wall_s, int ranks, int workers, std::uint64_t tasks,
                           const std::function<MockTask(TaskId)>& task);

/// The environment shared by the fixtures: 3 ranks on 2 nodes of 2 cores.
Environment mock_environment();

/// `compare` of a fib job: serial, threads (2), async, processes+threads (3 x 2, oversubscribed,
/// noisy, one wrong result), three repetitions each, with a recommendation.
RunReport cpu_compare_report();

/// `run` of an I/O job with processes+async on 2 ranks, 4 transfers in flight: one timeout, one
/// HTTP 503, the rest 200 with 1000 bytes; a given serial base time and one launcher note.
RunReport io_run_report();

/// cpu_compare_report() stopped by SIGTERM during the third repetition of processes+threads:
/// two complete repetitions there, the third cut after 5 of 12 tasks (wall 0.21 s).
RunReport stopped_compare_report();

}  // namespace fanout::testing
