// Failing together: agreed() for one step that may fail on bad input, fail_together() for any
// error one rank found, and AgreedFailure, which every rank then throws at the same point.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "cli/config_error.hpp"
#include "mpi/world.hpp"

namespace fanout {

/// Thrown on every rank at once, after the ranks agreed on an error: each may unwind and exit
/// normally (no rank waits for another in a collective), with `exit_code()` (2 for bad input,
/// 1 otherwise), rank 0 printing the message. Anything else escaping on one rank alone has to
/// take the job down (World::abort_job), since the others may wait for it forever.
class AgreedFailure : public std::runtime_error {
 public:
  AgreedFailure(const std::string& message, int exit_code)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

/// Collective: if any rank passes an error, every rank throws AgreedFailure with the lowest such
/// rank's message.
inline void fail_together(World& world, const std::optional<std::string>& mine, int exit_code = 1) {
  if (auto error = world.agree_error(mine)) throw AgreedFailure(*error, exit_code);
}

/// Collective: runs `step` on rank 0 only (`root_only`) or on every rank; if it throws
/// ConfigError on any rank, every rank throws AgreedFailure with that rank's message (the lowest
/// rank's) and exit code 2, so all leave together and rank 0 can print it.
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
  fail_together(world, error, 2);
}

}  // namespace fanout
