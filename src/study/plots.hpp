// Draws a study's plots: writes the gnuplot scripts into the output directory and runs gnuplot.
#pragma once

#include <string>
#include <vector>

#include "exec/stop_flag.hpp"
#include "study/study_report.hpp"

namespace fanout {

struct PlotOutcome {
  std::vector<std::string> files;     ///< images written, relative to the output directory
  std::vector<std::string> problems;  ///< one line each: gnuplot missing or failing
};

/// Writes speedup.gp and efficiency.gp into out_dir (always, so they can be rendered elsewhere)
/// and, when gnuplot is on PATH, runs them there: speedup.png/.svg and efficiency.png/.svg.
/// Without gnuplot, or without a point to plot, nothing is drawn and `problems` says why.
/// Once `stop` (may be null) is set, no further plot is drawn.
PlotOutcome draw_plots(const StudyReport& report, const std::string& out_dir,
                       const StopFlag* stop = nullptr);

}  // namespace fanout
