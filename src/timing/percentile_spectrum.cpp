// HdrHistogram's percentile-distribution text from a LatencyHistogram.
#include "timing/percentile_spectrum.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace fanout {
namespace {

constexpr double kMsPerSecond = 1000;
/// HdrHistogram's default: 5 rows for each halving of the distance to 100 %.
constexpr int kTicksPerHalfDistance = 5;

std::string format(const char* pattern, auto... values) {
  char line[160];
  std::snprintf(line, sizeof line, pattern, values...);
  return line;
}

}  // namespace

std::string render_hgrm(const LatencyHistogram& h) {
  std::string out =
      format("%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");
  const std::uint64_t count = h.count();
  double mean_ms = 0, variance = 0;
  if (count > 0) {
    // Mean and deviation over bucket midpoints, as HdrHistogram computes them over its buckets.
    const auto& buckets = h.buckets();
    std::vector<double> mid(buckets.size());
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      const double lo = LatencyHistogram::bucket_lower_s(i);
      const double hi = LatencyHistogram::bucket_upper_s(i);
      mid[i] = (std::isfinite(hi) ? (lo + hi) / 2 : lo) * kMsPerSecond;
      mean_ms += static_cast<double>(buckets[i]) * mid[i];
    }
    mean_ms /= static_cast<double>(count);
    for (std::size_t i = 0; i < buckets.size(); ++i) {
      variance += static_cast<double>(buckets[i]) * (mid[i] - mean_ms) * (mid[i] - mean_ms);
    }
    variance /= static_cast<double>(count);
    for (int half = 0;; ++half) {
      const double base = 1 - std::ldexp(1.0, -half);
      const double width = std::ldexp(1.0, -half - 1);
      bool last = false;
      for (int tick = 0; tick < kTicksPerHalfDistance && !last; ++tick) {
        const double p = base + width * tick / kTicksPerHalfDistance;
        const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count)));
        last = rank >= count;
        if (last) break;
        out +=
            format("%12.3f %2.12f %10llu %14.2f\n", h.percentile(p * 100) * kMsPerSecond, p,
                   static_cast<unsigned long long>(std::max<std::uint64_t>(rank, 1)), 1 / (1 - p));
      }
      if (last) break;
    }
    out += format("%12.3f %2.12f %10llu\n", h.max() * kMsPerSecond, 1.0,
                  static_cast<unsigned long long>(count));
  }
  const double max_ms = count > 0 ? h.max() * kMsPerSecond : 0;
  out += format("#[Mean    = %12.3f, StdDeviation   = %12.3f]\n", mean_ms, std::sqrt(variance));
  out += format("#[Max     = %12.3f, Total count    = %12llu]\n", max_ms,
                static_cast<unsigned long long>(count));
  out += format("#[Buckets = %12d, SubBuckets     = %12d]\n", LatencyHistogram::kOctaves,
                LatencyHistogram::kSubBuckets);
  return out;
}

}  // namespace fanout
