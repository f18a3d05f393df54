// Reading LOGS/output/*.records: attempts grouped from adjacent records, the last one per task,
// and one attempt's bytes copied out.
#include "workload/shell/output_index.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "cli/config_error.hpp"
#include "workload/shell/output_log.hpp"

namespace fanout {
namespace {

/// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

bool same_attempt(const OutputAttempt& a, const OutputRecordHeader& h) {
  return a.seq == h.seq && a.attempt == h.attempt && a.rank == h.rank && a.end_ns == h.end_ns;
}

/// The rank in "RANK.records", for the files' order; -1 for other names.
long rank_of(const std::filesystem::path& p) {
  const std::string stem = p.stem().string();
  if (p.extension() != ".records" || stem.empty() ||
      !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return -1;
  }
  return std::stol(stem);
}

}  // namespace

OutputIndex::OutputIndex(const std::string& logs_dir) {
  namespace fs = std::filesystem;
  const std::string dir = output_records_dir(logs_dir);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw ConfigError(
        dir + ": no output records here (" +
        (fs::is_directory(logs_dir, ec) ? "a farm run with --output files keeps each task's "
                                          "output in LOGS/B/N.out and LOGS/B/N.err, B = N / 1000"
                                        : "no such directory") +
        "); give the --logs directory of a farm run with --output records (the default)");
  }
  std::vector<std::pair<long, std::string>> found;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const long rank = rank_of(e.path());
    if (rank >= 0) found.emplace_back(rank, e.path().string());
  }
  std::sort(found.begin(), found.end());
  for (auto& [rank, path] : found) files_.push_back(std::move(path));
}

void OutputIndex::each_attempt(const std::function<void(const OutputAttempt&)>& visit) const {
  notes_.clear();
  for (std::size_t i = 0; i < files_.size(); ++i) {
    const Fd fd(::open(files_[i].c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.fd < 0) {
      throw ConfigError(files_[i] + ": cannot read it (" + std::strerror(errno) + ")");
    }
    std::optional<OutputAttempt> open;
    const OutputScan scan = scan_output_records(fd.fd, [&](const OutputRecordAt& r) {
      if (open && !same_attempt(*open, r.header)) {
        visit(*open);
        open.reset();
      }
      if (!open) {
        open = OutputAttempt{
            r.header.seq, r.header.attempt, r.header.rank, r.header.end_ns, i, {}, {}};
      }
      OutputAttempt::Part& part = r.header.stream == OutputStream::err ? open->err : open->out;
      part = {r.data_offset, r.header.bytes};
    });
    if (open) visit(*open);
    if (scan.corrupt || scan.torn()) notes_.push_back({files_[i], scan});
  }
}

std::map<std::uint64_t, OutputTaskSummary> OutputIndex::tasks() const {
  std::map<std::uint64_t, OutputTaskSummary> out;
  each_attempt([&](const OutputAttempt& a) {
    OutputTaskSummary& t = out[a.seq];
    if (t.attempts++ == 0 || t.last.before(a)) t.last = a;
  });
  return out;
}

std::vector<OutputAttempt> OutputIndex::attempts(std::uint64_t seq) const {
  std::vector<OutputAttempt> out;
  each_attempt([&](const OutputAttempt& a) {
    if (a.seq == seq) out.push_back(a);
  });
  std::sort(out.begin(), out.end(),
            [](const OutputAttempt& a, const OutputAttempt& b) { return a.before(b); });
  return out;
}

bool OutputIndex::copy(const OutputAttempt& a, OutputStream stream, std::ostream& out) const {
  const OutputAttempt::Part& p = a.part(stream);
  if (p.bytes == 0) return true;
  const Fd fd(::open(files_[a.file].c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.fd < 0) return false;
  std::vector<char> block(1 << 16);
  std::uint64_t at = p.offset, left = p.bytes;
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, block.size()));
    const ssize_t got = ::pread(fd.fd, block.data(), want, static_cast<off_t>(at));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out.write(block.data(), got);
    at += static_cast<std::uint64_t>(got);
    left -= static_cast<std::uint64_t>(got);
  }
  return static_cast<bool>(out);
}

std::string render_output_list(const std::map<std::uint64_t, OutputTaskSummary>& tasks) {
  std::string out = "task\tattempts\tstdout_bytes\tstderr_bytes\trank\n";
  for (const auto& [seq, t] : tasks) {
    out += std::to_string(seq) + '\t' + std::to_string(t.attempts) + '\t' +
           std::to_string(t.last.out.bytes) + '\t' + std::to_string(t.last.err.bytes) + '\t' +
           std::to_string(t.last.rank) + '\n';
  }
  return out;
}

std::string describe(const OutputFileNote& note) {
  if (note.scan.corrupt) {
    return note.path + ": not fanout's output records from byte " +
           std::to_string(note.scan.complete_bytes) + "; the rest of it is ignored";
  }
  return note.path + ": its last record was cut short (a kill while it was written); its " +
         std::to_string(note.scan.file_bytes - note.scan.complete_bytes) +
         " bytes are ignored (a resume runs that task again)";
}

}  // namespace fanout
