// DispatchLoad: what rank 0's dynamic dispatcher did in one measurement, and how many ranks a
// dispatcher that fast can keep fed at a given task length.
#pragma once

#include <cmath>
#include <cstdint>

namespace fanout {

struct DispatchLoad {
  std::uint64_t requests = 0;  ///< chunk requests from the other ranks it answered
  double busy_s = 0;           ///< time it spent answering them (request seen to reply sent)
  /// The time one request cost it; NaN before any.
  double cost_s() const { return requests > 0 ? busy_s / static_cast<double>(requests) : NAN; }
};

/// Ranks one dispatcher answering a request in `cost_s` can keep busy: each rank's `workers`
/// workers, running tasks of mean `task_s`, ask for a chunk of `chunk` tasks every
/// chunk x task_s / workers seconds, and the dispatcher answers one request at a time. NaN when
/// nothing is known.
inline double feedable_ranks(double cost_s, std::uint64_t chunk, double task_s, int workers) {
  if (!(cost_s > 0) || !(task_s > 0) || workers < 1 || chunk == 0) return NAN;
  return static_cast<double>(chunk) * task_s / (static_cast<double>(workers) * cost_s);
}

}  // namespace fanout
