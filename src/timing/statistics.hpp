// Summary statistics as pure functions over vectors of seconds.
#pragma once

#include <cstdint>
#include <vector>

namespace fanout {

// Every function takes its input by const reference and leaves it untouched. An empty input (or,
// for stddev and cv, fewer than two values) has no defined statistic: the result is a quiet NaN,
// which renderers print as "-" and JSON as null.

double mean(const std::vector<double>& v);
double minimum(const std::vector<double>& v);
double maximum(const std::vector<double>& v);
/// Middle value; the mean of the two middle values for an even count.
double median(const std::vector<double>& v);
/// Sample standard deviation (divides by n - 1).
double stddev(const std::vector<double>& v);
/// Coefficient of variation: stddev / mean (a fraction, 0.05 is 5 %); NaN when the mean is 0.
double cv(const std::vector<double>& v);
/// The q-th percentile, q in [0, 100], by linear interpolation between the closest ranks
/// (numpy.percentile's default "linear" method): with the values sorted x[0..n-1] and
/// h = (n - 1) * q / 100, the result is x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] -
/// x[floor(h)]).
double percentile(const std::vector<double>& v, double q);
/// Same, on values already sorted ascending (no copy).
double percentile_sorted(const std::vector<double>& sorted, double q);

/// A two-sided confidence interval.
struct ConfidenceInterval {
  double lower = 0;
  double upper = 0;
  double level = 0;  ///< coverage actually achieved, e.g. 0.95 (can be lower for tiny samples)
};

/// Distribution-free 95 % interval of the median from order statistics (Le Boudec; Hoefler and
/// Belli, SC'15): the k-th smallest and k-th largest values, with k the largest rank such that
/// P(Binomial(n, 1/2) < k) <= 0.025. Below n = 6 no such k exists; the interval is then [min, max]
/// and `level` states the smaller coverage it really has (1 - 2^(1-n)).
ConfidenceInterval median_ci95(const std::vector<double>& v);

/// The usual description of a set of durations (seconds).
struct DurationStats {
  std::uint64_t count = 0;
  double mean = 0;
  double min = 0;
  double median = 0;
  double p90 = 0;
  double p99 = 0;
  double p999 = 0;  ///< 99.9th percentile
  double max = 0;
  double stddev = 0;
  double cv = 0;  ///< stddev / mean, a fraction
};
/// Sorts once and fills every field (NaN where undefined, see above).
DurationStats describe(std::vector<double> v);

}  // namespace fanout
