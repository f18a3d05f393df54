// The status table of a submitted study.
#include "batch/status_command.hpp"

#include <filesystem>
#include <iostream>
#include <map>

#include "batch/manifest.hpp"
#include "batch/scheduler_client.hpp"
#include "batch/submit_options.hpp"
#include "cli/format.hpp"
#include "cli/text.hpp"
#include "report/run_document.hpp"
#include "report/text_table.hpp"

namespace fanout {
namespace {

namespace fs = std::filesystem;

/// What DIR holds of a point's result: "3 repetitions", "2 repetitions (incomplete)", "-".
std::string result_of(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "-";
  try {
    const RunDocument doc = read_run_document_file(path);
    if (doc.runs.empty()) return "unreadable";
    std::string out = plural(doc.runs.front().walls_s.size(), "repetition");
    if (doc.incomplete) out += " (incomplete)";
    return out;
  } catch (const std::exception&) {
    return "unreadable";
  }
}

std::string elapsed(const JobStatus& s) {
  return s.elapsed_s > 0 ? format_seconds(s.elapsed_s) : "-";
}

/// An exit code means something only once the job has ended.
std::string exit_of(const JobStatus& s) {
  return s.known && is_final_state(s.state) && s.exit_code >= 0 ? std::to_string(s.exit_code) : "-";
}

}  // namespace

int run_status(const std::string& dir, std::ostream& out) {
  const Manifest m = read_manifest(dir);
  const auto client = make_scheduler_client(m.spec.scheduler);
  using Align = TextTable::Align;
  TextTable table({{"point", Align::left},
                   {"job", Align::left},
                   {"state", Align::left},
                   {"elapsed"},
                   {"exit"},
                   {"result", Align::left},
                   {"reason", Align::left}});
  std::map<std::string, int> counts;
  for (const auto& p : m.points) {
    const JobStatus s = client->query(p.job_id);
    require_answer(*client, "status " + dir);
    const std::string state = s.known ? s.state : "UNKNOWN";
    ++counts[state];
    table.add_row({p.point.key(), p.job_id, state, elapsed(s), exit_of(s),
                   result_of((fs::path(dir) / p.run_json).string()), s.reason});
  }
  if (!m.collect_job_id.empty()) {
    const JobStatus s = client->query(m.collect_job_id);
    const bool report = fs::exists(fs::path(dir) / "study.json");
    table.add_row({"collect", m.collect_job_id, s.known ? s.state : "UNKNOWN", elapsed(s),
                   exit_of(s), report ? "study.json" : "-", s.reason});
  }
  out << "study in " << dir << ": " << m.points.size() << " points on " << client->name()
      << (m.spec.array ? " (job array " + m.array_job_id + ")" : "") << ", submitted "
      << m.submitted_at << "\n"
      << table.render() << "points by state:";
  for (const auto& [state, n] : counts) out << " " << state << " " << n;
  out << "\n";
  return 0;
}

}  // namespace fanout
