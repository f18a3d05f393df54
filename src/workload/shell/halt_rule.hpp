// HaltRule: when failed tasks stop the farm, in GNU parallel's --halt words.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fanout {

struct HaltRule {
  enum class When { never, soon, now } when = When::never;  ///< soon: let tasks in flight finish
  std::uint64_t failures = 0;  ///< halt once this many tasks failed (when percent is 0)
  double percent = 0;          ///< or once this share of all the farm's tasks failed
};

/// "never", or "now,fail=N" / "soon,fail=N" (N tasks failed) / "now,fail=P%" / "soon,fail=P%"
/// (P percent of all the farm's tasks failed, however many have finished), as GNU parallel's
/// --halt reads them; nullopt for anything else.
std::optional<HaltRule> parse_halt_rule(std::string_view text);

/// The rule in the same words, for the job in every JSON document.
std::string to_string(const HaltRule& rule);

}  // namespace fanout
