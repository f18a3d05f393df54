// submit.json to and from text.
#include "batch/manifest.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

using nlohmann::json;

Model model_named(const std::string& name) {
  for (Model m : {Model::serial, Model::threads, Model::async, Model::processes,
                  Model::processes_threads, Model::processes_async}) {
    if (to_string(m) == name) return m;
  }
  throw std::runtime_error("unknown model '" + name + "'");
}

Launcher launcher_named(const std::string& name) {
  if (name == "srun") return Launcher::srun;
  if (name == "mpirun") return Launcher::mpirun;
  throw std::runtime_error("unknown launcher '" + name + "'");
}

}  // namespace

std::string render_manifest(const Manifest& m) {
  const BatchSpec& b = m.spec;
  const StudySpec& s = b.study;
  json points = json::array();
  for (const auto& p : m.points) {
    points.push_back({{"key", p.point.key()},
                      {"nodes", p.point.nodes},
                      {"ranks", p.point.ranks},
                      {"ranks_per_node", p.ranks_per_node},
                      {"threads", p.point.threads},
                      {"model", to_string(p.point.model)},
                      {"workers", p.point.workers},
                      {"work_factor", p.point.work_factor},
                      {"script", p.script},
                      {"job_id", p.job_id},
                      {"run_json", p.run_json},
                      {"log", p.log},
                      {"command", p.command}});
  }
  const json doc = {
      {"fanout_version", m.fanout_version},
      {"submitted_at", m.submitted_at},
      {"command_line", m.command_line},
      {"workdir", m.workdir},
      {"fanout", m.fanout_exe},
      {"scheduler", to_string(b.scheduler)},
      {"launcher", to_string(b.launcher)},
      {"array", b.array},
      {"array_script", m.array_script},
      {"array_job_id", m.array_job_id},
      {"time_limit_s", b.time_limit_s},
      {"partition", b.partition},
      {"account", b.account},
      {"exclusive", b.exclusive},
      {"modules", b.modules},
      {"setup", b.setup},
      {"study",
       {{"mode", to_string(s.mode)},
        {"repeat", s.repeat},
        {"model", s.model ? json(to_string(*s.model)) : json(nullptr)},
        {"efficiency_threshold", s.efficiency_threshold},
        {"nodes", b.nodes},
        {"ranks_per_node", b.ranks_per_node},
        {"threads", s.threads},
        {"run_args", s.run_args},
        {"job_args", s.job_args},
        {"notes", s.notes}}},
      {"launch_template", m.launch_template},
      {"points", points},
      {"collect",
       {{"script", m.collect_script}, {"job_id", m.collect_job_id}, {"log", m.collect_log}}},
  };
  return doc.dump(2) + "\n";
}

Manifest read_manifest(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kManifestFile).string();
  std::ifstream in(path);
  if (!in) {
    throw ConfigError(path + ": not found; expected the --out directory of 'fanout submit'");
  }
  Manifest m;
  try {
    const json doc = json::parse(in);
    m.fanout_version = doc.at("fanout_version").get<std::string>();
    m.submitted_at = doc.at("submitted_at").get<std::string>();
    m.command_line = doc.at("command_line").get<std::string>();
    m.workdir = doc.at("workdir").get<std::string>();
    m.fanout_exe = doc.at("fanout").get<std::string>();
    BatchSpec& b = m.spec;
    b.scheduler =
        doc.at("scheduler").get<std::string>() == "pbs" ? Scheduler::pbs : Scheduler::slurm;
    b.launcher = launcher_named(doc.at("launcher").get<std::string>());
    b.array = doc.at("array").get<bool>();
    m.array_script = doc.at("array_script").get<std::string>();
    m.array_job_id = doc.at("array_job_id").get<std::string>();
    b.time_limit_s = doc.at("time_limit_s").get<long>();
    b.partition = doc.at("partition").get<std::string>();
    b.account = doc.at("account").get<std::string>();
    b.exclusive = doc.at("exclusive").get<bool>();
    b.modules = doc.at("modules").get<std::vector<std::string>>();
    b.setup = doc.at("setup").get<std::vector<std::string>>();
    const json& st = doc.at("study");
    StudySpec& s = b.study;
    s.mode = st.at("mode").get<std::string>() == "weak" ? ScaleMode::weak : ScaleMode::strong;
    s.repeat = st.at("repeat").get<int>();
    if (!st.at("model").is_null()) s.model = model_named(st.at("model").get<std::string>());
    s.efficiency_threshold = st.at("efficiency_threshold").get<double>();
    b.nodes = st.at("nodes").get<std::vector<int>>();
    b.ranks_per_node = st.at("ranks_per_node").get<std::vector<int>>();
    s.threads = st.at("threads").get<std::vector<int>>();
    s.run_args = st.at("run_args").get<std::vector<std::string>>();
    s.job_args = st.at("job_args").get<std::vector<std::string>>();
    s.notes = st.at("notes").get<std::vector<std::string>>();
    s.out_dir = dir;
    m.launch_template = doc.at("launch_template").get<std::string>();
    for (const json& p : doc.at("points")) {
      ManifestPoint mp;
      mp.point.nodes = p.at("nodes").get<int>();
      mp.point.ranks = p.at("ranks").get<int>();
      mp.ranks_per_node = p.at("ranks_per_node").get<int>();
      mp.point.threads = p.at("threads").get<int>();
      mp.point.model = model_named(p.at("model").get<std::string>());
      mp.point.workers = p.at("workers").get<int>();
      mp.point.work_factor = p.at("work_factor").get<int>();
      mp.script = p.at("script").get<std::string>();
      mp.job_id = p.at("job_id").get<std::string>();
      mp.run_json = p.at("run_json").get<std::string>();
      mp.log = p.at("log").get<std::string>();
      mp.command = p.at("command").get<std::vector<std::string>>();
      m.points.push_back(std::move(mp));
    }
    const json& c = doc.at("collect");
    m.collect_script = c.at("script").get<std::string>();
    m.collect_job_id = c.at("job_id").get<std::string>();
    m.collect_log = c.at("log").get<std::string>();
  } catch (const std::exception& e) {
    throw ConfigError(path + ": not a fanout submission record: " + e.what());
  }
  if (m.points.empty()) throw ConfigError(path + ": not a fanout submission record: no points");
  return m;
}

}  // namespace fanout
