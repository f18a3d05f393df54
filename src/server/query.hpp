// Reading a route's arguments: a bounded count from digits, a value from a query string.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fanout {

/// `digits` as a count of at most `max`; nullopt for anything else (empty, signs, overflow).
std::optional<std::uint64_t> parse_count(std::string_view digits, std::uint64_t max);

/// The value of `name` in a query string "a=1&size=20", if present ("" for a bare "name").
std::optional<std::string_view> query_value(std::string_view query, std::string_view name);

}  // namespace fanout
