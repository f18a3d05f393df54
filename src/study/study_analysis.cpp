// Plan and analysis of a scaling study.
#include "study/study_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "cli/format.hpp"

namespace fanout {
namespace {

std::vector<StudyWarning> study_warnings(const StudyReport& r) {
  std::vector<StudyWarning> out;
  if (r.incomplete) {
    out.push_back({"incomplete", "",
                   "the study was stopped before every point ran: these figures cover the points "
                   "measured so far"});
  }
  for (const auto& note : r.spec.notes) out.push_back({"setup", "", note});
  if (r.spec.repeat < kFullCiRepetitions) {
    const double level = 1 - std::pow(2.0, 1 - r.spec.repeat);
    out.push_back({"few_repetitions", "",
                   std::to_string(r.spec.repeat) + " repetition" + (r.spec.repeat == 1 ? "" : "s") +
                       " per point: the interval of the median is [min, max] with " +
                       format_percent(level) + " coverage, not 95 %; --repeat " +
                       std::to_string(kFullCiRepetitions) + " or more gives a 95 % interval"});
  }
  bool base_launched = false;
  for (const auto& p : r.points) {
    if (!p.launched) continue;
    const std::string key = p.point.key();
    if (p.point.ranks == 1 && p.point.threads == 1) base_launched = true;
    if (!p.ok) {
      // Exit 0 and no result: the run ended well but its document is missing or unusable.
      const std::string what = p.exit_code == 0
                                   ? "the run exited 0 but left no usable result"
                                   : "the launch failed (exit " + std::to_string(p.exit_code) + ")";
      out.push_back({"failed_point", key, key + ": " + what + ": " + p.error});
      continue;
    }
    if (!p.error.empty()) {
      out.push_back({"ended_early", key,
                     key + ": the launch ended early (exit " + std::to_string(p.exit_code) +
                         "): " + p.error + "; its figures cover the repetitions it finished"});
    }
    for (const auto& w : p.run_warnings) out.push_back({w.kind, key, key + ": " + w.message});
    if (p.tasks > 0 && p.tasks < static_cast<std::uint64_t>(p.point.workers)) {
      out.push_back({"idle_workers", key,
                     key + ": " + std::to_string(p.point.workers) + " workers for " +
                         std::to_string(p.tasks) +
                         " tasks: some workers have nothing to do, "
                         "which caps efficiency at " +
                         format_percent(static_cast<double>(p.tasks) / p.point.workers)});
    }
  }
  if (base_launched && !r.base_index) {
    out.push_back(
        {"no_base", "", "the base case (1 rank x 1 thread) failed: no speedup, efficiency or fit"});
  }
  if (r.fit && r.fit->r_squared < kPoorFitR2) {
    out.push_back({"poor_fit", "",
                   (r.fit->law == "amdahl" ? "Amdahl" : "Gustafson") + std::string(" fit R² = ") +
                       format_fixed2(r.fit->r_squared) +
                       ": the law describes these points poorly (overheads that grow with the "
                       "workers, oversubscription or noise); read the per-point figures instead"});
  }
  return out;
}

}  // namespace

std::string StudyPoint::key() const {
  return (nodes > 0 ? "n" + std::to_string(nodes) + "-" : std::string()) + "r" +
         std::to_string(ranks) + "-t" + std::to_string(threads);
}

Model point_model(const StudySpec& spec, const Workload& workload, int threads) {
  return spec.model ? *spec.model : study_model(workload.study(), threads);
}

StudyPoint make_point(const StudySpec& spec, const Workload& workload, int ranks, int threads) {
  StudyPoint p;
  p.ranks = ranks;
  p.threads = threads;
  p.model = point_model(spec, workload, threads);
  p.workers = ranks * (threads_give_workers(p.model, workload) ? threads : 1);
  p.work_factor = spec.mode == ScaleMode::weak ? p.workers : 1;
  return p;
}

std::vector<StudyPoint> plan_points(const StudySpec& spec, const Workload& workload) {
  std::vector<std::pair<int, int>> pairs;
  for (int r : spec.ranks) {
    for (int t : spec.threads) pairs.emplace_back(r, t);
  }
  if (std::find(pairs.begin(), pairs.end(), std::pair{1, 1}) == pairs.end())
    pairs.emplace_back(1, 1);
  std::vector<StudyPoint> points;
  for (const auto& [r, t] : pairs) points.push_back(make_point(spec, workload, r, t));
  std::stable_sort(points.begin(), points.end(), [](const StudyPoint& a, const StudyPoint& b) {
    return a.workers != b.workers ? a.workers < b.workers : a.threads < b.threads;
  });
  return points;
}

void summarize_point(PointResult& p) {
  p.wall_s = median(p.walls_s);
  p.wall_ci = median_ci95(p.walls_s);
  p.wall_cv = cv(p.walls_s);
}

void analyze(StudyReport& r) {
  r.base_index.reset();
  r.fit.reset();
  r.stop_index.reset();
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    const PointResult& p = r.points[i];
    if (p.ok && p.point.ranks == 1 && p.point.threads == 1 && p.wall_s > 0) r.base_index = i;
  }
  const bool weak = r.spec.mode == ScaleMode::weak;
  std::vector<ScalingSample> samples;
  std::vector<std::size_t> sample_point;
  for (std::size_t i = 0; i < r.points.size(); ++i) {
    PointResult& p = r.points[i];
    p.speedup.reset();
    p.efficiency.reset();
    p.karp_flatt.reset();
    if (!r.base_index || !p.ok || !(p.wall_s > 0)) continue;
    const double base = r.points[*r.base_index].wall_s;
    // Weak scaling: the point did work_factor times the base work in wall_s (scaled speedup).
    const double s = p.point.work_factor * base / p.wall_s;
    p.speedup = s;
    p.efficiency = s / p.point.workers;
    if (!weak && p.point.workers > 1) p.karp_flatt = karp_flatt(s, p.point.workers);
    samples.push_back({p.point.workers, s});
    sample_point.push_back(i);
  }
  if (r.base_index && samples.size() > 1) {
    r.fit = weak ? fit_gustafson(samples) : fit_amdahl(samples);
    if (std::isnan(r.fit->serial_fraction)) r.fit.reset();
  }
  if (auto stop = stops_paying_off(samples, r.spec.efficiency_threshold)) {
    r.stop_index = sample_point[*stop];
  }
  r.warnings = study_warnings(r);
}

