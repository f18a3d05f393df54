// Unit parsing for durations, sizes, integers and booleans, shared by the command line and job files.
#include "cli/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace fanout {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

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
  static constexpr std::array<std::pair<std::string_view, double>, 8> kUnits{{
      {"", 1.0}, {"s", 1.0}, {"ms", 1e-3}, {"us", 1e-6}, {"µs", 1e-6}, {"ns", 1e-9},
      {"m", 60.0}, {"h", 3600.0}}};
  auto parts = split_number(text);
  if (!parts || parts->first < 0) return std::nullopt;
  for (const auto& [unit, scale] : kUnits) {
    if (parts->second == unit) return parts->first * scale;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_bytes(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, double>, 10> kUnits{{
      {"", 1.0}, {"B", 1.0}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
      {"kB", 1e3}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TiB", 1099511627776.0}}};
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
  long days = 0;
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    const auto d = parse_integer(text.substr(0, dash));
    if (!d || *d < 0 || *d > 365) return std::nullopt;
    days = static_cast<long>(*d);
    text.remove_prefix(dash + 1);
  }
  std::vector<long> parts;
  while (true) {
    const auto colon = text.find(':');
    const auto v = parse_integer(text.substr(0, colon));
    if (!v || *v < 0 || *v > 100'000) return std::nullopt;
    parts.push_back(static_cast<long>(*v));
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  if (parts.size() > 3) return std::nullopt;
  // A day prefix makes the first field hours ("1-12" is a day and 12 hours, as in Slurm).
  if (days > 0 && parts.size() == 1) parts = {parts[0], 0, 0};
  if (days > 0 && parts.size() == 2) parts.push_back(0);
  long seconds = 0;
  if (parts.size() == 1) {
    seconds = parts[0] * 60;
  } else if (parts.size() == 2) {
    if (parts[1] >= 60) return std::nullopt;
    seconds = parts[0] * 60 + parts[1];
  } else {
    if (parts[1] >= 60 || parts[2] >= 60) return std::nullopt;
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2];
  }
  seconds += days * 86400;
  if (seconds <= 0) return std::nullopt;
  return seconds;
}

}  // namespace fanout
