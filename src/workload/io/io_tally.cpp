// Folding I/O tasks into an IoTally, and merging tallies.
#include "workload/io/io_tally.hpp"

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
  open_loop.add(s, got_response(s));
}

void IoTally::merge(const IoTally& other) {
  requests += other.requests;
  bytes += other.bytes;
  for (const auto& [rank, totals] : other.per_rank) per_rank[rank].merge(totals);
  open_loop.merge(other.open_loop);
}

}  // namespace fanout
