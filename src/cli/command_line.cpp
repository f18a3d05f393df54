// Command dispatch, job file loading under the command line, and help and version text.
#include "cli/command_line.hpp"

#include <boost/program_options.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "cli/ini_reader.hpp"
#include "cli/job_options.hpp"
#include "cli/options.hpp"
#include "cli/origins.hpp"
#include "cli/scale_options.hpp"
#include "cli/submit_options.hpp"
#include "cli/units.hpp"
#include "job/config_error.hpp"

namespace fanout {
namespace po = boost::program_options;
namespace {

constexpr const char* kUsage =
    "usage: fanout <command> [JOB.ini] [options]\n"
    "\n"
    "Measures which concurrency model makes a workload fast, and runs it.\n"
    "\n"
    "commands:\n"
    "  run      run a job under one model (--model), every task timed, gathered at rank 0\n"
    "  compare  run the job under every applicable model and recommend one\n"
    "  scale    sweep ranks x threads, one launch per point: speedup, efficiency, scaling-law\n"
    "           fits and plots (run it without mpirun; it launches every point itself)\n"
    "  submit   the same sweep as batch jobs (Slurm or PBS): one script per point or a job\n"
    "           array, and a dependent job that collects the report\n"
    "  status   where a submitted study's jobs are\n"
    "  collect  the study report from a submitted study's finished points\n"
    "  serve    an HTTP server with delay, size and status routes, for offline I/O jobs\n"
    "\n"
    "Run under mpirun or srun for several ranks, e.g.\n"
    "  mpirun -np 4 fanout compare jobs/fib.ini --repeat 3\n"
    "Every job-file key is also a flag: [cpu] n = 30 in a file is --cpu.n 30, and the flag wins.\n"
    "'fanout <command> --help' lists a command's options; 'fanout --version' prints the version.\n";

std::string version_text() {
  return std::string("fanout ") + FANOUT_VERSION + " (g++ " + __VERSION__ + ")\n";
}

std::string join_args(int argc, const char* const* argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) out += (i ? " " : "") + std::string(argv[i]);
  return out;
}

/// Boost's messages name the option already; add where to look for valid ones.
[[noreturn]] void rethrow_po_error(const po::error& e, const std::string& command) {
  std::string what = e.what();
  if (auto* unknown = dynamic_cast<const po::unknown_option*>(&e)) {
    what = "unknown option '" + unknown->get_option_name() + "'";
  }
  throw ConfigError(what + "; see 'fanout " + command + " --help' for the valid options");
}

std::vector<std::string> section_keys(const std::string& section) {
  std::vector<std::string> keys;
  for (const auto& opt : job_options().options()) {
    const std::string& name = opt->long_name();
    const auto dot = name.find('.');
    const std::string sec = dot == std::string::npos ? "" : name.substr(0, dot);
    if (sec == section) keys.push_back(dot == std::string::npos ? name : name.substr(dot + 1));
  }
  return keys;
}

/// Stores the job file's entries below what the command line already stored.
void store_job_file(const std::string& path, po::variables_map& vm, Origins& origins) {
  const auto entries = read_ini_file(path);
  po::parsed_options parsed(&job_options());
  std::set<std::string> seen;
  for (const auto& entry : entries) {
    const std::string where = path + ":" + std::to_string(entry.line);
    const auto* option = job_options().find_nothrow(entry.key, false);
    if (!option) {
      const auto dot = entry.key.find('.');
      const std::string section = dot == std::string::npos ? "" : entry.key.substr(0, dot);
      const auto keys = section_keys(section);
      std::string valid;
      for (const auto& k : keys) valid += (valid.empty() ? "" : ", ") + k;
      throw ConfigError(where + ": unknown key '" + entry.key + "'" +
                        (keys.empty() ? "; sections are [cpu] and [io]"
                                      : "; valid keys " +
                                            (section.empty() ? std::string("at the top")
                                                             : "in [" + section + "]") +
                                            ": " + valid));
    }
    if (entry.key != "io.url" && !seen.insert(entry.key).second) {
      throw ConfigError(where + ": '" + entry.key + "' is set twice in this file");
    }
    origins.set_file(entry.key, path, entry.line);
    parsed.options.emplace_back(entry.key, std::vector<std::string>{entry.value});
  }
  try {
    po::store(parsed, vm);
  } catch (const po::error& e) {
    throw ConfigError(path + ": " + e.what());
  }
}

ProgressMode parse_progress(const po::variables_map& vm) {
  if (!vm.count("progress")) return ProgressMode::automatic;
  const std::string mode = vm["progress"].as<std::string>();
  if (mode == "auto") return ProgressMode::automatic;
  if (mode == "live") return ProgressMode::live;
  if (mode == "plain") return ProgressMode::plain;
  if (mode == "none") return ProgressMode::none;
  throw ConfigError("--progress '" + mode + "': expected auto, live, plain or none");
}

Invocation parse_job_command(Command command, const std::string& name,
                             const std::vector<std::string>& args) {
  po::options_description visible;
  visible.add(invocation_options()).add(job_options());
  po::options_description all = visible;
  all.add_options()("job-file", po::value<std::string>(), "job file");
  po::positional_options_description positional;
  positional.add("job-file", 1);

  po::variables_map vm;
  Origins origins;
  try {
    auto parsed = po::command_line_parser(args).options(all).positional(positional).run();
    for (const auto& opt : parsed.options) {
      if (opt.position_key == -1) origins.set_flag(opt.string_key);
    }
    po::store(parsed, vm);
  } catch (const po::error& e) {
    rethrow_po_error(e, name);
  }

  Invocation inv;
  inv.command = command;
  if (vm.count("help")) {
    std::ostringstream help;
    help << "usage: fanout " << name << " [JOB.ini] [options]\n\n"
         << (command == Command::run
                 ? "Runs the job under one model (--model); every task is timed and gathered at "
                   "rank 0.\n"
                 : "Runs the job under every applicable model (serial, threads and async on rank "
                   "0; processes and hybrids on every rank) and recommends one.\n")
         << "Job files are INI: top-level keys, then [cpu] and [io] sections; every key is also "
            "a flag\n(--cpu.n 30 is [cpu] n = 30) and the command line wins.\n"
         << visible;
    inv.print_and_exit = help.str();
    return inv;
  }
  const std::string job_file = vm.count("job-file") ? vm["job-file"].as<std::string>() : "";
  if (!job_file.empty()) store_job_file(job_file, vm, origins);
  po::notify(vm);
  inv.job = make_job_spec(vm, origins, job_file);
  inv.progress = parse_progress(vm);
  if (command == Command::run && !vm["models"].empty()) {
    throw ConfigError(origins.of("models") + ": 'models' is for compare; run takes --model");
  }
  if (vm.count("allocation")) {
    const std::string use = vm["allocation"].as<std::string>();
    if (use != "use" && use != "ignore") {
      throw ConfigError("--allocation '" + use + "': expected use or ignore");
    }
    inv.use_allocation = use == "use";
  }
  if (vm.count("base")) {
    const std::string base = vm["base"].as<std::string>();
    if (base == "measure") {
      inv.base.mode = BaseCase::Mode::measure;
    } else if (base == "none") {
      inv.base.mode = BaseCase::Mode::none;
    } else if (auto secs = parse_duration(base); secs && *secs > 0) {
      inv.base = {BaseCase::Mode::given, *secs};
    } else {
      throw ConfigError("--base '" + base +
                        "': expected measure, none, or a serial time such as 12.5s");
    }
  }
  return inv;
}

/// True when the job file or the forwarded flags set io.driver.
bool io_driver_given(const std::string& job_file, const std::vector<std::string>& run_args) {
  for (const auto& arg : run_args) {
    if (arg.rfind("--io.driver", 0) == 0) return true;
  }
  if (job_file.empty()) return false;
  for (const auto& entry : read_ini_file(job_file)) {
    if (entry.key == "io.driver") return true;
  }
  return false;
}

/// The job of a study (scale or submit): the job file and job flags become the arguments every
/// point's `fanout run` gets (spec.run_args), and inv.job the job they resolve to. Every point's
/// model is checked against the job as `run` would check it.
void resolve_study_job(const po::variables_map& vm, const po::parsed_options& parsed,
                       const std::string& command, StudySpec& spec, Invocation& inv) {
  // The job keys go to every point verbatim; in weak mode the study sets the grown work itself.
  const bool weak = spec.mode == ScaleMode::weak;
  std::vector<std::string> run_args;
  const std::string job_file = vm.count("job-file") ? vm["job-file"].as<std::string>() : "";
  if (!job_file.empty()) run_args.push_back(job_file);
  for (const auto& opt : parsed.options) {
    if (opt.position_key != -1 || !scale_job_options().find_nothrow(opt.string_key, false)) continue;
    if (weak && (opt.string_key == "cpu.count" || opt.string_key == "io.repeat")) continue;
    run_args.insert(run_args.end(), opt.original_tokens.begin(), opt.original_tokens.end());
  }
  std::vector<std::string> job_args = run_args;
  if (weak) {
    for (const auto& opt : parsed.options) {
      if (opt.string_key == "cpu.count" || opt.string_key == "io.repeat") {
        job_args.insert(job_args.end(), opt.original_tokens.begin(), opt.original_tokens.end());
      }
    }
  }
  inv.job = parse_job_command(Command::run, command, job_args).job;
  check_study_models(spec, inv.job.workload);
  // Each point's model must be valid for the job as `run` sees it (e.g. no processes+async for cpu).
  for (int t : spec.threads) {
    std::vector<std::string> with_model = job_args;
    with_model.insert(with_model.end(), {"--model", to_string(point_model(spec, inv.job.workload, t))});
    parse_job_command(Command::run, command, with_model);
  }
  if (point_model(spec, inv.job.workload, 1) == Model::processes_async &&
      !io_driver_given(job_file, run_args)) {
    run_args.insert(run_args.end(), {"--io.driver", "rank"});
    spec.notes.push_back("io.driver = rank: every rank runs its own curl-multi driver, so the "
                         "workers of a point are its ranks (set io.driver to override)");
  }
  spec.run_args = std::move(run_args);
  spec.job_args = std::move(job_args);
}

/// Parses a study command's arguments: its own options, the job file, the forwarded job keys.
po::parsed_options parse_study_args(const std::vector<std::string>& args,
                                    const po::options_description& own, const std::string& command,
                                    po::options_description& visible, po::variables_map& vm) {
  visible.add(own).add(scale_job_options());
  po::options_description all = visible;
  all.add_options()("job-file", po::value<std::string>(), "job file");
  po::positional_options_description positional;
  positional.add("job-file", 1);
  po::parsed_options parsed(&all);
  try {
    parsed = po::command_line_parser(args).options(all).positional(positional).run();
    po::store(parsed, vm);
  } catch (const po::error& e) {
    rethrow_po_error(e, command);
  }
  return parsed;
}

Invocation parse_scale_command(const std::vector<std::string>& args) {
  po::options_description visible;
  po::variables_map vm;
  const po::parsed_options parsed = parse_study_args(args, scale_options(), "scale", visible, vm);
  Invocation inv;
  inv.command = Command::scale;
  if (vm.count("help")) {
    std::ostringstream help;
    help << "usage: fanout scale [JOB.ini] --ranks 1,2,4,8 [--threads 1,2] --out DIR [options]\n\n"
         << "Sweeps ranks x threads: every point is its own launch (mpirun -np R, or srun inside a\n"
         << "Slurm allocation) of 'fanout run' with --repeat repetitions. Writes DIR/study.json,\n"
         << "DIR/study.csv, DIR/runs/ (every run's JSON) and speedup and efficiency plots (PNG, SVG,\n"
         << "with gnuplot), and prints speedup, efficiency and Karp-Flatt per point against the\n"
         << "1-rank, 1-thread base case, an Amdahl (strong) or Gustafson (weak) fit, and where\n"
         << "efficiency falls under the threshold. Run it without mpirun.\n"
         << visible;
    inv.print_and_exit = help.str();
    return inv;
  }
  StudySpec spec = make_study_spec(vm);
  spec.progress = parse_progress(vm);
  resolve_study_job(vm, parsed, "scale", spec, inv);
  inv.study = std::move(spec);
  return inv;
}

Invocation parse_submit_command(const std::vector<std::string>& args) {
  po::options_description visible;
  po::variables_map vm;
  const po::parsed_options parsed = parse_study_args(args, submit_options(), "submit", visible, vm);
  Invocation inv;
  inv.command = Command::submit;
  if (vm.count("help")) {
    std::ostringstream help;
    help << "usage: fanout submit [JOB.ini] --nodes 1,2,4 [--ranks-per-node 1,2] [--threads T]\n"
         << "                     --time HH:MM:SS --out DIR [--scheduler slurm|pbs] [options]\n\n"
         << "A scaling study as batch jobs: one script per nodes x ranks-per-node x threads point\n"
         << "(or one job array), each running 'fanout run' with --repeat repetitions, plus a\n"
         << "dependent job (afterany) that runs 'fanout collect DIR' into the same report as\n"
         << "'fanout scale'. Every script is checked by the scheduler before the first is\n"
         << "submitted (sbatch --test-only). 'fanout status DIR' shows where the jobs are.\n"
         << visible;
    inv.print_and_exit = help.str();
    return inv;
  }
  BatchSpec spec = make_batch_spec(vm);
  resolve_study_job(vm, parsed, "submit", spec.study, inv);
  inv.batch = std::move(spec);
  return inv;
}

/// `fanout status DIR` and `fanout collect DIR [--quiet]`.
Invocation parse_dir_command(Command command, const std::string& name,
                             const std::vector<std::string>& args) {
  po::options_description visible(name + " options");
  visible.add_options()("help,h", "show this help");
  if (command == Command::collect) {
    visible.add_options()("quiet", po::value<std::string>()->implicit_value("true"),
                          "print no table; the files are written as usual");
  }
  po::options_description all = visible;
  all.add_options()("dir", po::value<std::string>(), "the submission's --out directory");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
  } catch (const po::error& e) {
    rethrow_po_error(e, name);
  }
  Invocation inv;
  inv.command = command;
  if (vm.count("help")) {
    std::ostringstream help;
    help << "usage: fanout " << name << " DIR\n\n"
         << (command == Command::status
                 ? "Where the jobs of a 'fanout submit --out DIR' study are: every point's job "
                   "id, its\nscheduler state (squeue/scontrol, or qstat), and whether its result "
                   "is in.\n"
                 : "Builds the study report (study.json, study.csv, plots, table) from the points "
                   "of a\n'fanout submit --out DIR' study that have finished; says which points "
                   "are missing\nand why. The dependent job of the submission runs it; run it "
                   "again any time.\n")
         << visible;
    inv.print_and_exit = help.str();
    return inv;
  }
  if (!vm.count("dir") || vm["dir"].as<std::string>().empty()) {
    throw ConfigError(name + ": missing DIR, the --out directory of 'fanout submit'");
  }
  inv.batch_dir = vm["dir"].as<std::string>();
  if (vm.count("quiet")) {
    const auto q = parse_bool(vm["quiet"].as<std::string>());
    if (!q) throw ConfigError("--quiet '" + vm["quiet"].as<std::string>() + "': must be true or false");
    inv.batch_quiet = *q;
  }
  return inv;
}

