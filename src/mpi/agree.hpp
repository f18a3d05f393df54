// agreed(): one step that may fail on bad input, so that every rank fails alike or none does.
#pragma once

#include <optional>
#include <string>

#include "cli/config_error.hpp"
#include "mpi/world.hpp"

namespace fanout {

/// Collective: runs `step` on rank 0 only (`root_only`) or on every rank; if it throws
/// ConfigError on any rank, every rank throws that rank's ConfigError (the lowest rank's), so all
/// leave together and rank 0 can print it.
template <typename Fn>
void agreed(World& world, bool root_only, Fn&& step) {
  std::optional<std::string> error;
  if (!root_only || world.is_root()) {
    try {
      step();
    } catch (const ConfigError& e) {
      error = e.what();
    }
  }
  if (auto agreed_error = world.agree_error(error)) throw ConfigError(*agreed_error);
}

}  // namespace fanout
