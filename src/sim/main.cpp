// fanout-sim: parse the options, simulate, print the result.
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/config_error.hpp"
#include "sim/sim_options.hpp"
#include "sim/sim_report.hpp"
#include "sim/simulation.hpp"
#include "sim/task_times.hpp"

namespace {

int simulate_and_print(fanout::sim::SimOptions o) {
  using namespace fanout::sim;
  const TaskTimes times(o.spec.times);
  if (o.spec.times.kind == Distribution::replay && o.spec.tasks == 0)
    o.spec.tasks = times.replay_size();
  const SimResult r = simulate(o.spec, times);
  std::cout << (o.format == OutputFormat::kv ? render_kv(o.spec, r) : render_text(o.spec, r));
  if (const std::string failure = protocol_failure(r); !failure.empty()) {
    std::cerr << "fanout-sim: the protocol failed: " << failure << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    fanout::CommandArgs args;
    args.name = "fanout-sim";
    args.args.assign(argv + 1, argv + argc);
    return fanout::parse_then_run(args, fanout::sim::parse_sim_options, simulate_and_print);
  } catch (const fanout::ConfigError& e) {
    std::cerr << "fanout-sim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "fanout-sim: error: " << e.what() << "\n";
    return 1;
  }
}
