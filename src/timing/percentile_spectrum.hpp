// The percentile spectrum of a latency histogram: the fixed points a report shows (p50 to p99.99
// and max), and HdrHistogram's percentile-distribution text (.hgrm) for plotting whole curves.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "timing/histogram.hpp"

namespace fanout {

/// One point of the spectrum: its JSON key, its column label and the percentile.
struct SpectrumPoint {
  std::string_view key;    ///< "p50", "p9999", "max"
  std::string_view label;  ///< "p50", "p99.99", "max"
  double percentile;       ///< 50 .. 100
};

/// The points every open-loop report shows, in order.
inline constexpr std::array<SpectrumPoint, 7> kSpectrum{{{"p50", "p50", 50},
                                                         {"p75", "p75", 75},
                                                         {"p90", "p90", 90},
                                                         {"p99", "p99", 99},
                                                         {"p999", "p99.9", 99.9},
                                                         {"p9999", "p99.99", 99.99},
                                                         {"max", "max", 100}}};

/// `h` as HdrHistogram's outputPercentileDistribution text: a header, then Value (milliseconds),
/// Percentile, TotalCount and 1/(1-Percentile) at 5 ticks per halving of the distance to 100 %,
/// then the mean, standard deviation, max and count. Values are the histogram's nearest-rank
/// percentiles (bucket midpoints, within 0.78 %). An empty histogram gives the header and a
/// zero count.
std::string render_hgrm(const LatencyHistogram& h);

}  // namespace fanout
