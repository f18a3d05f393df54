// Gathering what every rank measured to rank 0: bytes (tallies), fixed-size summaries, strings,
// and the spooled task records in bounded rounds.
#pragma once

#include <climits>
#include <cstddef>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "exec/sample_storage.hpp"
#include "mpi/world.hpp"
#include "timing/record.hpp"

namespace fanout {

/// Default bound on the bytes rank 0 receives in one MPI_Gatherv: counts and displacements are int.
inline constexpr std::size_t kMaxGatherBytes = INT_MAX;

/// Collective: every rank's bytes to rank 0, one vector per rank (empty elsewhere), in rounds of at
/// most `limit` bytes at rank 0, each round ending on a multiple of `unit` bytes.
std::vector<std::vector<char>> gather_bytes(World& world, const std::vector<char>& mine,
                                            std::size_t limit, std::size_t unit);

/// Collective: on rank 0 every rank's `mine`, indexed by rank; empty elsewhere.
template <class T>
std::vector<T> gather_values(World& world, const T& mine) {
  static_assert(std::is_trivially_copyable_v<T>, "gathered as bytes");
  std::vector<char> bytes(sizeof(T));
  std::memcpy(bytes.data(), &mine, sizeof(T));
  std::vector<T> out;
  for (const auto& b : gather_bytes(world, bytes, sizeof(T), sizeof(T))) {
    T v;
    std::memcpy(&v, b.data(), sizeof(T));
    out.push_back(v);
  }
  return out;
}

/// Samples per round that stream_samples brings to rank 0 (all ranks together): the most it holds.
inline constexpr std::size_t kStreamRoundSamples = 65536;

/// Collective: every rank's spooled samples to rank 0 in bounded rounds, never all at once. Each
/// round takes up to max(1024, round_samples / ranks) samples from every rank (fewer where that
/// many from every rank would pass INT_MAX bytes, a gather's limit), in rank order, and
/// hands them to `at_root` on rank 0 sorted by id; so when every rank's share fits one round (any
/// run of up to round_samples tasks) the whole measurement arrives once, sorted by id, and larger
/// ones arrive in sorted blocks. Rank 0 holds one round at a time; `at_root` is not called
/// elsewhere, nor for an empty round.
void stream_samples(World& world, const SampleSpool& mine,
                    const std::function<void(std::span<const Sample>)>& at_root,
                    std::size_t round_samples = kStreamRoundSamples);

/// Collective: on rank 0 every rank's strings, concatenated in rank order; empty elsewhere.
std::vector<std::string> gather_strings(World& world, const std::vector<std::string>& mine);

}  // namespace fanout
