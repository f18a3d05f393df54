// The options of a scaling study, checked before anything runs.
#include "cli/scale_options.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "cli/job_options.hpp"
#include "cli/units.hpp"
#include "job/config_error.hpp"

namespace fanout {
namespace po = boost::program_options;
namespace {

constexpr int kMaxRanks = 100'000;
constexpr int kMaxThreads = 4096;

std::string get(const po::variables_map& vm, const char* key) { return vm[key].as<std::string>(); }

/// 0.8, or 80% as a fraction; nullopt unless in (0, 1].
std::optional<double> parse_threshold(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::string digits = text;
  double scale = 1;
  if (digits.back() == '%') digits.pop_back(), scale = 0.01;
  char* end = nullptr;
  const double v = std::strtod(digits.c_str(), &end) * scale;
  if (digits.empty() || *end != '\0' || !(v > 0) || v > 1) return std::nullopt;
  return v;
}

bool threaded(Model m) { return m == Model::threads || m == Model::processes_threads; }

std::string join(const std::vector<int>& v) {
  std::string out;
  for (int x : v) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
}

}  // namespace

std::vector<int> parse_count_list(const std::string& text, const std::string& flag, int max) {
  const std::string expected = "; expected comma-separated whole numbers from 1 to " +
                               std::to_string(max) + ", e.g. 1,2,4,8";
  const std::string where = flag + " '" + text + "': ";
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  // getline drops a trailing empty item ("1,2,"), so count the commas too.
  const auto items = std::count(text.begin(), text.end(), ',') + 1;
  while (std::getline(in, item, ',')) {
    if (item.empty()) throw ConfigError(where + "empty item" + expected);
    const auto v = parse_integer(item);
    if (!v) throw ConfigError(where + "'" + item + "' is not a whole number" + expected);
    if (*v < 1 || *v > max) throw ConfigError(where + item + " is out of range" + expected);
    if (std::find(out.begin(), out.end(), *v) != out.end()) {
      throw ConfigError(where + item + " is listed twice" + expected);
    }
    out.push_back(static_cast<int>(*v));
  }
  if (out.empty() || static_cast<long>(out.size()) != items) {
    throw ConfigError(where + "empty item" + expected);
  }
  return out;
}

void apply_sweep_options(const po::variables_map& vm, StudySpec& spec) {
  if (vm.count("mode")) {
    const std::string mode = get(vm, "mode");
    if (mode == "strong") {
      spec.mode = ScaleMode::strong;
    } else if (mode == "weak") {
      spec.mode = ScaleMode::weak;
    } else {
      throw ConfigError("--mode '" + mode + "': expected strong or weak");
    }
  }
  if (vm.count("repeat")) {
    const auto v = parse_integer(get(vm, "repeat"));
    if (!v || *v < 1 || *v > 10'000) {
      throw ConfigError("--repeat '" + get(vm, "repeat") +
                        "': must be a whole number from 1 to 10000");
    }
    spec.repeat = static_cast<int>(*v);
  }
  if (vm.count("model")) {
    if (get(vm, "model").find(',') != std::string::npos) {
      throw ConfigError("--model '" + get(vm, "model") + "': a study takes one model for every point");
    }
    spec.model = parse_models(get(vm, "model"), "--model").front();
  }
  if (vm.count("efficiency-threshold")) {
    const auto v = parse_threshold(get(vm, "efficiency-threshold"));
    if (!v) {
      throw ConfigError("--efficiency-threshold '" + get(vm, "efficiency-threshold") +
                        "': expected a fraction in (0, 1] such as 0.8, or a percentage such as 80%");
    }
    spec.efficiency_threshold = *v;
  }
}

StudySpec make_study_spec(const po::variables_map& vm) {
  StudySpec spec;
  if (vm.count("ranks")) spec.ranks = parse_count_list(get(vm, "ranks"), "--ranks", kMaxRanks);
  if (vm.count("threads")) {
    spec.threads = parse_count_list(get(vm, "threads"), "--threads", kMaxThreads);
  }
  apply_sweep_options(vm, spec);
  if (vm.count("launcher")) {
    const std::string l = get(vm, "launcher");
    if (l == "auto") {
      spec.launcher = Launcher::automatic;
    } else if (l == "mpirun") {
      spec.launcher = Launcher::mpirun;
    } else if (l == "srun") {
      spec.launcher = Launcher::srun;
    } else {
      throw ConfigError("--launcher '" + l + "': expected auto, mpirun or srun");
    }
  }
  if (vm.count("quiet")) {
    const auto q = parse_bool(get(vm, "quiet"));
    if (!q) throw ConfigError("--quiet '" + get(vm, "quiet") + "': must be true or false");
    spec.quiet = *q;
  }
  if (!vm.count("out") || get(vm, "out").empty()) {
    throw ConfigError("--out: scale needs a directory for its files, e.g. --out study-fib");
  }
  spec.out_dir = get(vm, "out");
  if (spec.ranks.size() * spec.threads.size() == 1 && spec.ranks[0] == 1 && spec.threads[0] == 1) {
    throw ConfigError("--ranks/--threads: the study has only the 1 x 1 point; list more, e.g. "
                      "--ranks 1,2,4");
  }
  return spec;
}

void check_study_models(const StudySpec& spec, WorkloadKind workload) {
  if (spec.model && (*spec.model == Model::serial || *spec.model == Model::async)) {
    throw ConfigError("--model '" + to_string(*spec.model) +
                      "': runs one worker whatever the point; scale takes processes, "
                      "processes+threads, threads (with --ranks 1) or processes+async (io)");
  }
  const bool many_ranks = spec.ranks.size() > 1 || spec.ranks[0] != 1;
  if (spec.model == Model::threads && many_ranks) {
    throw ConfigError("--ranks '" + join(spec.ranks) +
                      "': model threads runs on one rank; use --ranks 1, or processes+threads to "
                      "scale ranks and threads together");
  }
  for (int t : spec.threads) {
    const Model m = point_model(spec, workload, t);
    if (!threaded(m) && t > 1) {
      throw ConfigError("--threads '" + join(spec.threads) + "': the points run " + to_string(m) +
                        ", one worker per rank" +
                        (m == Model::processes_async
                             ? " (an event loop; its concurrency is io.concurrency)"
                             : "") +
                        "; use --threads 1" +
                        (m == Model::processes ? ", or --model processes+threads" : ""));
    }
  }
}

}  // namespace fanout
