// gather_bytes, gather_values, gather_strings and stream_samples under mpirun, including bytes and
// samples split over many rounds.
#include "mpi/gather.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "mpi_test.hpp"

namespace fanout {
namespace {

using test::world;

/// Rank r holds 3r + 2 samples; ids are global and every field is derived from the id.
std::vector<Sample> samples_of_rank(int rank) {
  TaskId first = 0;
  for (int r = 0; r < rank; ++r) first += 3 * static_cast<TaskId>(r) + 2;
  std::vector<Sample> v;
  for (TaskId i = 0; i < 3 * static_cast<TaskId>(rank) + 2; ++i) {
    Sample s;
    s.id = first + i;
    s.start_s = 0.001 * static_cast<double>(s.id);
    s.duration_s = 1.0 / static_cast<double>(s.id + 1);
    s.rank = rank;
    s.worker = static_cast<std::int32_t>(i % 2);
    s.attempts = static_cast<std::uint32_t>(1 + s.id % 3);
    s.error = s.id % 5 == 0 ? ErrorClass::wrong_result : ErrorClass::none;
    // The kind's bytes travel as they are.
    for (std::size_t b = 0; b < kKindFieldBytes; ++b)
      s.kind[b] = static_cast<unsigned char>(s.id + b);
    v.push_back(s);
  }
  // Reverse, so the result's order comes from the gather's sort and not from the input.
  std::reverse(v.begin(), v.end());
  return v;
}

void expect_all_samples(const std::vector<Sample>& samples, int size) {
  TaskId total = 0;
  for (int r = 0; r < size; ++r) total += 3 * static_cast<TaskId>(r) + 2;
  ASSERT_EQ(samples.size(), total);
  for (int r = 0; r < size; ++r) {
    for (const auto& want : samples_of_rank(r)) {
      const auto& got = samples[want.id];
      EXPECT_EQ(got.id, want.id);
      EXPECT_EQ(got.rank, want.rank);
      EXPECT_EQ(got.worker, want.worker);
      EXPECT_EQ(got.attempts, want.attempts);
      EXPECT_EQ(got.error, want.error);
      EXPECT_EQ(got.start_s, want.start_s);
      EXPECT_EQ(got.duration_s, want.duration_s);
      EXPECT_EQ(std::memcmp(got.kind, want.kind, kKindFieldBytes), 0);
    }
  }
}

/// A rank's fixed-size summary, as measure() gathers them.
struct Numbers {
  std::int32_t workers;
  std::uint64_t tasks;
  double busy_s;
};

class GatherRounds : public testing::TestWithParam<std::size_t> {};

// The bytes of every rank's samples, gathered in rounds ending on whole samples, arrive intact
// and in rank order (as the tallies do, whatever their size).
TEST_P(GatherRounds, EveryRanksBytesArriveIntact) {
  auto& w = world();
  const std::vector<Sample> mine = samples_of_rank(w.rank());
  std::vector<char> bytes(mine.size() * sizeof(Sample));
  std::memcpy(bytes.data(), mine.data(), bytes.size());
  const auto parts = gather_bytes(w, bytes, GetParam(), sizeof(Sample));
  if (!w.is_root()) {
    EXPECT_TRUE(parts.empty());
    return;
  }
  ASSERT_EQ(static_cast<int>(parts.size()), w.size());
  std::vector<Sample> all;
  for (const auto& part : parts) {
    ASSERT_EQ(part.size() % sizeof(Sample), 0u);
    const std::size_t at = all.size();
    all.resize(at + part.size() / sizeof(Sample));
    if (!part.empty()) std::memcpy(all.data() + at, part.data(), part.size());
  }
  std::sort(all.begin(), all.end(), [](const Sample& a, const Sample& b) { return a.id < b.id; });
  expect_all_samples(all, w.size());
}

TEST(Gather, ValuesByRank) {
  auto& w = world();
  const Numbers mine{3, 3 * static_cast<std::uint64_t>(w.rank()) + 2, 1.5 * w.rank()};
  const auto all = gather_values(w, mine);
  if (!w.is_root()) {
    EXPECT_TRUE(all.empty());
    return;
  }
  ASSERT_EQ(static_cast<int>(all.size()), w.size());
  for (int r = 0; r < w.size(); ++r) {
    EXPECT_EQ(all[static_cast<std::size_t>(r)].workers, 3);
    EXPECT_EQ(all[static_cast<std::size_t>(r)].tasks, 3 * static_cast<std::uint64_t>(r) + 2);
    EXPECT_EQ(all[static_cast<std::size_t>(r)].busy_s, 1.5 * r);
  }
}

// The default limit (one round), a limit that splits ranks' samples across rounds, one sample per
// round, and a limit below one sample (rounded up to one).
INSTANTIATE_TEST_SUITE_P(Limits, GatherRounds,
                         testing::Values(kMaxGatherBytes, 2 * sizeof(Sample) + 5, sizeof(Sample),
                                         std::size_t{1}));

TEST(Gather, NothingToGather) {
  auto& w = world();
  const auto parts = gather_bytes(w, {}, 3 * sizeof(Sample), sizeof(Sample));
  if (w.is_root()) {
    ASSERT_EQ(static_cast<int>(parts.size()), w.size());
    for (const auto& part : parts) EXPECT_TRUE(part.empty());
  } else {
    EXPECT_TRUE(parts.empty());
  }
}

TEST(Gather, StringsInRankOrder) {
  auto& w = world();
  std::vector<std::string> mine;
  for (int i = 0; i < w.rank(); ++i)
    mine.push_back(std::to_string(w.rank()) + ":" + std::to_string(i));
  mine.push_back("");  // empty strings survive
  const auto all = gather_strings(w, mine);
  if (!w.is_root()) {
    EXPECT_TRUE(all.empty());
    return;
  }
  std::vector<std::string> want;
  for (int r = 0; r < w.size(); ++r) {
    for (int i = 0; i < r; ++i) want.push_back(std::to_string(r) + ":" + std::to_string(i));
    want.push_back("");
  }
  EXPECT_EQ(all, want);
}

/// stream_samples with a round of `round_samples`: rank 0 gets every sample once, each batch sorted
/// by id, and never more than one round (per-rank share x ranks) at a time.
class StreamRounds : public ::testing::TestWithParam<std::size_t> {};

TEST_P(StreamRounds, EverySampleArrivesOnceInSortedBatches) {
  const int size = world().size();
  SampleSpool spool;
  const std::vector<Sample> mine = samples_of_rank(world().rank());
  // Two appends, as the engines' spills make them.
  spool.append(std::span<const Sample>(mine.data(), mine.size() / 2));
  spool.append(
      std::span<const Sample>(mine.data() + mine.size() / 2, mine.size() - mine.size() / 2));
  std::vector<Sample> got;
  std::size_t batches = 0, largest = 0;
  stream_samples(
      world(), spool,
      [&](std::span<const Sample> batch) {
        ++batches;
        largest = std::max(largest, batch.size());
        EXPECT_TRUE(std::is_sorted(batch.begin(), batch.end(),
                                   [](const Sample& a, const Sample& b) { return a.id < b.id; }));
        got.insert(got.end(), batch.begin(), batch.end());
      },
      GetParam());
  if (!world().is_root()) {
    EXPECT_EQ(batches, 0u);
    return;
  }
  std::sort(got.begin(), got.end(), [](const Sample& a, const Sample& b) { return a.id < b.id; });
  expect_all_samples(got, size);
  const std::size_t per_rank =
      std::max<std::size_t>(1024, GetParam() / static_cast<std::size_t>(size));
  EXPECT_LE(largest, per_rank * static_cast<std::size_t>(size));
  EXPECT_EQ(batches, 1u);  // a few samples per rank: one round, the whole measurement sorted
}

INSTANTIATE_TEST_SUITE_P(Rounds, StreamRounds, ::testing::Values(1, kStreamRoundSamples));

TEST(Stream, ManyRoundsBoundedAtRootAndNothingToStream) {
  // 2500 samples per rank, 1024 a round each: three rounds, each at most 1024 per rank.
  constexpr std::size_t kPerRank = 2500;
  SampleSpool spool;
  std::vector<Sample> mine(kPerRank);
  for (std::size_t i = 0; i < kPerRank; ++i) {
    mine[i].id = static_cast<TaskId>(world().rank()) * kPerRank + (kPerRank - 1 - i);
    mine[i].rank = world().rank();
  }
  spool.append(mine);
  std::size_t total = 0, batches = 0, largest = 0;
  stream_samples(
      world(), spool,
      [&](std::span<const Sample> batch) {
        ++batches;
        total += batch.size();
        largest = std::max(largest, batch.size());
      },
      1);
  if (world().is_root()) {
    EXPECT_EQ(total, kPerRank * static_cast<std::size_t>(world().size()));
    EXPECT_EQ(batches, 3u);
    EXPECT_LE(largest, 1024u * static_cast<std::size_t>(world().size()));
  }
  const SampleSpool empty;
  stream_samples(world(), empty, [&](std::span<const Sample>) { ADD_FAILURE() << "no round"; });
}

}  // namespace
}  // namespace fanout
