// The resolved JobSpec and the Environment as JSON objects, for the report and study documents.
#pragma once

#include <nlohmann/json.hpp>

#include "job/job_spec.hpp"
#include "report/run_report.hpp"

namespace fanout {

/// {name, source, workload, cpu{...}, io{...}, run{...}}: every field of JobSpec under its C++
/// name; models, workloads and schedules as users write them ("processes+threads", "dynamic").
nlohmann::json job_json(const JobSpec& job);
/// Every field of Environment under its C++ name.
nlohmann::json environment_json(const Environment& env);

}  // namespace fanout
