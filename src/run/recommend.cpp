// Recommendation rules: classify by the serial run's CPU share, pick by median wall, explain with figures.
#include "run/recommend.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "timing/statistics.hpp"

namespace fanout {
namespace {

double median_wall(const ModelRun& run) {
  std::vector<double> walls;
  for (const auto& rep : run.reps) walls.push_back(rep.wall_s);
  return median(walls);
}

double spread(const ModelRun& run) {
  std::vector<double> walls;
  for (const auto& rep : run.reps) walls.push_back(rep.wall_s);
  const double c = cv(walls);
  return std::isnan(c) ? 0.0 : c;
}

bool has_failures(const ModelRun& run) {
  for (const auto& rep : run.reps) {
    for (const auto& r : rep.per_rank) {
      if (r.failed) return true;
    }
  }
  return false;
}

/// CPU share of the serial run: (user + sys) / wall over its repetitions.
double cpu_fraction(const ModelRun& serial) {
  double cpu = 0, wall = 0;
  for (const auto& rep : serial.reps) {
    for (const auto& r : rep.per_rank) cpu += r.cpu_user_s + r.cpu_sys_s;
    wall += rep.wall_s;
  }
  return wall > 0 ? cpu / wall : 0;
}

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

int total_workers(const ModelRun& run) { return run.ranks * run.workers_per_rank; }

}  // namespace

std::optional<Recommendation> recommend(const RunReport& report) {
  if (!report.base_index || *report.base_index >= report.runs.size()) return std::nullopt;
  const ModelRun& serial = report.runs[*report.base_index];
  if (serial.reps.empty()) return std::nullopt;
  const double base = median_wall(serial);

  Recommendation rec;
  rec.cpu_fraction = cpu_fraction(serial);
  rec.bound = rec.cpu_fraction >= kCpuBoundFraction ? "cpu" : "io";

  const ModelRun* fastest = nullptr;
  for (const auto& run : report.runs) {
    if (run.reps.empty() || has_failures(run)) continue;
    if (!fastest || median_wall(run) < median_wall(*fastest)) fastest = &run;
  }
  if (!fastest) {
    rec.fastest = serial.model;
    rec.why = "Every model had failed tasks; fix those before choosing a model (see the errors).";
    return rec;
  }
  rec.fastest = fastest->model;
  rec.fastest_speedup = base / median_wall(*fastest);

  std::string why;
  const std::string share = fmt("%.0f%%", 100 * rec.cpu_fraction);
  if (rec.bound == "cpu") {
    why = "CPU-bound: the serial run kept the CPU busy " + share +
          " of its wall time, so only more cores help. ";
  } else {
    why = "I/O-bound: the serial run used the CPU " + share +
          " of its wall time and spent the rest waiting, so overlapping requests pays. ";
  }
  why += to_string(fastest->model) + " was fastest: " + fmt("%.2fx", rec.fastest_speedup) +
         " the serial time with " + std::to_string(total_workers(*fastest)) + " " +
         report.job.workload->worker_noun(fastest->model) +
         " (" + std::to_string(fastest->ranks) + (fastest->ranks == 1 ? " rank" : " ranks") + ").";
  for (const auto& run : report.runs) {
    if (run.model == Model::async && rec.bound == "cpu") {
      why += " async stays near " + fmt("%.2fx", base / median_wall(run)) +
             ": one event loop runs one task at a time on one core.";
    }
  }
  // Name a close runner-up: within the fastest's own spread (or 5 %), the choice is noise.
  const double tolerance = std::max(0.05, 2 * spread(*fastest));
  for (const auto& run : report.runs) {
    if (&run == fastest || run.reps.empty() || has_failures(run)) continue;
    if (median_wall(run) <= median_wall(*fastest) * (1 + tolerance)) {
      why += " " + to_string(run.model) + " is within " + fmt("%.0f%%", 100 * tolerance) +
             " of it, which is within noise: prefer the simpler of the two.";
      break;
    }
  }
  rec.why = why;
  return rec;
}

}  // namespace fanout
