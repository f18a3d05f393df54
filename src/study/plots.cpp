// Runs gnuplot on the study's scripts.
#include "study/plots.hpp"

#include <filesystem>

#include "launch/process.hpp"
#include "report/writer.hpp"
#include "study/gnuplot_script.hpp"

namespace fanout {
namespace {

/// The terminals this gnuplot has: pngcairo if built with cairo, else libgd's png; svg if present.
PlotTerminals terminals_of(const std::string& gnuplot) {
  const ProcessResult listed = run_process({gnuplot, "-e", "set terminal"}, "");
  PlotTerminals t;
  const auto has = [&](const std::string& name) {
    return listed.output.find(" " + name + " ") != std::string::npos;
  };
  if (!has("pngcairo")) t.png = "png";
  t.svg = has("svg");
  return t;
}

}  // namespace

PlotOutcome draw_plots(const StudyReport& report, const std::string& out_dir,
                       const StopFlag* stop) {
  PlotOutcome outcome;
  if (!has_plot_data(report)) {
    outcome.problems.push_back(
        "no plots: they need the base case and another point that succeeded");
    return outcome;
  }
  const std::string gnuplot = find_on_path("gnuplot");
  const PlotTerminals terminals = gnuplot.empty() ? PlotTerminals{} : terminals_of(gnuplot);
  for (PlotKind kind : {PlotKind::speedup, PlotKind::efficiency}) {
    const std::string name = plot_name(kind);
    write_file_atomically(out_dir + "/" + name + ".gp",
                          render_gnuplot_script(report, kind, terminals));
  }
  if (gnuplot.empty()) {
    outcome.problems.push_back("gnuplot not found on PATH: plots skipped (the scripts are in " +
                               out_dir + ": run 'gnuplot speedup.gp efficiency.gp' there)");
    return outcome;
  }
  if (!terminals.svg) {
    outcome.problems.push_back("gnuplot has no svg terminal: SVG plots skipped");
  }
  for (PlotKind kind : {PlotKind::speedup, PlotKind::efficiency}) {
    if (stop_requested(stop)) break;
    const std::string name = plot_name(kind);
    const ProcessResult run = run_process({gnuplot, name + ".gp"}, "", out_dir);
    if (!run.started || run.exit_code != 0) {
      outcome.problems.push_back(
          "gnuplot " + name + ".gp failed" +
          (run.started ? " (exit " + std::to_string(run.exit_code) + ")" : "") + ": " +
          (run.started ? last_nonblank_line(run.output) : run.error));
      continue;
    }
    for (const char* ext : {".png", ".svg"}) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(out_dir + "/" + name + ext, ec)) {
        outcome.files.push_back(name + ext);
      }
    }
  }
  return outcome;
}

}  // namespace fanout
