// Scaling laws: the fits recover a known serial fraction from synthetic timings; Karp-Flatt and
// the stop point on literal inputs.
#include "study/scaling_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace fanout {
namespace {

/// Strong-scaling timings that follow Amdahl's law exactly: T(p) = T1 (f + (1 - f) / p).
std::vector<ScalingSample> amdahl_samples(double f, const std::vector<int>& workers,
                                          const std::vector<double>& noise = {}) {
  const double t1 = 12.5;
  std::vector<ScalingSample> out;
  for (std::size_t i = 0; i < workers.size(); ++i) {
    const double p = workers[i];
    const double t = t1 * (f + (1 - f) / p) * (i < noise.size() ? 1 + noise[i] : 1.0);
    out.push_back({workers[i], t1 / t});
  }
  return out;
}

TEST(ScalingFit, AmdahlRecoversTheSerialFraction) {
  for (double f : {0.0, 0.02, 0.07, 0.25, 0.6, 1.0}) {
    const LawFit fit = fit_amdahl(amdahl_samples(f, {1, 2, 4, 8, 16}));
    EXPECT_EQ(fit.law, "amdahl");
    EXPECT_NEAR(fit.serial_fraction, f, 1e-7) << "f = " << f;
    EXPECT_EQ(fit.samples, 5u);
    if (f < 1) {
      EXPECT_NEAR(fit.r_squared, 1.0, 1e-9) << "f = " << f;
    }
  }
}

TEST(ScalingFit, AmdahlWithNoiseStaysClose) {
  // Deterministic +-3 % noise on the timings, as repeated runs on a busy machine give.
  const auto samples = amdahl_samples(0.1, {1, 2, 3, 4, 6, 8, 12, 16},
                                      {0.0, 0.03, -0.02, 0.01, -0.03, 0.02, -0.01, 0.03});
  const LawFit fit = fit_amdahl(samples);
  EXPECT_NEAR(fit.serial_fraction, 0.1, 0.01);
  EXPECT_GT(fit.r_squared, 0.98);
  EXPECT_LT(fit.r_squared, 1.0);
}

TEST(ScalingFit, SuperlinearSpeedupClampsToZero) {
  const LawFit fit = fit_amdahl({{1, 1.0}, {2, 2.2}, {4, 4.5}});
  EXPECT_DOUBLE_EQ(fit.serial_fraction, 0.0);
}

TEST(ScalingFit, NoParallelPointHasNoFit) {
  EXPECT_TRUE(std::isnan(fit_amdahl({{1, 1.0}}).serial_fraction));
  EXPECT_TRUE(std::isnan(fit_gustafson({}).serial_fraction));
  // Unusable samples (no speedup) are left out.
  const LawFit fit = fit_amdahl({{1, 1.0}, {2, std::nan("")}, {4, 0.0}});
  EXPECT_TRUE(std::isnan(fit.serial_fraction));
  EXPECT_EQ(fit.samples, 1u);
}

TEST(ScalingFit, GustafsonRecoversTheSerialFraction) {
  // Weak scaling: the scaled speedup S(p) = p - f (p - 1), from timings T(p) = T1 p / S(p).
  for (double f : {0.0, 0.05, 0.12, 0.5}) {
    std::vector<ScalingSample> samples;
    for (int p : {1, 2, 4, 8, 16}) {
      const double t1 = 3.0, tp = t1 * p / gustafson_speedup(f, p);
      samples.push_back({p, p * t1 / tp});
    }
    const LawFit fit = fit_gustafson(samples);
    EXPECT_EQ(fit.law, "gustafson");
    EXPECT_NEAR(fit.serial_fraction, f, 1e-12);
    EXPECT_NEAR(fit.r_squared, 1.0, 1e-12);
  }
}

TEST(ScalingFit, KarpFlattIsTheAmdahlFractionForAmdahlTimings) {
  for (const auto& s : amdahl_samples(0.07, {2, 3, 4, 8, 16})) {
    EXPECT_NEAR(karp_flatt(s.speedup, s.workers), 0.07, 1e-12) << "p = " << s.workers;
  }
  EXPECT_TRUE(std::isnan(karp_flatt(1.0, 1)));
  EXPECT_TRUE(std::isnan(karp_flatt(0.0, 4)));
  // Perfect speedup has no serial fraction; no speedup at all is all serial.
  EXPECT_DOUBLE_EQ(karp_flatt(4.0, 4), 0.0);
  EXPECT_DOUBLE_EQ(karp_flatt(1.0, 4), 1.0);
}

TEST(ScalingFit, LawsAtTheirEnds) {
  EXPECT_DOUBLE_EQ(amdahl_speedup(0.0, 8), 8.0);
  EXPECT_DOUBLE_EQ(amdahl_speedup(1.0, 8), 1.0);
  EXPECT_DOUBLE_EQ(amdahl_speedup(0.1, 1), 1.0);
  EXPECT_DOUBLE_EQ(gustafson_speedup(0.0, 8), 8.0);
  EXPECT_DOUBLE_EQ(gustafson_speedup(1.0, 8), 1.0);
}

TEST(ScalingFit, StopsPayingOffAtTheFirstPointUnderTheThreshold) {
  const std::vector<ScalingSample> samples = {{1, 1.0}, {2, 1.9}, {4, 3.3}, {8, 5.0}, {16, 14.0}};
  // Efficiencies 1.0, 0.95, 0.825, 0.625, 0.875: the 8-worker point is the first under 0.8.
  EXPECT_EQ(stops_paying_off(samples, 0.8), std::optional<std::size_t>(3));
  EXPECT_EQ(stops_paying_off(samples, 0.9), std::optional<std::size_t>(2));
  EXPECT_EQ(stops_paying_off(samples, 0.5), std::nullopt);
  EXPECT_DOUBLE_EQ(efficiency({4, 3.3}), 0.825);
}

}  // namespace
}  // namespace fanout
