// Whether a run's task records fit in rank 0's memory, checked before any work.
#pragma once

#include <cstdint>

#include "run/run_options.hpp"

namespace fanout {

/// Bytes rank 0 needs per task run (one task in one repetition of one model): the record it keeps,
/// the gather buffer it arrives in, and its rows in the CSV and trace text when those are asked for.
std::uint64_t bytes_per_task_run(const RunSpec& run);

/// The measurements `cmd` makes of each repetition: its models, plus the serial base case when
/// it is measured and not among them.
std::uint64_t measured_models(const RunCommand& cmd);

/// Memory this process may use: the machine's physical memory, or a smaller cgroup limit.
std::uint64_t usable_memory_bytes();

/// Throws ConfigError naming the workload's size key (JobSpec::size_origin) when `tasks` x
/// repetitions x models task runs need more than 80 % of `memory_bytes`, saying how many fit.
void check_task_budget(const RunCommand& cmd, std::uint64_t tasks, std::uint64_t memory_bytes);

}  // namespace fanout
