// The human-readable study report on stdout: header block, one row per point, the fit, where
// scaling stops paying off, warnings, and the files written.
#pragma once

#include <string>

#include "study/study_report.hpp"

namespace fanout {

/// The whole text report; `out_dir` names where the files went.
std::string render_study_table(const StudyReport& report, const std::string& out_dir);

}  // namespace fanout
