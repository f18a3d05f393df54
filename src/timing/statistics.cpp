// Summary statistics over vectors of doubles: moments, percentiles, confidence intervals.
#include "timing/statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace fanout {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> sorted_copy(const std::vector<double>& v) {
  std::vector<double> s(v);
  std::sort(s.begin(), s.end());
  return s;
}

}  // namespace

double mean(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double minimum(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  return *std::min_element(v.begin(), v.end());
}

double maximum(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  return *std::max_element(v.begin(), v.end());
}

double median(const std::vector<double>& v) { return percentile(v, 50); }

double stddev(const std::vector<double>& v) {
  if (v.size() < 2) return kNaN;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double cv(const std::vector<double>& v) {
  const double m = mean(v);
  if (v.size() < 2 || m == 0) return kNaN;
  return stddev(v) / m;
}

double percentile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty() || std::isnan(q)) return kNaN;
  q = std::clamp(q, 0.0, 100.0);
  const double h = static_cast<double>(sorted.size() - 1) * q / 100.0;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

double percentile(const std::vector<double>& v, double q) {
  return percentile_sorted(sorted_copy(v), q);
}

ConfidenceInterval median_ci95(const std::vector<double>& v) {
  if (v.empty()) return {kNaN, kNaN, 0};
  const std::vector<double> s = sorted_copy(v);
  const std::size_t n = s.size();
  // Binomial(n, 1/2) CDF in log space, so large n does not underflow 2^-n.
  const double log_half_n = -static_cast<double>(n) * std::log(2.0);
  const double lg_n1 = std::lgamma(static_cast<double>(n) + 1);
  double cdf = 0;  // P(B <= k - 1) for the current k
  std::size_t k = 0;
  for (std::size_t i = 0; i < n / 2; ++i) {
    const double pmf = std::exp(lg_n1 - std::lgamma(static_cast<double>(i) + 1) -
                                std::lgamma(static_cast<double>(n - i) + 1) + log_half_n);
    if (cdf + pmf > 0.025) break;
    cdf += pmf;
    k = i + 1;
  }
  if (k == 0) {
    // Too few values for 95 %: [min, max] covers the median with probability 1 - 2 * 2^-n.
    return {s.front(), s.back(), 1.0 - std::ldexp(1.0, 1 - static_cast<int>(n))};
  }
  return {s[k - 1], s[n - k], 1.0 - 2.0 * cdf};
}

DurationStats describe(std::vector<double> v) {
  DurationStats d;
  d.count = v.size();
  d.mean = mean(v);
  d.stddev = stddev(v);
  d.cv = cv(v);
  std::sort(v.begin(), v.end());
  d.min = v.empty() ? kNaN : v.front();
  d.max = v.empty() ? kNaN : v.back();
  d.median = percentile_sorted(v, 50);
  d.p90 = percentile_sorted(v, 90);
  d.p99 = percentile_sorted(v, 99);
  d.p999 = percentile_sorted(v, 99.9);
  return d;
}

}  // namespace fanout
