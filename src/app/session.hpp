// Session: `run` and `compare` — which models, how many repetitions, the base case, partial output.
#pragma once

#include <functional>

#include "app/workload_binding.hpp"
#include "cli/command_line.hpp"
#include "dist/world.hpp"
#include "report/run_report.hpp"

namespace fanout {

/// Called on rank 0 after every measurement with the report so far (to write partial results).
using ProgressFn = std::function<void(const RunReport&, const std::string& just_measured)>;

/// Collective. Measures every model of the invocation `repeat` times, round-robin (model after
/// model within a repetition, so slow drift of the machine spreads over all models). The base case
/// (serial, on rank 0) is measured first when --base measure (the default) and it is not already
/// in the list. The returned report is complete on rank 0; other ranks get an empty one.
RunReport run_session(World& world, const Invocation& inv, WorkloadBinding& workload,
                      const Environment& env, const ProgressFn& progress);

}  // namespace fanout
