// The files and the text of a study, written the same way whether the points were launched by
// `fanout scale` or ran as batch jobs and were gathered by `fanout collect`.
#pragma once

#include <ostream>
#include <string>

#include "exec/stop_flag.hpp"
#include "study/study_report.hpp"

namespace fanout {

/// study.json and study.csv into out_dir, each written atomically (a partial study stays readable).
void write_study_files(const StudyReport& report, const std::string& out_dir);

/// The end of a study: analyse, draw the plots when `draw_plots` (problems go to err as warnings),
/// write the files, and print the table to out unless `quiet`.
/// `stop`, if given, ends the plotting early once set.
void finish_study(StudyReport& report, const std::string& out_dir, bool draw_plots, bool quiet,
                  std::ostream& out, std::ostream& err, const StopFlag* stop = nullptr);

}  // namespace fanout
