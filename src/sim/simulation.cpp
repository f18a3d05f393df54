// Builds the platform and one actor per protocol object, runs SimGrid's engine, folds the tallies.
#include "sim/simulation.hpp"

#include <sys/resource.h>
#include <unistd.h>
#include <xbt/log.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <stdexcept>
#include <string>

#include "dispatch/leader.hpp"
#include "dispatch/root.hpp"
#include "dispatch/worker.hpp"
#include "sim/actors.hpp"
#include "sim/post.hpp"
#include "sim/tree_plan.hpp"
#include "timing/clock.hpp"

namespace fanout::sim {

namespace s4u = simgrid::s4u;

namespace {

/// Loads the platform through a temporary file (SimGrid reads platforms from files only).
void load_platform(const s4u::Engine& engine, const PlatformSpec& spec) {
  const char* tmp = std::getenv("TMPDIR");
  std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/fanout-sim-XXXXXX.xml";
  const int fd = mkstemps(path.data(), 4);
  if (fd < 0) throw std::runtime_error("cannot create a temporary platform file at " + path);
  close(fd);
  {
    std::ofstream out(path);
    out << platform_xml(spec);
  }
  try {
    engine.load_platform(path);
  } catch (...) {
    unlink(path.c_str());
    throw;
  }
  unlink(path.c_str());
}

std::uint64_t peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

DispatcherFigures figures(const DispatcherTally& t, double makespan_s) {
  DispatcherFigures f{t.messages, t.busy_s, 0, 0};
  if (makespan_s > 0) {
    f.messages_per_s = static_cast<double>(t.messages) / makespan_s;
    f.busy_share = t.busy_s / makespan_s;
  }
  return f;
}

}  // namespace

SimResult simulate(const SimSpec& spec, const TaskTimes& times) {
  const auto started = Clock::now();
  const TreePlan plan = plan_tree(spec);

  // SimGrid's engine reads its options from argv; the simulator's own are parsed already.
  int argc = 1;
  char name[] = "fanout-sim";
  char* argv[] = {name, nullptr};
  xbt_log_control_set("root.thresh:critical");
  s4u::Engine engine(&argc, argv);
  // 100k actors: small stacks without guard pages (about 56 KB each, measured).
  s4u::Engine::set_config("contexts/stack-size:64");
  s4u::Engine::set_config("contexts/guard-size:0");
  // Constant latency and bandwidth per link, as the platform states them (the default model
  // multiplies latency by 13 to fit TCP over Ethernet; the cluster modelled is an HPC fabric).
  s4u::Engine::set_config("network/model:CM02");
  s4u::Engine::set_config("network/crosstraffic:0");
  PlatformSpec platform = spec.platform;
  platform.nodes = plan.nodes;
  load_platform(engine, platform);

  std::vector<s4u::Host*> hosts;
  for (int n = 0; n < plan.nodes; ++n) hosts.push_back(engine.host_by_name(host_name(n)));

  Post post(static_cast<int>(plan.actors.size()));
  Ledger ledger(plan.tasks);
  const WorkerContext context{times, ledger};
  // Protocol objects and tallies live here, indexed like the actors; deques keep them in place.
  dispatch::Root root(plan.tasks, plan.actors[0].children);
  DispatcherTally root_tally;
  std::deque<dispatch::Leader> leaders;
  std::deque<DispatcherTally> leader_tallies;
  std::deque<dispatch::Worker> workers;
  std::deque<WorkerTally> worker_tallies;

  s4u::Actor::create("root", hosts[0], [&post, &root, &root_tally, cost = spec.root_cost_s] {
    run_root(post, 0, root, cost, root_tally);
  });
  for (std::size_t i = 1; i < plan.actors.size(); ++i) {
    const ActorPlan& a = plan.actors[i];
    const int me = static_cast<int>(i);
    s4u::Host* host = hosts[static_cast<std::size_t>(a.node)];
    if (a.role == Role::leader) {
      auto& leader = leaders.emplace_back(a.parent, a.children, a.want, a.low_water);
      auto& tally = leader_tallies.emplace_back();
      s4u::Actor::create("leader-" + std::to_string(me), host,
                         [&post, &leader, &tally, me, cost = spec.leader_cost_s] {
                           run_leader(post, me, leader, cost, tally);
                         });
    } else if (a.role == Role::worker) {
      auto& worker = workers.emplace_back(a.parent, a.want);
      auto& tally = worker_tallies.emplace_back();
      s4u::Actor::create(
          "rank-" + std::to_string(me), host,
          [&post, &worker, &tally, &context, me] { run_worker(post, me, worker, context, tally); });
    } else {
      auto& tally = worker_tallies.emplace_back();
      s4u::Actor::create("rank-0", host, [&root, &tally, &context, chunk = a.want] {
        run_local_worker(root, chunk, context, tally);
      });
    }
  }
  engine.run();

  SimResult r;
  r.ranks = plan.workers;
  r.nodes = plan.nodes;
  r.leaders = plan.leaders;
  r.tasks = plan.tasks;
  r.chunk = plan.chunk;
  for (const WorkerTally& w : worker_tallies) {
    r.ran += w.tasks;
    r.task_s += w.task_s;
    r.makespan_s = std::max(r.makespan_s, w.last_end_s);
    r.longest_task_s = std::max(r.longest_task_s, w.longest_s);
    if (!w.done) ++r.unfinished;
  }
  for (const dispatch::Worker& w : workers) r.abandoned += w.abandoned();
  r.duplicates = ledger.duplicates() + ledger.out_of_range();
  r.missed = plan.tasks - ledger.distinct();
  if (r.makespan_s > 0) r.efficiency = r.task_s / (r.ranks * r.makespan_s);
  r.bound_s = std::max(r.task_s / r.ranks, r.longest_task_s);
  r.root = figures(root_tally, r.makespan_s);
  if (!root_tally.done) ++r.unfinished;
  double share_sum = 0;
  for (const DispatcherTally& t : leader_tallies) {
    const DispatcherFigures f = figures(t, r.makespan_s);
    if (f.busy_s >= r.busiest_leader.busy_s) r.busiest_leader = f;
    share_sum += f.busy_share;
    if (!t.done) ++r.unfinished;
  }
  if (!leader_tallies.empty()) r.leader_busy_share_mean = share_sum / leader_tallies.size();
  r.real_s = seconds_between(started, Clock::now());
  r.peak_rss_bytes = peak_rss_bytes();
  return r;
}

}  // namespace fanout::sim
