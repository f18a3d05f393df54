// fanout-sim's options over fanout's option schema (units, errors naming the flag).
#include "sim/sim_options.hpp"

#include <limits>

#include "cli/config_error.hpp"
#include "cli/options.hpp"

namespace fanout::sim {

namespace {

CommandSchema sim_schema() {
  CommandSchema s;
  s.command = "fanout-sim";
  s.usage =
      "usage: fanout-sim [options]\n\n"
      "Simulates fanout's dynamic dispatch (the same protocol code that its MPI runs use) on a\n"
      "fat-tree cluster with SimGrid: one actor per rank, per node leader and for rank 0's\n"
      "dispatcher; a rank's chunk is one wait of its tasks' summed times. Prints the makespan,\n"
      "the efficiency (task time / (ranks x makespan)), and the messages per second and busy\n"
      "share of rank 0's dispatcher and the busiest leader.\n";
  s.groups.push_back(
      {"cluster",
       {{"ranks", "simulated ranks, one worker each (default 1000)"},
        {"cores-per-node", "ranks per node (default 40)"},
        {"link-latency", "latency of each fat-tree link (default 0.5us; 4 links between leaves)"},
        {"link-bandwidth", "bandwidth of each link, bytes/s (default 12.5GB: 100 Gb/s)"},
        {"local-latency", "a message inside a node (default 0.3us)"},
        {"local-bandwidth", "bytes/s inside a node (default 50GB)"}}});
  s.groups.push_back(
      {"dispatch",
       {{"design", "flat (every rank asks rank 0) or leaders (one per node; default)"},
        {"group", "leaders: node leaders per upper leader, a further level (default 0: none)"},
        {"tasks", "task count (default 100 per rank; replay: the joblog's)"},
        {"chunk", "tasks a rank asks for at a time (default: fanout's, tasks / (ranks x 8))"},
        {"leader-chunk", "tasks a node leader asks for (default 2 x its ranks x chunk)"},
        {"low-water", "a leader asks again below this many (default its ranks x chunk)"},
        {"cost",
         "rank 0's dispatcher's time per message, request seen to reply sent (default 5us;"
         " fanout run prints the measured one: 'answered N chunk requests, T each')"},
        {"leader-cost", "a leader's time per message (default: --cost)"}}});
  s.groups.push_back({"task times",
                      {{"times", "constant (default), exponential, lognormal, pareto or replay"},
                       {"mean", "mean task time (default 10ms)"},
                       {"shape", "lognormal: sigma (default 1); pareto: alpha > 1 (default 1.5)"},
                       {"seed", "seed of the draws (default 1)"},
                       {"joblog",
                        "replay: a joblog (GNU parallel's format, as fanout farm writes); its "
                        "JobRuntime column, cycled"}}});
  s.groups.push_back({"output", {{"format", "text (default) or kv: one line of key=value"}}});
  return s;
}

}  // namespace

std::optional<SimOptions> parse_sim_options(const std::vector<std::string>& args,
                                            std::string& help) {
  static const CommandSchema schema = sim_schema();
  const std::optional<Options> options = parse_or_help(schema, args, help);
  if (!options) return std::nullopt;
  const OptionReader r = options->reader();
  SimOptions o;
  SimSpec& s = o.spec;
  r.integer("ranks", s.ranks, 1, 10'000'000);
  r.integer("cores-per-node", s.platform.cores, 1, 4096);
  r.duration("link-latency", s.platform.link_latency_s, true, 1.0);
  r.duration("local-latency", s.platform.local_latency_s, true, 1.0);
  std::uint64_t bw = static_cast<std::uint64_t>(s.platform.link_bandwidth_Bps);
  r.bytes("link-bandwidth", bw, 1, 1ull << 50);
  s.platform.link_bandwidth_Bps = static_cast<double>(bw);
  bw = static_cast<std::uint64_t>(s.platform.local_bandwidth_Bps);
  r.bytes("local-bandwidth", bw, 1, 1ull << 50);
  s.platform.local_bandwidth_Bps = static_cast<double>(bw);

  r.choice("design", s.design, {{"flat", Design::flat}, {"leaders", Design::leaders}});
  r.integer("group", s.group, 0, 1'000'000);
  constexpr std::int64_t kMaxTasks = std::int64_t{1} << 40;
  r.integer("tasks", s.tasks, 1, kMaxTasks);
  r.integer("chunk", s.chunk, 1, kMaxTasks);
  r.integer("leader-chunk", s.leader_chunk, 1, kMaxTasks);
  r.integer("low-water", s.low_water, 1, kMaxTasks);
  r.duration("cost", s.root_cost_s, true, 1.0);
  s.leader_cost_s = s.root_cost_s;
  r.duration("leader-cost", s.leader_cost_s, true, 1.0);
  if (s.design == Design::flat && r.has("group")) r.fail("group", "needs --design leaders");

  TaskTimeSpec& t = s.times;
  std::vector<std::pair<std::string, Distribution>> kinds;
  for (Distribution d : kDistributions) kinds.emplace_back(to_string(d), d);
  r.choice("times", t.kind, kinds);
  r.duration("mean", t.mean_s, false, 86400.0);
  r.path("joblog", t.joblog);
  r.integer("seed", t.seed, 0, std::numeric_limits<std::int64_t>::max());
  if (r.has("shape")) {
    r.fraction("shape", t.shape, 0, 100);
    const bool pareto = t.kind == Distribution::pareto;
    if (!pareto && t.kind != Distribution::lognormal)
      r.fail("shape", "only --times lognormal or pareto take a shape");
    if (pareto ? !(t.shape > 1) : !(t.shape > 0))
      r.fail("shape", pareto ? "must be above 1 (the mean is infinite at 1)" : "must be above 0");
  }
  if (t.kind == Distribution::replay && t.joblog.empty())
    r.fail("times", "replay needs --joblog FILE");
  if (t.kind != Distribution::replay && r.has("joblog"))
    r.fail("joblog", "only --times replay reads a joblog");
  if (t.kind == Distribution::replay && r.has("mean"))
    r.fail("mean", "--times replay takes its times from the joblog");

  r.choice("format", o.format, {{"text", OutputFormat::text}, {"kv", OutputFormat::kv}});
  return o;
}

}  // namespace fanout::sim
