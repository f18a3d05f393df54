// GNU parallel's joblog format: lines made for the writer, counted once durable, and parsed back.
#include "workload/shell/joblog.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

#include "cli/config_error.hpp"
#include "cli/text.hpp"
#include "cli/units.hpp"
#include "workload/append_log.hpp"

namespace fanout {
namespace {

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const std::string text(s);
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

}  // namespace

const std::string& joblog_header() {
  static const std::string header =
      "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand";
  return header;
}

std::string joblog_line(const JoblogEntry& e) {
  char times[64];
  std::snprintf(times, sizeof times, "%.3f\t%10.3f", e.start_epoch_s, e.runtime_s);
  std::string command = e.command;
  for (char& c : command) {
    if (c == '\n') c = '\0';
  }
  return std::to_string(e.seq) + '\t' + (e.host.empty() ? ":" : e.host) + '\t' + times + "\t0\t" +
         std::to_string(e.received) + '\t' + std::to_string(e.exit_code) + '\t' +
         std::to_string(e.signal) + '\t' + command + '\n';
}

bool JoblogWriter::append(const JoblogEntry& e) {
  if (log_->failed()) return false;
  log_->post(joblog_line(e));
  return true;
}

void JoblogCounts::add(std::string_view lines) {
  Counts found;
  for (std::size_t from = 0, nl; (nl = lines.find('\n', from)) != std::string_view::npos;
       from = nl + 1) {
    const std::string_view line = lines.substr(from, nl - from);
    if (line.rfind("Seq\t", 0) == 0) continue;
    // Exitval and Signal: the 7th and 8th fields.
    std::size_t at = 0;
    for (int i = 0; i < 6 && at != std::string_view::npos; ++i) {
      at = line.find('\t', at);
      if (at != std::string_view::npos) ++at;
    }
    if (at == std::string_view::npos) continue;
    ++found.done;
    if (line.substr(at).rfind("0\t0\t", 0) != 0) ++found.failed;
  }
  std::lock_guard lock(mutex_);
  counts_.done += found.done;
  counts_.failed += found.failed;
}

JoblogCounts::Counts JoblogCounts::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::uint64_t read_joblog(const std::string& path, const JoblogVisitor& visit) {
  std::uint64_t entries = 0;
  read_complete_lines(path, "--shell.joblog", [&](const std::string& line, std::uint64_t lineno) {
    if (lineno == 1 && line.rfind("Seq\t", 0) == 0) return;  // the header
    if (line.empty()) return;
    const std::string where = path + ":" + std::to_string(lineno);
    // Seq Host Starttime JobRuntime Send Receive Exitval Signal, then the command (with its tabs).
    std::string_view f[8];
    std::size_t from = 0, fields = 0;
    for (; fields < 8; ++fields) {
      const auto tab = line.find('\t', from);
      if (tab == std::string::npos) break;
      f[fields] = std::string_view(line).substr(from, tab - from);
      from = tab + 1;
    }
    const bool full = fields == 8;
    const auto seq = full ? parse_integer(f[0]) : std::nullopt;
    const auto start = full ? parse_number(f[2]) : std::nullopt;
    const auto runtime = full ? parse_number(f[3]) : std::nullopt;
    const auto received = full ? parse_integer(f[5]) : std::nullopt;
    const auto exit_code = full ? parse_integer(f[6]) : std::nullopt;
    const auto signal = full ? parse_integer(f[7]) : std::nullopt;
    if (!seq || *seq < 1 || !start || !runtime || !received || !exit_code || !signal) {
      throw ConfigError(where +
                        ": not a joblog line (Seq, Host, Starttime, JobRuntime, Send, "
                        "Receive, Exitval, Signal and Command, separated by tabs)");
    }
    JoblogEntry e;
    e.seq = static_cast<std::uint64_t>(*seq);
    e.host = std::string(f[1]);
    e.start_epoch_s = *start;
    e.runtime_s = *runtime;
    e.received = static_cast<std::uint64_t>(std::max<std::int64_t>(0, *received));
    e.exit_code = static_cast<int>(*exit_code);
    e.signal = static_cast<int>(*signal);
    e.command = line.substr(from);
    for (char& c : e.command) {
      if (c == '\0') c = '\n';
    }
    ++entries;
    visit(e, where);
  });
  return entries;
}

}  // namespace fanout
