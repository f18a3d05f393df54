// Small text helpers every parser and message shares: trim, split, join, a value as errors show it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fanout {

/// `s` without leading and trailing spaces, tabs, carriage returns and newlines.
std::string_view trim(std::string_view s);
/// The pieces of `s` between `sep`s: "a,,b" -> {"a", "", "b"}; "" -> {""}.
std::vector<std::string> split(std::string_view s, char sep);
/// "a, b, c" with `sep` between the items.
std::string join(const std::vector<std::string>& items, std::string_view sep);
/// "a", "a and b", "a, b and c".
std::string join_and(const std::vector<std::string>& items);
/// "1 task", "2 tasks": the count and the noun, plural with an 's' unless n is 1.
std::string plural(unsigned long long n, std::string_view noun);
/// A value as an error message shows it: on one line (control bytes escaped), at most 60 bytes of
/// it, then "... (N bytes)".
std::string shown(std::string_view value);

}  // namespace fanout
