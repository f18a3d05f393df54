// Chunked MPI_Gatherv of bytes, the values and strings built on it, and the streaming of spooled
// samples.
#include "mpi/gather.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "mpi/check.hpp"
#include "mpi/mpi_lock.hpp"
#include "mpi/world_impl.hpp"

namespace fanout {

namespace {

using mpi::check_mpi;
using mpi::mpi_mutex;
using mpi::MpiGuard;
using mpi::run_idle;

/// gather_bytes, polling with `backoff` while it waits.
std::vector<std::vector<char>> gather_bytes_polled(World& world, const std::vector<char>& mine,
                                                   std::size_t limit, std::size_t unit,
                                                   mpi::Backoff backoff);

}  // namespace

std::vector<std::vector<char>> gather_bytes(World& world, const std::vector<char>& mine,
                                            std::size_t limit, std::size_t unit) {
  return gather_bytes_polled(world, mine, limit, unit, mpi::kIdleBackoff);
}

namespace {

// All ranks' bytes form one stream in rank order; round k moves stream bytes
// [k * limit, (k + 1) * limit), so every rank computes the same plan from the gathered sizes and
// no receive exceeds `limit` (>= 1) bytes. The limit is rounded down to a multiple of `unit`.
std::vector<std::vector<char>> gather_bytes_polled(World& world, const std::vector<char>& mine,
                                                   std::size_t limit, std::size_t unit,
                                                   mpi::Backoff backoff) {
  const World::Impl& w = world.impl();
  const auto n = static_cast<std::size_t>(w.size);
  std::uint64_t my_size = mine.size();
  std::vector<std::uint64_t> sizes(n);
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, w.comm, r);
      },
      "MPI_Iallgather", backoff);

  limit = std::min<std::size_t>(limit, INT_MAX);
  limit = std::max(unit, limit - limit % unit);
  std::vector<std::uint64_t> offset(n + 1, 0);  // where each rank's bytes start in the stream
  for (std::size_t r = 0; r < n; ++r) offset[r + 1] = offset[r] + sizes[r];
  const std::uint64_t total = offset[n];

  std::vector<std::vector<char>> out;
  if (w.rank == 0) {
    out.resize(n);
    for (std::size_t r = 0; r < n; ++r) out[r].resize(sizes[r]);
  }
  std::vector<char> round_buf(w.rank == 0 ? std::min<std::uint64_t>(limit, total) : 0);
  std::vector<int> counts(n), displs(n);
  for (std::uint64_t lo = 0; lo < total; lo += limit) {
    const std::uint64_t hi = std::min<std::uint64_t>(lo + limit, total);
    for (std::size_t r = 0; r < n; ++r) {
      const std::uint64_t b = std::max(lo, offset[r]);
      const std::uint64_t e = std::min(hi, offset[r + 1]);
      counts[r] = e > b ? static_cast<int>(e - b) : 0;
      displs[r] = static_cast<int>(e > b ? b - lo : 0);
    }
    const auto me = static_cast<std::size_t>(w.rank);
    const std::uint64_t my_from = std::max(lo, offset[me]) - offset[me];
    const char* send = mine.data() + std::min<std::uint64_t>(my_from, mine.size());
    run_idle(
        [&](MPI_Request* r) {
          return MPI_Igatherv(send, counts[me], MPI_BYTE, round_buf.data(), counts.data(),
                              displs.data(), MPI_BYTE, 0, w.comm, r);
        },
        "MPI_Igatherv", backoff);
    if (w.rank != 0) continue;
    for (std::size_t r = 0; r < n; ++r) {
      if (counts[r] == 0) continue;
      const std::uint64_t into = std::max(lo, offset[r]) - offset[r];
      std::memcpy(out[r].data() + into, round_buf.data() + displs[r],
                  static_cast<std::size_t>(counts[r]));
    }
  }
  return out;
}

}  // namespace

