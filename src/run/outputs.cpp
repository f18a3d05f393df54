// Output dispatch: which renderer goes to which destination.
#include "run/outputs.hpp"

#include <exception>

#include "report/csv_report.hpp"
#include "report/output_check.hpp"
#include "report/run_document.hpp"
#include "report/table_report.hpp"
#include "report/trace_report.hpp"
#include "report/writer.hpp"

namespace fanout {

void check_outputs(const JobSpec& job) {
  const std::vector<NamedPath> files{{job.run.json_path, "--json"},
                                     {job.run.csv_path, "--csv"},
                                     {job.run.trace_path, "--trace"}};
  for (const NamedPath& f : files) {
    if (!f.path.empty()) check_output_path(f.path, f.flag);
  }
  for (const NamedPath& d : job.workload->output_dirs()) check_output_dir(d.path, d.flag);
  std::vector<NamedPath> inputs{{job.source, "job file"}};
  for (const NamedPath& in : job.workload->input_files()) inputs.push_back(in);
  check_distinct_paths(files, inputs);
}

void write_outputs(const RunReport& report) {
  const RunSpec& run = report.job.run;
  std::exception_ptr first;
  const auto write = [&](const std::string& path, std::string (*render)(const RunReport&)) {
    if (path.empty()) return;
    try {
      write_file_atomically(path, render(report));
    } catch (const std::exception&) {
      if (!first) first = std::current_exception();
    }
  };
  write(run.json_path, render_json);
  write(run.csv_path, render_csv);
  write(run.trace_path, render_trace);
  if (first) std::rethrow_exception(first);
}

void print_report(const RunReport& report, std::ostream& out) { out << render_table(report); }

}  // namespace fanout
