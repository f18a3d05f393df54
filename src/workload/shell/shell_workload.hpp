// The shell workload kind: a farm of the user's own commands, run on every model.
#pragma once

#include "workload/workload.hpp"

namespace fanout {

/// The [shell] section's kind, as listed in workload_types().
const WorkloadType& shell_workload_type();

}  // namespace fanout