void stream_samples(World& world, const SampleSpool& mine,
                    const std::function<void(std::span<const Sample>)>& at_root,
                    std::size_t round_samples) {
  const World::Impl& w = world.impl();
  const auto n = static_cast<std::size_t>(w.size);
  // At most max(1024, round_samples / ranks) of each rank, and never a round past INT_MAX bytes
  // at rank 0 (a gather's counts are ints), however many ranks.
  const std::size_t per_rank = std::max<std::size_t>(
      1, std::min(std::max<std::size_t>(1024, round_samples / std::max<std::size_t>(1, n)),
                  (static_cast<std::size_t>(INT_MAX) - 1) /
                      (std::max<std::size_t>(1, n) * sizeof(Sample))));
  std::uint64_t my_rounds = (mine.size() + per_rank - 1) / per_rank, rounds = 0;
  run_idle(
      [&](MPI_Request* r) {
        return MPI_Iallreduce(&my_rounds, &rounds, 1, MPI_UINT64_T, MPI_MAX, w.comm, r);
      },
      "MPI_Iallreduce");
  // One gather a round, straight from this rank's chunk into rank 0's round, both buffers kept
  // from round to round.
  std::vector<Sample> chunk;
  std::vector<Sample> round;
  std::vector<int> counts(n), displs(n);
  for (std::uint64_t k = 0; k < rounds; ++k) {
    const std::uint64_t from = std::min<std::uint64_t>(k * per_rank, mine.size());
    chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(per_rank, mine.size() - from)));
    try {
      mine.read(from, chunk);
    } catch (const std::exception& e) {
      // The others already wait in this round's gather: end the job rather than hang it.
      FANOUT_CHECK(false, std::string("stream: ") + e.what());
    }
    // Rounds follow each other closely (rank 0 writes one while the others wait for the next):
    // the dispatch back-off wakes within ~64 us, where the idle one could lose ~10 ms a round.
    const int my_bytes = static_cast<int>(chunk.size() * sizeof(Sample));
    run_idle(
        [&](MPI_Request* r) {
          return MPI_Igather(&my_bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, w.comm, r);
        },
        "MPI_Igather", mpi::kDispatchBackoff);
    std::size_t total = 0;
    if (world.is_root()) {
      for (std::size_t r = 0; r < n; ++r) {
        FANOUT_CHECK(counts[r] >= 0 && counts[r] % sizeof(Sample) == 0,
                     "stream: byte count is not a whole number of samples");
        displs[r] = static_cast<int>(total * sizeof(Sample));
        total += static_cast<std::size_t>(counts[r]) / sizeof(Sample);
      }
      round.resize(total);
    }
    run_idle(
        [&](MPI_Request* r) {
          return MPI_Igatherv(chunk.data(), my_bytes, MPI_BYTE, round.data(), counts.data(),
                              displs.data(), MPI_BYTE, 0, w.comm, r);
        },
        "MPI_Igatherv", mpi::kDispatchBackoff);
    if (!world.is_root()) continue;
    // In task order within the round; the ranks' parts usually come in order already (a static
    // split, one worker), and then nothing moves.
    const auto by_id = [](const Sample& a, const Sample& b) { return a.id < b.id; };
    if (!std::is_sorted(round.begin(), round.end(), by_id))
      std::stable_sort(round.begin(), round.end(), by_id);
    if (!round.empty()) at_root(round);
  }
}

std::vector<std::string> gather_strings(World& world, const std::vector<std::string>& mine) {
  // Each string as an 8-byte length followed by its bytes.
  std::vector<char> bytes;
  for (const auto& s : mine) {
    const std::uint64_t len = s.size();
    const auto* p = reinterpret_cast<const char*>(&len);
    bytes.insert(bytes.end(), p, p + sizeof len);
    bytes.insert(bytes.end(), s.begin(), s.end());
  }
  const auto per_rank = gather_bytes(world, bytes, kMaxGatherBytes, 1);
  std::vector<std::string> out;
  for (const auto& b : per_rank) {
    for (std::size_t at = 0; at < b.size();) {
      std::uint64_t len = 0;
      FANOUT_CHECK(b.size() - at >= sizeof len, "gather_strings: truncated length");
      std::memcpy(&len, b.data() + at, sizeof len);
      at += sizeof len;
      FANOUT_CHECK(b.size() - at >= len, "gather_strings: truncated string");
      out.emplace_back(b.data() + at, static_cast<std::size_t>(len));
      at += static_cast<std::size_t>(len);
    }
  }
  return out;
}

}  // namespace fanout
