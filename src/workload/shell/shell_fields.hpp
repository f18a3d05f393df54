// ShellFields: what a farm task's Sample carries beyond the common core, and its CSV columns.
#pragma once

#include <cstdint>

#include "timing/record.hpp"

namespace fanout {

/// Stored in Sample::kind (exec/record.hpp); 48 bytes.
struct ShellFields {
  std::int32_t exit_code =
      0;                    ///< exit status; -1 when its timeout ended it (as GNU parallel logs it)
  std::int16_t signal = 0;  ///< the signal that ended it, 0 if it exited
  std::uint16_t reserved = 0;
  float user_s = 0;  ///< CPU time of the task's processes (wait4), every attempt
  float sys_s = 0;
  std::uint32_t max_rss_kib = 0;  ///< peak resident memory of its largest process, any attempt
  std::uint32_t seq = 0;          ///< its number in the task list (1-based), as in the joblog
  double start_epoch_s = 0;       ///< when its first attempt started, seconds since 1970 (UTC)
  std::uint64_t out_bytes = 0;    ///< bytes it wrote to stdout (its .out log), last attempt
  std::uint64_t err_bytes = 0;    ///< and to stderr
};
static_assert(sizeof(ShellFields) <= kKindFieldBytes);

inline ShellFields shell_fields(const Sample& s) { return kind_fields<ShellFields>(s); }

/// CSV columns and trace args: seq, exit_code, signal, user_s, sys_s, max_rss_kib, start_epoch,
/// end_epoch, out_bytes, err_bytes.
RecordFields shell_record_fields();

}  // namespace fanout
