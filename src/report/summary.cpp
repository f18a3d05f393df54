// Derived metrics and warnings of a RunReport.
#include "report/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "cli/format.hpp"
#include "cli/text.hpp"
#include "workload/effects.hpp"

namespace fanout {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t median_repetition(const std::vector<double>& walls, double med) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < walls.size(); ++i) {
    const double d = std::abs(walls[i] - med), b = std::abs(walls[best] - med);
    if (d < b || (d == b && walls[i] < walls[best])) best = i;
  }
  return best;
}

std::optional<double> worker_imbalance(const ModelRun& run, const Repetition& rep,
                                       const TaskTally& tally) {
  if (!efficiency_applies(run.model) || tally.ran == 0) return std::nullopt;
  std::map<int, int> slots;  // rank -> worker slots
  for (const auto& r : rep.per_rank) slots[r.rank] = std::max(1, r.workers);
  for (const auto& [rank, busy] : tally.busy_by_worker) {
    int& n = slots[rank];
    n = std::max({n, run.workers_per_rank, static_cast<int>(busy.size())});
  }
  std::vector<double> v;
  for (const auto& [rank, n] : slots) {
    const auto it = tally.busy_by_worker.find(rank);
    for (int t = 0; t < n; ++t) {
      const bool ran =
          it != tally.busy_by_worker.end() && static_cast<std::size_t>(t) < it->second.size();
      v.push_back(ran ? it->second[static_cast<std::size_t>(t)] : 0.0);
    }
  }
  if (v.size() < 2) return std::nullopt;
  return imbalance_ratio(v);
}

std::string error_breakdown(const RunSummary& s) {
  std::string out;
  for (std::size_t c = 1; c < kErrorClassCount; ++c) {
    const auto e = static_cast<ErrorClass>(c);
    if (s.errors_by_class[e] == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::string(to_string(e)) + " " + std::to_string(s.errors_by_class[e]);
  }
  return out;
}

/// Ranks a model ran on one node, against that node's cores.
struct NodeLoad {
  std::string host;  ///< "" when the report knows no per-node cores (older documents)
  int ranks = 0;
  int cores = 0;
};

std::vector<NodeLoad> node_loads(const RunReport& report, const ModelRun& run) {
  const Environment& env = report.env;
  if (env.cores_by_host.empty() || env.hosts.empty()) {
    // Rank-0-only models share one node; distributed ones spread over all nodes.
    const int nodes = std::max(1, env.nodes);
    return {
        {"", std::max(1, run.ranks), env.cores_per_node * (is_distributed(run.model) ? nodes : 1)}};
  }
  const auto cores_of = [&](const std::string& host) {
    const auto it = env.cores_by_host.find(host);
    return it == env.cores_by_host.end() ? env.cores_per_node : it->second;
  };
  std::vector<NodeLoad> out;
  const auto add = [&](const std::string& host) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const NodeLoad& n) { return n.host == host; });
    if (it == out.end()) it = out.insert(out.end(), {host, 0, cores_of(host)});
    ++it->ranks;
  };
  if (!is_distributed(run.model)) {
    add(env.hosts.front());
  } else if (run.ranks < static_cast<int>(env.hosts.size())) {
    // One driver per node (processes+async).
    for (const auto& host : env.hosts) {
      if (std::none_of(out.begin(), out.end(), [&](const NodeLoad& n) { return n.host == host; }))
        add(host);
    }
  } else {
    for (const auto& host : env.hosts) add(host);
  }
  return out;
}

/// The "oversubscribed" warning of one model, if a node runs more workers than it has cores.
std::optional<std::string> oversubscription(const RunReport& report, const ModelRun& run) {
  const std::string model = to_string(run.model);
  // Workers that mostly wait (I/O threads blocked on sockets) do not compete for cores.
  const int threads = report.job.workload->placement().uses_cores ? threads_per_rank(run) : 1;
  const std::vector<NodeLoad> nodes = node_loads(report, run);
  const auto load = [&](const NodeLoad& n) {
    return std::to_string(n.ranks) + (n.ranks == 1 ? " rank" : " ranks") + " x " +
           std::to_string(threads) + (threads == 1 ? " thread" : " threads") + " = " +
           std::to_string(n.ranks * threads) + " on " + std::to_string(n.cores) +
           (n.cores == 1 ? " core" : " cores");
  };
  std::vector<std::string> over;
  for (const auto& n : nodes) {
    if (n.cores <= 0 || n.ranks * threads <= n.cores) continue;
    over.push_back(nodes.size() == 1 ? load(n) : n.host + " runs " + load(n));
  }
  if (over.empty()) return std::nullopt;
  constexpr std::size_t kNamed = 3;
  const std::size_t more = over.size() > kNamed ? over.size() - kNamed : 0;
  over.resize(over.size() - more);
  return model + ": " + join(over, ", ") +
         (more ? " and " + std::to_string(more) + " more nodes likewise" : "") +
         ": oversubscribed, so timings include time-sharing of cores";
}

}  // namespace

