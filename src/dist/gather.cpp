// Chunked MPI_Gatherv of bytes, and the samples, summaries and strings built on it.
#include "dist/gather.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "dist/check.hpp"
#include "dist/mpi_lock.hpp"
#include "dist/world_impl.hpp"

namespace fanout {

namespace {

using dist::check_mpi;
using dist::mpi_mutex;
using dist::MpiGuard;
using dist::run_idle;


/// Gathers every rank's `mine` to rank 0 as one byte vector per rank. All ranks' bytes form one
/// stream in rank order; round k moves stream bytes [k * limit, (k + 1) * limit), so every rank
/// computes the same plan from the gathered sizes and no receive exceeds `limit` (>= 1) bytes.
/// `unit` keeps rounds on element boundaries: the limit is rounded down to a multiple of it.
std::vector<std::vector<char>> gather_bytes(const World::Impl& w, const std::vector<char>& mine,
                                            std::size_t limit, std::size_t unit) {
  const auto n = static_cast<std::size_t>(w.size);
  std::uint64_t my_size = mine.size();
  std::vector<std::uint64_t> sizes(n);
  run_idle([&](MPI_Request* r) {
    return MPI_Iallgather(&my_size, 1, MPI_UINT64_T, sizes.data(), 1, MPI_UINT64_T, w.comm, r);
  }, "MPI_Iallgather");

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
    run_idle([&](MPI_Request* r) {
      return MPI_Igatherv(send, counts[me], MPI_BYTE, round_buf.data(), counts.data(), displs.data(), MPI_BYTE, 0,
                          w.comm, r);
    }, "MPI_Igatherv");
    if (w.rank != 0) continue;
    for (std::size_t r = 0; r < n; ++r) {
      if (counts[r] == 0) continue;
      const std::uint64_t into = std::max(lo, offset[r]) - offset[r];
      std::memcpy(out[r].data() + into, round_buf.data() + displs[r], static_cast<std::size_t>(counts[r]));
    }
  }
  return out;
}

/// The numeric part of a RankSummary, which travels as bytes (the host is known from World).
struct RankNumbers {
  std::int32_t workers;
  std::uint64_t tasks;
  std::uint64_t failed;
  double busy_s, idle_s, wall_s, cpu_user_s, cpu_sys_s;
};
static_assert(std::is_trivially_copyable_v<RankNumbers>);

template <class T>
std::vector<char> to_bytes(const T* p, std::size_t n) {
  std::vector<char> b(n * sizeof(T));
  if (n) std::memcpy(b.data(), p, b.size());
  return b;
}

template <class T>
std::vector<T> from_bytes(const std::vector<char>& b) {
  FANOUT_CHECK(b.size() % sizeof(T) == 0, "gather: byte count is not a whole number of records");
  std::vector<T> v(b.size() / sizeof(T));
  if (!v.empty()) std::memcpy(v.data(), b.data(), b.size());
  return v;
}

}  // namespace

Repetition gather_repetition(World& world, std::vector<Sample> local, const RankSummary& mine,
                             std::size_t max_bytes_per_round) {
  world.idle_barrier();
  const auto& w = world.impl();
  const RankNumbers numbers{mine.workers, mine.tasks,  mine.failed,     mine.busy_s,
                            mine.idle_s,  mine.wall_s, mine.cpu_user_s, mine.cpu_sys_s};
  const auto summaries = gather_bytes(w, to_bytes(&numbers, 1), sizeof(RankNumbers), sizeof(RankNumbers));
  auto samples = gather_bytes(w, to_bytes(local.data(), local.size()), max_bytes_per_round, sizeof(Sample));
  local.clear();
  local.shrink_to_fit();

  Repetition rep;
  if (!world.is_root()) return rep;
  for (int r = 0; r < w.size; ++r) {
    const auto nums = from_bytes<RankNumbers>(summaries[static_cast<std::size_t>(r)]);
    FANOUT_CHECK(nums.size() == 1, "gather_repetition: one summary per rank");
    const auto& x = nums.front();
    rep.per_rank.push_back(RankSummary{r, w.hosts[static_cast<std::size_t>(r)], x.workers, x.tasks, x.failed,
                                       x.busy_s, x.idle_s, x.wall_s, x.cpu_user_s, x.cpu_sys_s});
    rep.wall_s = std::max(rep.wall_s, x.wall_s);
    auto part = from_bytes<Sample>(samples[static_cast<std::size_t>(r)]);
    std::vector<char>().swap(samples[static_cast<std::size_t>(r)]);
    rep.samples.insert(rep.samples.end(), part.begin(), part.end());
  }
  std::stable_sort(rep.samples.begin(), rep.samples.end(),
                   [](const Sample& a, const Sample& b) { return a.id < b.id; });
  return rep;
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
  const auto per_rank = gather_bytes(world.impl(), bytes, kMaxGatherBytes, 1);
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
