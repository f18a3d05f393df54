// Recommendation rules: classify by the serial run's CPU share, pick by median wall, explain with figures.
#include "run/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "report/summary.hpp"
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

std::uint64_t failures(const ModelRun& run) {
  std::uint64_t n = 0;
  for (const auto& rep : run.reps) {
    for (const auto& r : rep.per_rank) n += r.failed;
  }
  return n;
}

/// Cores the run's workers had: rank 0's for the models on rank 0, every node's for the others.
int cores_of(const ModelRun& run, const Environment& env) {
  const int node = env.cores_per_node > 0 ? env.cores_per_node : 1;
  if (!is_distributed(run.model)) return env.cores_available > 0 ? env.cores_available : node;
  return node * std::max(1, env.nodes);
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

  const Workload& workload = *report.job.workload;
  Recommendation rec;
  // A kind whose tasks are processes of their own (the farm) is classified by their CPU time;
  // the others by the ranks'. Tasks that split their time evenly are "mixed".
  const std::optional<double> by_tasks =
      workload.task_cpu_fraction(serial.reps.front().kind_tally.get());
  rec.cpu_fraction = by_tasks.value_or(cpu_fraction(serial));
  rec.bound = rec.cpu_fraction >= kCpuBoundFraction ? "cpu" : "io";
  if (by_tasks) {
    rec.measured_by = "serial run's tasks";
    rec.bound = rec.cpu_fraction >= kTasksCpuBound ? "cpu" : rec.cpu_fraction <= kTasksIoBound ? "io" : "mixed";
  }

  // The candidates: runs with the fewest failed tasks (none, unless every model failed some,
  // as a farm's broken command does under every model).
  std::uint64_t fewest = UINT64_MAX;
  for (const auto& run : report.runs) {
    if (!run.reps.empty()) fewest = std::min(fewest, failures(run));
  }
  const ModelRun* fastest = nullptr;
  for (const auto& run : report.runs) {
    if (run.reps.empty() || failures(run) != fewest) continue;
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
  const std::string subject = by_tasks ? "the tasks' processes" : "the serial run";
  if (rec.bound == "cpu") {
    why = "CPU-bound: " + subject + " kept a CPU busy " + share +
          " of their wall time, so only more cores help. ";
  } else if (rec.bound == "mixed") {
    why = "Mixed: " + subject + " kept a CPU busy " + share +
          " of their wall time and waited the rest, so a few tasks per core overlap. ";
  } else {
    why = "I/O-bound: " + subject + " used the CPU " + share +
          " of their wall time and spent the rest waiting, so overlapping " +
          (by_tasks ? "tasks" : "requests") + " pays. ";
  }
  why += to_string(fastest->model) + " was fastest: " + fmt("%.2fx", rec.fastest_speedup) +
         " the serial time with " + std::to_string(total_workers(*fastest)) + " " +
         report.job.workload->worker_noun(fastest->model) +
         " (" + std::to_string(fastest->ranks) + (fastest->ranks == 1 ? " rank" : " ranks") + ").";
  for (const auto& run : report.runs) {
    if (run.model == Model::async && rec.bound == "cpu" && !by_tasks) {
      why += " async stays near " + fmt("%.2fx", base / median_wall(run)) +
             ": one event loop runs one task at a time on one core.";
    }
  }
  // Name a close runner-up: within the fastest's own spread (or 5 %), the choice is noise.
  const double tolerance = std::max(0.05, 2 * spread(*fastest));
  for (const auto& run : report.runs) {
    if (&run == fastest || run.reps.empty() || failures(run) != fewest) continue;
    if (median_wall(run) <= median_wall(*fastest) * (1 + tolerance)) {
      const std::string name =
          to_string(run.model) + (run.model == fastest->model
                                      ? " with " + std::to_string(total_workers(run)) + " " +
                                            workload.worker_noun(run.model)
                                      : "");
      why += " " + name + " is within " + fmt("%.0f%%", 100 * tolerance) +
             " of it, which is within noise: prefer the simpler of the two.";
      break;
    }
  }
  if (workload.advises_workers_per_core()) {
    const int workers = total_workers(*fastest), cores = cores_of(*fastest, report.env);
    rec.workers_per_core = static_cast<double>(workers) / cores;
    why += " That is " + fmt("%.3g", *rec.workers_per_core) + " " +
           workload.worker_noun(fastest->model) + " per core (" + std::to_string(workers) + " on " +
           std::to_string(cores) + (cores == 1 ? " core)." : " cores).");
    if (rec.bound == "cpu" && *rec.workers_per_core > 1.5) {
      why += " More than one per core only time-shares the cores for CPU-bound tasks; that it "
             "measured faster here suggests a busy machine or a small sample: prefer one per "
             "core (per cores-per-task).";
    }
    if (rec.bound != "cpu" && rec.cpu_fraction > 0) {
      why += " At " + share + " CPU per task the cores saturate near " +
             fmt("%.0f", std::max(1.0, 1 / rec.cpu_fraction)) + " per core.";
    }
  }
  if (fewest > 0) {
    why += " Every model had failed tasks (" + std::to_string(fewest) +
           " at least): the figures include them; see the errors.";
  }
  rec.why = why;
  return rec;
}

}  // namespace fanout