std::string incomplete_message(const RunReport& report) {
  const std::string planned = std::to_string(report.job.run.repeat);
  // Models grouped by how many repetitions they completed, in the order they were measured.
  std::vector<std::pair<std::size_t, std::vector<std::string>>> groups;
  for (const auto& run : report.runs) {
    const std::size_t done = run.reps.size();
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == done; });
    if (it == groups.end()) it = groups.insert(groups.end(), {done, {}});
    it->second.push_back(to_string(run.model));
  }
  // "2 of 3 repetitions of serial, 1 of 3 of threads and async": the noun once, after the first.
  const std::string noun = report.job.run.repeat == 1 ? " repetition" : " repetitions";
  std::string counts;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    counts += (i ? ", " : "") + std::to_string(groups[i].first) + " of " + planned +
              (i ? "" : noun) + " of " + join_and(groups[i].second);
  }
  if (counts.empty()) counts = "no measurement";
  std::string cut;
  for (const auto& run : report.runs) {
    if (!run.partial) continue;
    const bool summarised = run.reps.empty() && summarises_cut_run(*report.job.workload);
    const auto done = run.partial->tally.done();
    cut +=
        "; repetition " + std::to_string(run.reps.size() + 1) + " of " + to_string(run.model) +
        " cut at " + std::to_string(done) + " of " + std::to_string(run.tasks) + " tasks" +
        (summarised ? " (the figures are of the tasks it ran)" : " (kept out of the statistics)");
  }
  if (!report.stopped_by.empty()) {
    return "incomplete: stopped by " + report.stopped_by + " after " + counts + cut;
  }
  if (!report.ended_by_error.empty()) {
    return "incomplete: ended by an error after " + counts + cut + ": " + report.ended_by_error;
  }
  return "incomplete: written while the run was still going (if it is over, it was killed before "
         "it could finish): these figures cover " +
         counts + cut;
}

bool efficiency_applies(Model m) { return !event_loop(m); }

int threads_per_rank(const ModelRun& run) {
  return efficiency_applies(run.model) ? std::max(1, run.workers_per_rank) : 1;
}

double imbalance_ratio(const std::vector<double>& busy_s) {
  const double m = mean(busy_s);
  if (busy_s.empty() || !(m > 0)) return kNaN;
  return maximum(busy_s) / m;
}

std::optional<BaseCase> base_case(const RunReport& report) {
  if (report.base_index && *report.base_index < report.runs.size()) {
    const ModelRun& run = report.runs[*report.base_index];
    std::vector<double> walls;
    for (const auto& rep : run.reps) walls.push_back(rep.wall_s);
    if (!walls.empty() && median(walls) > 0) {
      return BaseCase{run.model, median(walls), true, static_cast<int>(walls.size())};
    }
  }
  if (report.base_wall_s && *report.base_wall_s > 0) {
    return BaseCase{Model::serial, *report.base_wall_s, false, 0};
  }
  return std::nullopt;
}

RunSummary summarize_run(const ModelRun& run, std::optional<double> base_wall_s,
                         const Workload& workload, const std::vector<std::string>& hosts) {
  RunSummary s;
  // The repetitions behind every statistic: the complete ones, or, for a kind whose finished
  // tasks are its result (the farm), the one a stop cut when none completed.
  std::vector<const Repetition*> reps;
  for (const auto& rep : run.reps) reps.push_back(&rep);
  if (reps.empty() && run.partial && summarises_cut_run(workload)) {
    reps.push_back(&*run.partial);
    s.from_cut_run = true;
  }
  for (const Repetition* rep : reps) s.walls_s.push_back(rep->wall_s);
  s.wall_s = median(s.walls_s);
  s.wall_min_s = minimum(s.walls_s);
  s.wall_max_s = maximum(s.walls_s);
  s.wall_cv = cv(s.walls_s);
  s.wall_ci = median_ci95(s.walls_s);
  if (reps.empty()) {
    s.rank_imbalance = s.imbalance = kNaN;
    s.task_duration = describe({});
    return s;
  }
  s.median_rep = median_repetition(s.walls_s, s.wall_s);
  const Repetition& mid = *reps[s.median_rep];

  if (base_wall_s && s.wall_s > 0) {
    s.speedup = *base_wall_s / s.wall_s;
    if (efficiency_applies(run.model)) {
      s.efficiency = *s.speedup / (std::max(1, run.ranks) * std::max(1, run.workers_per_rank));
    }
  }

  const TaskTally& mid_tally = mid.tally;

  std::vector<double> rank_busy;
  for (const auto& r : mid.per_rank) rank_busy.push_back(r.busy_s);
  s.rank_imbalance = rank_busy.size() == 1 ? 1.0 : imbalance_ratio(rank_busy);
  s.worker_imbalance = worker_imbalance(run, mid, mid_tally);
  s.imbalance = s.worker_imbalance.value_or(s.rank_imbalance);

  TaskTally all;
  for (const Repetition* rep : reps) all.merge(rep->tally);
  s.task_runs = all.ran;
  s.failed = all.failed;
  s.errors_by_class = all.errors_by_class;
  s.errors_by_class[ErrorClass::none] = 0;
  s.task_duration = all.durations.describe();
  const FigureInput in{mid.kind_tally.get(),
                       mid.wall_s,
                       all.histogram,
                       run.tasks,
                       std::max(1, run.ranks) * std::max(1, run.workers_per_rank),
                       hosts,
                       mid_tally.ran - mid_tally.failed};
  const DispatchLoad& load = mid.dispatch;
  if (run.schedule == Schedule::dynamic && run.ranks > 1 && load.requests > 0) {
    s.dispatch = DispatchCapacity{
        load.requests, load.cost_s(), mid.wall_s > 0 ? load.busy_s / mid.wall_s : 0,
        load.ids > 0 ? load.ids_per_request() : static_cast<double>(run.chunk),
        feedable_ranks(load.cost_s(), load.ids > 0 ? load.ids_per_request() : run.chunk,
                       s.task_duration.mean, run.workers_per_rank)};
  }
  KindSummary kind = workload.summarise(in);
  s.figures = std::move(kind.figures);
  s.details = std::move(kind.details);
  return s;
}

