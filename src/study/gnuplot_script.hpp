// gnuplot scripts for a study's plots, rendered as text (pure): the data inline as datablocks,
// each script drawing its figure once as PNG and once as SVG.
#pragma once

#include <string>

#include "study/study_report.hpp"

namespace fanout {

enum class PlotKind {
  speedup,     ///< speedup vs workers, with the ideal line and the fitted law
  efficiency,  ///< efficiency vs workers, with 100 % and the threshold
};

/// "speedup" or "efficiency": the script is NAME.gp and draws NAME.png and NAME.svg.
std::string plot_name(PlotKind kind);

/// Terminals to draw with: png_terminal "pngcairo" or "png" (libgd); svg false leaves SVG out.
struct PlotTerminals {
  std::string png = "pngcairo";
  bool svg = true;
};

/// True when some point has a speedup to plot (the base case and one more point succeeded).
bool has_plot_data(const StudyReport& report);

/// The script, to be run in the output directory. One series per threads-per-rank value, with
/// the 95 % interval of each point's median as error bars.
std::string render_gnuplot_script(const StudyReport& report, PlotKind kind,
                                  const PlotTerminals& terminals);

}  // namespace fanout
