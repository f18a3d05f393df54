// Gathering what every rank measured to rank 0: samples, per-rank summaries, strings.
#pragma once

#include <climits>
#include <cstddef>
#include <string>
#include <vector>

#include "dist/world.hpp"
#include "report/run_report.hpp"
#include "timing/sample.hpp"

namespace fanout {

/// Default bound on the bytes rank 0 receives in one MPI_Gatherv: counts and displacements are int.
inline constexpr std::size_t kMaxGatherBytes = INT_MAX;

/// Collective, after an idle barrier (ranks that finished early wait without burning a core).
/// On rank 0: every rank's samples sorted by id; per_rank indexed by rank, with rank and host set
/// from World; wall_s the max of the ranks' wall_s. Other ranks get an empty Repetition.
/// Samples travel as bytes in rounds of at most `max_bytes_per_round` bytes at rank 0.
Repetition gather_repetition(World& world, std::vector<Sample> local, const RankSummary& mine,
                             std::size_t max_bytes_per_round = kMaxGatherBytes);

/// Collective: on rank 0 every rank's strings, concatenated in rank order; empty elsewhere.
std::vector<std::string> gather_strings(World& world, const std::vector<std::string>& mine);

}  // namespace fanout
