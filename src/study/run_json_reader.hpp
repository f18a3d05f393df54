// Reads back what a point's `fanout run --json` wrote (report/json_report.hpp describes it).
#pragma once

#include <nlohmann/json.hpp>

#include "study/study_report.hpp"

namespace fanout {

/// Fills the point's measurements (tasks, walls, failed tasks, hosts, the run's warnings and its
/// environment) from the document's one run, then summarize_point. Throws std::runtime_error
/// naming the key when the document does not have the expected shape.
void read_run_json(const nlohmann::json& doc, PointResult& point);

/// The `environment` object of a run document.
Environment environment_from_json(const nlohmann::json& env);

}  // namespace fanout
