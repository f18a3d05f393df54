// DispatchLoad: what rank 0's dynamic dispatcher did in one measurement, and how many ranks a
// dispatcher that fast can keep fed at a given task length.
#pragma once

#include <cmath>
#include <cstdint>

namespace fanout {

struct DispatchLoad {
  std::uint64_t requests = 0;  ///< chunk requests from the other ranks it answered
  double busy_s = 0;           ///< time it spent answering them (request seen to reply sent)
  /// Ids its answers handed out: a flat run's requests each take a chunk, a node leader's a node's
  /// worth; 0 when not counted.
  std::uint64_t ids = 0;
  /// The time one request cost it; NaN before any.
  double cost_s() const { return requests > 0 ? busy_s / static_cast<double>(requests) : NAN; }
  /// Ids one answer handed out on average; NaN when not counted.
  double ids_per_request() const {
    return requests > 0 && ids > 0 ? static_cast<double>(ids) / static_cast<double>(requests) : NAN;
  }
};

/// Ranks one dispatcher answering a request in `cost_s` can keep busy: it hands out `per_request`
/// ids an answer, one answer at a time, and each rank's `workers` workers, running tasks of mean
/// `task_s`, use up workers / task_s ids a second. NaN when nothing is known.
inline double feedable_ranks(double cost_s, double per_request, double task_s, int workers) {
  if (!(cost_s > 0) || !(task_s > 0) || workers < 1 || !(per_request > 0)) return NAN;
  return per_request * task_s / (static_cast<double>(workers) * cost_s);
}

}  // namespace fanout
