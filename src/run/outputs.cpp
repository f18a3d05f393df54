// Output dispatch: which renderer goes to which destination.
#include "run/outputs.hpp"

#include "report/csv_report.hpp"
#include "report/run_document.hpp"
#include "report/table_report.hpp"
#include "report/trace_report.hpp"
#include "report/writer.hpp"

namespace fanout {

void check_outputs(const JobSpec& job) {
  if (!job.run.json_path.empty()) check_output_path(job.run.json_path, "--json");
  if (!job.run.csv_path.empty()) check_output_path(job.run.csv_path, "--csv");
  if (!job.run.trace_path.empty()) check_output_path(job.run.trace_path, "--trace");
}

void write_outputs(const RunReport& report) {
  const RunSpec& run = report.job.run;
  if (!run.json_path.empty()) write_file_atomically(run.json_path, render_json(report));
  if (!run.csv_path.empty()) write_file_atomically(run.csv_path, render_csv(report));
  if (!run.trace_path.empty()) write_file_atomically(run.trace_path, render_trace(report));
}

void print_report(const RunReport& report, std::ostream& out) { out << render_table(report); }

}  // namespace fanout
