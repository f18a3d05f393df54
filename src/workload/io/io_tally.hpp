// IoTally: what an I/O run's figures and download totals need from its requests (their count,
// body bytes, download outcomes per rank, open-loop latencies), folded on every rank and merged at
// rank 0.
#pragma once

#include <cstdint>
#include <map>

#include "workload/io/open_loop_tally.hpp"
#include "workload/kind_tally.hpp"

namespace fanout {

/// Outcomes of the downloads of some tasks (io.download): files fetched whole, skipped, resumed,
/// restarted and failed, and the body bytes received.
struct DownloadTotals {
  std::uint64_t fetched = 0, skipped = 0, resumed = 0, restarted = 0, failed = 0;
  std::uint64_t checksum = 0;  ///< of the failed, those whose size or checksum did not match
  std::uint64_t bytes = 0;

  std::uint64_t done() const { return fetched + skipped + resumed + restarted; }
  void add(const Sample& s);
  void merge(const DownloadTotals& other);
};

class IoTally : public ListedTally<IoTally> {
 public:
  static constexpr const char* kName = "IoTally";
  std::uint64_t requests = 0;  ///< tasks (URL fetches) folded, failed and stopped ones too
  std::uint64_t bytes = 0;     ///< body bytes of their last attempts
  /// Download outcomes of the tasks each rank ran: rank -> totals.
  std::map<int, DownloadTotals> per_rank;
  /// An open-loop run's (io.rate) latencies and sends by step; empty for a closed-loop run.
  OpenLoopTally open_loop;

  void add(const Sample& s) override;
  /// Adds another rank's tally.
  void merge(const IoTally& other);

  template <class Self, class Io>
  static void fields(Self& t, Io& io) {
    io(t.requests, t.bytes, t.per_rank, t.open_loop);
  }
};

}  // namespace fanout
