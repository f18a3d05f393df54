// The run document: written from a RunReport and its summary, and read back.
#include "report/run_document.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "cli/input_file.hpp"
#include "job/job_json.hpp"
#include "report/json_number.hpp"
#include "report/summary.hpp"

namespace fanout {

namespace {

using nlohmann::json;

json rank_json(const RankSummary& r) {
  return {{"rank", r.rank},          {"host", r.host},     {"workers", r.workers},
          {"tasks", r.tasks},        {"failed", r.failed}, {"busy_s", r.busy_s},
          {"idle_s", r.idle_s},      {"wall_s", r.wall_s}, {"cpu_user_s", r.cpu_user_s},
          {"cpu_sys_s", r.cpu_sys_s}};
}

json partial_json(const ModelRun& run) {
  if (!run.partial) return nullptr;
  const Repetition& p = *run.partial;
  const TaskTally& t = p.tally;
  // A task the stop ended in flight (a farm's command) is not done.
  return {{"rep", run.reps.size()},           {"tasks_done", t.done()},
          {"tasks_stopped", t.stopped},       {"tasks_planned", run.tasks},
          {"failed", t.failed_not_stopped()}, {"wall_s", json_number(p.wall_s)}};
}

/// Sets out[a][b] for the key "a.b" (out[a] for "a").
void set_path(json& out, const std::string& key, json value) {
  json* at = &out;
  std::size_t from = 0;
  for (std::size_t dot; (dot = key.find('.', from)) != std::string::npos; from = dot + 1) {
    at = &(*at)[key.substr(from, dot - from)];
  }
  (*at)[key.substr(from)] = std::move(value);
}

json run_json(const ModelRun& run, const RunSummary& s, const Workload& workload) {
  json errors = json::object();
  for (ErrorClass c : workload.records().error_classes) {
    errors[std::string(to_string(c))] = s.errors_by_class[c];
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
      {"wall_s", json_number(s.wall_s)},
      {"wall_s_reps", s.walls_s},
      {"wall_min_s", json_number(s.wall_min_s)},
      {"wall_max_s", json_number(s.wall_max_s)},
      {"wall_cv", json_number(s.wall_cv)},
      {"wall_ci95",
       {{"lower", json_number(s.wall_ci.lower)},
        {"upper", json_number(s.wall_ci.upper)},
        {"level", s.wall_ci.level}}},
      {"speedup", json_number(s.speedup)},
      {"efficiency", json_number(s.efficiency)},
      {"imbalance", json_number(s.imbalance)},
      {"imbalance_ranks", json_number(s.rank_imbalance)},
      {"imbalance_workers", json_number(s.worker_imbalance)},
      {"task_duration_s",
       {{"mean", json_number(d.mean)},
        {"median", json_number(d.median)},
        {"p90", json_number(d.p90)},
        {"p99", json_number(d.p99)},
        {"max", json_number(d.max)}}},
      {"errors_by_class", errors},
      {"error_messages", run.error_messages},
      {"median_repetition", s.median_rep},
      {"per_rank", per_rank},
      {"partial_repetition", partial_json(run)},
  };
  if (!s.details.json.is_null()) out["details"] = s.details.json;
  if (s.dispatch) {
    out["dispatch"] = {{"requests", s.dispatch->requests},
                       {"cost_per_request_s", json_number(s.dispatch->cost_s)},
                       {"busy_share", json_number(s.dispatch->busy_share)},
                       {"tasks_per_request", json_number(s.dispatch->per_request)},
                       {"feedable_ranks", json_number(s.dispatch->feedable_ranks)}};
  }
  if (s.from_cut_run) out["figures_from_partial_repetition"] = true;
  for (const Figure& f : s.figures) {
    const bool whole = f.unit == Figure::Unit::count && std::isfinite(f.value);
    set_path(out, f.key, whole ? json(static_cast<std::uint64_t>(f.value)) : json_number(f.value));
  }
  return out;
}

}  // namespace

json json_document(const RunReport& report) {
  const ReportSummary sum = summarize(report);
  json runs = json::array();
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    runs.push_back(run_json(report.runs[i], sum.runs[i], *report.job.workload));
  }
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
           {"cpu_fraction", json_number(r.cpu_fraction)},
           {"model", to_string(r.model)},
           {"speedup", json_number(r.speedup)},
           {"fastest", to_string(r.fastest)},
           {"workers_per_core", json_number(r.workers_per_core)},
           {"why", r.why}};
  }
  return {
      {"fanout_version",
       report.env.fanout_version.empty() ? std::string(FANOUT_VERSION) : report.env.fanout_version},
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

json json_number(double v) { return std::isnan(v) ? json(nullptr) : json(v); }
json json_number(std::optional<double> v) { return v ? json_number(*v) : json(nullptr); }

nlohmann::json environment_json(const Environment& env) {
  return {
      {"hosts", env.hosts},
      {"world_size", env.world_size},
      {"nodes", env.nodes},
      {"cores_per_node", env.cores_per_node},
      {"cores_by_host", env.cores_by_host},
      {"cores_available", env.cores_available},
      {"binding", env.binding},
      {"mpi_library", env.mpi_library},
      {"compiler", env.compiler},
      {"openmp", env.openmp},
      {"fanout_version", env.fanout_version},
      {"started_at", env.started_at},
      {"command_line", env.command_line},
      {"clock_resolution_s", env.clock_resolution_s},
      {"allocation", env.allocation.empty() ? json(nullptr) : json(env.allocation)},
  };
}

namespace {

const json& field(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) {
    throw std::runtime_error("run JSON lacks " + where + key);
  }
  return obj.at(key);
}

template <typename T>
T value_or(const json& obj, const char* key, T fallback) {
  if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null()) return fallback;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    return json_integer<T>(obj.at(key), std::string("run JSON ") + key);
  } else {
    return obj.at(key).get<T>();
  }
}

