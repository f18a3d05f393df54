// The periodic stall route: every request waits out the stall window it arrives in, where the
// windows are [k*every, k*every + hold) from the server's start.
#pragma once

#include <chrono>
#include <string_view>

#include "server/routes.hpp"

namespace fanout {

/// How long a request that arrives `elapsed` after the server started waits: the rest of its
/// window when it arrives inside one, else zero. Requires 0 < hold < every.
std::chrono::nanoseconds periodic_stall_wait(std::chrono::nanoseconds elapsed,
                                             std::chrono::nanoseconds every,
                                             std::chrono::nanoseconds hold);

/// `/stall?every=MS&hold=MS`: answered 200 after periodic_stall_wait (400 for a bad query),
/// `elapsed` after the server's start.
Reply periodic_stall_route(std::string_view query, std::chrono::nanoseconds elapsed);

}  // namespace fanout
