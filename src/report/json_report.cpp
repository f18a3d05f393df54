// Builds the JSON report document from a RunReport and its summary.
#include "report/json_report.hpp"

#include <cmath>

#include "report/job_json.hpp"
#include "report/summary.hpp"

namespace fanout {

namespace {

using nlohmann::json;

// NaN and absent values become null rather than a number that is not one.
json number(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
json number(std::optional<double> v) { return v ? number(*v) : json(nullptr); }

json rank_json(const RankSummary& r) {
  return {{"rank", r.rank},         {"host", r.host},       {"workers", r.workers},
          {"tasks", r.tasks},       {"failed", r.failed},   {"busy_s", r.busy_s},
          {"idle_s", r.idle_s},     {"wall_s", r.wall_s},   {"cpu_user_s", r.cpu_user_s},
          {"cpu_sys_s", r.cpu_sys_s}};
}

json partial_json(const ModelRun& run) {
  if (!run.partial) return nullptr;
  const Repetition& p = *run.partial;
  std::uint64_t failed = 0;
  for (const Sample& smp : p.samples) failed += smp.ok() ? 0 : 1;
  return {{"rep", run.reps.size()},
          {"tasks_done", p.samples.size()},
          {"tasks_planned", run.tasks},
          {"failed", failed},
          {"wall_s", number(p.wall_s)}};
}

json run_json(const ModelRun& run, const RunSummary& s) {
  json errors = json::object();
  for (int c = 1; c < kErrorClassCount; ++c) {
    errors[std::string(to_string(static_cast<ErrorClass>(c)))] =
        s.errors_by_class[static_cast<std::size_t>(c)];
  }
  json per_rank = json::array();
  if (!run.reps.empty()) {
    for (const auto& r : run.reps[s.median_rep].per_rank) per_rank.push_back(rank_json(r));
  }
  const DurationStats& d = s.task_duration;
  json out = {
      {"model", to_string(run.model)},
      {"ranks", run.ranks},
      {"workers_per_rank", run.workers_per_rank},
      {"schedule", to_string(run.schedule)},
      {"chunk", run.chunk},
      {"tasks", run.tasks},
      {"repetitions", run.reps.size()},
      {"task_runs", s.task_runs},
      {"failed", s.failed},
      {"wall_s", number(s.wall_s)},
      {"wall_s_reps", s.walls_s},
      {"wall_min_s", number(s.wall_min_s)},
      {"wall_max_s", number(s.wall_max_s)},
      {"wall_cv", number(s.wall_cv)},
      {"wall_ci95",
       {{"lower", number(s.wall_ci.lower)},
        {"upper", number(s.wall_ci.upper)},
        {"level", s.wall_ci.level}}},
      {"speedup", number(s.speedup)},
      {"efficiency", number(s.efficiency)},
      {"imbalance", number(s.imbalance)},
      {"imbalance_ranks", number(s.rank_imbalance)},
      {"imbalance_workers", number(s.worker_imbalance)},
      {"task_duration_s",
       {{"mean", number(d.mean)},
        {"median", number(d.median)},
        {"p90", number(d.p90)},
        {"p99", number(d.p99)},
        {"max", number(d.max)}}},
      {"errors_by_class", errors},
      {"error_messages", run.error_messages},
      {"median_repetition", s.median_rep},
      {"per_rank", per_rank},
      {"partial_repetition", partial_json(run)},
  };
  if (s.io) {
    const LatencyStats& l = s.io->latency;
    out["requests"] = s.io->requests;
    out["bytes"] = s.io->bytes;
    out["requests_per_s"] = number(s.io->requests_per_s);
    out["bytes_per_s"] = number(s.io->bytes_per_s);
    out["latency_s"] = {{"count", l.count},         {"p50", number(l.p50_s)},
                        {"p90", number(l.p90_s)},   {"p99", number(l.p99_s)},
                        {"p999", number(l.p999_s)}, {"max", number(l.max_s)}};
  }
  return out;
}

}  // namespace

json json_document(const RunReport& report) {
  const ReportSummary sum = summarize(report);
  json runs = json::array();
  for (std::size_t i = 0; i < report.runs.size(); ++i) runs.push_back(run_json(report.runs[i], sum.runs[i]));
  json warnings = json::array();
  for (const auto& w : sum.warnings) {
    warnings.push_back({{"kind", w.kind}, {"model", w.model}, {"message", w.message}});
  }
  json base = nullptr;
  if (sum.base) {
    base = {{"model", to_string(sum.base->model)},
            {"wall_s", sum.base->wall_s},
            {"measured", sum.base->measured},
            {"repetitions", sum.base->repetitions}};
  }
  json rec = nullptr;
  if (report.recommendation) {
    const Recommendation& r = *report.recommendation;
    rec = {{"bound", r.bound},
           {"cpu_fraction", number(r.cpu_fraction)},
           {"fastest", to_string(r.fastest)},
           {"speedup", number(r.fastest_speedup)},
           {"why", r.why}};
  }
  return {
      {"fanout_version", report.env.fanout_version.empty() ? std::string(FANOUT_VERSION)
                                                           : report.env.fanout_version},
      {"command", report.command},
      {"incomplete", report.incomplete},
      {"stopped_by", report.stopped_by.empty() ? json(nullptr) : json(report.stopped_by)},
      {"job", job_json(report.job)},
      {"environment", environment_json(report.env)},
      {"base_case", base},
      {"runs", runs},
      {"warnings", warnings},
      {"recommendation", rec},
  };
}

std::string render_json(const RunReport& report) {
  // Error messages may carry bytes from the network that are not UTF-8: replace, never throw.
  return json_document(report).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace fanout
