// RateSchedule: an open-loop job's arrivals, a staircase of rates, and when each is meant to start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fanout {

/// Most requests per second a job may ask for, over every rank.
inline constexpr double kMaxRate = 1e6;

/// The job's arrivals, numbered 0, 1, 2, ... over every rank: step i runs `rates[i]` requests per
/// second for `step_s` seconds, evenly spaced from i * step_s. The driver `index` of `of` sends
/// the arrivals index, index + of, index + 2 * of, ...: the job's are evenly spaced, never bursts
/// of `of`.
class RateSchedule {
 public:
  RateSchedule() = default;
  /// A staircase of `step_s` seconds per rate; throws std::invalid_argument for a step that would
  /// hold no request, or rates outside (0, kMaxRate].
  RateSchedule(std::vector<double> rates, double step_s);
  /// One rate for `count` arrivals.
  static RateSchedule for_count(double rate, std::uint64_t count);

  bool empty() const { return rates_.empty(); }
  const std::vector<double>& rates() const { return rates_; }
  std::size_t steps() const { return rates_.size(); }
  /// Arrivals in step i: rates[i] * step_s, rounded.
  std::uint64_t step_count(std::size_t i) const { return counts_[i]; }
  /// Arrivals in every step.
  std::uint64_t total() const { return total_; }
  /// Seconds step i lasts: step_s, or count / rate for a single rate over a count.
  double step_seconds(std::size_t i) const;
  /// The step of arrival g; arrivals past total() belong to the last step.
  std::size_t step_of(std::uint64_t g) const;
  /// Seconds from the run's start at which arrival g is meant to start; past total(), the last
  /// step's spacing goes on.
  double intended_s(std::uint64_t g) const;

 private:
  std::vector<double> rates_;
  std::vector<std::uint64_t> counts_;
  std::vector<std::uint64_t> first_;  ///< first arrival of each step
  std::vector<double> start_s_;       ///< when each step starts
  double step_s_ = 0;
  std::uint64_t total_ = 0;
};

/// The job's arrival that driver `index` of `of` sends as its k-th request.
inline std::uint64_t job_arrival(std::uint64_t k, int index, int of) {
  return k * static_cast<std::uint64_t>(of) + static_cast<std::uint64_t>(index);
}

/// "2000" or a staircase "1000,2000,4000" (requests per second, each in (0, kMaxRate]); throws
/// std::invalid_argument saying what is valid.
std::vector<double> parse_rates(std::string_view text);

}  // namespace fanout
