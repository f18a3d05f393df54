// LOGS/runs: a start and an end line per run of a farm, key=value fields, and their reader.
#include "workload/shell/farm_run_log.hpp"

#include <charconv>
#include <cstdio>
#include <map>

#include "cli/text.hpp"
#include "launch/stop_request.hpp"
#include "workload/shell/start_journal.hpp"

namespace fanout {
namespace {

std::string escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += c;
    }
  }
  return out;
}

std::string unescape(std::string_view v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '\\' || i + 1 == v.size()) {
      out += v[i];
      continue;
    }
    const char c = v[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c;
  }
  return out;
}

std::string epoch_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

/// The fields of a line after its first word, as a map; false for a field without '='.
bool fields_of(const std::vector<std::string>& words, std::map<std::string, std::string>& out) {
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto eq = words[i].find('=');
    if (eq == std::string::npos) return false;
    out[words[i].substr(0, eq)] = unescape(std::string_view(words[i]).substr(eq + 1));
  }
  return true;
}

template <typename T>
T number_or(const std::map<std::string, std::string>& f, const char* key, T fallback) {
  const auto it = f.find(key);
  if (it == f.end()) return fallback;
  T v{};
  const auto [end, ec] =
      std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  return ec == std::errc() && end == it->second.data() + it->second.size() ? v : fallback;
}

std::string text_or(const std::map<std::string, std::string>& f, const char* key) {
  const auto it = f.find(key);
  return it == f.end() ? "" : it->second;
}

}  // namespace

std::string farm_run_log_path(const std::string& logs_dir) { return logs_dir + "/runs"; }

std::string end_how(StopReason reason, bool launcher_gone) {
  if (launcher_gone) return "launcher gone";
  switch (reason.kind()) {
    case StopReason::Kind::none:
      return "complete";
    case StopReason::Kind::walltime:
      return "walltime";
    case StopReason::Kind::halt_soon:
      return "halt";
    case StopReason::Kind::halt_now:
      return "halt now";
    case StopReason::Kind::signal:
      return signal_name(reason.signal_number());
  }
  return "complete";
}

std::string run_start_line(const FarmRunStart& s) {
  std::string line = "start\tat=" + epoch_text(s.epoch_s) + "\tpid=" + std::to_string(s.pid) +
                     "\thost=" + escape(s.host) + "\tranks=" + std::to_string(s.ranks);
  if (!s.tasks_file.empty()) line += "\ttasks=" + escape(s.tasks_file);
  if (!s.command.empty()) line += "\tcommand=" + escape(s.command);
  if (!s.inputs_file.empty()) line += "\tinputs=" + escape(s.inputs_file);
  line += "\tcount=" + std::to_string(s.count) + "\tlist=" + std::to_string(s.list_size) +
          "\tplanned=" + std::to_string(s.planned) + "\tjoblog=" + escape(s.joblog) +
          "\tresume=" + (s.resume ? "1" : "0") +
          "\tresume_failed=" + (s.resume_failed ? "1" : "0") + "\toutput=" + escape(s.output) +
          "\n";
  return line;
}

std::string run_end_line(const FarmRunEnd& e) {
  return "end\tat=" + epoch_text(e.epoch_s) + "\thow=" + escape(e.how) +
         "\tdone=" + std::to_string(e.done) + "\tfailed=" + std::to_string(e.failed) + "\n";
}

FarmRunLog::FarmRunLog(const std::string& logs_dir)
    : log_((cut_torn_line(farm_run_log_path(logs_dir)), farm_run_log_path(logs_dir)),
           "--shell.logs", "") {}

std::vector<FarmRun> read_farm_runs(const std::string& logs_dir) {
  std::vector<FarmRun> runs;
  read_complete_lines(farm_run_log_path(logs_dir), "--shell.logs",
                      [&](const std::string& line, std::uint64_t) {
                        const std::vector<std::string> words = split(line, '\t');
                        std::map<std::string, std::string> f;
                        if (words.empty() || !fields_of(words, f) || !f.count("at")) return;
                        const double at = std::strtod(f["at"].c_str(), nullptr);
                        if (words[0] == "start") {
                          FarmRun r;
                          FarmRunStart& s = r.start;
                          s.epoch_s = at;
                          s.pid = number_or<long>(f, "pid", 0);
                          s.host = text_or(f, "host");
                          s.ranks = number_or<int>(f, "ranks", 1);
                          s.tasks_file = text_or(f, "tasks");
                          s.command = text_or(f, "command");
                          s.inputs_file = text_or(f, "inputs");
                          s.count = number_or<std::uint64_t>(f, "count", 0);
                          s.list_size = number_or<std::uint64_t>(f, "list", 0);
                          s.planned = number_or<std::uint64_t>(f, "planned", 0);
                          s.joblog = text_or(f, "joblog");
                          s.resume = text_or(f, "resume") == "1";
                          s.resume_failed = text_or(f, "resume_failed") == "1";
                          s.output = text_or(f, "output");
                          runs.push_back(std::move(r));
                        } else if (words[0] == "end" && !runs.empty() && !runs.back().end) {
                          FarmRunEnd e;
                          e.epoch_s = at;
                          e.how = text_or(f, "how");
                          e.done = number_or<std::uint64_t>(f, "done", 0);
                          e.failed = number_or<std::uint64_t>(f, "failed", 0);
                          runs.back().end = e;
                        }
                      });
  return runs;
}

}  // namespace fanout
