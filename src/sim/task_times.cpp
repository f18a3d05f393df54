// Task times: counter-based draws (splitmix64 of seed and id) through each distribution's inverse
// CDF, so a chunk's time needs no state and 100M ids need no table.
#include "sim/task_times.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "cli/config_error.hpp"
#include "workload/shell/joblog.hpp"

namespace fanout::sim {

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Uniform in (0, 1), never 0 or 1, from 53 bits of the hash.
double uniform(std::uint64_t seed, std::uint64_t id, std::uint64_t stream) {
  const std::uint64_t bits = splitmix64(splitmix64(seed ^ (stream * 0xd1b54a32d192ed03ULL)) + id);
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

/// A standard normal by Box-Muller from two independent uniforms.
double normal(std::uint64_t seed, std::uint64_t id) {
  const double u1 = uniform(seed, id, 1);
  const double u2 = uniform(seed, id, 2);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

}  // namespace

const char* to_string(Distribution d) {
  switch (d) {
    case Distribution::constant:
      return "constant";
    case Distribution::exponential:
      return "exponential";
    case Distribution::lognormal:
      return "lognormal";
    case Distribution::pareto:
      return "pareto";
    case Distribution::replay:
      return "replay";
  }
  return "?";
}

double default_shape(Distribution d) {
  if (d == Distribution::lognormal) return 1.0;
  if (d == Distribution::pareto) return 1.5;
  return 0;
}

TaskTimes::TaskTimes(const TaskTimeSpec& spec) : spec_(spec) {
  shape_ = spec.shape > 0 ? spec.shape : default_shape(spec.kind);
  if (spec.kind == Distribution::pareto) {
    scale_ = spec.mean_s * (shape_ - 1) / shape_;  // x_m for the mean asked
  } else if (spec.kind == Distribution::lognormal) {
    scale_ = std::log(spec.mean_s) - shape_ * shape_ / 2;  // mu for the mean asked
  } else if (spec.kind == Distribution::replay) {
    constexpr std::uint64_t kMaxSeq = std::uint64_t{1} << 32;
    std::uint64_t lines = 0;
    read_joblog(spec.joblog, [&](const JoblogEntry& e, const std::string& where) {
      if (e.seq == 0 || e.seq > kMaxSeq)
        throw ConfigError(where + ": Seq " + std::to_string(e.seq) + ": must be 1 to 2^32");
      if (e.seq > replay_.size()) replay_.resize(e.seq, NAN);
      replay_[e.seq - 1] = e.runtime_s;  // a later line of the same Seq (a retry) wins
      ++lines;
    });
    // Seqs the joblog lacks (tasks that did not finish) run for the mean of those it has.
    double known = 0;
    std::uint64_t count = 0;
    for (double t : replay_) {
      if (!std::isnan(t)) {
        known += t;
        ++count;
      }
    }
    for (double& t : replay_) {
      if (std::isnan(t)) t = known / static_cast<double>(count);
      replay_total_s_ += t;
    }
    if (lines == 0)
      throw ConfigError("--joblog " + spec.joblog + ": no finished task in it (or no such file)");
  }
}

double TaskTimes::time(dispatch::TaskId id) const {
  switch (spec_.kind) {
    case Distribution::constant:
      return spec_.mean_s;
    case Distribution::exponential:
      return -spec_.mean_s * std::log(uniform(spec_.seed, id, 0));
    case Distribution::lognormal:
      return std::exp(scale_ + shape_ * normal(spec_.seed, id));
    case Distribution::pareto:
      return scale_ / std::pow(uniform(spec_.seed, id, 0), 1.0 / shape_);
    case Distribution::replay:
      return replay_[id % replay_.size()];
  }
  return 0;
}

TaskTimes::Span TaskTimes::span(dispatch::Range r) const {
  if (spec_.kind == Distribution::constant)
    return {static_cast<double>(r.size()) * spec_.mean_s, r.empty() ? 0 : spec_.mean_s};
  Span s;
  for (dispatch::TaskId id = r.begin; id < r.end; ++id) {
    const double t = time(id);
    s.sum_s += t;
    s.longest_s = std::max(s.longest_s, t);
  }
  return s;
}

}  // namespace fanout::sim
