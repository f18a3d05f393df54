// One measurement of one model: barrier, common start, run, gather to rank 0.
#pragma once

#include "exec/sample_storage.hpp"
#include "exec/stop_flag.hpp"
#include "mpi/world.hpp"
#include "report/run_report.hpp"
#include "run/placement.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// What one measurement produced; filled on rank 0, empty elsewhere, but for `records`.
struct Measurement {
  Repetition rep;
  /// On every rank: its tasks' records when the job asks for per-task files (--csv, --trace),
  /// kept on disk until the session streams them to rank 0 (stream_samples); empty otherwise.
  SampleSpool records;
  std::vector<std::string> error_messages;
  std::uint64_t chunk = 0;  ///< dynamic chunk used, 0 for static
};

/// Collective. Every rank builds its executor first (allocations and handles are not measured),
/// then: idle barrier, t0 = now on every rank, run this rank's share (a static block, or chunks
/// pulled from rank 0), local wall and CPU time, and gather to rank 0 of every rank's TaskTally
/// and RankSummary, and of its KindTally for a kind that keeps one (Workload::make_tally). Each
/// rank folds its samples into its tallies (SampleFold) as the engines hand them over
/// (RunContext::sink), so its memory does not grow with the task count; the records for per-task
/// files go to Measurement::records. Ranks that do not take part wait in the gather's idle
/// barrier, off the cores.
/// Once `stop` (this rank's flag; may be null) is set, this rank takes no further task and runs
/// none beyond those in flight; on rank 0 that also ends the dynamic hand-out for every rank. The
/// gather still completes, with the samples of the tasks that ran.
Measurement measure(World& world, BoundWorkload& workload, Model model, const Placement& placement,
                    const JobSpec& job, StopFlag* stop);

}  // namespace fanout