std::string describe_work_scaling(const StudyReport& r) {
  const WeakKnob knob = r.job.workload->study().weak;
  const std::string work = knob.key + " = " + std::to_string(knob.base);
  if (r.spec.mode == ScaleMode::strong) {
    return "strong scaling: the work is fixed (" + work + " " + knob.unit +
           " at every point); speedup S = T(1x1) / T(p)";
  }
  return "weak scaling: the work grows with the workers p (" + work + " x p " + knob.unit +
         "); scaled speedup S = p T(1x1) / T(p)";
}

std::string describe_measurement(const StudyReport& r) {
  return "each point is its own launch (" + to_string(r.launcher) + ") of 'fanout run' with " +
         std::to_string(r.spec.repeat) + " repetition" + (r.spec.repeat == 1 ? "" : "s") +
         "; wall = steady_clock from a common start after a barrier to the last task's end, "
         "max over ranks; a point's time is the median of its repetitions with a "
         "distribution-free 95 % interval of the median (order statistics); efficiency = S / p "
         "with p = ranks x threads; Karp-Flatt e = (1/S - 1/p) / (1 - 1/p) (strong mode); " +
         (r.spec.mode == ScaleMode::strong ? "Amdahl fit S = 1 / (f + (1 - f) / p)"
                                           : "Gustafson fit S = p - f (p - 1)") +
         " by least squares on the serial fraction f over the points that succeeded";
}

}  // namespace fanout
