// Reading the schedulers' words about jobs.
#include "batch/job_status.hpp"

#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>

#include "launch/allocation.hpp"

namespace fanout {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

bool is_final_state(const std::string& state) {
  static const std::set<std::string> kFinal = {
      "COMPLETED",     "FAILED",    "TIMEOUT",   "CANCELLED", "NODE_FAIL",
      "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE",  "FINISHED"};
  return kFinal.count(state) > 0;
}

std::optional<std::string> parse_submitted_id(const std::string& output, bool pbs) {
  std::istringstream lines(output);
  std::string line;
  std::optional<std::string> id;
  while (std::getline(lines, line)) {
    line = trim(line);
    if (pbs) {
      // "1234.server" or "1234[].server": digits first, then the rest of the word.
      if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])) &&
          line.find(' ') == std::string::npos) {
        id = line;
      }
    } else {
      const std::string first = line.substr(0, line.find(';'));
      if (all_digits(first)) id = first;
    }
  }
  return id;
}

std::map<std::string, std::string> parse_key_values(const std::string& line) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    const auto eq = line.find('=', pos);
    if (eq == std::string::npos) break;
    const std::string key = line.substr(pos, eq - pos);
    // The value ends where the next " Key=" begins (a word without spaces, then '=').
    std::size_t end = eq + 1;
    while (true) {
      const auto space = line.find(' ', end);
      if (space == std::string::npos) {
        end = line.size();
        break;
      }
      const auto next_eq = line.find('=', space + 1);
      const auto next_space = line.find(' ', space + 1);
      if (next_eq != std::string::npos &&
          (next_space == std::string::npos || next_eq < next_space)) {
        end = space;
        break;
      }
      end = space + 1;
    }
    out[key] = line.substr(eq + 1, end - eq - 1);
    pos = end;
  }
  return out;
}

double parse_elapsed(const std::string& text) {
  std::string t = trim(text);
  double days = 0;
  if (const auto dash = t.find('-'); dash != std::string::npos) {
    if (!all_digits(t.substr(0, dash))) return -1;
    days = std::atof(t.substr(0, dash).c_str());
    t = t.substr(dash + 1);
  }
  double total = 0;
  int fields = 0;
  std::istringstream parts(t);
  std::string part;
  while (std::getline(parts, part, ':')) {
    if (!all_digits(part)) return -1;
    total = total * 60 + std::atof(part.c_str());
    ++fields;
  }
  if (fields < 2 || fields > 3) return -1;
  return total + days * 86400;
}

JobStatus parse_scontrol_job(const std::string& output) {
  JobStatus s;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("JobId=", 0) != 0) continue;
    const auto kv = parse_key_values(trim(line));
    s.known = true;
    if (auto it = kv.find("JobState"); it != kv.end()) s.state = it->second;
    if (auto it = kv.find("Reason"); it != kv.end() && it->second != "None") s.reason = it->second;
    if (auto it = kv.find("ExitCode"); it != kv.end()) {
      // "code:signal"
      const auto colon = it->second.find(':');
      const int code = std::atoi(it->second.substr(0, colon).c_str());
      const int sig =
          colon == std::string::npos ? 0 : std::atoi(it->second.substr(colon + 1).c_str());
      s.exit_code = sig > 0 ? 128 + sig : code;
    }
    if (auto it = kv.find("RunTime"); it != kv.end()) s.elapsed_s = parse_elapsed(it->second);
    break;
  }
  return s;
}

JobStatus parse_qstat_full(const std::string& output) {
  JobStatus s;
  s.known = output.rfind("Job Id:", 0) == 0 || output.find("\nJob Id:") != std::string::npos;
  if (!s.known) return s;
  const auto attributes = qstat_attributes(output);
  const auto attribute = [&](const char* key) {
    const auto it = attributes.find(key);
    return it == attributes.end() ? std::string() : it->second;
  };
  const std::string state_letter = attribute("job_state"), comment = attribute("comment");
  const std::string exit_text = attribute("Exit_status");
  const int exit_status = exit_text.empty() ? -1 : std::atoi(exit_text.c_str());
  if (const std::string walltime = attribute("resources_used.walltime"); !walltime.empty()) {
    s.elapsed_s = parse_elapsed(walltime);
  }
  s.reason = comment;
  if (state_letter == "Q")
    s.state = "PENDING";
  else if (state_letter == "H")
    s.state = "HELD";
  else if (state_letter == "W")
    s.state = "WAITING";
  else if (state_letter == "R" || state_letter == "B")
    s.state = "RUNNING";
  else if (state_letter == "E")
    s.state = "COMPLETING";
  else if (state_letter == "S")
    s.state = "SUSPENDED";
  else if (state_letter == "F" || state_letter == "X") {
    // PBS reports a job killed by signal N as 256 + N; its walltime kill says so in the comment.
    if (exit_status >= 256)
      s.exit_code = 128 + (exit_status - 256);
    else
      s.exit_code = exit_status;
    if (comment.find("walltime") != std::string::npos)
      s.state = "TIMEOUT";
    else
      s.state = exit_status == 0 ? "COMPLETED" : "FAILED";
  } else {
    s.state = state_letter;
  }
  return s;
}

}  // namespace fanout
