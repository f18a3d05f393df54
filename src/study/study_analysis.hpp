// The sweep's plan (which points, in which order) and the analysis of its measurements: speedup,
// efficiency, Karp-Flatt, the scaling-law fit, where it stops paying off, and the warnings.
#pragma once

#include <string>
#include <vector>

#include "study/study_report.hpp"

namespace fanout {

/// Repetitions below which median_ci95 cannot reach 95 % coverage (it returns [min, max]).
inline constexpr int kFullCiRepetitions = 6;
/// An R² below this says the law does not describe the measurements.
inline constexpr double kPoorFitR2 = 0.9;

/// The model of a point with `threads` threads per rank: --model if given, else the workload's
/// (StudyHints::model: processes+threads for cpu, processes at one thread; processes+async
/// for io).
Model point_model(const StudySpec& spec, const Workload& workload, int threads);

/// A point of `ranks` ranks and `threads` threads per rank: its model, workers and work factor.
StudyPoint make_point(const StudySpec& spec, const Workload& workload, int ranks, int threads);

/// Every (ranks, threads) pair of the spec, plus the base case 1 x 1 when the lists lack it,
/// ordered by workers, then threads, so the base case runs first.
std::vector<StudyPoint> plan_points(const StudySpec& spec, const Workload& workload);

/// Fills a launched point's summary (median, interval, cv) from its walls.
void summarize_point(PointResult& point);

/// Derived figures of every point against the base case, the fit, the stop point and the
/// warnings. Pure: reads the points' measurements, overwrites the derived fields and warnings.
void analyze(StudyReport& report);

/// How the work relates to the workers, in words (strong: fixed; weak: what grows and by how much).
std::string describe_work_scaling(const StudyReport& report);
/// How each time was measured and summarised, in words, for the JSON document and the table.
std::string describe_measurement(const StudyReport& report);

}  // namespace fanout
