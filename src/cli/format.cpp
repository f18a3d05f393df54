// Number formatting for the human-readable reports and error messages.
#include "cli/format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <utility>

namespace fanout {

namespace {

std::string printf_string(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

// Four significant digits for values in [1, 1000), more digits before the point above that.
std::string four_digits(double v) {
  const double a = std::abs(v);
  if (a < 9.9995) return printf_string("%.3f", v);
  if (a < 99.995) return printf_string("%.2f", v);
  return printf_string("%.1f", v);
}

}  // namespace

std::string format_seconds(double s) {
  if (std::isnan(s)) return "-";
  if (s == 0) return "0 s";
  const double a = std::abs(s);
  // Thresholds sit just under each unit so that rounding never prints "1000.0 ms".
  if (a >= 0.99995) return four_digits(s) + " s";
  if (a >= 0.99995e-3) return four_digits(s * 1e3) + " ms";
  if (a >= 0.99995e-6) return four_digits(s * 1e6) + " µs";
  return four_digits(s * 1e9) + " ns";
}

std::string format_percent(double fraction) {
  if (std::isnan(fraction)) return "-";
  return printf_string("%.1f", fraction * 100) + " %";
}

std::string format_percent(std::optional<double> fraction) {
  return fraction ? format_percent(*fraction) : "-";
}

std::string format_ratio(double r) {
  if (std::isnan(r)) return "-";
  return printf_string("%.2f", r) + "x";
}

std::string format_ratio(std::optional<double> r) { return r ? format_ratio(*r) : "-"; }

std::string format_fixed2(double v) {
  if (std::isnan(v)) return "-";
  return printf_string("%.2f", v);
}

std::string format_rate(double per_s) {
  if (std::isnan(per_s)) return "-";
  const double a = std::abs(per_s);
  if (a >= 999.5e3) return printf_string("%.3g", per_s / 1e6) + "M/s";
  if (a >= 999.5) return printf_string("%.3g", per_s / 1e3) + "k/s";
  return printf_string("%.3g", per_s) + "/s";
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 6) v /= 1024, ++u;
  if (u == 0 || v == std::floor(v)) return printf_string("%.0f", v) + " " + kUnits[u];
  return printf_string("%.1f", v) + " " + kUnits[u];
}

std::string format_exact(double v) {
  std::string out;
  append_general(out, v);
  return out;
}

void append_general(std::string& out, double v, int digits) {
  if (std::isnan(v)) return;
  // to_chars with a precision prints as printf's "%.*g" does, several times faster: this formats
  // two times of every row of a joblog of millions of tasks.
  char buf[40];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, digits);
  out.append(buf, r.ptr);
}

std::string format_number(double v) { return printf_string("%g", v); }

std::string format_duration(double seconds) {
  static const std::pair<double, const char*> kUnits[] = {
      {86400, " days"}, {3600, " h"}, {60, " min"}, {1, " s"}};
  for (const auto& [scale, unit] : kUnits) {
    if (seconds >= scale) return format_number(seconds / scale) + unit;
  }
  return format_seconds(seconds);
}

}  // namespace fanout
