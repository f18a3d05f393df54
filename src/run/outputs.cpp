// Output dispatch: which file is written when, and by which renderer.
#include "run/outputs.hpp"

#include <exception>
#include <functional>

#include "report/output_check.hpp"
#include "report/run_document.hpp"
#include "report/table_report.hpp"
#include "report/writer.hpp"

namespace fanout {

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
  check_distinct_paths(files, inputs);
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
  if (first) std::rethrow_exception(first);
}

void print_report(const RunReport& report, std::ostream& out) { out << render_table(report); }

}  // namespace fanout