/// {host: online cores}, each count checked as json_integer does.
std::map<std::string, int> cores_by_host(const json& env) {
  const json hosts = value_or(env, "cores_by_host", json::object());
  if (!hosts.is_object()) throw std::runtime_error("run JSON cores_by_host is not an object");
  std::map<std::string, int> out;
  for (const auto& [host, cores] : hosts.items()) {
    out[host] = json_integer<int>(cores, "run JSON cores_by_host." + host);
  }
  return out;
}

}  // namespace

Environment environment_from_json(const json& env) {
  Environment e;
  e.hosts = value_or(env, "hosts", std::vector<std::string>{});
  e.world_size = value_or(env, "world_size", 1);
  e.nodes = value_or(env, "nodes", 1);
  e.cores_per_node = value_or(env, "cores_per_node", 0);
  e.cores_by_host = cores_by_host(env);
  e.cores_available = value_or(env, "cores_available", 0);
  e.binding = value_or(env, "binding", std::string());
  e.mpi_library = value_or(env, "mpi_library", std::string());
  e.compiler = value_or(env, "compiler", std::string());
  e.openmp = value_or(env, "openmp", std::string());
  e.fanout_version = value_or(env, "fanout_version", std::string());
  e.started_at = value_or(env, "started_at", std::string());
  e.command_line = value_or(env, "command_line", std::string());
  e.clock_resolution_s = value_or(env, "clock_resolution_s", 0.0);
  e.allocation = value_or(env, "allocation", std::string());
  return e;
}

RunDocument read_run_document(const json& doc) {
  RunDocument d;
  try {
    d.incomplete = value_or(doc, "incomplete", false);
    d.stopped_by = value_or(doc, "stopped_by", std::string());
    for (const json& run : field(doc, "runs", "")) {
      RunDocument::Run r;
      r.model = value_or(run, "model", std::string());
      r.tasks =
          json_integer<std::uint64_t>(field(run, "tasks", "runs[]."), "run JSON runs[].tasks");
      r.walls_s = field(run, "wall_s_reps", "runs[].").get<std::vector<double>>();
      for (double wall : r.walls_s) {
        if (!std::isfinite(wall) || wall < 0) {
          throw std::runtime_error("run JSON has a wall time of " + std::to_string(wall) +
                                   " s in runs[].wall_s_reps; expected seconds, 0 or more");
        }
      }
      r.failed =
          json_integer<std::uint64_t>(field(run, "failed", "runs[]."), "run JSON runs[].failed");
      if (r.failed > r.tasks * (r.walls_s.size() + 1)) {
        throw std::runtime_error("run JSON counts more failed tasks than it ran");
      }
      for (const json& rank : field(run, "per_rank", "runs[].")) {
        const std::string host = value_or(rank, "host", std::string());
        if (std::find(r.hosts.begin(), r.hosts.end(), host) == r.hosts.end())
          r.hosts.push_back(host);
      }
      d.runs.push_back(std::move(r));
    }
    for (const json& w : field(doc, "warnings", "")) {
      d.warnings.push_back(
          {value_or(w, "kind", std::string()), value_or(w, "message", std::string())});
    }
    d.environment = environment_from_json(field(doc, "environment", ""));
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("run JSON has an unexpected shape: ") + e.what());
  }
  return d;
}

RunDocument read_run_document_file(const std::string& path) {
  std::string text;
  try {
    text = read_input_file(path, kMaxRunDocumentBytes);
  } catch (const InputFileError& e) {
    throw std::runtime_error("the run wrote no usable JSON document at " + path + " (" + e.what() +
                             ")");
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw std::runtime_error(path + " is not a JSON document: " + e.what());
  }
  return read_run_document(doc);
}

}  // namespace fanout
