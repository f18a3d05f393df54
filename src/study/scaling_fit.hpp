// Scaling laws as pure functions: Karp-Flatt serial fraction, Amdahl and Gustafson least-squares
// fits, and where adding workers stops paying off.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace fanout {

/// One measured point of a study: p workers (ranks x threads) and the speedup they reached
/// (strong: T(1)/T(p); weak: the scaled speedup p T(1)/T(p)).
struct ScalingSample {
  int workers = 1;
  double speedup = 1;
};

/// A scaling law fitted to the samples by least squares on the serial fraction f.
struct LawFit {
  std::string law;             ///< "amdahl" or "gustafson"
  double serial_fraction = 0;  ///< f in [0, 1]; NaN when no sample has p > 1
  /// 1 - SS_res / SS_tot of the speedups; NaN when the speedups do not vary (SS_tot = 0).
  double r_squared = 0;
  std::size_t samples = 0;  ///< samples the fit used
};

/// Amdahl's law, S(p) = 1 / (f + (1 - f) / p).
double amdahl_speedup(double serial_fraction, double workers);
/// Gustafson's law, the scaled speedup S(p) = p - f (p - 1).
double gustafson_speedup(double serial_fraction, double workers);

/// Karp-Flatt experimentally determined serial fraction e = (1/S - 1/p) / (1 - 1/p). Defined for
/// p > 1 and S > 0 only (NaN otherwise). A serial fraction that grows with p points at overhead
/// (communication, imbalance) rather than at inherently serial work.
double karp_flatt(double speedup, int workers);

/// Least squares over f in [0, 1] of sum (S_i - amdahl_speedup(f, p_i))^2: a scan of the
/// interval, then golden-section refinement around the best grid point (the sum need not be
/// convex).
LawFit fit_amdahl(const std::vector<ScalingSample>& samples);
/// Least squares of S_i = p_i - f (p_i - 1): linear in f, solved in closed form, clamped to [0, 1].
LawFit fit_gustafson(const std::vector<ScalingSample>& samples);

/// Efficiency S / p of a sample.
double efficiency(const ScalingSample& s);
/// Index of the first sample, in the given order, whose efficiency is below the threshold.
std::optional<std::size_t> stops_paying_off(const std::vector<ScalingSample>& samples,
                                            double efficiency_threshold);

}  // namespace fanout
