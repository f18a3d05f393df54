// File descriptors for transfers in flight: every one holds a socket, so a concurrency past the
// process's open-file limit fails as "Couldn't connect" unless the limit is raised or it is
// refused.
#pragma once

#include <cstdint>

namespace fanout {

/// Descriptors kept for everything but the transfers: stdio, MPI's own, curl's, files.
inline constexpr std::uint64_t kReservedFds = 64;

/// Raises the soft RLIMIT_NOFILE toward `needed`, as far as the hard limit allows (as nginx and
/// most servers do), and returns the soft limit now in force.
std::uint64_t raise_fd_limit(std::uint64_t needed);

}  // namespace fanout
