// The record header's bytes, written field by field in little-endian order, and the walk that
// stops at a record a kill cut short.
#include "workload/shell/output_record.hpp"

#include <sys/stat.h>

#include <cstring>

#include "workload/append_log.hpp"

namespace fanout {
namespace {

constexpr char kMagic[4] = {'F', 'O', 'R', '1'};

template <class Int>
void put(char* p, Int v) {
  for (std::size_t i = 0; i < sizeof(Int); ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

template <class Int>
Int get(const char* p) {
  Int v = 0;
  for (std::size_t i = 0; i < sizeof(Int); ++i)
    v |= static_cast<Int>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

}  // namespace

std::string_view to_string(OutputStream s) { return s == OutputStream::err ? "err" : "out"; }

std::array<char, kOutputHeaderBytes> encode_header(const OutputRecordHeader& h) {
  std::array<char, kOutputHeaderBytes> b{};
  std::memcpy(b.data(), kMagic, 4);
  put<std::uint16_t>(b.data() + 4, static_cast<std::uint16_t>(h.stream));
  put<std::uint16_t>(b.data() + 6, static_cast<std::uint16_t>(kOutputHeaderBytes));
  put<std::uint32_t>(b.data() + 8, h.attempt);
  put<std::uint32_t>(b.data() + 12, h.rank);
  put<std::uint64_t>(b.data() + 16, h.seq);
  put<std::uint64_t>(b.data() + 24, h.end_ns);
  put<std::uint64_t>(b.data() + 32, h.bytes);
  return b;
}

std::optional<OutputRecordHeader> decode_header(const char* p) {
  if (std::memcmp(p, kMagic, 4) != 0 || get<std::uint16_t>(p + 6) != kOutputHeaderBytes)
    return std::nullopt;
  const auto stream = get<std::uint16_t>(p + 4);
  if (stream != 1 && stream != 2) return std::nullopt;
  OutputRecordHeader h;
  h.stream = static_cast<OutputStream>(stream);
  h.attempt = get<std::uint32_t>(p + 8);
  h.rank = get<std::uint32_t>(p + 12);
  h.seq = get<std::uint64_t>(p + 16);
  h.end_ns = get<std::uint64_t>(p + 24);
  h.bytes = get<std::uint64_t>(p + 32);
  return h;
}

OutputScan scan_output_records(int fd, const std::function<void(const OutputRecordAt&)>& visit) {
  OutputScan scan;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    scan.corrupt = true;
    return scan;
  }
  scan.file_bytes = static_cast<std::uint64_t>(st.st_size);
  char raw[kOutputHeaderBytes];
  std::uint64_t at = 0;
  while (at + kOutputHeaderBytes <= scan.file_bytes) {
    if (!read_all_at(fd, raw, sizeof raw, at)) {
      scan.corrupt = true;
      break;
    }
    const std::optional<OutputRecordHeader> h = decode_header(raw);
    if (!h) {
      scan.corrupt = true;
      break;
    }
    const std::uint64_t data = at + kOutputHeaderBytes;
    if (h->bytes > scan.file_bytes - data) break;  // torn: its bytes end past the file's
    visit({*h, data});
    ++scan.records;
    at = data + h->bytes;
    scan.complete_bytes = at;
  }
  return scan;
}

}  // namespace fanout
