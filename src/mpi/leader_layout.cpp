// LeaderLayout read from the environment, each value checked.
#include "mpi/leader_layout.hpp"

#include <charconv>
#include <string>
#include <string_view>

#include "cli/config_error.hpp"

namespace fanout {

LeaderLayout leader_layout_from_env(const std::function<const char*(const char*)>& get) {
  LeaderLayout layout;
  if (const char* v = get("FANOUT_DISPATCH_LEADERS")) {
    const std::string_view s(v);
    if (s == "auto" || s.empty()) {
      layout.mode = LeaderLayout::Mode::automatic;
    } else if (s == "0") {
      layout.mode = LeaderLayout::Mode::never;
    } else if (s == "1") {
      layout.mode = LeaderLayout::Mode::always;
    } else {
      throw ConfigError("FANOUT_DISPATCH_LEADERS=" + std::string(s) +
                        ": must be auto (leaders when the ranks span nodes), 0 or 1");
    }
  }
  if (const char* v = get("FANOUT_DISPATCH_NODE_SIZE")) {
    const std::string_view s(v);
    int n = -1;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (!s.empty() && (ec != std::errc() || end != s.data() + s.size() || n < 0))
      throw ConfigError("FANOUT_DISPATCH_NODE_SIZE=" + std::string(s) +
                        ": must be a whole number of ranks per node (0 for the nodes MPI reports)");
    layout.node_size = s.empty() ? 0 : n;
  }
  if (const char* v = get("FANOUT_DISPATCH_FANOUT")) {
    const std::string_view s(v);
    int n = -1;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || n < 2)
      throw ConfigError("FANOUT_DISPATCH_FANOUT=" + std::string(s) +
                        ": must be a whole number of node leaders, 2 or more, served by one rank");
    layout.fanout = n;
  }
  return layout;
}

}  // namespace fanout
