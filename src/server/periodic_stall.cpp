// The periodic stall route: every request waits out the stall window it arrives in.
#include "server/periodic_stall.hpp"

#include <optional>
#include <string>

#include "server/query.hpp"

namespace fanout {

std::chrono::nanoseconds periodic_stall_wait(std::chrono::nanoseconds elapsed,
                                             std::chrono::nanoseconds every,
                                             std::chrono::nanoseconds hold) {
  if (elapsed.count() < 0) elapsed = {};
  const std::chrono::nanoseconds phase = elapsed % every;
  return phase < hold ? hold - phase : std::chrono::nanoseconds{};
}

Reply periodic_stall_route(std::string_view query, std::chrono::nanoseconds elapsed) {
  const auto ms = [&](std::string_view name) -> std::optional<std::uint64_t> {
    const auto text = query_value(query, name);
    return text ? parse_count(*text, kMaxDelayMs) : std::nullopt;
  };
  const std::optional<std::uint64_t> every = ms("every"), hold = ms("hold");
  Reply reply;
  if (!every || !hold || *hold == 0 || *hold >= *every) {
    reply.status = 400;
    reply.text = "bad request: /stall?every=MS&hold=MS needs whole milliseconds with 0 < hold < " +
                 std::string("every <= ") + std::to_string(kMaxDelayMs) +
                 " (plain /stall never answers)\n";
    return reply;
  }
  const std::chrono::nanoseconds wait = periodic_stall_wait(
      elapsed, std::chrono::milliseconds(*every), std::chrono::milliseconds(*hold));
  reply.delay = std::chrono::duration_cast<std::chrono::steady_clock::duration>(wait);
  reply.text = "held " + std::to_string(wait.count() / 1000) + " us\n";
  return reply;
}

}  // namespace fanout
