// fanout's entry point: parse the command line, then dispatch to a command.
#include <unistd.h>

#include <cstring>
#include <iostream>

#include "app/job_command.hpp"
#include "app/launch_env.hpp"
#include "batch/collect_command.hpp"
#include "batch/status_command.hpp"
#include "batch/submit_command.hpp"
#include "cli/command_line.hpp"
#include "job/allocation.hpp"
#include "job/config_error.hpp"
#include "server/server.hpp"
#include "study/launch.hpp"
#include "study/process.hpp"
#include "study/scale_command.hpp"

namespace {

using namespace fanout;

/// `run` or `compare` typed inside an allocation (a batch script, salloc) runs as one process
/// unless started again over the allocation's tasks; this does that, in place of this process.
/// Returns only when there is nothing to do (or exec failed: then it throws).
void use_allocation(const Invocation& inv, int argc, char** argv) {
  const Allocation allocation = detect_allocation();
  if (!allocation.present() || started_by_launcher()) return;
  default_threads_from_allocation(allocation);
  if (!inv.use_allocation || std::getenv("FANOUT_RELAUNCHED")) return;
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto relaunch = relaunch_argv(allocation, this_executable(), args, ::geteuid() == 0);
  if (relaunch.empty()) return;
  if (!inv.job.run.quiet) {
    std::cerr << "fanout: inside " << (allocation.scheduler == "slurm" ? "Slurm" : "PBS") << " job "
              << allocation.job_id << " with " << allocation.tasks << " tasks: running as "
              << shell_join(relaunch) << " (--allocation ignore runs this one process)\n";
  }
  ::setenv("FANOUT_RELAUNCHED", "1", 1);
  std::vector<char*> words;
  for (const auto& w : relaunch) words.push_back(const_cast<char*>(w.c_str()));
  words.push_back(nullptr);
  ::execvp(words[0], words.data());
  throw ConfigError("--allocation use: cannot start " + relaunch[0] + ": " + std::strerror(errno) +
                    "; load the MPI module, or pass --allocation ignore");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fanout;
  // Every rank parses the same input and fails alike; only rank 0 speaks.
  const bool speaks = launcher_rank() == 0;
  try {
    const Invocation inv = parse_command_line(argc, argv);
    if (inv.print_and_exit) {
      if (speaks) std::cout << *inv.print_and_exit;
      return 0;
    }
    if (inv.command == Command::serve) return serve_forever(inv.serve, std::cout);
    if (inv.command == Command::scale) {
      return run_scale(inv.study, inv.job, detect_allocation(), inv.command_line, std::cout,
                       std::cerr);
    }
    if (inv.command == Command::submit) {
      return run_submit(inv.batch, inv.job, inv.command_line, std::cout, std::cerr);
    }
    if (inv.command == Command::status) return run_status(inv.batch_dir, std::cout);
    if (inv.command == Command::collect) {
      return run_collect(inv.batch_dir, inv.batch_quiet, inv.command_line, std::cout, std::cerr);
    }
    use_allocation(inv, argc, argv);
    return run_job_command(argc, argv, inv);
  } catch (const ConfigError& e) {
    if (speaks) std::cerr << "fanout: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (speaks) std::cerr << "fanout: error: " << e.what() << "\n";
    return 1;
  }
}
