// What a farm's ranks take together when it is bound: the logs directory, and the joblog with its
// lock, so that one farm at a time writes a joblog and a resume never plans from a stale one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mpi/world.hpp"
#include "workload/shell/gpu_list.hpp"
#include "workload/shell/joblog.hpp"
#include "workload/shell/log_lock.hpp"
#include "workload/shell/output_log.hpp"
#include "workload/shell/shell_spec.hpp"
#include "workload/shell/walltime_gate.hpp"

namespace fanout {

/// What binding gives a rank: where its joblog lines go and the lock it holds on the joblog (both
/// null without a joblog), and on rank 0 the count of lines made durable, for progress.
struct FarmBinding {
  std::shared_ptr<JoblogWriter> joblog;
  std::shared_ptr<LogLock> lock;
  std::shared_ptr<JoblogCounts> counts;
  /// This rank's file of output records (shell.output = records; null for files).
  std::shared_ptr<RankOutputLog> output;
};

/// Why a run of `spec` would mix its records with an earlier run's (a joblog that records tasks,
/// without a resume); "" when it would not.
std::string joblog_restart_refusal(const ShellSpec& spec);

/// Collective. Rank 0 makes the logs directory and takes the joblog's lock (LogLock::lead); then
/// every rank refuses alike (exit 2, before any task): another farm holding it; a joblog that
/// records tasks without a resume; on a resume, a joblog whose size is no longer `read_bytes`,
/// the size it had when this rank read its plan (another farm appended meanwhile, so the plan would
/// rerun what it finished, or differ from the other ranks'). Then rank 0 opens the joblog, which
/// it alone writes (group commit, each batch after its records are synced), and the other ranks
/// make the directory and join the lock. With shell.output = records, every rank then opens its
/// own file of records in LOGS/output. Last, every rank connects to the joblog (RankLog).
FarmBinding bind_farm_logs(World& world, const ShellSpec& spec, std::uint64_t read_bytes);

/// Collective. This rank's GPUs when spec.gpus_per_task is set (empty otherwise): its share
/// (rank_share) of what `detect` finds on its node. Every rank refuses alike (exit 2, before any
/// task) when a node has no GPU, fewer than one task takes, too few for each of its ranks, or
/// fewer than spec.slots tasks take.
std::vector<std::string> bind_farm_gpus(World& world, const ShellSpec& spec,
                                        const std::function<NodeGpus()>& detect);

/// Collective. The gate every rank's tasks pass before they start, when rank 0 reads the
/// allocation's end (allocation_end through `get`; a launcher need not pass the variable on to
/// other nodes): the same end on every rank, spec.time_request_s, and `longest_s`, the longest task
/// the joblog records. Null when no end is known. Every rank refuses alike (exit 2) a variable
/// that holds no time. Null without a joblog too (a sample, timed whole).
std::shared_ptr<WalltimeGate> bind_farm_walltime(
    World& world, const ShellSpec& spec, double longest_s,
    const std::function<const char*(const char*)>& get);

}  // namespace fanout
