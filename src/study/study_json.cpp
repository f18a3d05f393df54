// Builds study.json from a StudyReport.
#include "study/study_json.hpp"

#include <cmath>

#include "job/job_json.hpp"
#include "report/run_document.hpp"
#include "study/point_command.hpp"
#include "study/study_analysis.hpp"

namespace fanout {
namespace {

using nlohmann::json;

json ci_json(const ConfidenceInterval& ci) {
  return {{"lower", json_number(ci.lower)},
          {"upper", json_number(ci.upper)},
          {"level", json_number(ci.level)}};
}

std::string status(const PointResult& p) {
  if (!p.launched) return "not_run";
  return p.ok ? "ok" : "failed";
}

json point_json(const PointResult& p) {
  const bool measured = p.ok && !p.walls_s.empty();
  return {
      {"key", p.point.key()},
      {"nodes", p.point.nodes > 0 ? json(p.point.nodes) : json(nullptr)},
      {"ranks", p.point.ranks},
      {"threads", p.point.threads},
      {"workers", p.point.workers},
      {"model", to_string(p.point.model)},
      {"work_factor", p.point.work_factor},
      {"status", status(p)},
      {"job_id", p.job_id.empty() ? json(nullptr) : json(p.job_id)},
      {"job_state", p.job_state.empty() ? json(nullptr) : json(p.job_state)},
      {"exit_code", p.exit_code},
      {"error", p.error},
      {"command", shell_join(p.command)},
      {"run_json", p.run_json},
      {"log", p.log.empty() ? json(nullptr) : json(p.log)},
      {"launch_s", p.launch_s},
      {"tasks", p.tasks},
      {"repetitions", p.walls_s.size()},
      {"wall_s", measured ? json_number(p.wall_s) : json(nullptr)},
      {"wall_s_reps", p.walls_s},
      {"wall_ci95", measured ? ci_json(p.wall_ci) : json(nullptr)},
      {"wall_cv", measured ? json_number(p.wall_cv) : json(nullptr)},
      {"speedup", json_number(p.speedup)},
      {"efficiency", json_number(p.efficiency)},
      {"karp_flatt", json_number(p.karp_flatt)},
      {"failed_tasks", p.failed_tasks},
      {"hosts", p.hosts},
  };
}

json environment(const StudyReport& r) {
  const PointResult* source = r.base_index ? &r.points[*r.base_index] : nullptr;
  for (const auto& p : r.points) {
    if (!source && p.ok) source = &p;
  }
  json env = source ? environment_json(source->environment) : json::object();
  env["driver_host"] = r.driver_host;
  env["driver_cores"] = r.driver_cores;
  return env;
}

}  // namespace

json study_json_document(const StudyReport& r) {
  json points = json::array();
  for (const auto& p : r.points) points.push_back(point_json(p));
  json base = nullptr;
  if (r.base_index) {
    const PointResult& b = r.points[*r.base_index];
    base = {{"key", b.point.key()},
            {"ranks", b.point.ranks},
            {"threads", b.point.threads},
            {"workers", b.point.workers},
            {"model", to_string(b.point.model)},
            {"tasks", b.tasks},
            {"wall_s", b.wall_s},
            {"wall_ci95", ci_json(b.wall_ci)},
            {"repetitions", b.walls_s.size()}};
  }
  json fit = nullptr;
  if (r.fit) {
    const double f = r.fit->serial_fraction;
    fit = {{"law", r.fit->law},
           {"serial_fraction", json_number(f)},
           {"r_squared", json_number(r.fit->r_squared)},
           {"samples", r.fit->samples},
           {"max_speedup", r.fit->law == "amdahl" && f > 0 ? json(1 / f) : json(nullptr)}};
  }
  json stop = nullptr;
  if (r.stop_index) {
    const PointResult& s = r.points[*r.stop_index];
    stop = {{"key", s.point.key()},
            {"ranks", s.point.ranks},
            {"threads", s.point.threads},
            {"workers", s.point.workers},
            {"efficiency", json_number(s.efficiency)},
            {"threshold", r.spec.efficiency_threshold}};
  }
  json warnings = json::array();
  for (const auto& w : r.warnings) {
    warnings.push_back({{"kind", w.kind}, {"point", w.point}, {"message", w.message}});
  }
  json batch = nullptr;
  if (r.batch) {
    const BatchInfo& b = *r.batch;
    batch = {{"scheduler", b.scheduler},
             {"submitted_at", b.submitted_at},
             {"submit_command_line", b.submit_command_line},
             {"array", b.array},
             {"time_limit", b.time_limit},
             {"partition", b.partition.empty() ? json(nullptr) : json(b.partition)},
             {"account", b.account.empty() ? json(nullptr) : json(b.account)},
             {"collect_job_id", b.collect_job_id.empty() ? json(nullptr) : json(b.collect_job_id)}};
  }
  return {
      {"fanout_version", FANOUT_VERSION},
      {"command", r.command},
      {"batch", batch},
      {"incomplete", r.incomplete},
      {"started_at", r.started_at},
      {"command_line", r.command_line},
      {"mode", to_string(r.spec.mode)},
      {"work_scaling", describe_work_scaling(r)},
      {"repetitions", r.spec.repeat},
      {"efficiency_threshold", r.spec.efficiency_threshold},
      {"launcher", to_string(r.launcher)},
      {"launch_template", r.launch_template},
      {"measurement", describe_measurement(r)},
      {"job", job_json(r.job)},
      {"environment", environment(r)},
      {"base_case", base},
      {"points", points},
      {"fit", fit},
      {"stops_paying_off", stop},
      {"warnings", warnings},
      {"plots", r.plots},
  };
}

std::string render_study_json(const StudyReport& r) {
  return study_json_document(r).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace fanout