std::string dispatch_line(const DispatchCapacity& d, const ModelRun& run, const RunSummary& s) {
  return "answered " + std::to_string(d.requests) + " chunk requests, " + format_seconds(d.cost_s) +
         " each (" + format_percent(d.busy_share) + " of the wall): with tasks of " +
         format_seconds(s.task_duration.mean) + " on average, " +
         format_number(std::round(d.per_request * 10) / 10) + " tasks an answer (chunks of " +
         std::to_string(run.chunk) + ") and " + std::to_string(run.workers_per_rank) +
         " workers a rank, it can feed about " + format_number(std::floor(d.feedable_ranks)) +
         " ranks";
}

std::vector<Warning> warnings(const RunReport& report, const std::vector<RunSummary>& runs) {
  std::vector<Warning> out;
  if (report.incomplete) out.push_back({"incomplete", "", incomplete_message(report)});
  for (const auto& note : report.notes) out.push_back({"setup", "", note});
  const double min_wall = std::max(kMinWallS, kMinWallResolutions * report.env.clock_resolution_s);
  for (std::size_t i = 0; i < report.runs.size() && i < runs.size(); ++i) {
    const ModelRun& run = report.runs[i];
    const RunSummary& s = runs[i];
    const std::string model = to_string(run.model);
    // A run with effects is judged by the work it did, not by how well it timed.
    const bool timing_advice = gets_timing_advice(*report.job.workload);
    if (timing_advice && s.walls_s.size() >= 2 && s.wall_cv > kMaxWallCv) {
      out.push_back({"high_cv", model,
                     model + ": wall time varies by " + format_percent(s.wall_cv) + " (cv) over " +
                         std::to_string(s.walls_s.size()) +
                         " repetitions, above 5 %: differences smaller than that are noise"});
    }
    if (timing_advice && !s.walls_s.empty() && s.wall_s < min_wall) {
      out.push_back({"too_short", model,
                     model + ": median wall " + format_seconds(s.wall_s) +
                         " is too short to time well (under " + format_seconds(min_wall) +
                         "); give the job more or larger tasks"});
    }
    if (report.env.cores_per_node > 0) {
      if (auto message = oversubscription(report, run))
        out.push_back({"oversubscribed", model, *message});
    }
    if (s.dispatch && run.ranks > s.dispatch->feedable_ranks) {
      out.push_back({"dispatch_capacity", model,
                     model + ": rank 0 " + dispatch_line(*s.dispatch, run, s) +
                         ", and this run had " + std::to_string(run.ranks) +
                         ": ranks waited for work; a larger --chunk asks it less often"});
    }
    for (const RunDetails::Warning& w : s.details.warnings)
      out.push_back({w.kind, model, model + ": " + w.message});
    if (s.failed > 0) {
      out.push_back({"failed_tasks", model,
                     model + ": " + std::to_string(s.failed) + " of " +
                         std::to_string(s.task_runs) + " task runs failed (" + error_breakdown(s) +
                         ")"});
    }
  }
  return out;
}

ReportSummary summarize(const RunReport& report) {
  ReportSummary out;
  out.base = base_case(report);
  std::optional<double> base_wall;
  if (out.base) base_wall = out.base->wall_s;
  for (const auto& run : report.runs) {
    out.runs.push_back(summarize_run(run, base_wall, *report.job.workload, report.env.hosts));
  }
  out.warnings = warnings(report, out.runs);
  return out;
}

}  // namespace fanout
