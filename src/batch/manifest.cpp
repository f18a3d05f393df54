// submit.json to and from text.
#include "batch/manifest.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/config_error.hpp"
#include "cli/input_file.hpp"
#include "cli/text.hpp"
#include "report/json_number.hpp"

namespace fanout {
namespace {

using nlohmann::json;

Model model_named(const std::string& name) {
  for (Model m : {Model::serial, Model::threads, Model::async, Model::processes,
                  Model::processes_threads, Model::processes_async}) {
    if (to_string(m) == name) return m;
  }
  throw std::runtime_error("unknown model '" + shown(name) + "'");
}

Launcher launcher_named(const std::string& name) {
  if (name == "srun") return Launcher::srun;
  if (name == "mpirun") return Launcher::mpirun;
  throw std::runtime_error("unknown launcher '" + shown(name) + "'");
}

/// A count the study multiplies and divides by: at least 1, at most `max`.
int count_at(const json& obj, const char* key, int max = 1'000'000) {
  const int v = json_integer_at<int>(obj, key);
  if (v < 1 || v > max) {
    throw std::runtime_error(std::string(key) + " = " + std::to_string(v) + ", expected 1 to " +
                             std::to_string(max));
  }
  return v;
}

std::vector<int> counts_at(const json& obj, const char* key) {
  std::vector<int> out;
  for (const json& item : obj.at(key)) {
    const int v = json_integer<int>(item, std::string(key) + "[]");
    if (v < 1) throw std::runtime_error(std::string(key) + " holds " + std::to_string(v));
    out.push_back(v);
  }
  if (out.empty()) throw std::runtime_error(std::string(key) + " is empty");
  return out;
}

/// A file of the study, relative to its directory and inside it ("runs/x.json").
std::string study_file(const json& obj, const char* key, bool may_be_empty = false) {
  const std::string v = obj.at(key).get<std::string>();
  if (v.empty() && may_be_empty) return v;
  const std::filesystem::path p(v);
  bool climbs = false;
  for (const auto& part : p) climbs = climbs || part == "..";
  if (v.empty() || p.is_absolute() || climbs) {
    throw std::runtime_error(std::string(key) + " '" + shown(v) +
                             "' is not a file inside the study directory");
  }
  return v;
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
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    throw ConfigError(path + ": not found; expected the --out directory of 'fanout submit'");
  }
  std::string text;
  try {
    text = read_input_file(path, kMaxManifestBytes);
  } catch (const InputFileError& e) {
    throw ConfigError(path + ": cannot read it: " + e.what() +
                      "; expected the --out directory of 'fanout submit'");
  }
  return parse_manifest(text, path, dir);
}

Manifest parse_manifest(const std::string& text, const std::string& path, const std::string& dir) {
  Manifest m;
  try {
    const json doc = json::parse(text);
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
    m.array_script = study_file(doc, "array_script", true);
    m.array_job_id = doc.at("array_job_id").get<std::string>();
    b.time_limit_s = json_integer_at<long>(doc, "time_limit_s");
    if (b.time_limit_s < 1) throw std::runtime_error("time_limit_s is not above zero");
    b.partition = doc.at("partition").get<std::string>();
    b.account = doc.at("account").get<std::string>();
    b.exclusive = doc.at("exclusive").get<bool>();
    b.modules = doc.at("modules").get<std::vector<std::string>>();
    b.setup = doc.at("setup").get<std::vector<std::string>>();
    const json& st = doc.at("study");
    StudySpec& s = b.study;
    s.mode = st.at("mode").get<std::string>() == "weak" ? ScaleMode::weak : ScaleMode::strong;
    s.repeat = count_at(st, "repeat", 10'000);
    if (!st.at("model").is_null()) s.model = model_named(st.at("model").get<std::string>());
    s.efficiency_threshold = st.at("efficiency_threshold").get<double>();
    if (!(s.efficiency_threshold > 0 && s.efficiency_threshold <= 1)) {
      throw std::runtime_error("efficiency_threshold is not in (0, 1]");
    }
    b.nodes = counts_at(st, "nodes");
    b.ranks_per_node = counts_at(st, "ranks_per_node");
    s.threads = counts_at(st, "threads");
    s.run_args = st.at("run_args").get<std::vector<std::string>>();
    s.job_args = st.at("job_args").get<std::vector<std::string>>();
    s.notes = st.at("notes").get<std::vector<std::string>>();
    s.out_dir = dir;
    m.launch_template = doc.at("launch_template").get<std::string>();
    for (const json& p : doc.at("points")) {
      ManifestPoint mp;
      mp.point.nodes = count_at(p, "nodes");
      mp.point.ranks = count_at(p, "ranks", 100'000'000);
      mp.ranks_per_node = count_at(p, "ranks_per_node");
      mp.point.threads = count_at(p, "threads");
      mp.point.model = model_named(p.at("model").get<std::string>());
      mp.point.workers = count_at(p, "workers", 1'000'000'000);
      mp.point.work_factor = count_at(p, "work_factor", 1'000'000'000);
      mp.script = study_file(p, "script", true);
      mp.job_id = p.at("job_id").get<std::string>();
      mp.run_json = study_file(p, "run_json");
      mp.log = study_file(p, "log");
      mp.command = p.at("command").get<std::vector<std::string>>();
      m.points.push_back(std::move(mp));
    }
    const json& c = doc.at("collect");
    m.collect_script = study_file(c, "script", true);
    m.collect_job_id = c.at("job_id").get<std::string>();
    m.collect_log = study_file(c, "log", true);
  } catch (const std::exception& e) {
    throw ConfigError(path + ": not a fanout submission record: " + e.what());
  }
  if (m.points.empty()) throw ConfigError(path + ": not a fanout submission record: no points");
  return m;
}

}  // namespace fanout
