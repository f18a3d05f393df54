// Folding I/O tasks into an IoTally, and its byte form.
#include "workload/io/io_tally.hpp"

#include "timing/byte_codec.hpp"
#include "workload/io/attempt.hpp"
#include "workload/io/staging.hpp"

namespace fanout {

void DownloadTotals::add(const Sample& s) {
  const HttpFields f = kind_fields<HttpFields>(s);
  bytes += f.bytes;
  if (!s.ok()) {
    ++failed;
    if (s.error == ErrorClass::checksum) ++checksum;
    return;
  }
  switch (static_cast<DownloadOutcome>(f.outcome)) {
    case DownloadOutcome::skipped:
      ++skipped;
      break;
    case DownloadOutcome::resumed:
      ++resumed;
      break;
    case DownloadOutcome::restarted:
      ++restarted;
      break;
    default:
      ++fetched;
      break;
  }
}

void DownloadTotals::merge(const DownloadTotals& o) {
  fetched += o.fetched;
  skipped += o.skipped;
  resumed += o.resumed;
  restarted += o.restarted;
  failed += o.failed;
  checksum += o.checksum;
  bytes += o.bytes;
}

void IoTally::add(const Sample& s) {
  ++requests;
  bytes += kind_fields<HttpFields>(s).bytes;
  per_rank[s.rank].add(s);
}

// Layout: requests, bytes, the count of ranks, then per rank its number and its DownloadTotals.
std::vector<char> IoTally::to_bytes() const {
  std::vector<char> out;
  put_bytes(out, requests);
  put_bytes(out, bytes);
  put_bytes(out, static_cast<std::uint64_t>(per_rank.size()));
  for (const auto& [rank, totals] : per_rank) {
    put_bytes(out, static_cast<std::int64_t>(rank));
    put_bytes(out, totals);
  }
  return out;
}

void IoTally::merge_bytes(std::span<const char> bytes_in) {
  ByteReader in(bytes_in, "IoTally");
  requests += in.take<std::uint64_t>();
  bytes += in.take<std::uint64_t>();
  const std::size_t ranks = in.take_count(sizeof(std::int64_t) + sizeof(DownloadTotals));
  for (std::size_t r = 0; r < ranks; ++r) {
    const auto rank = static_cast<int>(in.take<std::int64_t>());
    per_rank[rank].merge(in.take<DownloadTotals>());
  }
  in.expect_end();
}

}  // namespace fanout