Invocation parse_serve_command(const std::vector<std::string>& args) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(serve_options()).run(), vm);
  } catch (const po::error& e) {
    rethrow_po_error(e, "serve");
  }
  Invocation inv;
  inv.command = Command::serve;
  if (vm.count("help")) {
    std::ostringstream help;
    help << "usage: fanout serve [options]\n\n"
         << "An HTTP/1.1 server for offline I/O jobs. Routes: / (--delay, --size), /delay/MS,\n"
         << "/bytes/N, /status/CODE, /flaky/N/KEY (first N requests per KEY answer 503),\n"
         << "/stall (never answers), /stats (JSON counters). Stops on SIGINT or SIGTERM.\n"
         << serve_options();
    inv.print_and_exit = help.str();
    return inv;
  }
  auto get = [&](const char* key) { return vm[key].as<std::string>(); };
  if (vm.count("bind")) inv.serve.bind = get("bind");
  if (vm.count("port")) {
    auto port = parse_integer(get("port"));
    if (!port || *port < 0 || *port > 65535) {
      throw ConfigError("--port '" + get("port") + "': expected a TCP port from 0 to 65535");
    }
    inv.serve.port = static_cast<std::uint16_t>(*port);
  }
  if (vm.count("delay")) {
    auto delay = parse_duration(get("delay"));
    if (!delay) throw ConfigError("--delay '" + get("delay") + "': expected a duration such as 100ms");
    inv.serve.delay_s = *delay;
  }
  if (vm.count("size")) {
    auto size = parse_bytes(get("size"));
    if (!size) throw ConfigError("--size '" + get("size") + "': expected a size such as 1KiB");
    inv.serve.size = *size;
  }
  if (vm.count("threads")) {
    auto threads = parse_integer(get("threads"));
    if (!threads || *threads < 1 || *threads > 1024) {
      throw ConfigError("--threads '" + get("threads") + "': expected a whole number from 1 to 1024");
    }
    inv.serve.threads = static_cast<int>(*threads);
  }
  return inv;
}

}  // namespace

