// A farm run's figures and details from its FarmTally.
#include "workload/shell/farm_summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "cli/format.hpp"
#include "workload/shell/shell_fields.hpp"

namespace fanout {

std::vector<Figure> farm_figures(const FigureInput& in) {
  using Unit = Figure::Unit;
  const FarmTally& t = tally_as<FarmTally>(in.median_tally);
  const auto ran = static_cast<double>(t.ran);
  const double skipped = std::max(0.0, static_cast<double>(in.tasks) - ran);
  const double wall = in.median_wall_s;
  const double nan = std::nan("");
  const double slots = std::max(1, in.workers);
  const double busy = t.busy_s;
  return {{"tasks_ok", "ok", static_cast<double>(t.ok), Unit::count},
          {"tasks_failed", "", static_cast<double>(t.failed), Unit::count},
          {"tasks_timed_out", "timed out", static_cast<double>(t.timed_out), Unit::count},
          {"tasks_stopped", "", static_cast<double>(t.stopped), Unit::count},
          {"tasks_skipped", "skipped", skipped, Unit::count},
          {"tasks_per_s", "tasks/s", wall > 0 ? ran / wall : nan, Unit::per_second},
          {"slot_utilisation", "slot use", wall > 0 ? busy / (slots * wall) : nan, Unit::fraction},
          {"sequential_speedup", "vs one by one", wall > 0 ? busy / wall : nan, Unit::ratio},
          {"task_cpu_fraction", "task cpu", t.task_cpu_fraction().value_or(nan), Unit::fraction},
          {"max_rss_kib", "", static_cast<double>(t.max_rss_kib), Unit::count}};
}

RunDetails farm_details(const FigureInput& in, const TaskList& list) {
  RunDetails d;
  const FarmTally& t = tally_as<FarmTally>(in.median_tally);
  if (t.ran == 0) return d;
  nlohmann::json slow = nlohmann::json::array();
  std::string line = "slowest:";
  for (const Sample& s : t.slowest) {
    const ShellFields f = shell_fields(s);
    const std::optional<TaskId> index = list.index_of(f.seq);
    const std::string command = index ? list.command(*index, s.worker + 1) : "";
    slow.push_back({{"seq", f.seq},
                    {"seconds", s.duration_s},
                    {"exit_code", f.exit_code},
                    {"signal", f.signal},
                    {"host", in.host_of(s.rank)},
                    {"command", command}});
    line += " task " + std::to_string(f.seq) + " " + format_seconds(s.duration_s) +
            (s.error == ErrorClass::none ? "" : " (" + std::string(to_string(s.error)) + ")") + ";";
  }
  line.pop_back();
  d.lines.push_back(line);

  std::map<std::string, FarmTally::RankCounts> per_host;
  for (const auto& [rank, c] : t.per_rank) {
    FarmTally::RankCounts& host = per_host[in.host_of(rank)];
    host.tasks += c.tasks;
    host.failed += c.failed;
  }
  nlohmann::json hosts = nlohmann::json::object();
  std::string counts = "per host:";
  for (const auto& [host, c] : per_host) {
    hosts[host] = {{"tasks", c.tasks}, {"failed", c.failed}};
    counts += " " + host + " " + std::to_string(c.tasks) +
              (c.failed ? " (" + std::to_string(c.failed) + " failed)" : "") + ",";
  }
  counts.pop_back();
  d.lines.push_back(counts);
  d.json = {{"slowest", slow}, {"per_host", hosts}};
  return d;
}

}  // namespace fanout
