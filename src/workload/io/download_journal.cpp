// The journal's line format, written one line per write() and streamed back into a bitmap.
#include "workload/io/download_journal.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

#include "cli/config_error.hpp"

namespace fanout {
namespace {

bool parse_u64(std::string_view s, std::uint64_t& out) {
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return !s.empty() && ec == std::errc{} && ptr == s.data() + s.size();
}

}  // namespace

const std::string& journal_header() {
  static const std::string header = "# fanout download journal: entry\tbytes\tchecksum\tname\turl";
  return header;
}

std::string journal_line(const JournalEntry& e) {
  return std::to_string(e.entry) + '\t' + std::to_string(e.bytes) + '\t' +
         (e.checksum.empty() ? "-" : e.checksum) + '\t' + e.name + '\t' + e.url + '\n';
}

JournalRecord read_journal(const std::string& path, std::uint64_t entries) {
  JournalRecord r;
  r.finished.assign(entries, false);
  read_complete_lines(path, "--io.journal", [&](const std::string& line, std::uint64_t lineno) {
    if (line.empty() || line.front() == '#') return;
    const std::string where = path + ":" + std::to_string(lineno);
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    std::uint64_t entry = 0, bytes = 0;
    if (t2 == std::string::npos || !parse_u64(std::string_view(line).substr(0, t1), entry) ||
        !parse_u64(std::string_view(line).substr(t1 + 1, t2 - t1 - 1), bytes) || entry == 0) {
      throw ConfigError(where +
                        ": not a download journal line (entry, bytes, checksum, name and "
                        "URL, separated by tabs)");
    }
    if (entry > entries) {
      throw ConfigError(where + ": entry " + std::to_string(entry) + " is beyond the URL list's " +
                        std::to_string(entries) +
                        " entries; this journal belongs to another list "
                        "(give its own --io.journal, or a new one)");
    }
    if (!r.finished[entry - 1]) {
      r.finished[entry - 1] = true;
      ++r.count;
      r.bytes += bytes;
    }
  });
  return r;
}

std::string to_bytes(const JournalRecord& r) {
  std::string out(16 + (r.finished.size() + 7) / 8, '\0');
  std::memcpy(out.data(), &r.count, 8);
  std::memcpy(out.data() + 8, &r.bytes, 8);
  for (std::size_t i = 0; i < r.finished.size(); ++i) {
    if (r.finished[i]) out[16 + i / 8] = static_cast<char>(out[16 + i / 8] | (1 << (i % 8)));
  }
  return out;
}

JournalRecord journal_record_from(std::string_view bytes, std::uint64_t entries) {
  if (bytes.size() != 16 + (entries + 7) / 8) {
    throw std::runtime_error("download journal record: " + std::to_string(bytes.size()) +
                             " bytes for a list of " + std::to_string(entries) + " entries");
  }
  JournalRecord r;
  std::memcpy(&r.count, bytes.data(), 8);
  std::memcpy(&r.bytes, bytes.data() + 8, 8);
  r.finished.assign(entries, false);
  for (std::uint64_t i = 0; i < entries; ++i) {
    r.finished[i] = (static_cast<unsigned char>(bytes[16 + i / 8]) >> (i % 8)) & 1;
  }
  return r;
}

}  // namespace fanout
