// What an open-loop run says: achieved against target rate, and latency from the intended start
// (corrected) beside latency from the send (uncorrected), per step of the staircase and in all.
#pragma once

#include <string>
#include <vector>

#include "workload/io/generator_check.hpp"
#include "workload/io/io_spec.hpp"
#include "workload/io/io_tally.hpp"
#include "workload/io/open_loop_tally.hpp"
#include "workload/io/rate_schedule.hpp"
#include "workload/workload.hpp"

namespace fanout {

/// Achieved rate below this share of the target: the report warns.
inline constexpr double kRateHeldShare = 0.99;

/// The run's figures: target and achieved rate, and the corrected and uncorrected spectra
/// (corrected_s.p50 ... max, uncorrected_s.*), the corrected p50, p99, p99.99 and max as columns.
std::vector<Figure> open_loop_figures(const OpenLoopTally& tally, const RateSchedule& schedule);

/// Lines under the table (a row per step, sends per rank), the run's warnings (the generator could
/// not hold the rate, the rate was not held: generator_check.hpp) and runs[].details.open_loop;
/// with `hgrm`, its "hgrm" object holds each step's and the total's distributions as .hgrm text.
void add_open_loop_details(const OpenLoopTally& tally, const RateSchedule& schedule,
                           bool drop_at_cap, bool hgrm, RunDetails& details);

/// An open-loop run's figures and details from its median repetition's tally (wall `wall_s`):
/// requests, bytes, MB/s, the open-loop figures, and latency_s as the uncorrected latency (the
/// run's task times include each slot's wait for its request's intended start).
/// With io.hgrm, the details' outputs are its files (hgrm_files.hpp).
KindSummary open_loop_summary(const IoTally& tally, const IoSpec& spec, double wall_s);

/// The whole job's target rate over a span of steps: arrivals / seconds.
double target_rate(const RateSchedule& schedule);

}  // namespace fanout
