// Renders a RunReport as the text table fanout prints on stdout.
#include "report/table_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "cli/format.hpp"
#include "cli/text.hpp"
#include "report/summary.hpp"
#include "report/text_table.hpp"

namespace fanout {

namespace {

using Align = TextTable::Align;

std::string describe_base(const std::optional<BaseCase>& base) {
  if (!base) return "none (no serial run to compare with: speedup and efficiency not shown)";
  std::string out = to_string(base->model) + ", " + format_seconds(base->wall_s);
  if (base->measured) return out + " (median of " + plural(base->repetitions, "repetition") + ")";
  return out + " (given, not measured in this invocation)";
}

std::string describe_repetitions(const RunReport& report) {
  std::size_t lo = 0, hi = 0;
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    const std::size_t n = report.runs[i].reps.size();
    lo = i == 0 ? n : std::min(lo, n);
    hi = std::max(hi, n);
  }
  const std::string per = report.runs.size() > 1 ? " per model" : "";
  if (lo == hi) return std::to_string(hi) + per;
  return std::to_string(lo) + " to " + std::to_string(hi) + per;
}

std::string failed_cell(const RunSummary& s) {
  if (s.failed == 0) return "0";
  return std::to_string(s.failed) + "/" + std::to_string(s.task_runs);
}

std::string format_figure(const Figure& f) {
  switch (f.unit) {
    case Figure::Unit::count:
      return std::isnan(f.value) ? "-" : format_exact(f.value);
    case Figure::Unit::per_second:
      return format_rate(f.value);
    case Figure::Unit::megabytes_per_second:
      return format_fixed2(f.value / 1e6);
    case Figure::Unit::gigabytes_per_second:
      return format_fixed2(f.value);
    case Figure::Unit::seconds:
      return format_seconds(f.value);
    case Figure::Unit::fraction:
      return std::isnan(f.value) ? "-" : format_percent(f.value);
    case Figure::Unit::ratio:
      return std::isnan(f.value) ? "-" : format_ratio(f.value);
  }
  return "-";
}

std::string render_runs(const RunReport& report, const ReportSummary& sum) {
  // The kind's columns, named by the figures of the first run that has them.
  std::vector<std::string> extra;
  for (const RunSummary& s : sum.runs) {
    if (s.figures.empty()) continue;
    for (const Figure& f : s.figures) {
      if (!f.column.empty()) extra.push_back(f.column);
    }
    break;
  }
  const bool repeated = std::any_of(sum.runs.begin(), sum.runs.end(),
                                    [](const RunSummary& s) { return s.walls_s.size() > 1; });
  std::vector<TextTable::Column> cols = {{"model", Align::left}, {"ranks"}, {"workers"}, {"wall"}};
  if (repeated) cols.push_back({"±cv"});
  for (const char* h :
       {"speedup", "efficiency", "imbalance", "task p50", "p90", "p99", "max", "failed"}) {
    cols.push_back({h});
  }
  for (const std::string& h : extra) cols.push_back({h});
  TextTable table(cols);
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    const ModelRun& run = report.runs[i];
    const RunSummary& s = sum.runs[i];
    std::vector<std::string> row = {to_string(run.model), std::to_string(run.ranks),
                                    std::to_string(run.workers_per_rank), format_seconds(s.wall_s)};
    if (repeated) row.push_back(s.walls_s.size() > 1 ? format_percent(s.wall_cv) : "");
    row.push_back(format_ratio(s.speedup));
    row.push_back(format_percent(s.efficiency));
    row.push_back(format_fixed2(s.imbalance));
    for (double v :
         {s.task_duration.median, s.task_duration.p90, s.task_duration.p99, s.task_duration.max}) {
      row.push_back(format_seconds(v));
    }
    row.push_back(failed_cell(s));
    std::size_t added = 0;
    for (const Figure& f : s.figures) {
      if (f.column.empty() || added == extra.size()) continue;
      row.push_back(format_figure(f));
      ++added;
    }
    for (; added < extra.size(); ++added) row.push_back("-");
    table.add_row(std::move(row));
  }
  return table.render();
}

std::string render_per_rank(const RunReport& report, const ReportSummary& sum) {
  std::string out;
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    const ModelRun& run = report.runs[i];
    const bool cut = sum.runs[i].from_cut_run;
    if (run.reps.empty() && !cut) continue;
    const std::size_t m = sum.runs[i].median_rep;
    const Repetition& rep = cut ? *run.partial : run.reps[m];
    out += "\nper rank, " + to_string(run.model);
    if (cut) out += " (the repetition the stop cut)";
    if (run.reps.size() > 1) {
      out += " (repetition " + std::to_string(m + 1) + " of " + std::to_string(run.reps.size()) +
             ", the median)";
    }
    out += ":\n";
    TextTable table({{"rank"},
                     {"host", Align::left},
                     {"workers"},
                     {"tasks"},
                     {"failed"},
                     {"busy"},
                     {"idle"},
                     {"wall"},
                     {"cpu user"},
                     {"cpu sys"}});
    for (const auto& r : rep.per_rank) {
      table.add_row({std::to_string(r.rank), r.host, std::to_string(r.workers),
                     std::to_string(r.tasks), std::to_string(r.failed), format_seconds(r.busy_s),
                     format_seconds(r.idle_s), format_seconds(r.wall_s),
                     format_seconds(r.cpu_user_s), format_seconds(r.cpu_sys_s)});
    }
    out += table.render("  ");
  }
  return out;
}

