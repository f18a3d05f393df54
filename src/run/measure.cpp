// The measuring loop of one repetition, the same for every model (LULESH: MPI outside, OpenMP
// inside).
#include "run/measure.hpp"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

#include "exec/error_log.hpp"
#include "exec/range_source.hpp"
#include "exec/sample_storage.hpp"
#include "mpi/agree.hpp"
#include "mpi/dynamic_source.hpp"
#include "mpi/gather.hpp"
#include "mpi/partition.hpp"
#include "report/sample_fold.hpp"
#include "timing/byte_codec.hpp"

namespace fanout {
namespace {

/// The numeric part of a RankSummary, which travels as bytes (the host is known from World).
struct RankNumbers {
  std::int32_t workers;
  std::uint64_t tasks;
  std::uint64_t failed;
  double busy_s, idle_s, wall_s, cpu_user_s, cpu_sys_s;
};

}  // namespace

Measurement measure(World& world, BoundWorkload& workload, Model model, const Placement& placement,
                    const JobSpec& job, StopFlag* stop) {
  const TaskId total = workload.count();
  std::unique_ptr<Executor> executor;
  std::optional<std::string> failure;
  try {
    if (placement.participates) {
      executor = workload.make_executor(
          model, RankPart{placement.workers, placement.participant_index, placement.participants});
      executor->prepare();
    }
  } catch (const std::exception& e) {
    failure = to_string(model) + ": " + e.what();
  }
  // Set-up failed somewhere: every rank stops here alike instead of hanging in a collective.
  fail_together(world, failure);

  Measurement out;
  std::unique_ptr<DynamicSource> dynamic;
  std::unique_ptr<RangeSource> local;
  if (placement.dynamic) {
    const TaskId chunk = job.run.chunk
                             ? job.run.chunk
                             : auto_chunk(total, placement.participants * placement.workers);
    dynamic = std::make_unique<DynamicSource>(world, total, chunk, placement.participates, stop);
    out.chunk = chunk;
  } else if (placement.participates) {
    const TaskRange mine =
        block_partition(total, placement.participants, placement.participant_index);
    // Inside a rank, workers share the block in small chunks (OpenMP schedule(dynamic) style).
    local = std::make_unique<RangeSource>(mine, auto_chunk(mine.size(), placement.workers), stop);
  }

  // Every sample is folded into this rank's tallies as the engines spill them (and at the end,
  // the rest): no rank holds the records; those for the per-task files wait on disk.
  const Workload& kind = *job.workload;
  const bool spool_records = !job.run.csv_path.empty() || !job.run.trace_path.empty();
  SampleFold folded(kind);
  std::optional<std::string> spool_error;
  std::mutex fold_mutex;
  // The run's sink: called from the engines' worker threads too, so nothing may leave it as an
  // exception.
  const SampleSink fold = [&](std::span<const Sample> batch) {
    // A task that no attempt started (the run stopped first: a farm's walltime, its lost
    // launcher) did not run: no record, and it counts as skipped, as the tasks never handed out.
    std::vector<Sample> started;
    const auto none = [](const Sample& s) { return s.attempts == 0; };
    if (std::any_of(batch.begin(), batch.end(), none)) {
      std::remove_copy_if(batch.begin(), batch.end(), std::back_inserter(started), none);
      batch = started;
    }
    std::lock_guard lock(fold_mutex);
    folded.add(batch);
    if (spool_records && !spool_error) {
      try {
        out.records.append(batch);
      } catch (const std::exception& e) {
        spool_error = e.what();
      }
    }
  };
  // Sleep until every rank is here, then line the ranks up to microseconds for the common start.
  world.idle_barrier();
  world.sync_barrier();
  const RunContext ctx{Clock::now(), world.rank(), stop, fold};
  const CpuTimes cpu_before = process_cpu_times();
  if (executor) {
    TaskSource& source = dynamic ? static_cast<TaskSource&>(*dynamic) : *local;
    try {
      fold(executor->run(source, ctx));
    } catch (const std::exception& e) {
      failure = to_string(model) + " on rank " + std::to_string(world.rank()) + ": " + e.what();
    }
  }
  const double wall = seconds_between(ctx.t0, Clock::now());
  const CpuTimes cpu_after = process_cpu_times();
  if (dynamic) dynamic->finish();
  if (spool_error && !failure) {
    failure = "rank " + std::to_string(world.rank()) +
              " cannot keep the task records for --csv/--trace: " + *spool_error;
  }

  // The engine's own width: a pool is never wider than the tasks it has.
  const TaskTally& tally = folded.tally();
  RankNumbers mine{executor ? executor->workers() : 0,
                   tally.ran,
                   tally.failed,
                   tally.busy_s(),
                   0,
                   placement.participates ? wall : 0,
                   cpu_after.user_s - cpu_before.user_s,
                   cpu_after.sys_s - cpu_before.sys_s};
  mine.idle_s = std::max(0.0, mine.workers * mine.wall_s - mine.busy_s);

  const std::vector<std::string> messages =
      executor ? executor->error_messages() : std::vector<std::string>{};
  // Ranks that finished early wait here off the cores.
  world.idle_barrier();
  const std::vector<RankNumbers> ranks = gather_values(world, mine);
  // Tallies merge at rank 0 (sums of counts, buckets and busy times), so no statistic depends on
  // shipping every sample there. Every rank has the same kind, so all take part in both gathers.
  const auto tallies = gather_bytes(world, encode(tally), kMaxGatherBytes, 1);
  std::vector<std::vector<char>> kind_tallies;
  if (folded.kind_tally()) {
    kind_tallies = gather_bytes(world, folded.kind_tally()->to_bytes(), kMaxGatherBytes, 1);
  }
  out.error_messages = gather_strings(world, messages);
  fail_together(world, failure);
  if (!world.is_root()) return out;
  // The same fold's tallies, merged over ranks.
  SampleFold merged(kind);
  for (std::size_t r = 0; r < tallies.size(); ++r) {
    const std::span<const char> kind_bytes =
        kind_tallies.empty() ? std::span<const char>{} : std::span<const char>(kind_tallies[r]);
    merged.merge_bytes(tallies[r], kind_bytes);
  }
  out.rep = std::move(merged).repetition();
  if (dynamic) out.rep.dispatch = dynamic->load();
  for (std::size_t r = 0; r < ranks.size(); ++r) {
    const RankNumbers& x = ranks[r];
    // Ranks that sat out (rank-0 models, non-leaders of processes+async) are not part of the run.
    if (x.workers == 0) continue;
    out.rep.per_rank.push_back(RankSummary{static_cast<int>(r), world.hosts()[r], x.workers,
                                           x.tasks, x.failed, x.busy_s, x.idle_s, x.wall_s,
                                           x.cpu_user_s, x.cpu_sys_s});
    out.rep.wall_s = std::max(out.rep.wall_s, x.wall_s);
  }
  std::vector<std::string> distinct;
  std::sort(out.error_messages.begin(), out.error_messages.end());
  ErrorLog::merge_into(distinct, out.error_messages);
  out.error_messages = std::move(distinct);
  return out;
}

}  // namespace fanout
