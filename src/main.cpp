// fanout's entry point: find the command, hand it its arguments, turn its errors into exit codes.
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "batch/collect_command.hpp"
#include "batch/submit_command.hpp"
#include "cli/build_info.hpp"
#include "cli/command.hpp"
#include "cli/config_error.hpp"
#include "effects/chain_command.hpp"
#include "effects/farm_command.hpp"
#include "effects/farm_explain_command.hpp"
#include "effects/farm_output_command.hpp"
#include "launch/launcher_env.hpp"
#include "run/run_command.hpp"
#include "server/serve.hpp"
#include "study/scale_command.hpp"

namespace {

using namespace fanout;

struct Entry {
  const char* name;
  int (*main)(const CommandArgs&);
};

int run_main(const CommandArgs& a) { return run_command_main(false, a); }
int compare_main(const CommandArgs& a) { return run_command_main(true, a); }

constexpr Entry kCommands[] = {
    {"run", run_main},
    {"compare", compare_main},
    {"farm", farm_command_main},
    {"farm-output", farm_output_command_main},
    {"farm-explain", farm_explain_command_main},
    {"scale", scale_command_main},
    {"submit", submit_command_main},
    {"submit-farm", submit_farm_command_main},
    {"continue-farm", continue_farm_command_main},
    {"status", status_command_main},
    {"collect", collect_command_main},
    {"serve", serve_command_main},
};

constexpr const char* kUsage =
    "usage: fanout <command> [JOB.ini] [options]\n"
    "\n"
    "Measures which concurrency model makes a workload fast, and runs it.\n"
    "\n"
    "commands:\n"
    "  run            run a job under one model (--model), every task timed, gathered at rank 0\n"
    "  compare        run the job under every applicable model and recommend one\n"
    "  farm           run a file of your own shell commands as tasks (GNU parallel's joblog and\n"
    "                 --resume, timeouts, retries), on every model, across ranks\n"
    "  farm-output    list a farm's task outputs, or print one task's stdout or stderr\n"
    "  farm-explain   why each task of a farm is where it is: not started, running, finished\n"
    "  scale          sweep ranks x threads, one launch per point: speedup, efficiency,\n"
    "                 scaling-law fits and plots (run it without mpirun; it launches every\n"
    "                 point itself)\n"
    "  submit         the same sweep as batch jobs (Slurm or PBS): one script per point or a job\n"
    "                 array, and a dependent job that collects the report\n"
    "  submit-farm    a farm as a chain of Slurm jobs, each resuming where the last stopped\n"
    "  continue-farm  submit a farm chain's next job now\n"
    "  status         where a submitted study's or farm chain's jobs are\n"
    "  collect        the study report from a submitted study's finished points\n"
    "  serve          an HTTP server with delay, size and status routes, for offline I/O jobs\n"
    "\n"
    "Run under mpirun or srun for several ranks, e.g.\n"
    "  mpirun -np 4 fanout compare jobs/fib.ini --repeat 3\n"
    "Every job-file key is also a flag: key = 30 in section [sec] is --sec.key 30; the flag wins.\n"
    "'fanout <command> --help' lists a command's options; 'fanout --version' prints the version.\n";

/// "run, compare, ..., collect or serve".
std::string command_names() {
  std::string out;
  for (std::size_t i = 0; i < std::size(kCommands); ++i) {
    if (i > 0) out += i + 1 == std::size(kCommands) ? " or " : ", ";
    out += kCommands[i].name;
  }
  return out;
}

int dispatch(int argc, char** argv, bool speaks) {
  if (argc < 2) {
    throw ConfigError("missing command; expected " + command_names() + " (see fanout --help)");
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    if (speaks) std::cout << kUsage;
    return 0;
  }
  if (name == "--version" || name == "-V") {
    if (speaks) std::cout << "fanout " << FANOUT_VERSION << " (" << kCompiler << ")\n";
    return 0;
  }
  for (const Entry& e : kCommands) {
    if (name != e.name) continue;
    CommandArgs args;
    args.name = name;
    args.args.assign(argv + 2, argv + argc);
    for (int i = 0; i < argc; ++i) args.command_line += (i ? " " : "") + std::string(argv[i]);
    args.argc = &argc;
    args.argv = &argv;
    args.speaks = speaks;
    return e.main(args);
  }
  throw ConfigError("unknown command '" + name + "'; expected " + command_names() +
                    " (see fanout --help)");
}

}  // namespace

int main(int argc, char** argv) {
  // Every rank parses the same input and fails alike; only rank 0 speaks.
  const bool speaks = fanout::launcher_rank() == 0;
  try {
    return dispatch(argc, argv, speaks);
  } catch (const fanout::ConfigError& e) {
    if (speaks) std::cerr << "fanout: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (speaks) std::cerr << "fanout: error: " << e.what() << "\n";
    return 1;
  }
}
