// Rendering of SimResult; no I/O here.
#include "sim/sim_report.hpp"

#include <sstream>

#include "cli/format.hpp"

namespace fanout::sim {

namespace {

const char* design_name(Design d) { return d == Design::flat ? "flat" : "leaders"; }

}  // namespace

std::string render_text(const SimSpec& spec, const SimResult& r) {
  std::ostringstream s;
  s << "simulated: " << r.ranks << " ranks on " << r.nodes << " nodes of " << spec.platform.cores
    << " cores, " << design_name(spec.design);
  if (r.leaders > 0) s << " (" << r.leaders << " leaders)";
  s << ", " << r.tasks << " tasks (" << to_string(spec.times.kind);
  if (spec.times.kind != Distribution::replay) s << ", mean " << format_seconds(spec.times.mean_s);
  s << "), chunk " << r.chunk << ", " << format_seconds(spec.root_cost_s)
    << " per message at rank 0\n";
  s << "makespan    " << format_seconds(r.makespan_s) << " (task time " << format_seconds(r.task_s)
    << ")\n";
  s << "efficiency  " << format_percent(r.efficiency) << " (the tasks allow "
    << format_percent(r.makespan_s > 0 ? r.efficiency * r.makespan_s / r.bound_s : 0)
    << ": the longest is " << format_seconds(r.longest_task_s) << ")\n";
  s << "rank 0      " << format_number(r.root.messages_per_s) << " messages/s, busy "
    << format_percent(r.root.busy_share) << "\n";
  if (r.leaders > 0) {
    s << "leaders     busiest " << format_number(r.busiest_leader.messages_per_s)
      << " messages/s, busy " << format_percent(r.busiest_leader.busy_share) << " (mean "
      << format_percent(r.leader_busy_share_mean) << ")\n";
  }
  s << "tasks       " << r.ran << " run, " << r.duplicates << " twice, " << r.missed << " never\n";
  s << "simulator   " << format_seconds(r.real_s) << " real, peak RSS "
    << format_bytes(r.peak_rss_bytes) << "\n";
  return s.str();
}

std::string render_kv(const SimSpec& spec, const SimResult& r) {
  std::ostringstream s;
  s.precision(6);
  s << "ranks=" << r.ranks << " nodes=" << r.nodes << " design=" << design_name(spec.design)
    << " leaders=" << r.leaders << " tasks=" << r.tasks << " chunk=" << r.chunk
    << " times=" << to_string(spec.times.kind) << " ran=" << r.ran << " duplicates=" << r.duplicates
    << " missed=" << r.missed << " abandoned=" << r.abandoned << " task_s=" << r.task_s
    << " makespan_s=" << r.makespan_s << " efficiency=" << r.efficiency
    << " longest_task_s=" << r.longest_task_s << " bound_s=" << r.bound_s
    << " root_msgs_per_s=" << r.root.messages_per_s << " root_busy=" << r.root.busy_share
    << " leader_msgs_per_s=" << r.busiest_leader.messages_per_s
    << " leader_busy=" << r.busiest_leader.busy_share
    << " leader_busy_mean=" << r.leader_busy_share_mean << " unfinished=" << r.unfinished
    << " real_s=" << r.real_s << " rss_bytes=" << r.peak_rss_bytes << "\n";
  return s.str();
}

std::string protocol_failure(const SimResult& r) {
  std::ostringstream s;
  if (r.unfinished > 0)
    s << r.unfinished << " actors were still waiting when no message was left (a deadlock); ";
  if (r.duplicates > 0) s << r.duplicates << " task runs were repeats; ";
  if (r.missed > r.abandoned) s << r.missed << " tasks never ran; ";
  std::string out = s.str();
  if (!out.empty()) out.resize(out.size() - 2);
  return out;
}

}  // namespace fanout::sim
