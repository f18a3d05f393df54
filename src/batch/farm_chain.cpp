// farm.json to and from text.
#include "batch/farm_chain.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/config_error.hpp"
#include "report/json_number.hpp"

namespace fanout {
namespace {

using nlohmann::json;

json optional_json(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json optional_json(const std::optional<std::uint64_t>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

std::string render_farm_chain(const FarmChain& c) {
  const BatchSpec& b = c.spec;
  json jobs = json::array();
  for (const FarmJob& j : c.jobs) {
    jobs.push_back({{"index", j.index},
                    {"job_id", j.job_id},
                    {"script", j.script},
                    {"log", j.log},
                    {"run_json", j.run_json},
                    {"tasks_left_before", j.tasks_left_before},
                    {"exit", optional_json(j.exit)},
                    {"tasks_left_after", optional_json(j.tasks_left_after)}});
  }
  const json doc = {{"kind", "farm"},
                    {"fanout_version", c.fanout_version},
                    {"submitted_at", c.submitted_at},
                    {"command_line", c.command_line},
                    {"workdir", c.workdir},
                    {"fanout", c.fanout_exe},
                    {"scheduler", to_string(b.scheduler)},
                    {"launcher", to_string(b.launcher)},
                    {"nodes", b.nodes.at(0)},
                    {"ranks_per_node", b.ranks_per_node.at(0)},
                    {"threads", b.study.threads.at(0)},
                    {"model", to_string(c.model)},
                    {"time_limit_s", b.time_limit_s},
                    {"warn_before_s", b.farm.warn_before_s},
                    {"max_jobs", b.farm.max_jobs},
                    {"partition", b.partition},
                    {"account", b.account},
                    {"exclusive", b.exclusive},
                    {"modules", b.modules},
                    {"setup", b.setup},
                    {"template_dir", b.template_dir},
                    {"run_args", c.run_args},
                    {"first_resume", c.first_resume},
                    {"tasks_total", c.tasks_total},
                    {"jobs", jobs},
                    {"state", c.state},
                    {"reason", c.reason}};
  return doc.dump(2) + "\n";
}

bool is_farm_dir(const std::string& dir) {
  struct stat st {};
  return ::stat((std::filesystem::path(dir) / kFarmChainFile).c_str(), &st) == 0 &&
         S_ISREG(st.st_mode);
}

FarmChain read_farm_chain(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / kFarmChainFile).string();
  if (!is_farm_dir(dir)) {
    throw ConfigError(path + ": not found; expected the --out directory of 'fanout submit-farm'");
  }
  std::ifstream in(path);
  FarmChain c;
  try {
    const json doc = json::parse(in);
    if (doc.at("kind").get<std::string>() != "farm") throw std::runtime_error("kind is not farm");
    c.fanout_version = doc.at("fanout_version").get<std::string>();
    c.submitted_at = doc.at("submitted_at").get<std::string>();
    c.command_line = doc.at("command_line").get<std::string>();
    c.workdir = doc.at("workdir").get<std::string>();
    c.fanout_exe = doc.at("fanout").get<std::string>();
    BatchSpec& b = c.spec;
    b.scheduler =
        doc.at("scheduler").get<std::string>() == "pbs" ? Scheduler::pbs : Scheduler::slurm;
    const std::string launcher = doc.at("launcher").get<std::string>();
    if (launcher != "srun" && launcher != "mpirun")
      throw std::runtime_error("unknown launcher " + launcher);
    b.launcher = launcher == "srun" ? Launcher::srun : Launcher::mpirun;
    b.nodes = {json_integer_at<int>(doc, "nodes")};
    b.ranks_per_node = {json_integer_at<int>(doc, "ranks_per_node")};
    b.study.threads = {json_integer_at<int>(doc, "threads")};
    const auto model = parse_model(doc.at("model").get<std::string>());
    if (!model) throw std::runtime_error("unknown model");
    c.model = *model;
    b.time_limit_s = json_integer_at<long>(doc, "time_limit_s");
    b.farm.enabled = true;
    b.farm.warn_before_s = json_integer_at<long>(doc, "warn_before_s");
    b.farm.max_jobs = json_integer_at<int>(doc, "max_jobs");
    b.partition = doc.at("partition").get<std::string>();
    b.account = doc.at("account").get<std::string>();
    b.exclusive = doc.at("exclusive").get<bool>();
    b.modules = doc.at("modules").get<std::vector<std::string>>();
    b.setup = doc.at("setup").get<std::vector<std::string>>();
    b.template_dir = doc.at("template_dir").get<std::string>();
    b.study.out_dir = dir;
    c.run_args = doc.at("run_args").get<std::vector<std::string>>();
    c.first_resume = doc.at("first_resume").get<std::string>();
    c.tasks_total = json_integer_at<std::uint64_t>(doc, "tasks_total");
    for (const json& j : doc.at("jobs")) {
      FarmJob fj;
      fj.index = json_integer_at<int>(j, "index");
      fj.job_id = j.at("job_id").get<std::string>();
      fj.script = j.at("script").get<std::string>();
      fj.log = j.at("log").get<std::string>();
      fj.run_json = j.at("run_json").get<std::string>();
      fj.tasks_left_before = json_integer_at<std::uint64_t>(j, "tasks_left_before");
      if (!j.at("exit").is_null()) fj.exit = json_integer_at<int>(j, "exit");
      if (!j.at("tasks_left_after").is_null()) {
        fj.tasks_left_after = json_integer_at<std::uint64_t>(j, "tasks_left_after");
      }
      c.jobs.push_back(std::move(fj));
    }
    c.state = doc.at("state").get<std::string>();
    c.reason = doc.at("reason").get<std::string>();
    if (c.spec.nodes[0] < 1 || c.spec.ranks_per_node[0] < 1 || c.spec.study.threads[0] < 1 ||
        c.spec.time_limit_s <= 0) {
      throw std::runtime_error("counts below 1 or no time limit");
    }
  } catch (const std::exception& e) {
    throw ConfigError(path + ": not a fanout farm record: " + e.what());
  }
  return c;
}

}  // namespace fanout
