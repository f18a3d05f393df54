// The human-readable report on stdout: header block, one row per model, per-rank detail, warnings,
// recommendation.
#pragma once

#include <string>

#include "report/run_report.hpp"

namespace fanout {

/// The whole text report. Per-rank detail is shown for `run` only; I/O workloads get throughput and
/// latency columns. Times carry their unit (s/ms/µs/ns by magnitude), nothing else does.
std::string render_table(const RunReport& report);

/// The one-line descriptions used in the header block (also handy for progress lines).
std::string describe_workload(const RunReport& report);
std::string describe_environment(const Environment& env);

}  // namespace fanout
