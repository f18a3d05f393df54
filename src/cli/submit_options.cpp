// The options of a batch study, checked before anything is written or submitted.
#include "cli/submit_options.hpp"

#include <algorithm>
#include <set>

#include "cli/scale_options.hpp"
#include "cli/units.hpp"
#include "job/config_error.hpp"

namespace fanout {
namespace po = boost::program_options;
namespace {

constexpr int kMaxNodes = 100'000;
constexpr int kMaxRanksPerNode = 4096;
constexpr int kMaxThreads = 4096;

std::string get(const po::variables_map& vm, const char* key) { return vm[key].as<std::string>(); }

/// Partition, account and module names go into scripts unquoted, as users write them there.
void check_word(const std::string& value, const std::string& flag, const std::string& example) {
  const bool plain =
      !value.empty() && value.find_first_not_of(
                            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                            "-_./+@:,") == std::string::npos;
  if (!plain) {
    throw ConfigError(flag + " '" + value +
                      "': expected a name of letters, digits and - _ . / + @ : , e.g. " + example);
  }
}

bool parse_flag(const po::variables_map& vm, const char* key) {
  if (!vm.count(key)) return false;
  const auto v = parse_bool(get(vm, key));
  if (!v)
    throw ConfigError("--" + std::string(key) + " '" + get(vm, key) + "': must be true or false");
  return *v;
}

}  // namespace

std::vector<int> batch_rank_counts(const BatchSpec& spec) {
  std::set<int> counts;
  for (int n : spec.nodes) {
    for (int r : spec.ranks_per_node) counts.insert(n * r);
  }
  counts.insert(1);
  return {counts.begin(), counts.end()};
}

BatchSpec make_batch_spec(const po::variables_map& vm) {
  BatchSpec spec;
  if (vm.count("scheduler")) {
    const std::string s = get(vm, "scheduler");
    if (s == "slurm") {
      spec.scheduler = Scheduler::slurm;
    } else if (s == "pbs") {
      spec.scheduler = Scheduler::pbs;
    } else {
      throw ConfigError("--scheduler '" + s + "': expected slurm or pbs");
    }
  }
  if (vm.count("nodes")) spec.nodes = parse_count_list(get(vm, "nodes"), "--nodes", kMaxNodes);
  if (vm.count("ranks-per-node")) {
    spec.ranks_per_node =
        parse_count_list(get(vm, "ranks-per-node"), "--ranks-per-node", kMaxRanksPerNode);
  }
  if (vm.count("threads")) {
    spec.study.threads = parse_count_list(get(vm, "threads"), "--threads", kMaxThreads);
  }
  apply_sweep_options(vm, spec.study);
  if (!vm.count("time")) {
    throw ConfigError("--time: every job needs a wall-clock limit, e.g. --time 00:30:00");
  }
  const auto limit = parse_time_limit(get(vm, "time"));
  if (!limit) {
    throw ConfigError("--time '" + get(vm, "time") +
                      "': expected a limit above zero as HH:MM:SS or D-HH:MM:SS, e.g. 00:30:00");
  }
  spec.time_limit_s = *limit;
  if (vm.count("partition")) {
    spec.partition = get(vm, "partition");
    check_word(spec.partition, "--partition", "compute");
  }
  if (vm.count("account")) {
    spec.account = get(vm, "account");
    check_word(spec.account, "--account", "proj123");
  }
  spec.array = parse_flag(vm, "array");
  spec.dry_run = parse_flag(vm, "dry-run");
  if (vm.count("exclusive")) spec.exclusive = parse_flag(vm, "exclusive");
  if (vm.count("module")) {
    spec.modules = vm["module"].as<std::vector<std::string>>();
    for (const auto& m : spec.modules) check_word(m, "--module", "openmpi/4.1.5");
  }
  if (vm.count("setup")) {
    spec.setup = vm["setup"].as<std::vector<std::string>>();
    for (const auto& line : spec.setup) {
      if (line.empty() || line.find('\n') != std::string::npos) {
        throw ConfigError("--setup '" + line + "': expected one non-empty shell line");
      }
    }
  }
  if (vm.count("launcher")) {
    const std::string l = get(vm, "launcher");
    if (l == "srun") {
      spec.launcher = Launcher::srun;
    } else if (l == "mpirun") {
      spec.launcher = Launcher::mpirun;
    } else {
      throw ConfigError("--launcher '" + l + "': expected srun or mpirun");
    }
  }
  if (spec.launcher == Launcher::automatic) {
    spec.launcher = spec.scheduler == Scheduler::slurm ? Launcher::srun : Launcher::mpirun;
  }
  if (spec.scheduler == Scheduler::pbs && spec.launcher == Launcher::srun) {
    throw ConfigError(
        "--launcher srun: PBS jobs start their ranks with mpirun; use --launcher "
        "mpirun or --scheduler slurm");
  }
  if (vm.count("template-dir")) spec.template_dir = get(vm, "template-dir");
  if (!vm.count("out") || get(vm, "out").empty()) {
    throw ConfigError(
        "--out: submit needs a directory for its scripts and results, e.g. "
        "--out study-fib");
  }
  spec.study.out_dir = get(vm, "out");
  spec.study.ranks = batch_rank_counts(spec);
  if (spec.nodes == std::vector<int>{1} && spec.ranks_per_node == std::vector<int>{1} &&
      spec.study.threads == std::vector<int>{1}) {
    throw ConfigError(
        "--nodes/--ranks-per-node/--threads: the study has only the 1 x 1 x 1 "
        "point; list more, e.g. --nodes 1,2,4");
  }
  return spec;
}

}  // namespace fanout
