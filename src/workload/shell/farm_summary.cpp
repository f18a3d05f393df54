// Counting and ranking a farm run's samples.
#include "workload/shell/farm_summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "cli/format.hpp"
#include "workload/shell/shell_fields.hpp"

namespace fanout {
namespace {

constexpr std::size_t kSlowest = 5;

bool failed_run(ErrorClass e) {
  return e == ErrorClass::exit_status || e == ErrorClass::signaled || e == ErrorClass::not_started;
}

std::string host_of(const FigureInput& in, const Sample& s) {
  return s.rank >= 0 && static_cast<std::size_t>(s.rank) < in.hosts.size()
             ? in.hosts[static_cast<std::size_t>(s.rank)]
             : "rank " + std::to_string(s.rank);
}

}  // namespace

std::optional<double> farm_cpu_fraction(const std::vector<Sample>& samples) {
  double cpu = 0, wall = 0;
  for (const Sample& s : samples) {
    const ShellFields f = shell_fields(s);
    cpu += static_cast<double>(f.user_s) + static_cast<double>(f.sys_s);
    wall += s.duration_s;
  }
  if (samples.empty() || wall <= 0) return std::nullopt;
  return cpu / wall;
}

std::vector<Figure> farm_figures(const FigureInput& in) {
  using Unit = Figure::Unit;
  double ok = 0, failed = 0, timed_out = 0, stopped = 0, busy = 0, rss = 0;
  for (const Sample& s : in.median_samples) {
    if (s.error == ErrorClass::none) ++ok;
    if (failed_run(s.error)) ++failed;
    if (s.error == ErrorClass::timeout) ++timed_out;
    if (s.error == ErrorClass::stopped) ++stopped;
    busy += s.duration_s;
    rss = std::max(rss, static_cast<double>(shell_fields(s).max_rss_kib));
  }
  const double ran = static_cast<double>(in.median_samples.size());
  const double skipped = std::max(0.0, static_cast<double>(in.tasks) - ran);
  const double wall = in.median_wall_s;
  const double nan = std::nan("");
  const double slots = std::max(1, in.workers);
  return {{"tasks_ok", "ok", ok, Unit::count},
          {"tasks_failed", "", failed, Unit::count},
          {"tasks_timed_out", "timed out", timed_out, Unit::count},
          {"tasks_stopped", "", stopped, Unit::count},
          {"tasks_skipped", "skipped", skipped, Unit::count},
          {"tasks_per_s", "tasks/s", wall > 0 ? ran / wall : nan, Unit::per_second},
          {"slot_utilisation", "slot use", wall > 0 ? busy / (slots * wall) : nan, Unit::fraction},
          {"sequential_speedup", "vs one by one", wall > 0 ? busy / wall : nan, Unit::ratio},
          {"task_cpu_fraction", "task cpu", farm_cpu_fraction(in.median_samples).value_or(nan),
           Unit::fraction},
          {"max_rss_kib", "", rss, Unit::count}};
}

RunDetails farm_details(const FigureInput& in, const TaskList& list) {
  RunDetails d;
  if (in.median_samples.empty()) return d;
  std::vector<const Sample*> slowest;
  for (const Sample& s : in.median_samples) slowest.push_back(&s);
  const std::size_t n = std::min(kSlowest, slowest.size());
  std::partial_sort(slowest.begin(), slowest.begin() + static_cast<std::ptrdiff_t>(n), slowest.end(),
                    [](const Sample* a, const Sample* b) { return a->duration_s > b->duration_s; });
  slowest.resize(n);
  nlohmann::json slow = nlohmann::json::array();
  std::string line = "slowest:";
  for (const Sample* s : slowest) {
    const ShellFields f = shell_fields(*s);
    const std::optional<TaskId> index = list.index_of(f.seq);
    const std::string command = index ? list.command(*index, s->worker + 1) : "";
    slow.push_back({{"seq", f.seq},
                    {"seconds", s->duration_s},
                    {"exit_code", f.exit_code},
                    {"signal", f.signal},
                    {"host", host_of(in, *s)},
                    {"command", command}});
    line += " task " + std::to_string(f.seq) + " " + format_seconds(s->duration_s) +
            (s->error == ErrorClass::none ? "" : " (" + std::string(to_string(s->error)) + ")") + ";";
  }
  line.pop_back();
  d.lines.push_back(line);

  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> per_host;  // tasks, failed
  for (const Sample& s : in.median_samples) {
    auto& [tasks, failed] = per_host[host_of(in, s)];
    ++tasks;
    if (!s.ok()) ++failed;
  }
  nlohmann::json hosts = nlohmann::json::object();
  std::string counts = "per host:";
  for (const auto& [host, c] : per_host) {
    hosts[host] = {{"tasks", c.first}, {"failed", c.second}};
    counts += " " + host + " " + std::to_string(c.first) + (c.second ? " (" + std::to_string(c.second) + " failed)" : "") + ",";
  }
  counts.pop_back();
  d.lines.push_back(counts);
  d.json = {{"slowest", slow}, {"per_host", hosts}};
  return d;
}

}  // namespace fanout
