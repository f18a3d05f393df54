// gather_repetition and gather_strings under mpirun, including samples split over many rounds.
#include <gtest/gtest.h>

#include <cstring>

#include "dist/gather.hpp"
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
    s.thread = static_cast<std::int32_t>(i % 2);
    s.error = s.id % 5 == 0 ? ErrorClass::wrong_result : ErrorClass::none;
    s.bytes = s.id * 1000;
    s.ttfb_s = 0.5f;
    v.push_back(s);
  }
  // Reverse, so the result's order comes from the gather's sort and not from the input.
  std::reverse(v.begin(), v.end());
  return v;
}

void expect_all_samples(const Repetition& rep, int size) {
  TaskId total = 0;
  for (int r = 0; r < size; ++r) total += 3 * static_cast<TaskId>(r) + 2;
  ASSERT_EQ(rep.samples.size(), total);
  for (int r = 0; r < size; ++r) {
    for (const auto& want : samples_of_rank(r)) {
      const auto& got = rep.samples[want.id];
      EXPECT_EQ(got.id, want.id);
      EXPECT_EQ(got.rank, want.rank);
      EXPECT_EQ(got.thread, want.thread);
      EXPECT_EQ(got.error, want.error);
      EXPECT_EQ(got.start_s, want.start_s);
      EXPECT_EQ(got.duration_s, want.duration_s);
      EXPECT_EQ(got.bytes, want.bytes);
      EXPECT_EQ(got.ttfb_s, want.ttfb_s);
    }
  }
}

class GatherRounds : public testing::TestWithParam<std::size_t> {};

TEST_P(GatherRounds, EverySampleArrivesIntact) {
  auto& w = world();
  RankSummary mine;
  mine.workers = 3;
  mine.tasks = 3 * static_cast<std::uint64_t>(w.rank()) + 2;
  mine.busy_s = 1.5 * w.rank();
  mine.wall_s = w.rank() == 0 ? 9.0 : 1.0;
  mine.cpu_user_s = 0.25;
  const auto rep = gather_repetition(w, samples_of_rank(w.rank()), mine, GetParam());
  if (!w.is_root()) {
    EXPECT_TRUE(rep.samples.empty());
    return;
  }
  expect_all_samples(rep, w.size());
  ASSERT_EQ(static_cast<int>(rep.per_rank.size()), w.size());
  for (int r = 0; r < w.size(); ++r) {
    const auto& pr = rep.per_rank[static_cast<std::size_t>(r)];
    EXPECT_EQ(pr.rank, r);
    EXPECT_EQ(pr.workers, 3);
    EXPECT_EQ(pr.tasks, 3 * static_cast<std::uint64_t>(r) + 2);
    EXPECT_EQ(pr.busy_s, 1.5 * r);
    EXPECT_EQ(pr.cpu_user_s, 0.25);
  }
  EXPECT_EQ(rep.wall_s, 9.0);
}

// The default limit (one round), a limit that splits ranks' samples across rounds, one sample per
// round, and a limit below one sample (rounded up to one).
INSTANTIATE_TEST_SUITE_P(Limits, GatherRounds,
                         testing::Values(kMaxGatherBytes, 2 * sizeof(Sample) + 5, sizeof(Sample), std::size_t{1}));

TEST(Gather, NothingToGather) {
  auto& w = world();
  const auto rep = gather_repetition(w, {}, RankSummary{}, 3 * sizeof(Sample));
  if (!w.is_root()) return;
  EXPECT_TRUE(rep.samples.empty());
  EXPECT_EQ(static_cast<int>(rep.per_rank.size()), w.size());
  EXPECT_EQ(rep.wall_s, 0.0);
}

TEST(Gather, StringsInRankOrder) {
  auto& w = world();
  std::vector<std::string> mine;
  for (int i = 0; i < w.rank(); ++i) mine.push_back(std::to_string(w.rank()) + ":" + std::to_string(i));
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

}  // namespace
}  // namespace fanout
