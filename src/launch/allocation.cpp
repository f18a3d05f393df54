// Slurm's and PBS's allocation variables.
#include "launch/allocation.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/text.hpp"
#include "launch/launch_line.hpp"

namespace fanout {
namespace {

int env_int(const char* name, const std::function<const char*(const char*)>& get) {
  return parse_env_count(get(name));
}

}  // namespace

int parse_env_count(const char* text) {
  if (!text || !*text) return -1;
  char* end = nullptr;
  const long n = std::strtol(text, &end, 10);
  return (*end == '\0' && n >= 0 && n < (1L << 30)) ? static_cast<int>(n) : -1;
}

int sum_cpus_per_node(const std::string& text) {
  int total = 0;
  std::stringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    int repeat = 1;
    std::string count = item;
    if (const auto open = item.find("(x"); open != std::string::npos) {
      if (item.back() != ')') return 0;
      repeat = parse_env_count(item.substr(open + 2, item.size() - open - 3).c_str());
      count = item.substr(0, open);
    }
    const int n = parse_env_count(count.c_str());
    if (n < 0 || repeat < 1) return 0;
    total += n * repeat;
  }
  return total;
}

std::string describe_allocation(const Allocation& a) {
  if (!a.present()) return "";
  const auto count = [](int n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  std::string out = (a.scheduler == "slurm" ? "Slurm job " : "PBS job ") + a.job_id;
  std::string parts;
  const auto add = [&parts](const std::string& part) {
    parts += (parts.empty() ? "" : ", ") + part;
  };
  if (a.nodes > 0) add(count(a.nodes, "node"));
  if (a.tasks > 0) add(count(a.tasks, "task"));
  if (a.cpus_per_task > 0) add(count(a.cpus_per_task, "CPU") + " per task");
  if (a.cpus > 0) add(count(a.cpus, "CPU"));
  return parts.empty() ? out : out + ": " + parts;
}

Allocation detect_allocation(const std::function<const char*(const char*)>& get) {
  Allocation a;
  if (const char* id = get("SLURM_JOB_ID"); id && *id) {
    a.scheduler = "slurm";
    a.job_id = id;
    a.nodes = std::max(0, env_int("SLURM_JOB_NUM_NODES", get));
    a.tasks = std::max(0, env_int("SLURM_NTASKS", get));
    a.cpus_per_task = std::max(0, env_int("SLURM_CPUS_PER_TASK", get));
    if (const char* cpus = get("SLURM_JOB_CPUS_PER_NODE")) a.cpus = sum_cpus_per_node(cpus);
    return a;
  }
  if (const char* id = get("PBS_JOBID"); id && *id) {
    a.scheduler = "pbs";
    a.job_id = id;
    a.cpus_per_task = std::max(0, env_int("OMP_NUM_THREADS", get));
    if (const char* file = get("PBS_NODEFILE"); file && *file) {
      a.nodefile = file;
      std::ifstream in(file);
      std::string line;
      std::set<std::string> hosts;
      while (std::getline(in, line)) {
        if (line.empty()) continue;
        ++a.tasks;
        hosts.insert(line);
      }
      a.nodes = static_cast<int>(hosts.size());
    }
    const int ncpus = env_int("NCPUS", get);
    if (ncpus > 0 && a.nodes > 0) a.cpus = ncpus * a.nodes;
  }
  return a;
}

std::vector<std::string> relaunch_argv(const Allocation& a, const std::string& exe,
                                       const std::vector<std::string>& args, bool as_root) {
  if (a.tasks <= 1) return {};
  LaunchLine line;
  line.ranks = std::to_string(a.tasks);
  if (a.scheduler == "slurm") {
    line.launcher = Launcher::srun;
    // srun does not inherit --cpus-per-task from the allocation (Slurm 22.05 and later).
    if (a.cpus_per_task > 0) line.threads = std::to_string(a.cpus_per_task);
  } else if (a.scheduler == "pbs" && !a.nodefile.empty()) {
    line.launcher = Launcher::mpirun;
    line.hostfile = a.nodefile;
    line.as_root = as_root;
  } else {
    return {};
  }
  std::vector<std::string> argv = plain(launcher_words(line));
  argv.push_back(exe);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

void default_threads_from_allocation(const Allocation& a) {
  if (!a.present() || a.cpus_per_task <= 0 || std::getenv("OMP_NUM_THREADS")) return;
  ::setenv("OMP_NUM_THREADS", std::to_string(a.cpus_per_task).c_str(), 0);
}

std::map<std::string, std::string> qstat_attributes(std::string_view text) {
  std::map<std::string, std::string> out;
  std::size_t from = 0;
  while (from < text.size()) {
    std::size_t to = text.find('\n', from);
    if (to == std::string_view::npos) to = text.size();
    const std::string_view line = text.substr(from, to - from);
    from = to + 1;
    const auto eq = line.find(" = ");
    if (eq == std::string_view::npos) continue;
    out[std::string(trim(line.substr(0, eq)))] = std::string(trim(line.substr(eq + 3)));
  }
  return out;
}

}  // namespace fanout