/// Rank 0's dispatcher of each dynamic run across ranks: what it answered, what it can feed.
std::string render_dispatch(const RunReport& report, const ReportSummary& sum) {
  std::string out;
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    const RunSummary& s = sum.runs[i];
    if (!s.dispatch) continue;
    const ModelRun& run = report.runs[i];
    out += "\n" + to_string(run.model) + ", dynamic: rank 0 " + dispatch_line(*s.dispatch, run, s) +
           " at this task length\n";
  }
  return out;
}

/// The kind's lines about each run (Workload::summarise), e.g. the farm's slowest tasks.
std::string render_details(const RunReport& report, const ReportSummary& sum) {
  std::string out;
  for (std::size_t i = 0; i < report.runs.size(); ++i) {
    const RunSummary& s = sum.runs[i];
    if (s.details.lines.empty()) continue;
    const ModelRun& run = report.runs[i];
    out += "\n" + to_string(run.model) + " (" + std::to_string(run.workers_per_rank) + " " +
           worker_noun(report.job.workload->placement(), run.model) + " per rank):\n";
    for (const std::string& line : s.details.lines) out += "  " + line + "\n";
  }
  return out;
}

std::string render_recommendation(const Recommendation& rec) {
  std::string out = "\nrecommendation: " + to_string(rec.model) + ", " + format_ratio(rec.speedup) +
                    " vs serial\n";
  out += "  workload: " + rec.bound + (rec.bound == "mixed" ? " CPU and waiting" : "-bound") +
         " (" + rec.measured_by + ": CPU time " + format_percent(rec.cpu_fraction) + " of wall)\n";
  if (!rec.why.empty()) out += "  why: " + rec.why + "\n";
  return out;
}

}  // namespace

std::string describe_workload(const RunReport& report) {
  const std::uint64_t tasks = report.runs.empty() ? 0 : report.runs.front().tasks;
  return report.job.workload->describe(tasks);
}

std::string describe_environment(const Environment& env) {
  std::map<std::string, int> per_host;
  std::vector<std::string> order;
  for (const auto& h : env.hosts) {
    if (per_host[h]++ == 0) order.push_back(h);
  }
  std::string hosts;
  for (const auto& h : order) {
    if (!hosts.empty()) hosts += ", ";
    hosts += h + (per_host[h] > 1 ? " x" + std::to_string(per_host[h]) : "");
  }
  std::string out = plural(static_cast<std::uint64_t>(env.world_size), "rank") + " on " +
                    plural(static_cast<std::uint64_t>(env.nodes), "node");
  if (!hosts.empty()) out += " (" + hosts + ")";
  if (env.cores_per_node > 0) out += ", " + std::to_string(env.cores_per_node) + " cores per node";
  if (env.cores_available > 0) {
    out += ", " + std::to_string(env.cores_available) + " available to rank 0";
  }
  for (const std::string* part : {&env.binding, &env.mpi_library, &env.compiler}) {
    if (!part->empty()) out += "; " + *part;
  }
  if (!env.openmp.empty()) out += "; OpenMP: " + env.openmp;
  if (!env.allocation.empty()) out += "; in " + env.allocation;
  return out;
}

std::string render_table(const RunReport& report) {
  const ReportSummary sum = summarize(report);
  std::string out = "fanout " + report.command + ": job " + report.job.name;
  if (!report.job.source.empty()) out += " (" + report.job.source + ")";
  if (report.incomplete) {
    if (!report.stopped_by.empty()) {
      out += " [INCOMPLETE: stopped by " + report.stopped_by + "]";
    } else {
      out += report.ended_by_error.empty() ? " [INCOMPLETE: stopped early]"
                                           : " [INCOMPLETE: ended by an error]";
    }
  }
  out += "\n";
  TextTable header({{"", Align::left}, {"", Align::left}});
  header.add_row({"workload:", describe_workload(report)});
  header.add_row({"base case:", describe_base(sum.base)});
  header.add_row({"repetitions:", describe_repetitions(report)});
  header.add_row({"timing:",
                  "steady_clock; wall = start after a barrier to the last task's end, max "
                  "over ranks; median of repetitions, ±cv = stddev/mean"});
  header.add_row({"environment:", describe_environment(report.env)});
  const std::string block = header.render();
  out += block.substr(block.find('\n') + 1);  // drop the empty header line
  out += "\n" + render_runs(report, sum);
  if (report.command == "run") {
    out +=
        render_per_rank(report, sum) + render_dispatch(report, sum) + render_details(report, sum);
  }
  if (!sum.warnings.empty()) {
    out += "\nwarnings:\n";
    for (const auto& w : sum.warnings) out += "  - " + w.message + "\n";
  }
  if (report.recommendation) out += render_recommendation(*report.recommendation);
  return out;
}

}  // namespace fanout