Invocation parse_command_line(int argc, const char* const* argv) {
  const std::string line = join_args(argc, argv);
  if (argc < 2) throw ConfigError("missing command; expected run, compare, scale, submit, status, collect or serve "
                                "(see fanout --help)");
  const std::string command = argv[1];
  Invocation inv;
  if (command == "--help" || command == "-h" || command == "help") {
    inv.print_and_exit = kUsage;
    return inv;
  }
  if (command == "--version" || command == "-V") {
    inv.print_and_exit = version_text();
    return inv;
  }
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "run") {
    inv = parse_job_command(Command::run, command, args);
  } else if (command == "compare") {
    inv = parse_job_command(Command::compare, command, args);
  } else if (command == "scale") {
    inv = parse_scale_command(args);
  } else if (command == "submit") {
    inv = parse_submit_command(args);
  } else if (command == "status") {
    inv = parse_dir_command(Command::status, command, args);
  } else if (command == "collect") {
    inv = parse_dir_command(Command::collect, command, args);
  } else if (command == "serve") {
    inv = parse_serve_command(args);
  } else {
    throw ConfigError("unknown command '" + command +
                      "'; expected run, compare, scale, submit, status, collect or serve (see fanout --help)");
  }
  inv.command_line = line;
  return inv;
}

}  // namespace fanout
