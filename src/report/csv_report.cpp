// Every task's Sample as one CSV row: the common core, then the kind's own fields.
#include "report/csv_report.hpp"

#include <charconv>
#include <cstdint>
#include <vector>

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

void append_integer(std::string& out, std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

}  // namespace

std::string csv_header(RecordFields fields) {
  std::string header = "run,model,rep,id,rank,host,thread,start_s,duration_s,status,error,attempts";
  for (const RecordField& f : fields) header += "," + std::string(f.name);
  return header + ",partial";
}

void append_csv_rows(std::string& out, const RunReport& report, std::size_t r, std::size_t k,
                     const Repetition& rep, std::span<const Sample> samples, bool partial) {
  // Millions of rows go through here: no string or lookup per field, only appends.
  const std::string model = csv_field(to_string(report.runs[r].model));
  std::vector<std::string> hosts(report.env.hosts.size());
  for (std::size_t i = 0; i < hosts.size(); ++i) hosts[i] = csv_field(report.env.hosts[i]);
  for (const auto& rs : rep.per_rank) {
    if (rs.rank < 0) continue;
    const auto at = static_cast<std::size_t>(rs.rank);
    if (at >= hosts.size()) hosts.resize(at + 1);
    hosts[at] = csv_field(rs.host);
  }
  const std::string_view tail = partial ? ",1\n" : ",0\n";
  const RecordFields fields = report.job.workload->records().fields;
  const std::string lead = std::to_string(r) + ',' + model + ',' + std::to_string(k) + ',';
  const std::string none;
  for (const Sample& s : samples) {
    out += lead;
    append_integer(out, static_cast<std::int64_t>(s.id));
    out += ',';
    append_integer(out, s.rank);
    out += ',';
    out += s.rank >= 0 && static_cast<std::size_t>(s.rank) < hosts.size()
               ? hosts[static_cast<std::size_t>(s.rank)]
               : none;
    out += ',';
    append_integer(out, s.worker);
    out += ',';
    append_general(out, s.start_s);
    out += ',';
    append_general(out, s.duration_s);
    if (s.ok()) {
      out += ",ok,";
    } else {
      out += ",failed,";
      out += to_string(s.error);
    }
    out += ',';
    append_integer(out, s.attempts);
    for (const RecordField& f : fields) {
      out += ',';
      if (f.integer) {
        append_integer(out, f.as_integer(s));
      } else {
        append_general(out, f.as_real(s), f.digits);
      }
    }
    out += tail;
  }
}

}  // namespace fanout
