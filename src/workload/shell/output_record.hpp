// OutputRecord: the framed records a farm rank appends its tasks' stdout and stderr to
// (shell.output = records): a fixed 40-byte header, then the bytes; and the walk over a file of
// them.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace fanout {

/// Which of a task's outputs a record holds.
enum class OutputStream : std::uint16_t { out = 1, err = 2 };

std::string_view to_string(OutputStream s);

/// What a record's header says. On disk, little-endian: magic "FOR1", u16 stream, u16 header
/// size (40), u32 attempt, u32 rank, u64 seq, u64 end_ns, u64 bytes.
struct OutputRecordHeader {
  std::uint64_t seq = 0;      ///< the task's number, 1-based, as in the joblog
  std::uint32_t attempt = 0;  ///< 1-based within the run that wrote it
  OutputStream stream = OutputStream::out;
  std::uint32_t rank = 0;  ///< the rank that ran it
  /// When the attempt ended, ns since 1970: orders the attempts of a task across ranks and the
  /// runs of a resumed farm.
  std::uint64_t end_ns = 0;
  std::uint64_t bytes = 0;  ///< the output that follows the header
};

constexpr std::size_t kOutputHeaderBytes = 40;

std::array<char, kOutputHeaderBytes> encode_header(const OutputRecordHeader& h);
/// nullopt when `p` (kOutputHeaderBytes long) does not start with the magic and the header size.
std::optional<OutputRecordHeader> decode_header(const char* p);

/// A whole record found in a file: its header and where its bytes start.
struct OutputRecordAt {
  OutputRecordHeader header;
  std::uint64_t data_offset = 0;
};

/// What a walk over a file of records found.
struct OutputScan {
  std::uint64_t records = 0;
  std::uint64_t complete_bytes = 0;  ///< the end of the last whole record
  std::uint64_t file_bytes = 0;
  /// Bytes where a header should start are none: the rest of the file is not read.
  bool corrupt = false;
  /// The file ends inside a record (a kill while it was written): that record is not visited.
  bool torn() const { return !corrupt && file_bytes > complete_bytes; }
};

/// Walks the records of the open file `fd` (headers only: one pread per record) and calls
/// `visit` with each whole one, in file order. Throws nothing; a read error ends the walk as
/// corrupt.
OutputScan scan_output_records(int fd, const std::function<void(const OutputRecordAt&)>& visit);

}  // namespace fanout
