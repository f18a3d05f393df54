// Raising the soft open-file limit toward what the transfers in flight need.
#include "workload/io/fd_limit.hpp"

#include <sys/resource.h>

#include <algorithm>

namespace fanout {

std::uint64_t raise_fd_limit(std::uint64_t needed) {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return needed;  // cannot tell: do not refuse
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed) return needed;
  const rlim_t wanted = limit.rlim_max == RLIM_INFINITY
                            ? static_cast<rlim_t>(needed)
                            : std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(needed));
  if (wanted > limit.rlim_cur) {
    struct rlimit raised = limit;
    raised.rlim_cur = wanted;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) return wanted;
  }
  return limit.rlim_cur;
}

}  // namespace fanout
