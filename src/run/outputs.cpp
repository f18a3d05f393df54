// Output dispatch: which file is written when, and by which renderer.
#include "run/outputs.hpp"

#include <exception>
#include <filesystem>
#include <functional>

#include "launch/process.hpp"
#include "report/output_check.hpp"
#include "report/run_document.hpp"
#include "report/summary.hpp"
#include "report/table_report.hpp"
#include "report/writer.hpp"

namespace fanout {
namespace {

/// A model's folder of a kind's output directory: DIR/MODEL.
std::string model_dir(const std::string& dir, Model model) { return dir + "/" + to_string(model); }

/// The kind writes files of its own: only then is the summary made for them.
bool writes_files(const RunReport& report) {
  return report.job.workload && !report.job.workload->files().outputs.empty();
}

}  // namespace

void check_outputs(const JobSpec& job) {
  const std::vector<NamedPath> files{
      {job.run.json_path, "--json"}, {job.run.csv_path, "--csv"}, {job.run.trace_path, "--trace"}};
  for (const NamedPath& f : files) {
    if (!f.path.empty()) check_output_path(f.path, f.flag);
  }
  const KindFiles kind = job.workload->files();
  for (const NamedPath& d : kind.output_dirs) check_output_dir(d.path, d.flag);
  std::vector<NamedPath> inputs{{job.source, "job file"}};
  inputs.insert(inputs.end(), kind.inputs.begin(), kind.inputs.end());
  std::vector<NamedPath> outputs = files;
  outputs.insert(outputs.end(), kind.outputs.begin(), kind.outputs.end());
  check_distinct_paths(outputs, inputs);
}

void write_outputs(const RunReport& report, RecordFiles& records, OutputPoint when) {
  const RunSpec& run = report.job.run;
  std::exception_ptr first;
  const auto attempt = [&](const std::string& path, const std::function<void()>& write) {
    if (path.empty()) return;
    try {
      write();
    } catch (const std::exception&) {
      if (!first) first = std::current_exception();
    }
  };
  attempt(run.json_path, [&] { write_file_atomically(run.json_path, render_json(report)); });
  if (when == OutputPoint::stop) attempt(run.csv_path, [&] { records.copy_csv_so_far(report); });
  if (when == OutputPoint::end) attempt(run.csv_path, [&] { records.publish_csv(report); });
  attempt(run.trace_path, [&] { records.publish_trace(report); });
  // The kind's own files (io.hgrm's), rendered with each run's summary, a folder per model.
  const ReportSummary sum = writes_files(report) ? summarize(report) : ReportSummary{};
  for (std::size_t i = 0; i < sum.runs.size() && i < report.runs.size(); ++i) {
    for (const RunDetails::Output& o : sum.runs[i].details.outputs) {
      const std::string dir = model_dir(o.dir, report.runs[i].model);
      attempt(dir, [&] {
        // check_output_dir made sure o.dir can be made, one level deep; the model's folder in it.
        std::error_code ignored;
        std::filesystem::create_directory(o.dir, ignored);
        std::filesystem::create_directory(dir, ignored);
        write_file_atomically(dir + "/" + o.name, o.text);
      });
    }
  }
  if (first) std::rethrow_exception(first);
}

std::vector<std::string> draw_plots(const RunReport& report) {
  if (!writes_files(report)) return {};
  std::vector<std::string> scripts;
  const ReportSummary sum = summarize(report);
  for (std::size_t i = 0; i < sum.runs.size() && i < report.runs.size(); ++i) {
    const RunDetails& d = sum.runs[i].details;
    if (d.plots.empty() || d.outputs.empty()) continue;
    const std::string dir = model_dir(d.outputs.front().dir, report.runs[i].model);
    for (const std::string& name : d.plots) scripts.push_back(dir + "/" + name);
  }
  if (scripts.empty()) return {};
  const std::string gnuplot = find_on_path("gnuplot");
  if (gnuplot.empty()) {
    return {"gnuplot not found on PATH: plots not drawn (run 'gnuplot NAME.gp' beside " +
            scripts.front() + " and the others)"};
  }
  std::vector<std::string> problems;
  for (const std::string& script : scripts) {
    const std::string name = std::filesystem::path(script).filename().string();
    const ProcessResult run = run_process({gnuplot, name}, "", directory_of(script));
    if (!run.started || run.exit_code != 0) {
      problems.push_back("gnuplot " + script + " failed" +
                         (run.started ? " (exit " + std::to_string(run.exit_code) + ")" : "") +
                         ": " + (run.started ? last_nonblank_line(run.output) : run.error));
    }
  }
  return problems;
}

void print_report(const RunReport& report, std::ostream& out) { out << render_table(report); }

}  // namespace fanout
