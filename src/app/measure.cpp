// The measuring loop of one repetition, the same for every model (LULESH: MPI outside, OpenMP inside).
#include "app/measure.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "dist/dynamic_source.hpp"
#include "dist/gather.hpp"
#include "dist/partition.hpp"
#include "exec/range_source.hpp"
#include "report/summary.hpp"

namespace fanout {

Measurement measure(World& world, WorkloadBinding& workload, Model model,
                    const Placement& placement, const JobSpec& job, const StopFlag* stop) {
  const TaskId total = workload.count();
  std::unique_ptr<Executor> executor;
  std::optional<std::string> failure;
  try {
    if (placement.participates) {
      executor = workload.make_executor(model, placement);
      executor->prepare();
    }
  } catch (const std::exception& e) {
    failure = to_string(model) + ": " + e.what();
  }
  // Set-up failed somewhere: every rank stops here alike instead of hanging in a collective.
  if (auto error = world.agree_error(failure)) throw std::runtime_error(*error);

  Measurement out;
  std::unique_ptr<DynamicSource> dynamic;
  std::unique_ptr<RangeSource> local;
  if (placement.dynamic) {
    const TaskId chunk =
        job.run.chunk ? job.run.chunk
                      : auto_chunk(total, placement.participants * placement.workers);
    dynamic = std::make_unique<DynamicSource>(world, total, chunk, placement.participates, stop);
    out.chunk = chunk;
  } else if (placement.participates) {
    const TaskRange mine =
        block_partition(total, placement.participants, placement.participant_index);
    // Inside a rank, workers share the block in small chunks (OpenMP schedule(dynamic) style).
    local = std::make_unique<RangeSource>(mine, auto_chunk(mine.size(), placement.workers), stop);
  }

  // Sleep until every rank is here, then line the ranks up to microseconds for the common start.
  world.idle_barrier();
  world.sync_barrier();
  RunContext ctx{Clock::now(), world.rank(), stop};
  const CpuTimes cpu_before = process_cpu_times();
  std::vector<Sample> samples;
  if (executor) {
    TaskSource& source = dynamic ? static_cast<TaskSource&>(*dynamic) : *local;
    try {
      samples = executor->run(source, ctx);
    } catch (const std::exception& e) {
      failure = to_string(model) + " on rank " + std::to_string(world.rank()) + ": " + e.what();
    }
  }
  const double wall = seconds_between(ctx.t0, Clock::now());
  const CpuTimes cpu_after = process_cpu_times();
  if (dynamic) dynamic->finish();

  RankSummary mine;
  mine.rank = world.rank();
  mine.workers = placement.participates ? placement.workers : 0;
  mine.tasks = samples.size();
  for (const Sample& s : samples) {
    mine.busy_s += s.duration_s;
    if (!s.ok()) ++mine.failed;
  }
  mine.wall_s = placement.participates ? wall : 0;
  mine.idle_s = std::max(0.0, mine.workers * mine.wall_s - mine.busy_s);
  mine.cpu_user_s = cpu_after.user_s - cpu_before.user_s;
  mine.cpu_sys_s = cpu_after.sys_s - cpu_before.sys_s;

  const std::vector<std::string> messages =
      executor ? executor->error_messages() : std::vector<std::string>{};
  // Request latencies merge across ranks by summing histogram buckets (an MPI reduce), so the
  // percentiles do not depend on shipping every sample to rank 0.
  std::vector<std::uint64_t> latency_buckets;
  if (job.workload == WorkloadKind::io) {
    latency_buckets = world.reduce_sum(latency_histogram(samples).buckets());
  }
  out.rep = gather_repetition(world, std::move(samples), mine);
  if (world.is_root()) out.rep.latency_buckets = std::move(latency_buckets);
  out.error_messages = gather_strings(world, messages);
  if (auto error = world.agree_error(failure)) throw std::runtime_error(*error);
  if (world.is_root()) {
    // Ranks that sat out (rank-0 models, non-leaders of processes+async) are not part of the run.
    std::erase_if(out.rep.per_rank, [](const RankSummary& r) { return r.workers == 0; });
    std::sort(out.error_messages.begin(), out.error_messages.end());
    out.error_messages.erase(std::unique(out.error_messages.begin(), out.error_messages.end()),
                             out.error_messages.end());
    if (out.error_messages.size() > 10) out.error_messages.resize(10);
  }
  return out;
}

}  // namespace fanout
