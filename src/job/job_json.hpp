// The resolved JobSpec as a JSON object, for the run and study documents.
#pragma once

#include <nlohmann/json.hpp>

#include "job/job_spec.hpp"

namespace fanout {

/// {name, source, workload (its kind), <kind> {its section, e.g. cpu {kernel, n, ...}}, run {model,
/// threads, schedule, chunk, repeat, models[], json_path, csv_path, trace_path, quiet}}; models and
/// schedules as users write them ("processes+threads", "dynamic").
nlohmann::json job_json(const JobSpec& job);

}  // namespace fanout
