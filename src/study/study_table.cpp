// Renders a StudyReport as text.
#include "study/study_table.hpp"

#include <cmath>
#include <cstdio>

#include "cli/format.hpp"
#include "report/table_report.hpp"
#include "report/text_table.hpp"
#include "study/study_analysis.hpp"

namespace fanout {
namespace {

using Align = TextTable::Align;

std::string fixed3(std::optional<double> v) {
  if (!v || std::isnan(*v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", *v);
  return buf;
}

std::string describe_base(const StudyReport& r) {
  if (!r.base_index) return "none: the 1 x 1 point did not succeed, so no speedup is shown";
  const PointResult& b = r.points[*r.base_index];
  return b.point.key() + " (" + to_string(b.point.model) + ", 1 rank x 1 thread, " +
         std::to_string(b.tasks) + " tasks): " + format_seconds(b.wall_s) + " median, 95 % CI " +
         format_seconds(b.wall_ci.lower) + " .. " + format_seconds(b.wall_ci.upper) +
         " (coverage " + format_percent(b.wall_ci.level) + ")";
}

std::string describe_env(const StudyReport& r) {
  const PointResult* source = r.base_index ? &r.points[*r.base_index] : nullptr;
  for (const auto& p : r.points) {
    if (!source && p.ok) source = &p;
  }
  std::string out = source ? "base run: " + describe_environment(source->environment) + "; " : "";
  return out + (r.batch ? "collected on " : "launched from ") + r.driver_host + " (" +
         std::to_string(r.driver_cores) + " cores)";
}

std::string render_points(const StudyReport& r) {
  const bool strong = r.spec.mode == ScaleMode::strong;
  std::vector<TextTable::Column> cols = {{"point", Align::left},
                                         {"ranks"},
                                         {"threads"},
                                         {"workers"},
                                         {"model", Align::left},
                                         {"tasks"},
                                         {"wall"},
                                         {"95 % CI", Align::left},
                                         {"cv"},
                                         {"speedup"},
                                         {"efficiency"}};
  if (strong) cols.push_back({"Karp-Flatt"});
  cols.push_back({"failed", Align::left});
  TextTable table(cols);
  for (const auto& p : r.points) {
    std::vector<std::string> row = {p.point.key(), std::to_string(p.point.ranks),
                                    std::to_string(p.point.threads),
                                    std::to_string(p.point.workers), to_string(p.point.model)};
    if (!p.launched || !p.ok) {
      row.push_back(p.tasks ? std::to_string(p.tasks) : "-");
      for (int i = strong ? 0 : 1; i < 6; ++i) row.push_back("-");
      row.push_back(p.launched ? "point failed (exit " + std::to_string(p.exit_code) + ")"
                               : "not run");
      table.add_row(std::move(row));
      continue;
    }
    row.push_back(std::to_string(p.tasks));
    row.push_back(format_seconds(p.wall_s));
    row.push_back(format_seconds(p.wall_ci.lower) + " .. " + format_seconds(p.wall_ci.upper));
    row.push_back(p.walls_s.size() > 1 ? format_percent(p.wall_cv) : "-");
    row.push_back(format_ratio(p.speedup));
    row.push_back(format_percent(p.efficiency));
    if (strong) row.push_back(fixed3(p.karp_flatt));
    row.push_back(p.failed_tasks ? std::to_string(p.failed_tasks) + " tasks" : "0");
    table.add_row(std::move(row));
  }
  return table.render();
}

std::string render_fit(const StudyReport& r) {
  if (!r.fit) return "fit: none (needs the base case and at least one more point that succeeded)\n";
  const LawFit& f = *r.fit;
  std::string out = std::string("fit: ") + (f.law == "amdahl" ? "Amdahl" : "Gustafson") +
                    ", serial fraction f = " + fixed3(f.serial_fraction) + " (" +
                    format_percent(f.serial_fraction) + "), R² = " + fixed3(f.r_squared) +
                    " over " + std::to_string(f.samples) + " points";
  if (f.law == "amdahl" && f.serial_fraction > 0) {
    out += "; speedup bound 1/f = " + format_ratio(1 / f.serial_fraction);
  }
  return out + "\n";
}

std::string render_stop(const StudyReport& r) {
  const std::string threshold = format_percent(r.spec.efficiency_threshold);
  if (r.stop_index) {
    const PointResult& s = r.points[*r.stop_index];
    return "stops paying off at p = " + std::to_string(s.point.workers) + " (" + s.point.key() +
           "): efficiency " + format_percent(s.efficiency) + " < " + threshold + "\n";
  }
  int largest = 0;
  for (const auto& p : r.points) {
    if (p.efficiency) largest = std::max(largest, p.point.workers);
  }
  if (largest <= 1) return "";
  return "efficiency stays at or above " + threshold + " up to p = " + std::to_string(largest) +
         " (the largest point measured)\n";
}

}  // namespace

std::string render_study_table(const StudyReport& r, const std::string& out_dir) {
  std::string out = "fanout " + r.command + ": job " + r.job.name;
  if (!r.job.source.empty()) out += " (" + r.job.source + ")";
  out += ", " + to_string(r.spec.mode) + " scaling";
  if (r.incomplete) {
    out += r.batch ? " [INCOMPLETE: some points have not run yet]" : " [INCOMPLETE: stopped early]";
  }
  out += "\n";
  TextTable header({{"", Align::left}, {"", Align::left}});
  header.add_row({"workload:", r.job.workload->describe(std::nullopt)});
  header.add_row({"scaling:", describe_work_scaling(r)});
  header.add_row({"base case:", describe_base(r)});
  header.add_row({"repetitions:", std::to_string(r.spec.repeat) + " per point"});
  header.add_row({"timing:",
                  "each point its own launch; wall = steady_clock from a common start "
                  "after a barrier to the last task's end, max over ranks; median of "
                  "the repetitions, distribution-free 95 % CI of the median"});
  header.add_row({"launch:", r.launch_template});
  if (r.batch) {
    const BatchInfo& b = *r.batch;
    std::string jobs = b.scheduler + (b.array ? " job array" : " jobs, one per point") +
                       ", time limit " + b.time_limit;
    if (!b.partition.empty()) jobs += ", partition " + b.partition;
    if (!b.account.empty()) jobs += ", account " + b.account;
    header.add_row({"batch:", jobs + "; submitted " + b.submitted_at});
  }
  header.add_row({"environment:", describe_env(r)});
  const std::string block = header.render();
  out += block.substr(block.find('\n') + 1);
  out += "\n" + render_points(r) + "\n" + render_fit(r) + render_stop(r);
  if (!r.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : r.warnings) out += "  - " + w.message + "\n";
  }
  out += "\nfiles in " + out_dir + ": study.json, study.csv, runs/ (one run document per point)";
  for (const auto& plot : r.plots) out += ", " + plot;
  return out + "\n";
}

}  // namespace fanout
