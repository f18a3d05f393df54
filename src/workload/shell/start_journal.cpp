// The start journals: a line per attempt, written as it starts, and read back over all ranks.
#include "workload/shell/start_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "cli/config_error.hpp"
#include "cli/text.hpp"

namespace fanout {
namespace {

template <typename T>
bool parse_number(std::string_view s, T& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

void cut_torn_line(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  const off_t end = ::fstat(fd, &st) == 0 ? st.st_size : 0;
  const auto keep = static_cast<off_t>(whole_lines_end(fd, static_cast<std::uint64_t>(end)));
  if (keep < end && ::ftruncate(fd, keep) != 0) {
    const int err = errno;
    ::close(fd);
    throw ConfigError("--shell.logs: cannot cut the torn last line of " + path + " (" +
                      std::strerror(err) + ")");
  }
  ::close(fd);
}

std::string start_journal_dir(const std::string& logs_dir) { return logs_dir + "/starts"; }

std::string start_journal_path(const std::string& logs_dir, int rank) {
  return start_journal_dir(logs_dir) + "/" + std::to_string(rank);
}

const std::string& start_journal_header() {
  static const std::string h = "Seq\tAttempt\tHost\tRank\tSlot\tGPUs\tStarttime";
  return h;
}

std::string start_line(const TaskStart& s) {
  char when[32];
  std::snprintf(when, sizeof when, "%.3f", s.start_epoch_s);
  return std::to_string(s.seq) + "\t" + std::to_string(s.attempt) + "\t" + s.host + "\t" +
         std::to_string(s.rank) + "\t" + std::to_string(s.slot) + "\t" +
         (s.gpus.empty() ? std::string("-") : s.gpus) + "\t" + when + "\n";
}

std::optional<TaskStart> parse_start_line(std::string_view line) {
  const std::vector<std::string> f = split(line, '\t');
  if (f.size() != 7) return std::nullopt;
  TaskStart s;
  s.host = f[2];
  s.gpus = f[5] == "-" ? "" : f[5];
  char* end = nullptr;
  s.start_epoch_s = std::strtod(f[6].c_str(), &end);
  if (!parse_number(f[0], s.seq) || !parse_number(f[1], s.attempt) || !parse_number(f[3], s.rank) ||
      !parse_number(f[4], s.slot) || f[6].empty() || end != f[6].c_str() + f[6].size() ||
      s.seq == 0 || s.host.empty()) {
    return std::nullopt;
  }
  return s;
}

StartJournal::StartJournal(const std::string& path)
    : log_((cut_torn_line(path), path), "--shell.logs", start_journal_header()) {}

StartJournalScan read_start_journals(const std::string& logs_dir,
                                     const std::function<void(const TaskStart&)>& visit) {
  namespace fs = std::filesystem;
  StartJournalScan scan;
  std::error_code ec;
  std::vector<std::pair<long, std::string>> files;
  for (const fs::directory_entry& e : fs::directory_iterator(start_journal_dir(logs_dir), ec)) {
    const std::string name = e.path().filename().string();
    long rank = 0;
    if (parse_number(std::string_view(name), rank)) files.emplace_back(rank, e.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& [rank, path] : files) {
    read_complete_lines(path, "start journal", [&](const std::string& line, std::uint64_t) {
      if (line == start_journal_header()) return;
      if (const std::optional<TaskStart> s = parse_start_line(line)) {
        ++scan.starts;
        visit(*s);
      } else {
        ++scan.skipped;
      }
    });
  }
  return scan;
}

}  // namespace fanout
