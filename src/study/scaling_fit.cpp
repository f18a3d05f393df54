// Least-squares fits of Amdahl's and Gustafson's laws and the Karp-Flatt metric.
#include "study/scaling_fit.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace fanout {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kGridSteps = 1000;

bool usable(const ScalingSample& s) {
  return s.workers >= 1 && std::isfinite(s.speedup) && s.speedup > 0;
}

double sum_squares(const std::vector<ScalingSample>& samples,
                   const std::function<double(double)>& model) {
  double sse = 0;
  for (const auto& s : samples) {
    const double r = s.speedup - model(s.workers);
    sse += r * r;
  }
  return sse;
}

double r_squared(const std::vector<ScalingSample>& samples, double sse) {
  double mean = 0;
  for (const auto& s : samples) mean += s.speedup;
  mean /= static_cast<double>(samples.size());
  double sst = 0;
  for (const auto& s : samples) sst += (s.speedup - mean) * (s.speedup - mean);
  return sst > 0 ? 1 - sse / sst : kNaN;
}

/// The usable samples, and whether any of them has more than one worker (else f is undefined).
std::vector<ScalingSample> usable_samples(const std::vector<ScalingSample>& samples,
                                          bool& any_parallel) {
  std::vector<ScalingSample> out;
  any_parallel = false;
  for (const auto& s : samples) {
    if (!usable(s)) continue;
    out.push_back(s);
    any_parallel = any_parallel || s.workers > 1;
  }
  return out;
}

}  // namespace

double amdahl_speedup(double f, double p) { return 1.0 / (f + (1.0 - f) / p); }

double gustafson_speedup(double f, double p) { return p - f * (p - 1.0); }

double karp_flatt(double speedup, int workers) {
  if (workers <= 1 || !(speedup > 0)) return kNaN;
  const double p = workers;
  return (1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p);
}

LawFit fit_amdahl(const std::vector<ScalingSample>& samples) {
  LawFit fit{"amdahl", kNaN, kNaN, 0};
  bool any_parallel = false;
  const auto used = usable_samples(samples, any_parallel);
  fit.samples = used.size();
  if (!any_parallel) return fit;
  const auto sse = [&](double f) {
    return sum_squares(used, [f](double p) { return amdahl_speedup(f, p); });
  };
  int best = 0;
  double best_sse = sse(0);
  for (int i = 1; i <= kGridSteps; ++i) {
    const double v = sse(static_cast<double>(i) / kGridSteps);
    if (v < best_sse) best_sse = v, best = i;
  }
  double lo = std::max(0, best - 1) / static_cast<double>(kGridSteps);
  double hi = std::min(kGridSteps, best + 1) / static_cast<double>(kGridSteps);
  const double phi = (std::sqrt(5.0) - 1) / 2;
  double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
  double fa = sse(a), fb = sse(b);
  while (hi - lo > 1e-12) {
    if (fa < fb) {
      hi = b, b = a, fb = fa;
      a = hi - phi * (hi - lo), fa = sse(a);
    } else {
      lo = a, a = b, fa = fb;
      b = lo + phi * (hi - lo), fb = sse(b);
    }
  }
  fit.serial_fraction = (lo + hi) / 2;
  // The bounds themselves, which golden section only approaches (superlinear speedup: f = 0).
  for (double edge : {0.0, 1.0}) {
    if (sse(edge) <= sse(fit.serial_fraction)) fit.serial_fraction = edge;
  }
  fit.r_squared = r_squared(used, sse(fit.serial_fraction));
  return fit;
}

LawFit fit_gustafson(const std::vector<ScalingSample>& samples) {
  LawFit fit{"gustafson", kNaN, kNaN, 0};
  bool any_parallel = false;
  const auto used = usable_samples(samples, any_parallel);
  fit.samples = used.size();
  if (!any_parallel) return fit;
  // p - S = f (p - 1): least squares through the origin in x = p - 1, y = p - S.
  double xy = 0, xx = 0;
  for (const auto& s : used) {
    const double x = s.workers - 1.0, y = s.workers - s.speedup;
    xy += x * y;
    xx += x * x;
  }
  // The sum of squares is a parabola in f, so clamping its minimum gives the constrained one.
  fit.serial_fraction = std::clamp(xy / xx, 0.0, 1.0);
  const double f = fit.serial_fraction;
  fit.r_squared =
      r_squared(used, sum_squares(used, [f](double p) { return gustafson_speedup(f, p); }));
  return fit;
}

double efficiency(const ScalingSample& s) { return s.speedup / std::max(1, s.workers); }

std::optional<std::size_t> stops_paying_off(const std::vector<ScalingSample>& samples,
                                            double efficiency_threshold) {
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (usable(samples[i]) && efficiency(samples[i]) < efficiency_threshold) return i;
  }
  return std::nullopt;
}

}  // namespace fanout
