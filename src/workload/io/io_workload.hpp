// The io workload kind: a URL list fetched with libcurl on every model.
#pragma once

#include "workload/workload.hpp"

namespace fanout {

/// The [io] section's kind, as listed in workload_types().
const WorkloadType& io_workload_type();

}  // namespace fanout
