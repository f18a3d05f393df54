// LeaderLayout read from the environment, each value checked, and agreed on by every rank.
#include "mpi/leader_layout.hpp"

#include <mpi.h>

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cli/config_error.hpp"
#include "mpi/agree.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"

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
  return layout;
}

LeaderLayout agreed_leader_layout(World& world, std::optional<LeaderLayout> given) {
  std::optional<std::string> error;
  LeaderLayout layout;
  if (given) {
    layout = *given;
  } else {
    try {
      layout = leader_layout_from_env([](const char* name) { return std::getenv(name); });
    } catch (const ConfigError& e) {
      error = e.what();
    }
  }
  // Every rank fails alike (a user's mistake: exit 2), and only rank 0 prints it.
  fail_together(world, error, 2);
  int wire[2] = {static_cast<int>(layout.mode), layout.node_size};
  mpi::run_idle(
      [&](MPI_Request* r) { return MPI_Ibcast(wire, 2, MPI_INT, 0, world.impl().comm, r); },
      "MPI_Ibcast");
  return {static_cast<LeaderLayout::Mode>(wire[0]), wire[1]};
}

}  // namespace fanout
