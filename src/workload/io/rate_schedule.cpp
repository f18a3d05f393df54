// The staircase of rates and the intended start of every arrival.
#include "workload/io/rate_schedule.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

namespace fanout {
namespace {

void check_rate(double rate) {
  if (!std::isfinite(rate) || rate <= 0 || rate > kMaxRate) {
    throw std::invalid_argument("a rate must be a number of requests per second above 0, at most " +
                                std::to_string(static_cast<long long>(kMaxRate)));
  }
}

}  // namespace

RateSchedule::RateSchedule(std::vector<double> rates, double step_s)
    : rates_(std::move(rates)), step_s_(step_s) {
  if (rates_.empty()) throw std::invalid_argument("no rate given");
  if (!std::isfinite(step_s) || step_s <= 0) throw std::invalid_argument("a step must be positive");
  for (std::size_t i = 0; i < rates_.size(); ++i) {
    check_rate(rates_[i]);
    const auto n = static_cast<std::uint64_t>(std::llround(rates_[i] * step_s));
    if (n == 0) {
      throw std::invalid_argument(
          "a step of " + std::to_string(step_s) + " s at " + std::to_string(rates_[i]) +
          " requests/s holds no request; use a longer step or a higher rate");
    }
    first_.push_back(total_);
    start_s_.push_back(static_cast<double>(i) * step_s);
    counts_.push_back(n);
    total_ += n;
  }
}

RateSchedule RateSchedule::for_count(double rate, std::uint64_t count) {
  check_rate(rate);
  if (count == 0) throw std::invalid_argument("no request to pace");
  RateSchedule s;
  s.rates_ = {rate};
  s.counts_ = {count};
  s.first_ = {0};
  s.start_s_ = {0};
  s.total_ = count;
  return s;
}

double RateSchedule::step_seconds(std::size_t i) const {
  return step_s_ > 0 ? step_s_ : static_cast<double>(counts_[i]) / rates_[i];
}

std::size_t RateSchedule::step_of(std::uint64_t g) const {
  const auto after = std::upper_bound(first_.begin(), first_.end(), g);
  return static_cast<std::size_t>(after - first_.begin()) - 1;
}

double RateSchedule::intended_s(std::uint64_t g) const {
  const std::size_t i = step_of(g);
  return start_s_[i] + static_cast<double>(g - first_[i]) / rates_[i];
}

std::vector<double> parse_rates(std::string_view text) {
  const std::string valid =
      "expected requests per second above 0 and at most " +
      std::to_string(static_cast<long long>(kMaxRate)) +
      ", one rate (2000) or a staircase of rates separated by commas (1000,2000,4000)";
  const bool staircase = text.find(',') != std::string_view::npos;
  std::vector<double> rates;
  for (;;) {
    const std::size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    double rate = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), rate);
    if (item.empty() || ec != std::errc{} || end != item.data() + item.size() ||
        !std::isfinite(rate) || rate <= 0 || rate > kMaxRate) {
      throw std::invalid_argument(staircase ? "rate " + std::to_string(rates.size() + 1) +
                                                  " of the staircase, '" + std::string(item) +
                                                  "': " + valid
                                            : valid);
    }
    rates.push_back(rate);
    if (comma == std::string_view::npos) return rates;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace fanout
