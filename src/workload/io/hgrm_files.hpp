// An open-loop run's distributions as files (io.hgrm = DIR): each step's and the whole run's
// corrected and uncorrected HdrHistogram .hgrm text, and a gnuplot script per step that draws
// both curves on HdrHistogram's percentile scale. Rendering only: the report writes them, into a
// folder per model (DIR/MODEL/).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "workload/io/open_loop_tally.hpp"
#include "workload/io/rate_schedule.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// The files' base names for a run of `steps` steps: "step1" ... "stepN", then "total"; each
/// gives BASE.corrected.hgrm, BASE.uncorrected.hgrm and BASE.gp (which draws BASE.png).
std::vector<std::string> hgrm_bases(std::size_t steps);

/// Every file name of those bases (.corrected.hgrm, .uncorrected.hgrm, .gp, .png), in order.
std::vector<std::string> hgrm_file_names(std::size_t steps);

/// The gnuplot script that draws BASE.corrected.hgrm against BASE.uncorrected.hgrm into
/// BASE.png: latency (ms) by percentile, x on HdrHistogram's scale 1/(1 - percentile), log,
/// ticked 90 %, 99 %, 99.9 % ... Run in the files' folder; pngcairo where gnuplot has it.
std::string render_hgrm_plot(const std::string& base, const std::string& title);

/// The files of a run, for `dir`: per step and in all, both .hgrm texts and the script.
std::vector<RunDetails::Output> hgrm_outputs(const OpenLoopTally& tally,
                                             const RateSchedule& schedule, const std::string& dir);

}  // namespace fanout
