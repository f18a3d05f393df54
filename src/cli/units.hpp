// Numbers with units as users type them: durations ("250ms", "1.5s") and sizes ("4KiB", "1MB").
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fanout {

/// Seconds from "250ms", "1.5s", "100us", "2m", "1h" or a bare number of seconds; nullopt if malformed
/// or negative.
std::optional<double> parse_duration(std::string_view text);

/// Bytes from "4KiB", "1MiB", "2GiB" (powers of 1024), "1kB", "1MB", "1GB" (powers of 1000), "512B"
/// or a bare number; nullopt if malformed or out of range.
std::optional<std::uint64_t> parse_bytes(std::string_view text);

/// A whole number, all of the text; nullopt if malformed or out of range.
std::optional<std::int64_t> parse_integer(std::string_view text);

/// Seconds from a batch wall-clock limit as schedulers write it: "HH:MM:SS", "D-HH:MM:SS",
/// "MM:SS" or whole minutes ("90"); minutes and seconds below 60; nullopt if malformed or zero.
std::optional<long> parse_time_limit(std::string_view text);

/// "true/false", "yes/no", "on/off", "1/0"; nullopt otherwise.
std::optional<bool> parse_bool(std::string_view text);

}  // namespace fanout
