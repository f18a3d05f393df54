// LogLinearBuckets: the bucket layout the latency histogram and the duration sketch share —
// bucket 0 below one unit, then `Octaves` power-of-two octaves each split into `Subs` equal
// buckets, then one bucket for everything above.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace fanout {

template <int Subs, int Octaves>
struct LogLinearBuckets {
  static constexpr int kSubBuckets = Subs;
  static constexpr int kOctaves = Octaves;
  static constexpr std::size_t kCount = 1 + static_cast<std::size_t>(Octaves) * Subs + 1;

  /// The bucket of `value` (in units): 0 below 1 unit (NaN and negatives too), kCount - 1 from
  /// 2^Octaves units up.
  static std::size_t index(double value) {
    if (!(value >= 1.0)) return 0;
    int exp = 0;
    const double m = std::frexp(value, &exp);  // value = m * 2^exp, m in [0.5, 1)
    const int octave = exp - 1;
    if (octave >= Octaves) return kCount - 1;
    const int sub = std::min(Subs - 1, static_cast<int>((2 * m - 1) * Subs));
    return 1 + static_cast<std::size_t>(octave) * Subs + static_cast<std::size_t>(sub);
  }

  /// The value (in units) at `fraction` of bucket `index`'s width: 0 its lower bound, 0.5 its
  /// midpoint. Bucket 0 reads as 0, the last as 2^Octaves.
  static double value_at(std::size_t index, double fraction) {
    if (index == 0) return 0;
    if (index >= kCount - 1) return std::ldexp(1.0, Octaves);
    const auto octave = static_cast<int>((index - 1) / Subs);
    const auto sub = static_cast<int>((index - 1) % Subs);
    return std::ldexp(1.0 + (sub + fraction) / Subs, octave);
  }
};

}  // namespace fanout
