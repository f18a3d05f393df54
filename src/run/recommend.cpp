// Recommendation rules: classify by the serial run's CPU share, pick by median wall, explain with
// figures.
#include "run/recommend.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
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

/// The cv of the run's wall times; nullopt with fewer than two repetitions.
std::optional<double> spread(const ModelRun& run) {
  std::vector<double> walls;
  for (const auto& rep : run.reps) walls.push_back(rep.wall_s);
  const double c = cv(walls);
  if (std::isnan(c)) return std::nullopt;
  return c;
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

/// `noun` (plural, as worker_noun gives it) for a count shown as `count`: "1 slot",
/// "1 transfer in flight", "8 slots", "0.5 workers".
std::string counted(const std::string& count, const std::string& noun) {
  if (count != "1") return count + " " + noun;
  const std::size_t word_end = std::min(noun.find(' '), noun.size());
  if (word_end == 0 || noun[word_end - 1] != 's') return count + " " + noun;
  return count + " " + noun.substr(0, word_end - 1) + noun.substr(word_end);
}

/// True when `a` is simpler to run than `b`: earlier in the lesson's order of models (one process
/// before many, threads before an event loop), then fewer workers.
bool simpler(const ModelRun& a, const ModelRun& b) {
  if (a.model != b.model) return static_cast<int>(a.model) < static_cast<int>(b.model);
  return total_workers(a) < total_workers(b);
}

/// The run as sentences name it: its model, with its workers when `other` has the same model.
std::string label(const ModelRun& run, const ModelRun& other, const Workload& workload) {
  std::string name = to_string(run.model);
  if (run.model == other.model) {
    name += " with " + counted(std::to_string(total_workers(run)),
                               worker_noun(workload.placement(), run.model));
  }
  return name;
}

/// Gaps up to this fraction of the fastest's time are too small to pay for a more complex model.
constexpr double kNegligibleGap = 0.05;

/// How `runner` compares with `fastest` when the measurements cannot rank them: the larger gap
/// that noise may hide is twice the larger of the two runs' cv, and never below kNegligibleGap.
struct Tie {
  double ratio = 1;  ///< runner's median wall over the fastest's
  std::optional<double> cv_fastest, cv_runner;
  bool negligible = false;  ///< within kNegligibleGap: a tie whatever the noise
};

std::optional<Tie> tie_of(const ModelRun& fastest, const ModelRun& runner) {
  Tie t;
  t.ratio = median_wall(runner) / median_wall(fastest);
  t.cv_fastest = spread(fastest);
  t.cv_runner = spread(runner);
  t.negligible = t.ratio - 1 <= kNegligibleGap;
  const double noise = 2 * std::max(t.cv_fastest.value_or(0), t.cv_runner.value_or(0));
  if (!t.negligible && t.ratio - 1 > noise) return std::nullopt;
  return t;
}

/// "a cv of 13% and 18%" (the fastest's, then the other's), "a cv of 4%", or what stands in for
/// a cv that one repetition cannot give.
std::string cv_words(const Tie& t) {
  if (!t.cv_fastest && !t.cv_runner) return "one repetition each, so no cv";
  const auto pct = [](const std::optional<double>& c) {
    return c ? fmt("%.0f%%", 100 * *c) : std::string("none (one repetition)");
  };
  const std::string a = pct(t.cv_fastest), b = pct(t.cv_runner);
  return "a cv of " + (a == b ? a : a + " and " + b);
}

/// The sentences on a tie between the fastest and a runner-up, ending with the one to use.
std::string tie_words(const Tie& t, const std::string& fastest, const std::string& runner,
                      const std::string& chosen) {
  std::string out = " " + runner + " took " + fmt("%.2fx", t.ratio) + " the time of " + fastest;
  if (t.negligible) {
    out += ", a gap within " + fmt("%.0f%%", 100 * kNegligibleGap) + " (" + cv_words(t) +
           ") that does not pay for the more complex one";
  } else {
    out += "; at " + cv_words(t) + " across repetitions the two cannot be told apart";
  }
  out += ": use " + chosen + ", the simpler of the two.";
  if (!t.negligible) {
    out +=
        " More repetitions (--repeat), a quieter machine or pinning ranks and threads to cores "
        "(mpirun --map-by slot:PE=N, OMP_PROC_BIND=close) would separate them.";
  }
  return out;
}

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
  const KindTally* serial_tally = serial.reps.front().kind_tally.get();
  const std::optional<double> by_tasks =
      serial_tally ? serial_tally->task_cpu_fraction() : std::nullopt;
  rec.cpu_fraction = by_tasks.value_or(cpu_fraction(serial));
  rec.bound = rec.cpu_fraction >= kCpuBoundFraction ? "cpu" : "io";
  if (by_tasks) {
    rec.measured_by = "serial run's tasks";
    rec.bound = rec.cpu_fraction >= kTasksCpuBound  ? "cpu"
                : rec.cpu_fraction <= kTasksIoBound ? "io"
                                                    : "mixed";
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
    rec.fastest = rec.model = serial.model;
    rec.why = "Every model had failed tasks; fix those before choosing a model (see the errors).";
    return rec;
  }
  rec.fastest = rec.model = fastest->model;
  rec.speedup = base / median_wall(*fastest);

  std::string why;
  const std::string share = fmt("%.0f%%", 100 * rec.cpu_fraction);
  const std::string subject = by_tasks ? "the tasks' processes" : "the serial run";
  const std::string their = by_tasks ? " of their" : " of its";
  if (rec.bound == "cpu") {
    why = "CPU-bound: " + subject + " kept a CPU busy " + share + their +
          " wall time, so only more cores help. ";
  } else if (rec.bound == "mixed") {
    why = "Mixed: " + subject + " kept a CPU busy " + share + their +
          " wall time and waited the rest, so a few tasks per core overlap. ";
  } else {
    why = "I/O-bound: " + subject + " used the CPU " + share + their +
          " wall time and spent the rest waiting, so overlapping " +
          workload.placement().task_noun + " pays. ";
  }
  why += to_string(fastest->model) + " was fastest: " + fmt("%.2fx", rec.speedup) +
         " the serial time with " +
         counted(std::to_string(total_workers(*fastest)),
                 worker_noun(workload.placement(), fastest->model)) +
         " (" + std::to_string(fastest->ranks) + (fastest->ranks == 1 ? " rank" : " ranks") + ").";
  for (const auto& run : report.runs) {
    if (run.model == Model::async && rec.bound == "cpu" && !by_tasks) {
      why += " async stays near " + fmt("%.2fx", base / median_wall(run)) +
             ": one event loop runs one task at a time on one core.";
    }
  }
  // A runner-up the measurements cannot rank against the fastest: the simplest such run is the
  // one to use when it is simpler than the fastest; otherwise the fastest, named as the simpler.
  const ModelRun* tied = nullptr;
  std::optional<Tie> tie;
  for (const auto& run : report.runs) {
    if (&run == fastest || run.reps.empty() || failures(run) != fewest) continue;
    const std::optional<Tie> t = tie_of(*fastest, run);
    if (t && (!tied || simpler(run, *tied))) {
      tied = &run;
      tie = t;
    }
  }
  const ModelRun* chosen = fastest;
  if (tied) {
    std::string use = label(*fastest, *tied, workload);
    if (simpler(*tied, *fastest)) {
      chosen = tied;
      rec.model = chosen->model;
      rec.speedup = base / median_wall(*chosen);
      use = label(*tied, *fastest, workload);
      if (chosen != &serial) use += " (" + fmt("%.2fx", rec.speedup) + " the serial time)";
    }
    why += tie_words(*tie, label(*fastest, *tied, workload), label(*tied, *fastest, workload), use);
  }
  if (workload.placement().tunes_slots) {
    const int workers = total_workers(*chosen), cores = cores_of(*chosen, report.env);
    rec.workers_per_core = static_cast<double>(workers) / cores;
    why += " That is " +
           counted(fmt("%.3g", *rec.workers_per_core),
                   worker_noun(workload.placement(), chosen->model)) +
           " per core (" + std::to_string(workers) + " on " + std::to_string(cores) +
           (cores == 1 ? " core)." : " cores).");
    if (rec.bound == "cpu" && *rec.workers_per_core > 1.5) {
      why +=
          " More than one per core only time-shares the cores for CPU-bound tasks; that it "
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
