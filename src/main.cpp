// fanout's entry point: parse the command line, then dispatch to a command.
#include <iostream>

#include "app/job_command.hpp"
#include "app/launch_env.hpp"
#include "batch/collect_command.hpp"
#include "batch/status_command.hpp"
#include "batch/submit_command.hpp"
#include "cli/command_line.hpp"
#include "job/config_error.hpp"
#include "server/server.hpp"
#include "study/scale_command.hpp"

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
      return run_scale(inv.study, inv.job, inv.command_line, std::cout, std::cerr);
    }
    if (inv.command == Command::submit) {
      return run_submit(inv.batch, inv.job, inv.command_line, std::cout, std::cerr);
    }
    if (inv.command == Command::status) return run_status(inv.batch_dir, std::cout);
    if (inv.command == Command::collect) {
      return run_collect(inv.batch_dir, inv.batch_quiet, inv.command_line, std::cout, std::cerr);
    }
    return run_job_command(argc, argv, inv);
  } catch (const ConfigError& e) {
    if (speaks) std::cerr << "fanout: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    if (speaks) std::cerr << "fanout: error: " << e.what() << "\n";
    return 1;
  }
}
