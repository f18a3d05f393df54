// Every task's Sample as one CSV row: the common core, then the kind's own fields.
#include "report/csv_report.hpp"

#include <cstdio>
#include <map>

#include "cli/format.hpp"

namespace fanout {

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

std::string field_value(const RecordField& f, const Sample& s) {
  if (f.integer) return std::to_string(f.as_integer(s));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", f.digits, f.as_real(s));
  return buf;
}

}  // namespace

std::string csv_header(RecordFields fields) {
  std::string header = "run,model,rep,id,rank,host,thread,start_s,duration_s,status,error,attempts";
  for (const RecordField& f : fields) header += "," + std::string(f.name);
  return header + ",partial";
}

void append_csv_rows(std::string& out, const RunReport& report, std::size_t r, std::size_t k,
                     const Repetition& rep, std::span<const Sample> samples, bool partial) {
  const std::string model = csv_field(to_string(report.runs[r].model));
  std::map<int, std::string> hosts;
  for (std::size_t i = 0; i < report.env.hosts.size(); ++i) {
    hosts[static_cast<int>(i)] = csv_field(report.env.hosts[i]);
  }
  for (const auto& rs : rep.per_rank) hosts[rs.rank] = csv_field(rs.host);
  const char* tail = partial ? ",1\n" : ",0\n";
  const RecordFields fields = report.job.workload->record_fields();
  const std::string lead = std::to_string(r) + ',' + model + ',' + std::to_string(k) + ',';
  for (const Sample& s : samples) {
    out += lead;
    out += std::to_string(s.id);
    out += ',';
    out += std::to_string(s.rank);
    out += ',';
    out += hosts[s.rank];
    out += ',';
    out += std::to_string(s.worker);
    out += ',';
    out += format_exact(s.start_s);
    out += ',';
    out += format_exact(s.duration_s);
    out += ',';
    out += s.ok() ? "ok," : "failed," + std::string(to_string(s.error));
    out += ',';
    out += std::to_string(s.attempts);
    for (const RecordField& f : fields) {
      out += ',';
      out += field_value(f, s);
    }
    out += tail;
  }
}

std::string render_csv(const RunReport& report) {
  std::string out = csv_header(report.job.workload->record_fields()) + "\n";
  for (std::size_t r = 0; r < report.runs.size(); ++r) {
    const ModelRun& run = report.runs[r];
    for (std::size_t k = 0; k < run.reps.size(); ++k) {
      append_csv_rows(out, report, r, k, run.reps[k], run.reps[k].samples, false);
    }
    if (run.partial) append_csv_rows(out, report, r, run.reps.size(), *run.partial, run.partial->samples, true);
  }
  return out;
}

}  // namespace fanout
