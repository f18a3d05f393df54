// GNU parallel's --halt words, read and written back.
#include "workload/shell/halt_rule.hpp"

#include <cmath>

#include "cli/units.hpp"

namespace fanout {

std::optional<HaltRule> parse_halt_rule(std::string_view text) {
  if (text == "never") return HaltRule{};
  HaltRule rule;
  std::string_view rest;
  if (text.rfind("now,", 0) == 0) {
    rule.when = HaltRule::When::now;
    rest = text.substr(4);
  } else if (text.rfind("soon,", 0) == 0) {
    rule.when = HaltRule::When::soon;
    rest = text.substr(5);
  } else {
    return std::nullopt;
  }
  if (rest.rfind("fail=", 0) != 0) return std::nullopt;
  rest = rest.substr(5);
  if (!rest.empty() && rest.back() == '%') {
    const auto p = parse_integer(rest.substr(0, rest.size() - 1));
    if (!p || *p < 1 || *p > 100) return std::nullopt;
    rule.percent = static_cast<double>(*p);
    return rule;
  }
  const auto n = parse_integer(rest);
  if (!n || *n < 1) return std::nullopt;
  rule.failures = static_cast<std::uint64_t>(*n);
  return rule;
}

std::string to_string(const HaltRule& rule) {
  if (rule.when == HaltRule::When::never) return "never";
  const std::string when = rule.when == HaltRule::When::now ? "now" : "soon";
  if (rule.percent > 0)
    return when + ",fail=" + std::to_string(static_cast<int>(std::lround(rule.percent))) + "%";
  return when + ",fail=" + std::to_string(rule.failures);
}

}  // namespace fanout
