// Whether a run's task records fit in rank 0's memory, checked before any work.
#pragma once

#include <cstdint>

#include "run/run_options.hpp"

namespace fanout {

/// Whether rank 0 holds every task run's record until the report is written: only for a kind
/// whose figures read them (Workload::keeps_records: io, the farm). Otherwise every rank folds its
/// records into a TaskTally as they come, the per-task files (--csv, --trace) are streamed to
/// rank 0 in bounded rounds through spools on disk, and the memory of every process is flat in
/// the task count.
bool keeps_task_records(const JobSpec& job);

/// Bytes rank 0 needs per task run (one task in one repetition of one model): with
/// keeps_task_records, the record it keeps and the gather buffer it arrives in; 0 otherwise
/// (nothing per task is held; the CSV and trace text wait on disk, not in memory).
std::uint64_t bytes_per_task_run(const JobSpec& job);

/// The measurements `cmd` makes of each repetition: its models, plus the serial base case when
/// it is measured and not among them.
std::uint64_t measured_models(const RunCommand& cmd);

/// Memory this process may use: the machine's physical memory, or a smaller cgroup limit.
std::uint64_t usable_memory_bytes();

/// Throws ConfigError naming the workload's size key (JobSpec::size_origin) when `tasks` x
/// repetitions x models task runs need more than 80 % of `memory_bytes`, saying how many fit. A
/// job whose records are not held passes whatever its task count.
void check_task_budget(const RunCommand& cmd, std::uint64_t tasks, std::uint64_t memory_bytes);

}  // namespace fanout
