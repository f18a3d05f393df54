// The cpu workload kind: CPU kernels (fib, primes, triad, noop) as tasks, on every model.
#pragma once

#include "workload/workload.hpp"

namespace fanout {

/// The [cpu] section's kind, as listed in workload_types().
const WorkloadType& cpu_workload_type();

}  // namespace fanout
