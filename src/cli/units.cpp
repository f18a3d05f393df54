// Unit parsing for durations, sizes, integers and booleans, shared by the command line and job
// files.
#include "cli/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cli/text.hpp"

namespace fanout {
namespace {

/// Splits "1.5ms" into 1.5 and "ms"; nullopt if the number part is malformed.
std::optional<std::pair<double, std::string_view>> split_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
  return std::pair{value, trim(std::string_view(end, text.data() + text.size() - end))};
}

}  // namespace

std::optional<double> parse_duration(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 8> kUnits{{{"", 1.0},
                                                                              {"s", 1.0},
                                                                              {"ms", 1e-3},
                                                                              {"us", 1e-6},
                                                                              {"µs", 1e-6},
                                                                              {"ns", 1e-9},
                                                                              {"m", 60.0},
                                                                              {"h", 3600.0}}};
  auto parts = split_number(text);
  if (!parts || parts->first < 0) return std::nullopt;
  for (const auto& [unit, scale] : kUnits) {
    if (parts->second == unit) return parts->first * scale;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 10> kUnits{
      {{"", 1.0},
       {"B", 1.0},
       {"KiB", 1024.0},
       {"MiB", 1048576.0},
       {"GiB", 1073741824.0},
       {"kB", 1e3},
       {"KB", 1e3},
       {"MB", 1e6},
       {"GB", 1e9},
       {"TiB", 1099511627776.0}}};
  auto parts = split_number(text);
  if (!parts || parts->first < 0) return std::nullopt;
  for (const auto& [unit, scale] : kUnits) {
    if (parts->second != unit) continue;
    const double bytes = parts->first * scale;
    if (bytes > 1.8e19 || bytes != std::floor(bytes)) return std::nullopt;
    return static_cast<std::uint64_t>(bytes);
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  text = trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  text = trim(text);
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  return std::nullopt;
}

std::optional<long> parse_time_limit(std::string_view text) {
  text = trim(text);
  const auto dash = text.find('-');
  const bool has_days = dash != std::string_view::npos;
  long days = 0;
  if (has_days) {
    const auto d = parse_integer(text.substr(0, dash));
    if (!d || *d < 0 || *d > 365) return std::nullopt;
    days = static_cast<long>(*d);
    text.remove_prefix(dash + 1);
  }
  std::vector<long> parts;
  for (const std::string& field : split(text, ':')) {
    const auto v = parse_integer(field);
    if (!v || *v < 0 || *v > 100'000) return std::nullopt;
    parts.push_back(static_cast<long>(*v));
  }
  if (parts.empty() || parts.size() > 3) return std::nullopt;
  // Slurm's forms: "M", "M:S", "H:M:S", and after a day count "D-H", "D-H:M", "D-H:M:S".
  long h = 0, m = 0, sec = 0;
  if (has_days) {
    h = parts[0];
    m = parts.size() > 1 ? parts[1] : 0;
    sec = parts.size() > 2 ? parts[2] : 0;
  } else if (parts.size() == 3) {
    h = parts[0], m = parts[1], sec = parts[2];
  } else {
    m = parts[0];
    sec = parts.size() > 1 ? parts[1] : 0;
  }
  const bool leading_unbounded = !has_days && parts.size() < 3;  // "90" minutes, "90:30"
  if ((!leading_unbounded && parts.size() > 1 && m >= 60) || (parts.size() > 1 && sec >= 60) ||
      (has_days && h >= 24)) {
    return std::nullopt;
  }
  const long seconds = days * 86400 + h * 3600 + m * 60 + sec;
  if (seconds <= 0) return std::nullopt;
  return seconds;
}

std::optional<double> parse_fraction(std::string_view text) {
  text = trim(text);
  double scale = 1;
  if (!text.empty() && text.back() == '%') {
    text.remove_suffix(1);
    scale = 0.01;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return std::nullopt;
  }
  return value * scale;
}

}  // namespace fanout
