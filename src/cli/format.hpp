// Units at output only: seconds, ratios, percentages and rates as short human-readable text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace fanout {

// Every formatter prints NaN (an undefined statistic) and nullopt as "-".

/// Seconds in the unit that fits the magnitude, four significant digits: "1.234 s", "12.35 ms",
/// "123.5 µs", "850.0 ns".
std::string format_seconds(double s);
/// A fraction as a percentage: 0.973 -> "97.3 %".
std::string format_percent(double fraction);
std::string format_percent(std::optional<double> fraction);
/// A ratio with an "x": 3.849 -> "3.85x".
std::string format_ratio(double r);
std::string format_ratio(std::optional<double> r);
/// A plain ratio with two decimals: 1.0412 -> "1.04".
std::string format_fixed2(double v);
/// Events per second, three significant digits with k/M suffixes: "1.23k/s".
std::string format_rate(double per_s);
/// Bytes with binary units, as job files write them: "32 MiB", "1.5 KiB", "100 B".
std::string format_bytes(std::uint64_t bytes);
/// Full precision for machine-readable output (CSV): printf "%.9g", NaN as "".
std::string format_exact(double v);
/// Appends printf's "%.*g" of `v` with `digits` significant digits (NaN as nothing) to `out`:
/// format_exact without a string per number, for rows written by the million.
void append_general(std::string& out, double v, int digits = 9);
/// printf "%g": a bound in an error message, "0.8", "1e+06".
std::string format_number(double v);
/// A limit in the largest whole unit: "365 days", "1 h", "90 s".
std::string format_duration(double seconds);

}  // namespace fanout
