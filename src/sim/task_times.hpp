// TaskTimes: the simulated duration of every task id, drawn from a distribution or replayed from a
// joblog, the same for an id however often and in whatever order it is asked.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dispatch/protocol.hpp"

namespace fanout::sim {

enum class Distribution { constant, exponential, lognormal, pareto, replay };

/// How task times are made.
struct TaskTimeSpec {
  Distribution kind = Distribution::constant;
  double mean_s = 0.01;  ///< mean task time (not used by replay)
  /// lognormal: sigma of the underlying normal (1 by default); pareto: the tail index alpha
  /// (1.5 by default: finite mean, infinite variance). Must be > 1 for pareto.
  double shape = 0;
  std::uint64_t seed = 1;
  std::string joblog;  ///< replay: a joblog in GNU parallel's format; its Seq and JobRuntime
};

constexpr Distribution kDistributions[] = {Distribution::constant, Distribution::exponential,
                                           Distribution::lognormal, Distribution::pareto,
                                           Distribution::replay};
const char* to_string(Distribution d);
/// The shape used when TaskTimeSpec::shape is 0.
double default_shape(Distribution d);

class TaskTimes {
 public:
  /// Reads the joblog for replay (throws ConfigError naming it when it holds no task).
  explicit TaskTimes(const TaskTimeSpec& spec);

  /// Seconds task `id` runs: a draw seeded by (seed, id); replay: the JobRuntime of the joblog's
  /// line with Seq id + 1 (ids past the largest Seq cycle through them again; a Seq it lacks
  /// runs for the mean of the others).
  double time(dispatch::TaskId id) const;
  /// time(id) over [begin, end): their sum and the longest.
  struct Span {
    double sum_s = 0;
    double longest_s = 0;
  };
  Span span(dispatch::Range r) const;
  double sum(dispatch::Range r) const { return span(r).sum_s; }
  /// Replay: the largest Seq in the joblog; 0 otherwise.
  std::uint64_t replay_size() const { return replay_.size(); }
  /// Replay: the sum of the joblog's runtimes; 0 otherwise.
  double replay_total_s() const { return replay_total_s_; }
  const TaskTimeSpec& spec() const { return spec_; }

 private:
  TaskTimeSpec spec_;
  double shape_ = 0;
  double scale_ = 0;  ///< pareto's x_m, lognormal's mu
  std::vector<double> replay_;
  double replay_total_s_ = 0;
};

}  // namespace fanout::sim
