// What a point's log and run document say about it.
#include "study/point_result.hpp"

#include <sstream>

#include "cli/input_file.hpp"
#include "launch/launcher_messages.hpp"
#include "launch/process.hpp"
#include "report/run_document.hpp"
#include "study/study_analysis.hpp"

namespace fanout {

std::string point_error(const std::string& log, int exit_code) {
  std::stringstream lines(log);
  std::string line, found;
  while (std::getline(lines, line)) {
    if (line.rfind("fanout: error: ", 0) == 0) found = line.substr(15);
  }
  if (found.empty()) found = launcher_fault(log);
  if (found.empty()) found = last_nonblank_line(log);
  return found.empty() ? "exited with status " + std::to_string(exit_code) + " and printed nothing"
                       : found;
}

void read_point_document(PointResult& p, const std::string& out_dir) {
  try {
    const RunDocument doc = read_run_document_file(out_dir + "/" + p.run_json);
    if (doc.runs.size() != 1) {
      throw std::runtime_error("run JSON should hold exactly one run, holds " +
                               std::to_string(doc.runs.size()));
    }
    const RunDocument::Run& run = doc.runs.front();
    if (run.walls_s.empty()) throw std::runtime_error("run JSON holds no repetition");
    p.tasks = run.tasks;
    p.walls_s = run.walls_s;
    p.failed_tasks = run.failed;
    p.hosts = run.hosts;
    p.run_warnings.clear();
    for (const auto& w : doc.warnings) p.run_warnings.push_back({w.kind, "", w.message});
    p.environment = doc.environment;
    summarize_point(p);
    p.ok = true;
  } catch (const std::exception& e) {
    p.ok = false;
    p.error = e.what();
  }
}

std::string read_text_file(const std::string& path) {
  // A point's log: what its run printed, errors and progress; never a FIFO or a device.
  constexpr std::uint64_t kMaxLogBytes = 64ull << 20;
  try {
    return read_input_file(path, kMaxLogBytes);
  } catch (const InputFileError&) {
    return "";
  }
}

}  // namespace fanout
