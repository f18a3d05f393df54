// Fuzz target: the unit parsers (durations, sizes, integers, Slurm time limits, booleans,
// fractions). Each returns a value in its range or nothing; none may crash.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/units.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto d = fanout::parse_duration(text); d && !(std::isfinite(*d) && *d >= 0))
    std::abort();
  (void)fanout::parse_bytes(text);
  (void)fanout::parse_integer(text);
  if (const auto t = fanout::parse_time_limit(text); t && *t <= 0) std::abort();
  (void)fanout::parse_bool(text);
  if (const auto f = fanout::parse_fraction(text); f && !std::isfinite(*f)) std::abort();
  return 0;
}
