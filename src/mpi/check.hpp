// FANOUT_CHECK: stop the whole job on a broken invariant (a bug, never user input).
#pragma once

#include <string_view>

namespace fanout {

/// Prints "fanout: internal error: FILE:LINE: MSG" to stderr, then aborts every rank through
/// MPI_Abort when MPI is up (std::abort otherwise).
[[noreturn]] void check_failed(const char* file, int line, std::string_view msg);

}  // namespace fanout

/// Aborts the job when `cond` is false; `msg` (anything convertible to std::string_view) says what
/// broke.
#define FANOUT_CHECK(cond, msg)                                     \
  do {                                                              \
    if (!(cond)) ::fanout::check_failed(__FILE__, __LINE__, (msg)); \
  } while (false)
