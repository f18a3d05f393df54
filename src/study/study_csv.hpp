// study.csv: one row per point of a scaling study, for spreadsheets and plotting scripts.
#pragma once

#include <string>

#include "study/study_report.hpp"

namespace fanout {

/// Header line first, then one row per point in the order they ran, RFC 4180 quoting:
///   key,ranks,threads,workers,model,work_factor,status,tasks,repetitions,wall_s,
///   wall_ci95_lower_s,wall_ci95_upper_s,wall_ci95_level,wall_cv,speedup,efficiency,karp_flatt,
///   failed_tasks,launch_s,error,nodes,job_id,job_state
/// Fields as in study.json (study_json.hpp); numbers printed with "%.9g", undefined ones empty.
std::string render_study_csv(const StudyReport& report);

}  // namespace fanout
