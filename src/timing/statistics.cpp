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

double p90(const std::vector<double>& v) { return percentile(v, 90); }
double p99(const std::vector<double>& v) { return percentile(v, 99); }
double p999(const std::vector<double>& v) { return percentile(v, 99.9); }

// t(0.975, df) for df = 1..30.
constexpr std::array<double, 30> kT975 = {
    12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851,
    2.364624252,  2.306004135, 2.262157163, 2.228138852, 2.200985160, 2.178812830,
    2.160368656,  2.144786688, 2.131449546, 2.119905299, 2.109815578, 2.100922040,
    2.093024054,  2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
    2.059538553,  2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456};

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

double student_t975(int df) {
  if (df < 1) return kNaN;
  if (df <= static_cast<int>(kT975.size())) return kT975[static_cast<std::size_t>(df - 1)];
  const double z = 1.959963984540054;
  const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z;
  const double n = df;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n);
}

ConfidenceInterval mean_ci95(const std::vector<double>& v) {
  if (v.size() < 2) return {kNaN, kNaN, 0.95};
  const double m = mean(v);
  const double half = student_t975(static_cast<int>(v.size()) - 1) * stddev(v) /
                      std::sqrt(static_cast<double>(v.size()));
  return {m - half, m + half, 0.95};
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

const std::vector<Statistic>& statistics_table() {
  static const std::vector<Statistic> table = {
      {"mean", mean}, {"median", median}, {"stddev", stddev}, {"cv", cv},     {"min", minimum},
      {"p90", p90},   {"p99", p99},       {"p99.9", p999},    {"max", maximum},
  };
  return table;
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
