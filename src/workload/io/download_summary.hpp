// The totals of an io.download run: files done, skipped, resumed, restarted and failed, bytes
// and MB/s per node and in all, as lines under the report's table and JSON.
#pragma once

#include <cstdint>

#include "workload/workload.hpp"

namespace fanout {

/// What the journal held before the run (--io.resume), shown beside the run's own totals.
struct JournalBefore {
  std::uint64_t files = 0;
  std::uint64_t bytes = 0;
};

/// Lines and JSON "download" from the median repetition's IoTally (in.median_tally).
RunDetails download_details(const FigureInput& in, const JournalBefore& before);

}  // namespace fanout
