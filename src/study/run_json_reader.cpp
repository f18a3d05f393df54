// From a run's JSON document back to the figures a study needs.
#include "study/run_json_reader.hpp"

#include <algorithm>
#include <stdexcept>

#include "study/study_analysis.hpp"

namespace fanout {
namespace {

using nlohmann::json;

const json& field(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) {
    throw std::runtime_error("run JSON lacks " + where + key);
  }
  return obj.at(key);
}

template <typename T>
T value_or(const json& obj, const char* key, T fallback) {
  if (!obj.is_object() || !obj.contains(key) || obj.at(key).is_null()) return fallback;
  return obj.at(key).get<T>();
}

}  // namespace

Environment environment_from_json(const json& env) {
  Environment e;
  e.hosts = value_or(env, "hosts", std::vector<std::string>{});
  e.world_size = value_or(env, "world_size", 1);
  e.nodes = value_or(env, "nodes", 1);
  e.cores_per_node = value_or(env, "cores_per_node", 0);
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

void read_run_json(const json& doc, PointResult& point) {
  try {
    const json& runs = field(doc, "runs", "");
    if (!runs.is_array() || runs.size() != 1) {
      throw std::runtime_error("run JSON should hold exactly one run, holds " +
                               std::to_string(runs.size()));
    }
    const json& run = runs[0];
    point.tasks = field(run, "tasks", "runs[0].").get<std::uint64_t>();
    point.walls_s = field(run, "wall_s_reps", "runs[0].").get<std::vector<double>>();
    point.failed_tasks = field(run, "failed", "runs[0].").get<std::uint64_t>();
    point.hosts.clear();
    for (const json& r : field(run, "per_rank", "runs[0].")) {
      const std::string host = value_or(r, "host", std::string());
      if (std::find(point.hosts.begin(), point.hosts.end(), host) == point.hosts.end()) {
        point.hosts.push_back(host);
      }
    }
    point.run_warnings.clear();
    for (const json& w : field(doc, "warnings", "")) {
      point.run_warnings.push_back({value_or(w, "kind", std::string()), "",
                                    value_or(w, "message", std::string())});
    }
    point.environment = environment_from_json(field(doc, "environment", ""));
  } catch (const json::exception& e) {
    throw std::runtime_error(std::string("run JSON has an unexpected shape: ") + e.what());
  }
  if (point.walls_s.empty()) throw std::runtime_error("run JSON holds no repetition");
  summarize_point(point);
}

}  // namespace fanout
