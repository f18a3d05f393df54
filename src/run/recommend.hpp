// The verdict that closes `compare`: what bounds the workload and which model to use, from
// measurements.
#pragma once

#include <optional>

#include "report/run_report.hpp"

namespace fanout {

/// Serial runs whose CPU time (user + sys) is at least this fraction of their wall time are
/// CPU-bound; below it the time goes to waiting, so the workload is I/O-bound.
inline constexpr double kCpuBoundFraction = 0.5;
/// Where a kind's tasks tell their own CPU time (the farm): CPU-bound at or above this share,
/// I/O-bound at or below kTasksIoBound, mixed between.
inline constexpr double kTasksCpuBound = 0.8;
inline constexpr double kTasksIoBound = 0.2;

/// Derives the recommendation from the report's runs: the workload class from the base (serial)
/// run's CPU time against its wall time, the model to use, and a sentence or two of why. The model
/// (Recommendation::fastest) is the fastest by median wall time among runs without failed tasks,
/// unless a simpler run is within 5 % of it or within twice the larger cv of the two: then that
/// simpler run, and the why says so with the gap and the cv. nullopt when there is no serial run
/// to classify by.
std::optional<Recommendation> recommend(const RunReport& report);

}  // namespace fanout
