// Numbers with units as users type them: durations ("250ms", "1.5s") and sizes ("4KiB", "1MB").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fanout {

/// Seconds from "250ms", "1.5s", "100us", "2m", "1h" or a bare number of seconds; nullopt if
/// malformed or negative.
std::optional<double> parse_duration(std::string_view text);

/// Bytes from "4KiB", "1MiB", "2GiB" (powers of 1024), "1kB", "1MB", "1GB" (powers of 1000), "512B"
/// or a bare number; nullopt if malformed or out of range.
std::optional<std::uint64_t> parse_bytes(std::string_view text);

/// A whole number, all of the text; nullopt if malformed or out of range.
std::optional<std::int64_t> parse_integer(std::string_view text);

/// Seconds from a batch wall-clock limit in Slurm's six forms: "M" (whole minutes, "90"), "M:S",
/// "H:M:S", "D-H" ("0-12" is 12 hours), "D-H:M" and "D-H:M:S"; seconds below 60, and minutes
/// too where hours stand before them, hours below 24 after a day count; nullopt if malformed or
/// zero.
std::optional<long> parse_time_limit(std::string_view text);

/// "true/false", "yes/no", "on/off", "1/0"; nullopt otherwise.
std::optional<bool> parse_bool(std::string_view text);

/// 0.8 from "0.8" or "80%"; nullopt if malformed or not finite.
std::optional<double> parse_fraction(std::string_view text);

}  // namespace fanout
